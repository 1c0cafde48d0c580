"""The report step's faster ways give what the plain pandas ways gave.

The loader reads a link's texts as codes (links recorded twice, inlinks and click depths are
worked out on them) and shares the headings and images that repeat from page to page; the
checks turn findings into dicts a column at a time; the HTML report counts pages per place
on codes. These tests hold each to the straightforward version it replaced.
"""

from __future__ import annotations

import json
import math
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.load import CRAWL_SUBDIR, LINK_TEXT_COLUMNS, load
from audit.registry import records
from reports.html import _pages_per_term
from tests.fabricated_crawl import fabricate_crawl


def _same_cells(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want)
    for mine, theirs in zip(got, want, strict=True):
        assert list(mine) == list(theirs)
        for name, value in theirs.items():
            assert type(mine[name]) is type(value), name
            if value is pd.NaT or isinstance(value, float) and math.isnan(value):
                assert mine[name] is pd.NaT or math.isnan(mine[name])
            else:
                assert mine[name] == value, name


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"a": ["x", None, "y"], "b": pd.array([1, None, 3], dtype="Int64"),
                  "c": [1.5, np.nan, 2.0], "d": [True, False, True], "e": [[1], [], None],
                  "f": pd.Series([1, "x", None], dtype=object),
                  "g": pd.array([True, None, False], dtype="boolean")}),
    pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="int64")}),
    pd.DataFrame(index=[0, 1]),
    pd.DataFrame({"n": pd.Series([np.int64(1), np.float64(2.5)], dtype=object)}),
    pd.DataFrame({"t": pd.to_datetime(["2026-01-01", None])}),
])
def test_records_are_what_to_dict_gives(frame: pd.DataFrame) -> None:
    _same_cells(records(frame), frame.to_dict("records"))


def _links_the_plain_way(crawl: Path) -> pd.DataFrame:
    """The links as the loader read them before: every record, then links recorded twice
    dropped."""
    rows = [json.loads(line) for line in (crawl / "links.jsonl").read_text().splitlines()]
    frame = pd.DataFrame(rows)
    return frame.drop_duplicates(["source_url", "target_url", "element"]).reset_index(drop=True)


def test_links_read_as_codes_are_the_records(tmp_path: Path) -> None:
    out = fabricate_crawl(tmp_path / "out", pages=60)
    crawl = out / CRAWL_SUBDIR
    lines = (crawl / "links.jsonl").read_text().splitlines()
    odd = json.loads(lines[3])
    with (crawl / "links.jsonl").open("a") as handle:
        for line in lines[:25]:  # a resumed crawl recorded these pages' links again
            handle.write(line + "\n")
        # values other than text: each keeps its type (1 and True are not one value)
        for number, value in enumerate([7, True, 1, 2.5, None, ["x"]]):
            handle.write(json.dumps(dict(odd, target_url=f"{odd['target_url']}x{number}",
                                         anchor_text=value, alt=value)) + "\n")
    links = load(out).links
    want = _links_the_plain_way(crawl)
    for name in LINK_TEXT_COLUMNS:
        got = links[name]
        if isinstance(got.dtype, pd.CategoricalDtype):  # text: a categorical of its texts
            got = got.astype(want[name].dtype)
        pd.testing.assert_series_equal(got, want[name], obj=name)
    assert links["anchor_text"].tolist()[-6:] == [7, True, 1, 2.5, None, ["x"]]


def _depths_the_plain_way(frames: Any) -> dict[str, int]:
    """Click depths as the loader found them before: a walk over a dict of lists."""
    links = frames.links
    followed = links[(links["element"] == "a") & (links["kind"] == "internal")]
    graph: dict[str, list[str]] = {}
    for source, final, target in zip(followed["source_url"], followed["final_url"],
                                     followed["target_url"], strict=True):
        graph.setdefault(source, []).append(final or target)
    start_url = frames.start_url
    resolved = frames.resolved
    start = resolved[start_url].final_url if start_url in resolved else start_url
    depths = {start_url: 0, start: 0}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        for target in graph.get(url, ()):
            if target not in depths:
                depths[target] = depths[url] + 1
                queue.append(target)
    return depths


def test_click_depths_are_a_breadth_first_walk(tmp_path: Path) -> None:
    frames = load(fabricate_crawl(tmp_path / "out", pages=300))
    want = frames.pages["url"].map(_depths_the_plain_way(frames)).astype("Int64")
    pd.testing.assert_series_equal(frames.pages["link_depth"], want, check_names=False)
    assert frames.pages["link_depth"].max() > 2, "a walk of several levels"


def _pages_and_records(tmp_path: Path) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The pages frame (by URL) of a fabricated crawl, and its pages.jsonl records."""
    out = fabricate_crawl(tmp_path / "out", pages=40)
    frames = load(out)
    rows = [json.loads(line) for line in
            (out / CRAWL_SUBDIR / "pages.jsonl").read_text().splitlines()]
    return frames.pages.set_index("url"), rows


def test_repeated_headings_and_images_are_shared_and_unchanged(tmp_path: Path) -> None:
    pages, rows = _pages_and_records(tmp_path)
    for row in rows:
        assert pages.loc[row["url"], "headings"] == row["headings"]
        assert pages.loc[row["url"], "images"] == row["images"]
    headings = [heading for page in pages["headings"].dropna() for heading in page]
    same = [heading for heading in headings if heading == [2, "What helps"]]
    assert len(same) > 1 and all(heading is same[0] for heading in same)


def test_equal_schema_summaries_and_compliance_facts_are_shared_and_unchanged(
        tmp_path: Path) -> None:
    pages, rows = _pages_and_records(tmp_path)
    for row in rows:
        for name in ("schema", "compliance"):
            assert pages.loc[row["url"], name] == row.get(name)
    for name in ("schema", "compliance"):
        values = [v for v in pages[name] if isinstance(v, dict)]
        distinct = {json.dumps(v, sort_keys=True) for v in values}
        assert len({id(v) for v in values}) == len(distinct) < len(values), name


TERMS = st.one_of(st.none(), st.sampled_from(["Los Angeles", "Encino", "Venice"]))
URLS = st.one_of(st.none(), st.sampled_from(["/a", "/b", "/c"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TERMS, URLS), max_size=20))
def test_pages_per_term_is_groupby_nunique(rows: list[tuple[Any, Any]]) -> None:
    places = pd.DataFrame(rows, columns=["term", "url"]).astype({"term": "str", "url": "str"})
    want = places.groupby("term")["url"].nunique()
    got = _pages_per_term(places)
    assert got.index.tolist() == want.index.tolist()
    assert got.tolist() == want.tolist()
    assert (got.sort_values(ascending=False).index.tolist()
            == want.sort_values(ascending=False).index.tolist())


def test_links_holding_other_values_than_text_are_audited(tmp_path: Path) -> None:
    """Records whose anchor texts are numbers, lists or missing (hand-edited files): the link
    text is not a categorical of texts then, and every check still reads it."""
    from audit.cli import build_reports

    out = fabricate_crawl(tmp_path / "out", pages=30)
    crawl = out / CRAWL_SUBDIR
    odd = json.loads((crawl / "links.jsonl").read_text().splitlines()[3])
    with (crawl / "links.jsonl").open("a") as handle:
        for number, value in enumerate([7, True, None, ["x"], "Notice of Privacy Practices"]):
            handle.write(json.dumps(dict(odd, target_url=f"{odd['target_url']}x{number}",
                                         anchor_text=value, rel=value, alt=value)) + "\n")
    assert load(out).links["anchor_text"].dtype == object
    build_reports(out)
    issues = (out / "issues.csv").read_text("utf-8")
    assert "could not run" not in issues  # a check that fails is an error row, not a crash
