"""Month over month: a served site audited, changed, and audited again with ``--since``.

The site is a copy of the clean fixture site with defects planted for the first audit. Between
the two audits (the same server, so the same address) some are fixed, others added, a footer
phone goes wrong, a page is removed and another added; a broken link's target goes from 500 to
404. Every expected row of changes.csv and page_changes.csv is asserted, and every defect
present both times must be ``unchanged``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from audit.changes import Snapshot, compare, page_key, site_of
from audit.site_server import SiteServer, serve
from tests.conftest import PROFILES, SITES, run_cli

BLOG = "blog/crisis-resources/index.html"


def _edit(root: Path, page: str, old: str, new: str) -> None:
    path = root / page
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {page}"
    path.write_text(text.replace(old, new), "utf-8")


def _first_state(root: Path, server: SiteServer) -> None:
    """The site as the first audit finds it."""
    _edit(root, BLOG, "<title>When to Call a Crisis Line | Blair Wellness Group</title>",
          "<title>Crisis</title>")  # title-too-short, on a page the second audit never sees
    _edit(root, "about/index.html", "<h1>About Dr. Cassidy Blair in Beverly Hills</h1>",
          "<p>About Dr. Cassidy Blair in Beverly Hills</p>")  # h1-missing, fixed later
    _edit(root, "services/index.html", "</main>",
          '<p><a href="/gone/">An older article on sleep</a></p></main>')  # broken-link
    server.routes["/gone/"] = {"status": 500, "body": "<h1>Server error</h1>"}


def _second_state(root: Path, server: SiteServer) -> None:
    """A month later: fixes, new defects, a wrong phone, a page removed and one added."""
    _edit(root, "about/index.html", "<p>About Dr. Cassidy Blair in Beverly Hills</p>",
          "<h1>About Dr. Cassidy Blair in Beverly Hills</h1>")
    footer = '<a href="tel:+13109994996">(310) 999-4996</a></address>'
    _edit(root, "contact/index.html", footer,
          '<a href="tel:+13109994969">(310) 999-4969</a></address>')
    shutil.rmtree(root / "blog")
    _edit(root, "index.html",
          '<li><a href="/blog/crisis-resources/">blog/crisis-resources</a></li>',
          '<li><a href="/new-page/">new page</a></li>')
    _edit(root, "sitemap.xml", "<url><loc>{{ORIGIN}}/blog/crisis-resources/</loc></url>", "")
    new_page = (root / "about" / "index.html").read_text("utf-8")
    new_page = new_page.replace("About Dr. Cassidy Blair", "Meet Our Couples Therapist Team")
    start, end = new_page.index('<meta name="description"'), None
    end = new_page.index(">", start) + 1
    (root / "new-page").mkdir()
    (root / "new-page" / "index.html").write_text(new_page[:start] + new_page[end:], "utf-8")
    _edit(root, "services/index.html",
          "<title>Services for Adults in Beverly Hills | Blair Wellness Group</title>",
          "<title>Therapy Services for Adults in Beverly Hills | Blair Wellness Group</title>")
    server.routes["/gone/"] = {"status": 404, "body": "<h1>Not found</h1>"}


@dataclass
class Audits:
    first: Path
    second: Path
    origin: str
    history: Path
    since_stderr: str


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audits]:
    tmp = tmp_path_factory.mktemp("changes")
    root = tmp / "site"
    shutil.copytree(SITES / "clean", root)
    history = tmp / "history.sqlite"
    profile = str(PROFILES / "blair.toml")
    with serve(root) as server:
        _first_state(root, server)
        first = run_cli("crawl", server.url + "/", "--out", str(tmp / "first"), "--quiet",
                        "--profile", profile, "--history", str(history))
        assert first.returncode == 0, first.stderr
        _second_state(root, server)
        second = run_cli("crawl", server.url + "/", "--out", str(tmp / "second"), "--quiet",
                         "--profile", profile, "--since", str(tmp / "first"),
                         "--history", str(history))
        assert second.returncode == 0, second.stderr
        yield Audits(tmp / "first", tmp / "second", server.url, history, second.stderr)


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig").map(
        lambda v: v[1:] if v[:2] in ("'=", "'+", "'-", "'@") else v)


def _changes(audits: Audits) -> set[tuple[str, str, str]]:
    rows = _csv(audits.second / "changes.csv")
    assert list(rows.columns) == ["url", "check", "severity", "change", "detail"]
    return {(url.replace(audits.origin, ""), check, change)
            for url, check, change in zip(rows["url"], rows["check"], rows["change"],
                                          strict=True)}


def test_fixed_new_and_unchanged_findings(audits: Audits) -> None:
    changes = _changes(audits)
    assert ("/about/", "h1-missing", "fixed") in changes
    # the removed page's finding went with it
    assert ("/blog/crisis-resources/", "title-too-short", "fixed") in changes
    assert ("/contact/", "nap-phone-mismatch", "new") in changes
    assert ("/new-page/", "meta-description-missing", "new") in changes
    assert ("/", "crisis-notice-missing", "new") in changes  # the crisis page was removed
    # the target answered 500, now 404: the same broken link
    assert ("/services/", "broken-link", "unchanged") in changes
    assert ("/services/", "broken-link", "new") not in changes
    assert ("/services/", "broken-link", "fixed") not in changes


def test_every_finding_of_both_audits_is_accounted_for(audits: Audits) -> None:
    """Each finding of the second audit is new or unchanged; each of the first that is not
    unchanged is fixed: the counts add up exactly."""
    rows = _csv(audits.second / "changes.csv")
    first, second = _csv(audits.first / "issues.csv"), _csv(audits.second / "issues.csv")
    counts = rows["change"].value_counts().to_dict()
    assert counts.get("new", 0) + counts.get("unchanged", 0) == len(second)
    assert counts.get("fixed", 0) + counts.get("unchanged", 0) == len(first)
    # nothing else changed: every other finding of the site is unchanged
    expected = {("/about/", "h1-missing", "fixed"),
                ("/blog/crisis-resources/", "title-too-short", "fixed"),
                ("/contact/", "nap-phone-mismatch", "new"),
                ("/new-page/", "meta-description-missing", "new"),
                # the longer title is now too long, and the crisis page was the only one
                # naming a crisis line (site-level: on the home page)
                ("/services/", "title-too-long", "new"),
                ("/", "crisis-notice-missing", "new"),
                # notices every page of this site has, on the page removed and the page added
                ("/blog/crisis-resources/", "canonical-missing", "fixed"),
                ("/new-page/", "canonical-missing", "new"),
                ("/new-page/", "title-too-long", "new")}
    moved = {change for change in _changes(audits) if change[2] != "unchanged"}
    assert moved == expected


def test_page_changes_rows(audits: Audits) -> None:
    rows = _csv(audits.second / "page_changes.csv")
    assert list(rows.columns) == ["url", "field", "old", "new"]
    found = {(url.replace(audits.origin, ""), field): (old, new) for url, field, old, new in
             rows.itertuples(index=False)}
    assert found[("/blog/crisis-resources/", "page")] == ("present", "absent")
    assert found[("/new-page/", "page")] == ("absent", "present")
    assert found[("/about/", "h1")] == ("", "About Dr. Cassidy Blair in Beverly Hills")
    assert found[("/contact/", "phone")] == ("+13109994996", "+13109994969 | +13109994996")
    assert found[("/services/", "title")] == (
        "Services for Adults in Beverly Hills | Blair Wellness Group",
        "Therapy Services for Adults in Beverly Hills | Blair Wellness Group")
    # the broken link's target is not a page of the site: no row for it
    assert not any(url == "/gone/" for url, _ in found)
    # pages that did not change have no rows, and only changed fields get one
    assert not any(url == "/notice-of-privacy-practices/" for url, _ in found)
    assert all(old != new for old, new in found.values())


def test_report_shows_what_changed_since_the_last_audit(audits: Audits) -> None:
    html = (audits.second / "report.html").read_text("utf-8")
    assert 'id="since"' in html
    assert html.index('id="since"') < html.index('id="summary"'), "near the top"
    changes = _csv(audits.second / "changes.csv")["change"].value_counts()
    assert f'id="since-fixed">{changes["fixed"]}<' in html
    assert f'id="since-new">{changes["new"]}<' in html
    # the phone that went wrong comes first, as the owner reads it
    nap = html[html.index('id="since-nap"'):html.index('id="since-fixed-list"')]
    assert "(310) 999-4969" in nap and "/contact/" in nap
    assert 'id="practice-name">Blair Wellness Group<' in html
    first = (audits.first / "report.html").read_text("utf-8")
    assert 'id="since"' not in first


def test_history_records_both_audits_and_links_them(audits: Audits) -> None:
    with sqlite3.connect(audits.history) as db:
        rows = db.execute("SELECT id, site, name, previous_id, new, fixed, score FROM audits "
                          "ORDER BY audited_at, id").fetchall()
        findings = db.execute("SELECT COUNT(*) FROM findings WHERE audit_id = ?",
                              (rows[1][0],)).fetchone()[0]
    assert len(rows) == 2
    (first_id, site, name, previous, new, fixed, _), second = rows
    assert site == site_of(audits.origin) and name == "Blair Wellness Group"
    assert previous is None and new is None and fixed is None
    counts = _csv(audits.second / "changes.csv")["change"].value_counts()
    assert second[3] == first_id
    assert (second[4], second[5]) == (counts["new"], counts["fixed"])
    assert findings == len(_csv(audits.second / "issues.csv"))


def test_report_since_is_deterministic_and_works_without_the_old_folder(
        audits: Audits, tmp_path: Path) -> None:
    before = {name: (audits.second / name).read_bytes()
              for name in ("changes.csv", "page_changes.csv")}
    for _ in range(2):
        result = run_cli("report", str(audits.second), "--since", str(audits.first))
        assert result.returncode == 0, result.stderr
        for name, data in before.items():
            assert (audits.second / name).read_bytes() == data, name
    # the first audit's folder gone: the history still holds what it found
    history = tmp_path / "history.sqlite"
    shutil.copyfile(audits.history, history)
    moved = tmp_path / "first"
    shutil.copytree(audits.first, moved)
    copy = tmp_path / "second"
    shutil.copytree(audits.second, copy)
    with sqlite3.connect(history) as db:  # only the first audit: it is the last one now
        db.execute("DELETE FROM audits WHERE previous_id IS NOT NULL")
    shutil.rmtree(moved)
    result = run_cli("report", str(copy), "--since-last", "--history", str(history))
    assert result.returncode == 0, result.stderr
    assert (copy / "changes.csv").read_bytes() == before["changes.csv"]
    assert (copy / "page_changes.csv").read_bytes() == before["page_changes.csv"]


def test_report_without_since_leaves_no_stale_changes(audits: Audits, tmp_path: Path) -> None:
    copy = tmp_path / "second"
    shutil.copytree(audits.second, copy)
    result = run_cli("report", str(copy))
    assert result.returncode == 0, result.stderr
    assert not (copy / "changes.csv").exists() and not (copy / "page_changes.csv").exists()
    assert 'id="since"' not in (copy / "report.html").read_text("utf-8")


@pytest.mark.parametrize("problem", ["other-site", "not-an-audit", "both", "last-no-history",
                                     "history-not-sqlite"])
def test_bad_since_or_history_is_one_line_and_exit_2(audits: Audits, tmp_path: Path,
                                                    problem: str) -> None:
    other = tmp_path / "other"
    shutil.copytree(audits.first, other)
    manifest = other / "crawl" / "manifest.json"
    manifest.write_text(manifest.read_text().replace("127.0.0.1", "example.org"))
    (other / "summary.json").unlink()
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all, but long enough to be read as one" * 20)
    args = {
        "other-site": ["--since", str(other)],
        "not-an-audit": ["--since", str(tmp_path)],
        "both": ["--since", str(audits.first), "--since-last", "--history", str(junk)],
        "last-no-history": ["--since-last"],
        "history-not-sqlite": ["--history", str(junk)],
    }[problem]
    result = run_cli("report", str(audits.second), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("seo-audit: "), result.stderr
    assert "Traceback" not in result.stderr


# --- the identity rule, on snapshots made by hand ---------------------------------------------

def _snapshot(start: str, findings: list[tuple[str, str, str, str, str]]) -> Snapshot:
    return Snapshot(start_url=start, audited_at="2026-11-01T00:00:00+00:00", score=50,
                    counts={}, findings=pd.DataFrame(
                        findings, columns=["url", "check", "severity", "subject", "message"]))


def test_identity_ignores_wording_severity_scheme_and_www() -> None:
    old = _snapshot("http://www.practice.example/", [
        ("http://www.practice.example/a/", "broken-link", "error", "https://x.example/p",
         "The link answers 500."),
        ("http://www.practice.example/b/", "title-too-long", "notice", "", "72 characters")])
    new = _snapshot("https://practice.example/", [
        ("https://practice.example/a/", "broken-link", "warning", "https://x.example/p",
         "The link answers 404."),
        ("https://practice.example/b/", "title-too-long", "notice", "", "75 characters")])
    changes = compare(old, new).changes
    assert changes["change"].tolist() == ["unchanged", "unchanged"]
    assert page_key("http://www.practice.example/a/") == page_key("https://practice.example/a/")


def test_identity_is_page_check_and_subject() -> None:
    old = _snapshot("https://p.example/", [
        ("https://p.example/", "nap-phone-mismatch", "error", "(310) 555-0199", "m"),
        ("https://p.example/", "nap-phone-mismatch", "error", "(310) 555-0199", "m2")])
    new = _snapshot("https://p.example/", [
        ("https://p.example/", "nap-phone-mismatch", "error", "(310) 555-0199", "m"),
        ("https://p.example/", "nap-phone-mismatch", "error", "(310) 555-0100", "m"),
        ("https://p.example/x/", "nap-phone-mismatch", "error", "(310) 555-0199", "m")])
    changes = compare(old, new).changes
    found = sorted(zip(changes["url"], changes["detail"], changes["change"], strict=True))
    # one of the two identical findings is still there, the other is fixed; another number on
    # the same page and the same number on another page are new
    assert sorted(changes["change"].tolist()) == ["fixed", "new", "new", "unchanged"]
    assert ("https://p.example/x/", "m", "new") in found


def test_declared_subjects() -> None:
    """The checks whose findings on one page differ by more than their target say so."""
    from audit.changes import subjects

    frame = pd.DataFrame([
        {"check": "title-duplicate", "message": "shared with 2", "detail": "Home  | Blair",
         "target": ""},
        {"check": "robots-txt-invalid", "message": "Unknown directive", "detail":
            "line 5: Disalow: /x/", "target": "https://p.example/robots.txt"},
        {"check": "robots-txt-invalid", "message": "Unknown directive", "detail":
            "line 7: Disalow: /x/", "target": "https://p.example/robots.txt"},
        {"check": "broken-link", "message": "404", "detail": "anchor", "target": "https://t/"},
    ])
    found = subjects(frame)
    assert found[0] == "home | blair"
    assert found[1] == found[2], "a line moved down is the same problem"
    assert found[3] == "https://t/"


def test_writing_an_audit_again_keeps_its_place_in_the_history(audits: Audits,
                                                               tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    shutil.copyfile(audits.history, history)
    query = "SELECT id, previous_id, new, fixed FROM audits ORDER BY audited_at, id"
    with sqlite3.connect(history) as db:
        before = db.execute(query).fetchall()
    copy = tmp_path / "second"
    shutil.copytree(audits.second, copy)
    result = run_cli("report", str(copy), "--history", str(history))  # no comparison now
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(history) as db:
        after = db.execute(query).fetchall()
        findings = db.execute("SELECT COUNT(*) FROM findings WHERE audit_id = ?",
                              (after[1][0],)).fetchone()[0]
    assert after == before, "same ids, the link to the first audit kept"
    assert findings == len(_csv(copy / "issues.csv")), "its findings replaced, not doubled"


def test_report_header_names_the_practice_it_inferred(practice_inferred) -> None:
    """No profile: the name most pages give is the one the report is filed under."""
    html = (practice_inferred.out / "report.html").read_text("utf-8")
    name = html.split('id="practice-name">', 1)[1].split("<", 1)[0]
    assert name == "Blair Wellness Group"
    assert html.index('id="practice-name"') < html.index('id="site"')
    summary = (practice_inferred.out / "summary.json").read_text("utf-8")
    assert '"practice": "Blair Wellness Group"' in summary


def test_findings_of_an_audit_written_before_their_check_named_a_subject() -> None:
    """Before comparisons, a wrong phone was no target: last month's finding without a
    subject is this month's with one, on the same page and check."""
    old = _snapshot("https://p.example/", [
        ("https://p.example/fees/", "nap-phone-mismatch", "error", "", "m"),
        ("https://p.example/faq/", "nap-name-mismatch", "error", "", "m")])
    new = _snapshot("https://p.example/", [
        ("https://p.example/fees/", "nap-phone-mismatch", "error", "(310) 999-4969", "m"),
        ("https://p.example/fees/", "nap-phone-mismatch", "error", "(310) 999-4960", "m")])
    changes = compare(old, new).changes
    assert sorted(zip(changes["url"], changes["change"], strict=True)) == [
        ("https://p.example/faq/", "fixed"), ("https://p.example/fees/", "new"),
        ("https://p.example/fees/", "unchanged")]
