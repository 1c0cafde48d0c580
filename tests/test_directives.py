"""audit.directives: robots directives read as Google reads them (meta robots / googlebot and
X-Robots-Tag): noindex, none, googlebot scope, and unavailable_after dates in every form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from audit.directives import IndexingBlock, indexing_block, parse_robots_date

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
PST = timezone(timedelta(hours=-8))


# --- parse_robots_date: every form Google accepts ------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    # RFC 822 (and its RFC 1123 four-digit year), with and without the weekday
    ("Wed, 25 Jun 2010 15:00:00 PST", datetime(2010, 6, 25, 15, tzinfo=PST)),
    ("25 Jun 2010 15:00:00 PST", datetime(2010, 6, 25, 15, tzinfo=PST)),
    ("Fri, 25 Jun 2010 15:00:00 GMT", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    ("Fri, 25 Jun 2010 15:00:00 +0100",
     datetime(2010, 6, 25, 15, tzinfo=timezone(timedelta(hours=1)))),
    ("Fri, 25 Jun 10 15:00:00 Z", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    # RFC 850: full weekday, dashes, two-digit year (and the four-digit variant)
    ("Friday, 25-Jun-10 15:00:00 PST", datetime(2010, 6, 25, 15, tzinfo=PST)),
    ("Sunday, 06-Nov-94 08:49:37 GMT", datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)),
    ("Friday, 25-Jun-2010 15:00:00 GMT", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    # ISO 8601: date only, date and time, zones, fractions, basic format, lower-case z
    ("2010-06-25", datetime(2010, 6, 25, tzinfo=UTC)),
    ("20100625", datetime(2010, 6, 25, tzinfo=UTC)),
    ("2010-06-25T15:00:00", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    ("2010-06-25T15:00:00Z", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    ("2010-06-25T15:00:00z", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    ("2010-06-25T15:00:00.000Z", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    ("2010-06-25T15:00:00+01:00",
     datetime(2010, 6, 25, 15, tzinfo=timezone(timedelta(hours=1)))),
    ("2010-06-25T15:00:00-0700",
     datetime(2010, 6, 25, 15, tzinfo=timezone(timedelta(hours=-7)))),
    ("2010-06-25 15:00", datetime(2010, 6, 25, 15, tzinfo=UTC)),
    # quoted and padded, as written in attributes and headers
    ('"2010-06-25"', datetime(2010, 6, 25, tzinfo=UTC)),
    ("'2010-06-25'", datetime(2010, 6, 25, tzinfo=UTC)),
    ("  25 Jun 2010 15:00:00 PST  ", datetime(2010, 6, 25, 15, tzinfo=PST)),
])
def test_dates_in_every_form_google_accepts(text: str, expected: datetime) -> None:
    parsed = parse_robots_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize("text", [
    "", "   ", '""', "soon", "Friday", "2010", "1", "25-Jun-2010", "2010-13-01",
    "2010-06-25T25:00", "Mon, 32 Jan 2010 00:00:00", "Z",
    "Mon, 1 Jan 99999999999 00:00:00",  # email.utils raises OverflowError on this one
])
def test_unreadable_dates_are_none(text: str) -> None:
    assert parse_robots_date(text) is None


# --- indexing_block ------------------------------------------------------------------------


def test_nothing_blocks_a_page_without_directives() -> None:
    assert indexing_block(None, None, NOW) is None
    assert indexing_block("", "  ", NOW) is None
    assert indexing_block(float("nan"), None, NOW) is None  # a missing cell of a frame
    assert indexing_block("index, follow", "noarchive, max-snippet:-1", NOW) is None


@pytest.mark.parametrize("meta", ["noindex", "NOINDEX", "noindex, follow", " nofollow,noindex ",
                                  "max-snippet:-1, max-image-preview:large, noindex"])
def test_noindex_in_meta_robots(meta: str) -> None:
    assert indexing_block(meta, None, NOW) == IndexingBlock("noindex", "meta robots")


def test_none_is_noindex_too() -> None:
    block = indexing_block("none", None, NOW)
    assert block == IndexingBlock("none", "meta robots")
    assert block.describe() == "meta robots: none"


def test_noindex_in_the_header() -> None:
    block = indexing_block(None, "noindex", NOW)
    assert block == IndexingBlock("noindex", "X-Robots-Tag")
    assert block.describe() == "X-Robots-Tag: noindex"


def test_meta_and_header_together() -> None:
    # the meta tag is read first; either one alone is enough
    assert indexing_block("noindex", "noindex", NOW).source == "meta robots"
    assert indexing_block("index, follow", "noindex", NOW).source == "X-Robots-Tag"
    assert indexing_block("noindex", "noarchive", NOW).source == "meta robots"
    past = indexing_block("index", "unavailable_after: 2010-06-25", NOW)
    assert (past.directive, past.source) == ("unavailable_after", "X-Robots-Tag")


def test_googlebot_scoped_noindex_counts() -> None:
    assert indexing_block(None, "googlebot: noindex", NOW) == IndexingBlock("noindex",
                                                                            "X-Robots-Tag")
    assert indexing_block(None, "Googlebot : NoIndex", NOW) is not None
    assert indexing_block(None, "googlebot:noindex", NOW) is not None
    # the scope lasts until the next crawler is named
    assert indexing_block(None, "otherbot: nofollow, googlebot: noarchive, noindex",
                          NOW) is not None


@pytest.mark.parametrize("header", [
    "otherbot: noindex",
    "otherbot: noindex, nofollow",
    "bingbot: none",
    "googlebot-news: noindex",  # Google News only: the page stays in web search
    "otherbot: unavailable_after: 2010-06-25",
    "googlebot: nofollow, otherbot: noindex",
])
def test_another_crawlers_directives_do_not_count(header: str) -> None:
    assert indexing_block(None, header, NOW) is None


@pytest.mark.parametrize(("value", "date"), [
    ("unavailable_after: 25 Jun 2010 15:00:00 PST", "25 Jun 2010 15:00:00 PST"),
    ("unavailable_after: Wed, 25 Jun 2010 15:00:00 PST", "Wed, 25 Jun 2010 15:00:00 PST"),
    ("unavailable_after: Friday, 25-Jun-10 15:00:00 PST", "Friday, 25-Jun-10 15:00:00 PST"),
    ("unavailable_after: 2010-06-25", "2010-06-25"),
    ("unavailable_after:2010-06-25T15:00:00+01:00", "2010-06-25T15:00:00+01:00"),
    ('unavailable_after: "Friday, 25-Jun-10 15:00:00 PST"',
     '"Friday, 25-Jun-10 15:00:00 PST"'),
])
def test_past_unavailable_after_blocks(value: str, date: str) -> None:
    block = indexing_block(value, None, NOW)
    assert block == IndexingBlock("unavailable_after", "meta robots", date)
    assert block.describe() == f"meta robots: unavailable_after {date} (a date in the past)"


def test_comma_holding_rfc850_date_inside_a_longer_directive_list() -> None:
    header = "noarchive, unavailable_after: Friday, 25-Jun-10 15:00:00 PST, nosnippet"
    block = indexing_block(None, header, NOW)
    assert block == IndexingBlock("unavailable_after", "X-Robots-Tag",
                                  "Friday, 25-Jun-10 15:00:00 PST")
    # the directive after the date is still read as one
    assert indexing_block(None, "unavailable_after: Friday, 25-Jun-10 15:00:00 PST, noindex",
                          NOW).directive == "unavailable_after"
    later = "index, unavailable_after: Wednesday, 25-Jun-2099 15:00:00 GMT, noindex"
    assert indexing_block(later, None, NOW) == IndexingBlock("noindex", "meta robots")


def test_googlebot_scoped_unavailable_after() -> None:
    block = indexing_block(None, "googlebot: unavailable_after: Friday, 25-Jun-10 15:00:00 PST",
                           NOW)
    assert block is not None and block.date == "Friday, 25-Jun-10 15:00:00 PST"


@pytest.mark.parametrize("value", [
    "unavailable_after: 2099-12-31",
    "unavailable_after: Fri, 31 Dec 2099 23:59:59 GMT",
    "index, follow, unavailable_after: Friday, 25-Jun-49 15:00:00 GMT",  # 2049
    "unavailable_after: 2025-06-01T12:00:01Z",  # one second after "now"
])
def test_a_future_date_is_not_a_block(value: str) -> None:
    assert indexing_block(value, None, NOW) is None


def test_two_digit_years() -> None:
    # read as email.utils reads them (the POSIX rule: 69-99 are 1969-1999, 00-68 2000-2068)
    assert parse_robots_date("Friday, 25-Jun-49 15:00:00 GMT").year == 2049
    assert parse_robots_date("Thursday, 31-Dec-99 23:59:59 GMT").year == 1999


def test_the_date_is_compared_with_now() -> None:
    value = "unavailable_after: 2025-06-01T12:00:00Z"
    assert indexing_block(value, None, NOW) is not None  # at that very moment
    assert indexing_block(value, None, NOW - timedelta(seconds=1)) is None
    # a naive "now" is taken as UTC, not refused
    assert indexing_block(value, None, datetime(2025, 6, 1, 12)) is not None


def test_an_unreadable_date_is_not_a_block() -> None:
    assert indexing_block("unavailable_after: next spring", None, NOW) is None
    assert indexing_block("unavailable_after:", None, NOW) is None
    assert indexing_block("unavailable_after: Mon, 1 Jan 99999999999 00:00:00", None,
                          NOW) is None


def test_the_default_now_is_the_present() -> None:
    assert indexing_block("unavailable_after: 2000-01-01", None) is not None
    assert indexing_block("unavailable_after: 2999-01-01", None) is None


def test_a_semicolon_separates_directives_as_a_comma_does() -> None:
    # "noindex; nofollow" is a common slip; it was read as noindex before and still is
    assert indexing_block("noindex; nofollow", None) is not None
    assert indexing_block("index; follow", None) is None
