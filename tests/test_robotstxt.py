"""audit.robotstxt: each rule with cases that must be flagged and look-alikes that must not."""

from __future__ import annotations

import dataclasses

import pytest

from audit.robotstxt import (
    EXTENSION_DIRECTIVES,
    KNOWN_DIRECTIVES,
    RobotsProblem,
    robots_status_problem,
    validate_robots_txt,
)

WORDPRESS = """\
# robots.txt for https://www.sunset-family-dental.example/
# Managed by the practice website team. Questions: web@sunset-family-dental.example

# START YOAST BLOCK
# ---------------------------
User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /wp-login.php
Disallow: /wp-content/plugins/
Allow: /wp-content/plugins/*.css$
Allow: /wp-content/plugins/*.js$
Allow: /wp-content/uploads/
Disallow: /?s=
Disallow: /search/
Disallow: *?replytocom=
Disallow: /*?add-to-cart=*
Disallow: /cart/
Disallow: /checkout/
Disallow: /my-account/
Disallow: /trackback/
Disallow: /feed/$
Disallow: /xmlrpc.php

User-agent: Googlebot-Image   # let image search see the team photos
Allow: /wp-content/uploads/

User-agent: Bingbot
User-agent: Slurp
Crawl-delay: 10
Disallow: /wp-admin/

User-agent: GPTBot
Disallow: /

Sitemap: https://www.sunset-family-dental.example/sitemap_index.xml
Sitemap: https://www.sunset-family-dental.example/locations.kml
# ---------------------------
# END YOAST BLOCK
"""


def reasons(text: str) -> list[str]:
    return [problem.reason for problem in validate_robots_txt(text)]


def lines(text: str) -> list[int]:
    return [problem.line for problem in validate_robots_txt(text)]


# --- valid files ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "",
    "\n\n   \n",
    "# nothing but a comment\n# and another\n",
    "User-agent: *\nDisallow:\n",
    "User-agent: *\nDisallow: /private/ # keep out\n",
    "User-agent: *\nAllow: /*.css$\nAllow: /*.js$\nDisallow: /\n",
    "User-agent: *\nDisallow: *?sort=\n",
    "User-agent: *\nDisallow: /a:b\n",
    "User-agent : *\nDisallow : /x\n",
    "   User-agent: *\n\tDisallow: /x\n",
    "Sitemap: https://x.example/sitemap.xml\n",
    "Sitemap: https://x.example/sitemap.xml # the main one\nUser-agent: *\nDisallow:\n",
    "USER-AGENT: Googlebot\nDISALLOW: /private\nallow: /public\nSiteMap: https://x.example/s.xml",
    "User-agent: *\r\nDisallow: /private/\r\n\r\nSitemap: https://x.example/sitemap.xml\r\n",
    "User-agent: *\rDisallow: /private/\r",
    "\ufeffUser-agent: *\nDisallow: /\n",
    "User-agent: Googlebot\nUser-agent: Bingbot\nDisallow: /tmp/\n",
], ids=lambda text: repr(text[:40]))
def test_valid_files_give_no_problems(text: str) -> None:
    assert validate_robots_txt(text) == []


def test_realistic_wordpress_robots_txt_gives_no_problems() -> None:
    assert validate_robots_txt(WORDPRESS) == []
    assert validate_robots_txt(WORDPRESS.replace("\n", "\r\n")) == []


def test_cloudflare_managed_robots_txt_gives_no_problems() -> None:
    text = (
        "# As a condition of accessing this website, you agree to abide by the following\n"
        "# content signals:\n"
        "User-Agent: *\n"
        "Content-Signal: search=yes,ai-train=no\n"
        "Allow: /\n"
        "\n"
        "User-agent: ClaudeBot\n"
        "Disallow: /\n"
    )
    assert validate_robots_txt(text) == []


# --- not a "field: value" line -------------------------------------------------------------


@pytest.mark.parametrize("text", ["hello world", "<html>", "Disallow /private", "User-agent *"])
def test_line_without_colon_is_flagged(text: str) -> None:
    problems = validate_robots_txt("User-agent: *\n" + text + "\n")
    assert [p.line for p in problems] == [2]
    assert problems[0].reason.startswith("not a 'field: value' line")
    assert problems[0].text == text


def test_missing_colon_after_a_directive_says_so() -> None:
    [problem] = validate_robots_txt("User-agent: *\nDisallow /private\n")
    assert problem.reason == 'not a \'field: value\' line (missing ":" after "Disallow"?)'


def test_commented_out_line_without_colon_is_not_flagged() -> None:
    assert validate_robots_txt("User-agent: *\n# Disallow /private\n#no colon here\n") == []


def test_empty_field_name_is_flagged() -> None:
    [problem] = validate_robots_txt("User-agent: *\n: /private\n")
    assert problem.line == 2
    assert "nothing before" in problem.reason


# --- unknown directives --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shown", "meant"), [
    ("user agent: *", "user agent", "user-agent"),
    ("useragent: *", "useragent", "user-agent"),
    ("User_Agent: *", "user_agent", "user-agent"),
    ("User-agents: *", "user-agents", "user-agent"),
    ("Disalow: /private", "disalow", "disallow"),
    ("dissallow: /private", "dissallow", "disallow"),
    ("Dis-allow: /private", "dis-allow", "disallow"),
    ("Alow: /public", "alow", "allow"),
    ("Sitemaps: https://x.example/sitemap.xml", "sitemaps", "sitemap"),
    ("Site map: https://x.example/sitemap.xml", "site map", "sitemap"),
    ("Crawl delay: 10", "crawl delay", "crawl-delay"),
    ("crawldelay: 10", "crawldelay", "crawl-delay"),
])
def test_misspelt_directive_is_flagged_with_a_suggestion(text: str, shown: str,
                                                         meant: str) -> None:
    problems = validate_robots_txt(f"User-agent: *\n{text}\n")
    assert problems == [RobotsProblem(
        2, text, f'unknown directive "{shown}" (did you mean "{meant}"?)')]


@pytest.mark.parametrize("text", ["foo: bar", "nofollow: /", "Googlebot: /", "Cache: 3600"])
def test_unrelated_unknown_directive_is_flagged_without_suggestion(text: str) -> None:
    [problem] = validate_robots_txt(f"User-agent: *\n{text}\n")
    assert problem.line == 2
    assert problem.reason.startswith("unknown directive")
    assert "did you mean" not in problem.reason


def test_bare_url_line_is_an_unknown_directive_with_a_hint() -> None:
    [problem] = validate_robots_txt("https://x.example/sitemap.xml\n")
    assert problem.reason.startswith('unknown directive "https"')
    assert "Sitemap: <url>" in problem.reason


def test_unknown_directive_in_a_comment_is_not_flagged() -> None:
    assert validate_robots_txt("User-agent: *\n# Disalow: /private\nDisallow: /x # useragent: *\n"
                               ) == []


def test_known_directive_lists() -> None:
    assert set(KNOWN_DIRECTIVES) == {"user-agent", "allow", "disallow", "sitemap"}
    assert set(EXTENSION_DIRECTIVES) == {
        "crawl-delay", "host", "clean-param", "request-rate", "visit-time", "noindex",
        "content-signal"}


@pytest.mark.parametrize("text", [
    "Crawl-delay: 10",
    "CRAWL-DELAY: 0.5",
    "Host: www.x.example",
    "Clean-param: ref /articles/",
    "Request-rate: 1/5",
    "Visit-time: 0600-0845",
    "Noindex: /drafts/",
    "Content-Signal: search=yes, ai-train=no",
])
def test_common_extensions_are_not_problems(text: str) -> None:
    assert validate_robots_txt(f"User-agent: *\nDisallow: /tmp/\n{text}\n") == []


# --- rules before any user-agent line ------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Disallow: /private/", "Allow: /", "Disallow:", "Crawl-delay: 10", "Noindex: /x",
    "Content-Signal: search=yes",
])
def test_rule_before_any_user_agent_is_flagged(text: str) -> None:
    problems = validate_robots_txt(f"# header\n\n{text}\nUser-agent: *\nDisallow: /tmp/\n")
    assert problems == [RobotsProblem(3, text, "rule before any user-agent line")]


def test_sitemap_and_comments_before_user_agent_are_not_flagged() -> None:
    text = "# hello\nSitemap: https://x.example/sitemap.xml\n\nUser-agent: *\nDisallow: /a\n"
    assert validate_robots_txt(text) == []


def test_rule_after_an_empty_user_agent_is_not_reported_twice() -> None:
    assert lines("User-agent:\nDisallow: /a\n") == [1]


def test_misspelt_user_agent_does_not_cascade_to_the_rules_under_it() -> None:
    problems = validate_robots_txt("user agent: *\nDisallow: /a\nAllow: /b\n")
    assert [p.line for p in problems] == [1]
    assert "did you mean \"user-agent\"" in problems[0].reason


def test_unknown_directive_before_user_agent_is_only_reported_as_unknown() -> None:
    assert reasons("Disalow: /a\nUser-agent: *\n") == [
        'unknown directive "disalow" (did you mean "disallow"?)']


def test_one_line_can_give_two_problems() -> None:
    problems = validate_robots_txt("Allow: private\nUser-agent: *\n")
    assert [p.line for p in problems] == [1, 1]
    assert problems[0].reason == "rule before any user-agent line"
    assert problems[1].reason == 'allow path must start with "/" or "*" (got "private")'


# --- sitemap values ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "",
    "/sitemap.xml",
    "sitemap.xml",
    "www.x.example/sitemap.xml",
    "//x.example/sitemap.xml",
    "ftp://x.example/sitemap.xml",
    "file:///var/www/sitemap.xml",
    "https://",
    "http:/x.example/sitemap.xml",
    "https://x.example/site map.xml",
])
def test_bad_sitemap_is_flagged(value: str) -> None:
    problems = validate_robots_txt(f"User-agent: *\nDisallow:\n\nSitemap: {value}\n")
    assert [p.line for p in problems] == [4]
    assert problems[0].reason.startswith("sitemap")


def test_sitemap_reasons() -> None:
    assert reasons("Sitemap:") == ["sitemap line has no URL"]
    assert reasons("Sitemap: /sitemap.xml") == [
        'sitemap must be a full URL starting with http:// or https:// (got "/sitemap.xml")']


def test_sitemap_that_is_only_a_comment_is_empty() -> None:
    assert reasons("Sitemap: # to do") == ["sitemap line has no URL"]


@pytest.mark.parametrize("value", [
    "https://x.example/sitemap.xml",
    "http://x.example/sitemap_index.xml",
    "HTTPS://X.EXAMPLE/SITEMAP.XML",
    "https://x.example/sitemap.xml?lang=en",
    "https://x.example:8443/sitemaps/pages.xml.gz",
    "https://cdn.other.example/x.example/sitemap.xml",
])
def test_good_sitemap_is_not_flagged(value: str) -> None:
    assert validate_robots_txt(f"Sitemap: {value}\n") == []


# --- allow / disallow paths ----------------------------------------------------------------


@pytest.mark.parametrize(("directive", "value"), [
    ("Disallow", "private/"),
    ("Disallow", "wp-admin"),
    ("Disallow", "https://x.example/private/"),
    ("Disallow", "?sort="),
    ("Disallow", ".pdf$"),
    ("Allow", "public"),
    ("allow", "$"),
])
def test_path_not_starting_with_slash_or_star_is_flagged(directive: str, value: str) -> None:
    text = f"{directive}: {value}"
    problems = validate_robots_txt(f"User-agent: *\n{text}\n")
    assert problems == [RobotsProblem(
        2, text, f'{directive.lower()} path must start with "/" or "*" (got "{value}")')]


@pytest.mark.parametrize("value", [
    "", "/", "*", "/*.css$", "*?sort=", "/wp-admin/", "/$", "/*?replytocom=", "*/feed/",
    "/private/ # staff only",
])
def test_path_starting_with_slash_or_star_or_empty_is_not_flagged(value: str) -> None:
    assert validate_robots_txt(f"User-agent: *\nDisallow: {value}\nAllow: {value}\n") == []


def test_path_rule_does_not_apply_to_other_directives() -> None:
    assert validate_robots_txt("User-agent: *\nCrawl-delay: 5\nHost: x.example\n") == []


# --- empty user-agent ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["User-agent:", "User-agent:   ", "user-agent: # nobody"])
def test_empty_user_agent_is_flagged(text: str) -> None:
    problems = validate_robots_txt(f"# top\n{text}\nDisallow: /\n")
    assert problems == [RobotsProblem(
        2, text.strip(), 'user-agent line has no value (use "*" for all crawlers)')]


@pytest.mark.parametrize("value", ["*", "Googlebot", "Googlebot-Image/1.0", "AdsBot-Google"])
def test_named_user_agent_is_not_flagged(value: str) -> None:
    assert validate_robots_txt(f"User-agent: {value}\nDisallow: /x\n") == []


# --- line numbers, text, line endings, BOM -------------------------------------------------


BROKEN = """\
# robots.txt
User-agent: *
Disallow: /private/

Disalow: /tmp/
Disallow: tmp/
# Sitemap below
Sitemap: /sitemap.xml
User-agent:
hello
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_are_right_for_every_line_ending(newline: str) -> None:
    text = BROKEN.replace("\n", newline)
    assert lines(text) == [5, 6, 8, 9, 10]


def test_mixed_line_endings_count_each_line_once() -> None:
    assert lines("User-agent: *\r\nDisallow: /a\nDisalow: /b\rfoo\r\n") == [3, 4]


def test_crlf_text_has_no_carriage_return() -> None:
    [problem] = validate_robots_txt("User-agent: *\r\nDisalow: /b\r\n")
    assert problem.text == "Disalow: /b"


def test_bom_is_ignored_and_not_shown() -> None:
    assert validate_robots_txt("\ufeffSitemap: https://x.example/s.xml\n") == []
    [problem] = validate_robots_txt("\ufeffUseragent: *\n")
    assert problem.line == 1
    assert problem.text == "Useragent: *"


def test_text_is_the_stripped_line_as_written_with_its_comment() -> None:
    [problem] = validate_robots_txt("User-agent: *\n   DisAlow: /X   # old rule   \n")
    assert problem.text == "DisAlow: /X   # old rule"
    assert problem.reason == 'unknown directive "disalow" (did you mean "disallow"?)'


def test_text_is_cut_to_200_characters() -> None:
    long_line = "Disallow: " + "x" * 500
    [problem] = validate_robots_txt(f"User-agent: *\n{long_line}\n")
    assert problem.text == long_line[:200]
    assert len(problem.reason) < 150


def test_problem_is_frozen() -> None:
    problem = RobotsProblem(1, "x", "y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.line = 2  # type: ignore[misc]


# --- HTTP status ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
def test_server_error_status_is_a_problem(status: int) -> None:
    sentence = robots_status_problem(status)
    assert sentence is not None
    assert str(status) in sentence
    assert "server error" in sentence
    assert "do not crawl the site" in sentence
    assert "30 days" in sentence


@pytest.mark.parametrize("status", [None, 200, 204, 301, 304, 400, 403, 404, 410, 600])
def test_other_statuses_are_not_a_problem(status: int | None) -> None:
    assert robots_status_problem(status) is None
