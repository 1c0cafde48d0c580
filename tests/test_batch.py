"""``seo-audit batch``: two served practice sites audited twice, compared, and listed in
portfolio.csv and index.html; a site that cannot be reached; SITES.toml mistakes; a deleted
audit folder.

The sites are copies of fixture sites served on 127.0.0.1 for the whole module, so a page can
change between two batch runs while each site keeps its address (the history knows a site by
its host and port).
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from audit import history as db
from audit.cli import main
from audit.site_server import serve
from tests.conftest import PROFILES, SITES, run_cli
from tests.test_report_browser import ARTIFACTS, open_report

PRACTICE_NAME = "Blair Wellness Group"
CLEAN_NAME = "Clean & <Co> Therapy"  # a name that must be escaped, and slugged
SLUGS = {PRACTICE_NAME: "blair-wellness-group", CLEAN_NAME: "clean-co-therapy"}
PORTFOLIO_COLUMNS = ["site", "audited_at", "pages", "errors", "warnings", "notices", "score",
                     "new", "fixed"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sites_toml(practice_url: str, clean_url: str) -> str:
    """One site with a profile file (relative to SITES.toml), one with its profile inline."""
    return f"""
[[site]]
name = "{PRACTICE_NAME}"
url = "{practice_url}"
profile = "profiles/blair.toml"
max_pages = 8
external = false

[[site]]
name = "Clean & <Co> Therapy"
url = "{clean_url}"
max_pages = 8
max_depth = 3
external = false
[site.practice]
name = "Blair Wellness Group"
phone = "310-999-4996"
license = "PSY 22022"
[site.location]
city = "Los Angeles"
areas = ["Beverly Hills", "Santa Monica"]
"""


@dataclass
class Served:
    root: Path  # the copies of the sites, SITES.toml and the profile file
    practice: str  # start URLs
    clean: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("batch")
    for site in ("practice", "clean"):
        shutil.copytree(SITES / site, root / site)
    (root / "profiles").mkdir()
    shutil.copy(PROFILES / "blair.toml", root / "profiles" / "blair.toml")
    with serve(root / "practice") as practice, serve(root / "clean") as clean:
        served = Served(root, practice.url + "/", clean.url + "/")
        (root / "sites.toml").write_text(_sites_toml(served.practice, served.clean), "utf-8")
        yield served


@dataclass
class Runs:
    out: Path
    first: object  # subprocess.CompletedProcess of each batch run
    second: object

    def folders(self, name: str) -> list[Path]:
        """The site's audit folders, oldest first (the timestamps sort)."""
        return sorted(p for p in (self.out / SLUGS[name]).iterdir() if p.is_dir())


def _batch(sites: Path, out: Path, *extra: str) -> object:
    return run_cli("batch", str(sites), "--out", str(out), *extra, timeout=180)


@pytest.fixture(scope="module")
def runs(served: Served) -> Runs:
    """The batch run twice; between the runs the clean site's about page lost its title."""
    out = served.root / "audits"
    first = _batch(served.root / "sites.toml", out, "--jobs", "2")
    about = served.root / "clean" / "about" / "index.html"
    html = about.read_text("utf-8")
    start, end = html.index("<title>"), html.index("</title>") + len("</title>")
    about.write_text(html[:start] + "<title></title>" + html[end:], "utf-8")
    second = _batch(served.root / "sites.toml", out, "--jobs", "2")
    return Runs(out, first, second)


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_each_site_audited_twice_and_compared(runs: Runs) -> None:
    for result in (runs.first, runs.second):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert f"{PRACTICE_NAME}: audited, score" in runs.first.stderr
    assert f"{CLEAN_NAME}: audited, score" in runs.first.stderr
    assert "first audit" in runs.first.stderr
    assert f"{CLEAN_NAME}: audited" in runs.second.stderr and "1 new" in runs.second.stderr
    rows = db.audits(runs.out / "history.sqlite")
    for name in (PRACTICE_NAME, CLEAN_NAME):
        first, second = runs.folders(name)
        assert first.name.endswith("Z") and len(first.name) == len("20261206T134501Z")
        assert (first / "report.html").is_file() and (second / "report.html").is_file()
        # the first audit: no comparison, and its report says it is the first
        assert not (first / "changes.csv").exists()
        assert 'id="since-first"' in (first / "report.html").read_text("utf-8")
        # the second: compared with the first, which its report names by date
        assert (second / "changes.csv").is_file()
        report = (second / "report.html").read_text("utf-8")
        assert 'id="since-first"' not in report
        recorded = [row for row in rows if row.name == name]
        assert [Path(row.folder) for row in recorded] == [first.resolve(), second.resolve()]
        date = datetime.fromisoformat(recorded[0].audited_at).strftime("%-d %B %Y")
        assert f'id="since-date">{date}</strong>' in report
        assert recorded[0].previous_id is None and recorded[1].previous_id == recorded[0].id
    # the inline profile was written as a profile file and used by the crawl
    inline = runs.out / SLUGS[CLEAN_NAME] / "profile.toml"
    assert "[practice]" in inline.read_text("utf-8")
    copied = runs.folders(CLEAN_NAME)[0] / "crawl" / "profile.toml"
    assert copied.read_text("utf-8") == inline.read_text("utf-8")


def test_portfolio_csv_has_every_audit(runs: Runs) -> None:
    portfolio = _csv(runs.out / "portfolio.csv")
    assert list(portfolio.columns) == PORTFOLIO_COLUMNS
    assert len(portfolio) == 4
    assert portfolio["site"].tolist() == [PRACTICE_NAME, PRACTICE_NAME, CLEAN_NAME, CLEAN_NAME]
    for name in (PRACTICE_NAME, CLEAN_NAME):
        rows = portfolio[portfolio["site"] == name]
        first, second = rows.iloc[0], rows.iloc[1]
        assert first["new"] == "" and first["fixed"] == ""
        changes = _csv(runs.folders(name)[1] / "changes.csv")
        assert second["new"] == str((changes["change"] == "new").sum())
        assert second["fixed"] == str((changes["change"] == "fixed").sum())
        assert first["audited_at"] < second["audited_at"]
        for folder, row in zip(runs.folders(name), (first, second), strict=True):
            issues = _csv(folder / "issues.csv")
            for column, severity in (("errors", "error"), ("warnings", "warning"),
                                     ("notices", "notice")):
                assert row[column] == str((issues["severity"] == severity).sum())
            assert row["score"].isdigit() and 0 <= int(row["score"]) <= 100
            assert int(row["pages"]) > 0
    clean = portfolio[portfolio["site"] == CLEAN_NAME].iloc[1]
    assert clean["new"] == "1"  # the title the about page lost


def test_index_html_lists_every_client(runs: Runs) -> None:
    html = (runs.out / "index.html").read_text("utf-8")
    assert "Clean &amp; &lt;Co&gt; Therapy" in html and "<Co>" not in html
    assert PRACTICE_NAME in html
    assert "<script" not in html and "default-src &#39;none&#39;" in html
    for name in (PRACTICE_NAME, CLEAN_NAME):
        latest = runs.folders(name)[-1].relative_to(runs.out).as_posix() + "/report.html"
        assert f'<a href="{latest}">Open the latest report</a>' in html
    assert html.count('<svg class="chart"') == 2
    assert html.count('<circle class="dot"') == 4
    assert html.count('<polyline class="line"') == 2


def test_index_html_reads_without_javascript(browser: object, runs: Runs) -> None:
    tab = open_report(browser, runs.out / "index.html", javascript=False)
    page = tab.page
    portfolio = _csv(runs.out / "portfolio.csv")
    clients = page.locator("article.client")
    assert clients.count() == 2
    for index, name in enumerate((PRACTICE_NAME, CLEAN_NAME)):
        card = clients.nth(index)
        assert card.locator("h2.name").inner_text() == name
        assert card.locator("h2.name").is_visible()
        score = card.locator(".score .number")
        assert score.is_visible()
        assert score.inner_text() == portfolio[portfolio["site"] == name]["score"].iloc[-1]
        assert card.locator("svg.chart").is_visible()
        link = card.locator(".latest-report a")
        assert link.is_visible()
        assert link.evaluate("a => a.href").endswith("/report.html")
    assert not tab.errors, tab.errors  # a CSP refusing our own stylesheet would show here
    assert not tab.requests
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "batch-index.png"), full_page=True)


def test_unreachable_and_blocked_sites_fail_alone(served: Served) -> None:
    """A site nobody answers at and one whose bot protection refuses the crawl: each fails
    with its reason, exit status 1, and the third site is audited all the same."""
    gone = f"http://127.0.0.1:{_closed_port()}/"
    sites = served.root / "unreachable.toml"
    with serve(SITES / "fortress") as fortress:
        sites.write_text(f"""
[[site]]
name = "Gone Practice"
url = "{gone}"
[[site]]
name = "{PRACTICE_NAME}"
url = "{served.practice}"
max_pages = 4
external = false
[[site]]
name = "Fortress"
url = "{fortress.url}/"
concurrency = 2
external = false
""", "utf-8")
        out = served.root / "unreachable"
        result = _batch(sites, out, "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Gone Practice: failed: cannot reach {gone}: connection refused" in result.stderr
    assert f"{PRACTICE_NAME}: audited, score" in result.stderr
    assert "Fortress: failed: blocked: the site's bot protection" in result.stderr
    assert list((out / "gone-practice").iterdir()) == []  # nothing left of the failed crawl
    assert len(list((out / SLUGS[PRACTICE_NAME]).glob("*/report.html"))) == 1
    assert len(list((out / "fortress").glob("*/report.html"))) == 1  # what it could read
    portfolio = _csv(out / "portfolio.csv")
    assert portfolio["site"].tolist() == [PRACTICE_NAME, "Fortress"]
    html = (out / "index.html").read_text("utf-8")
    assert 'id="failed"' in html and "Gone Practice" in html
    assert "cannot reach" in html and "connection refused" in html
    assert html.count("In this run: blocked") == 1  # on the Fortress card


@pytest.mark.parametrize("entry, words", [
    ('url = "http://127.0.0.1:1/"', ["site #2", "name is missing"]),
    ('name = "Doe"', ["site 'Doe'", "url is missing"]),
    ('name = "Doe"\nurl = "doe.example"', ["site 'Doe'", "url is invalid", "full address"]),
    ('name = "Doe"\nurl = "ftp://doe.example/"', ["site 'Doe'", "url", "scheme"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nmax_page = 5', ["site 'Doe'", "'max_page'"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nmax_pages = -1', ["site 'Doe'", "max_pages"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nmax_depth = "3"', ["site 'Doe'", "max_depth"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nconcurrency = 2.5',
     ["site 'Doe'", "concurrency"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nexternal = "no"',
     ["site 'Doe'", "external must be true or false"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nprofile = "nope.toml"',
     ["site 'Doe'", "profile", "not found"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nprofile = "bad.toml"',
     ["site 'Doe'", "profile", "phone"]),
    ('name = "Doe"\nurl = "http://doe.example/"\n[site.practice]\nphone = "call us"',
     ["site 'Doe'", "[practice] phone"]),
    ('name = "Doe"\nurl = "http://doe.example/"\n[site.location]\ncolour = "blue"',
     ["site 'Doe'", "colour"]),
    ('name = "Doe"\nurl = "http://doe.example/"\nprofile = "bad.toml"\n[site.practice]\n'
     'name = "Doe"', ["site 'Doe'", "profile", "not both"]),
    ('name = "blair wellness GROUP!"\nurl = "http://doe.example/"',
     ["site 'blair wellness GROUP!'", "name", "same folder"]),
    ('name = "???"\nurl = "http://doe.example/"', ["site '???'", "name"]),
    ('name = "Doe"\nurl = "http://127.0.0.1:1/contact/"', ["site 'Doe'", "url", "same site"]),
])
def test_bad_sites_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str,
                        words: list[str]) -> None:
    """Each mistake: one line naming the site and the key, exit 2, and nothing crawled (the
    first, valid site would have been, at a port where nothing answers)."""
    (tmp_path / "bad.toml").write_text('[practice]\nphone = "call us"\n', "utf-8")
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[site]]\nname = "{PRACTICE_NAME}"\nurl = "http://127.0.0.1:1/"\n\n'
                     f"[[site]]\n{entry}\n", "utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(sites), "--out", str(out)]) == 2
    stderr = capsys.readouterr().err
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith(f"seo-audit: {sites}: ")
    for word in words:
        assert word in stderr
    assert not out.exists()


@pytest.mark.parametrize("text, words", [
    ("[[site]\nname = 1", "not valid TOML"),
    ("title = 'clients'\n", "unknown key 'title'"),
    ("", "no sites"),
])
def test_bad_sites_file_as_a_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   text: str, words: str) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(text, "utf-8")
    assert main(["batch", str(sites), "--out", str(tmp_path / "out")]) == 2
    stderr = capsys.readouterr().err
    assert len(stderr.strip().splitlines()) == 1 and words in stderr


def test_bad_sites_file_from_the_command_line(tmp_path: Path) -> None:
    """The installed command's way: a missing file, a bad --jobs; no traceback."""
    result = run_cli("batch", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"seo-audit: {tmp_path / 'missing.toml'}: sites file not found"
    result = run_cli("batch", str(tmp_path / "missing.toml"), "--out", "x", "--jobs", "-1")
    assert result.returncode == 2 and "must not be negative" in result.stderr


def test_deleted_audit_folder(runs: Runs) -> None:
    """Runs last (it changes the module's audits): the clean site's latest audit folder is
    deleted; the next batch compares with it from the history, and index.html says it is
    gone."""
    history = runs.out / "history.sqlite"
    before = {row.folder: row for row in db.audits(history)}
    deleted = runs.folders(CLEAN_NAME)[-1]
    shutil.rmtree(deleted)
    sites = runs.out.parent / "sites.toml"
    result = _batch(sites, runs.out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    third = runs.folders(CLEAN_NAME)[-1]
    assert (third / "changes.csv").is_file()
    rows = [row for row in db.audits(history) if row.name == CLEAN_NAME]
    assert len(rows) == 3
    assert rows[-1].previous_id == before[str(deleted.resolve())].id
    assert rows[-1].new == 0 and rows[-1].fixed == 0  # the site did not change since
    html = (runs.out / "index.html").read_text("utf-8")
    assert "(folder deleted)" in html
    assert html.count("Open the latest report") == 2
    assert len(_csv(runs.out / "portfolio.csv")) == 6
    with sqlite3.connect(history) as connection:  # the deleted audit's facts are all kept
        kept = connection.execute("SELECT count(*) FROM findings WHERE audit_id = ?",
                                  (rows[1].id,)).fetchone()[0]
    assert kept == rows[1].errors + rows[1].warnings + rows[1].notices


def test_inline_profile_written_as_toml() -> None:
    """An inline profile becomes a file tomllib reads back as it was, whatever its strings."""
    import tomllib

    from audit.batch import profile_toml

    data = {"practice": {"name": 'Dr. "Q" \\ Co\x7f\tÉtoile', "self_pay_patients": False},
            "location": {"city": "Portland, ME", "areas": ["Back Cove", "Deering"],
                         "radius_miles": 12.5},
            "thresholds": {"title_max_length": 70}}
    assert tomllib.loads(profile_toml(data)) == data


def test_audit_folders_never_collide(tmp_path: Path) -> None:
    """Two audits in the same second get two folders, sorted in the order they were made."""
    from datetime import UTC

    from audit.batch import audit_folder, slugify

    now = datetime(2026, 12, 6, 13, 45, 1, tzinfo=UTC)
    made = [audit_folder(tmp_path, now) for _ in range(3)]
    later = audit_folder(tmp_path, datetime(2026, 12, 6, 13, 45, 2, tzinfo=UTC))
    assert [p.name for p in made] == ["20261206T134501Z", "20261206T134501Z-2",
                                      "20261206T134501Z-3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in [*made, later]]
    assert slugify("Clínica São Paulo, LLC") == "clinica-sao-paulo-llc"


def test_index_of_a_moved_batch_folder(tmp_path: Path) -> None:
    """The history records where each audit was written; a batch folder moved as a whole
    still links its reports (by slug and timestamp), and a folder gone from both is marked."""
    from reports.portfolio import render_index

    moved = tmp_path / "moved"
    (moved / "doe" / "20261101T060000Z").mkdir(parents=True)
    (moved / "doe" / "20261101T060000Z" / "report.html").write_text("<p>report</p>", "utf-8")

    def row(number: int, stamp: str, score: int | None) -> db.AuditRow:
        return db.AuditRow(id=number, site="doe.example", start_url="https://doe.example/",
                           name="Doe <Therapy>", audited_at=f"2026-{stamp[4:6]}-01T06:00:00+00:00",
                           folder=str(tmp_path / "was" / "doe" / stamp), pages=3, errors=1,
                           warnings=0, notices=2, score=score,
                           previous_id=number - 1 if number > 1 else None,
                           new=None if number == 1 else 0, fixed=None if number == 1 else 1)

    html = render_index(moved, [row(1, "20261001T060000Z", None),
                                row(2, "20261101T060000Z", 80)], [], {})
    assert '<a href="doe/20261101T060000Z/report.html">Open the latest report</a>' in html
    assert "(folder deleted)" in html  # October's: in neither place
    assert "Doe &lt;Therapy&gt;" in html
    assert html.count('<circle class="dot"') == 1  # an audit without a score has no point
