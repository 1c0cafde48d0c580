"""Bad input gets one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.conftest import run_cli


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("url, words", [
    ("not a url", "spaces"),
    ("example.com", "full address"),
    ("ftp://example.com/", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("http://", "no host"),
    ("http://example.com:99999/", "port"),
])
def test_invalid_url(tmp_path: Path, url: str, words: str) -> None:
    result = run_cli("crawl", url, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert words.lower() in result.stderr.lower()


def test_unreachable_host_refused(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    result = run_cli("crawl", url, "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"cannot reach {url}: connection refused" in result.stderr


def test_unresolvable_host(tmp_path: Path) -> None:
    # .invalid is reserved (RFC 2606): it never resolves, so no traffic leaves the machine
    result = run_cli("crawl", "http://practice.invalid/", "--out", str(tmp_path / "out"),
                     "--quiet")
    assert result.returncode == 2
    assert "cannot reach http://practice.invalid/: DNS lookup failed" in result.stderr


def test_missing_output_parent(tmp_path: Path) -> None:
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", str(tmp_path / "no" / "such"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("text, words", [
    ("[practice\nname = 1", "not valid TOML"),
    ("[practice]\nnmae = 'Blair Wellness Group'\n", "nmae"),
    ("[practice]\nphone = 'call us'\n", "phone"),
    ("[practice]\nlicense = 'Psy.D.'\n", "license"),
    ("[location]\nareas = 'Beverly Hills'\n", "areas"),
    ("[colour]\nx = 1\n", "colour"),
    ("[thresholds]\ntitle_max = 70\n", "title_max"),
    ("[thresholds]\ntitle_max_length = 'long'\n", "title_max_length"),
    ("[practice]\nself_pay_patients = 'no'\n", "self_pay_patients must be true or false"),
    ("[practice]\nhipaa_covered_entity = 0\n", "hipaa_covered_entity must be true or false"),
    ("[practice]\nhipaa_covered = false\n", "hipaa_covered"),
])
def test_invalid_profile(tmp_path: Path, text: str, words: str) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(text)
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", str(tmp_path / "out"),
                     "--profile", str(profile))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert words in result.stderr and str(profile) in result.stderr


def test_missing_profile(tmp_path: Path) -> None:
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", str(tmp_path / "out"),
                     "--profile", str(tmp_path / "nope.toml"))
    assert result.returncode == 2 and "not found" in result.stderr


def test_report_without_crawl_data(tmp_path: Path) -> None:
    result = run_cli("report", str(tmp_path))
    assert result.returncode == 2 and "no crawl data" in result.stderr


def test_negative_limit() -> None:
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", "x", "--max-pages", "-3")
    assert result.returncode == 2 and "must not be negative" in result.stderr


def test_start_url_that_times_out(tmp_path: Path) -> None:
    from audit.site_server import serve
    from tests.conftest import SITES

    with serve(SITES / "trap") as server:  # /slow/ answers after 4 s
        result = run_cli("crawl", server.url + "/slow/", "--out", str(tmp_path / "out"),
                         "--timeout", "1", "--quiet")
    assert result.returncode == 2
    assert result.stderr.strip() == f"seo-audit: cannot reach {server.url}/slow/: timed out " \
                                    "after 1 s"


def test_folder_holding_another_sites_audit_is_refused(clinic, tmp_path: Path) -> None:
    import shutil

    out = tmp_path / "audit"
    shutil.copytree(clinic.out, out)
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", str(out), "--quiet")
    assert result.returncode == 2
    assert "already holds the audit of" in result.stderr and "--force" in result.stderr


def test_resume_needs_a_started_crawl(tmp_path: Path) -> None:
    result = run_cli("crawl", "http://127.0.0.1:1/", "--out", str(tmp_path), "--resume")
    assert result.returncode == 2 and "nothing to resume" in result.stderr


def test_compliance_switches_default_to_a_typical_practice() -> None:
    from audit.profile import Profile, profile_from_dict

    assert Profile().self_pay_patients and Profile().hipaa_covered_entity
    exempt = profile_from_dict({"practice": {"self_pay_patients": False,
                                             "hipaa_covered_entity": False}})
    assert not exempt.self_pay_patients and not exempt.hipaa_covered_entity
