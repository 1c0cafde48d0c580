"""Reading the crawl's records while they are written gives the same frames as reading the
finished files, and a new crawl in an old folder never mixes in the old crawl's records."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd

from audit.load import CRAWL_SUBDIR, CrawlReader, load
from audit.site_server import serve
from spiders.items import RECORD_FILES
from tests.conftest import SITES, run_cli
from tests.fabricated_crawl import fabricate_crawl


def _assert_same_frames(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(got[name], value, obj=name)
        else:
            assert got[name] == value, name


def test_reading_while_the_crawl_writes_gives_the_same_frames(tmp_path: Path) -> None:
    finished = fabricate_crawl(tmp_path / "finished", pages=80)
    source = finished / CRAWL_SUBDIR
    # A crawl killed mid-write: the last page record is torn.
    with (source / "pages.jsonl").open("ab") as handle:
        handle.write(b'{"url": "http://torn.example/", "title": "no end')
    growing = tmp_path / "growing"
    shutil.copytree(source, growing / CRAWL_SUBDIR,
                    ignore=shutil.ignore_patterns(*RECORD_FILES))
    contents = {name: (source / name).read_bytes() for name in RECORD_FILES
                if (source / name).exists()}
    assert len(contents["links.jsonl"]) > 50_000, "enough records to cut in many places"

    reader = CrawlReader(growing)
    reader.CHUNK = 997  # reads end mid-line too
    reader.poll()  # before the crawl has created its files
    rng = random.Random(5)
    written = dict.fromkeys(contents, 0)
    while any(written[name] < len(data) for name, data in contents.items()):
        name = rng.choice([n for n in contents if written[n] < len(contents[n])])
        end = min(written[name] + rng.randint(1, 4000), len(contents[name]))
        with (growing / CRAWL_SUBDIR / name).open("ab") as handle:
            handle.write(contents[name][written[name]:end])  # often ends mid-record
        written[name] = end
        if rng.random() < 0.3:
            reader.poll()

    frames = reader.frames()
    _assert_same_frames(frames, load(finished))
    assert len(frames.pages) > 80 and "http://torn.example/" not in set(frames.pages["url"])


def test_a_new_crawl_does_not_read_the_last_crawls_records(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with serve(SITES / "clean") as server:
        url = server.url + "/"
        first = run_cli("crawl", url, "--out", str(out), "--quiet")
        assert first.returncode == 0, first.stderr
        # Records only the last crawl made: a page since removed from the site.
        stale = url + "removed-since/"
        crawl = out / CRAWL_SUBDIR
        with (crawl / "fetches.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"url": stale, "kind": "page", "status": 200,
                                     "content_type": "text/html"}) + "\n")
        with (crawl / "pages.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"url": stale, "title": "Removed", "title_count": 1,
                                     "headings": [], "links": []}) + "\n")
        assert stale in run_cli("report", str(out)).stdout + (out / "pages.csv").read_text()

        second = run_cli("crawl", url, "--out", str(out), "--quiet")
        assert second.returncode == 0, second.stderr
    pages = (out / "pages.csv").read_text("utf-8-sig")
    assert url in pages and stale not in pages
