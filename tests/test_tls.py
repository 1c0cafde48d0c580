"""Fixture sites served over real HTTPS, and the certificate check that tells an owner when
patients' browsers will warn about their site.

The certificates come from a throwaway authority made at test time (tests/tls.py). This process
never trusts it, so the same server is "untrusted" here and "trusted" in a subprocess run with
SSL_CERT_FILE pointing at the authority's certificate.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import trustme

from audit.site_server import SiteServer, serve
from spiders.tls import CHAIN_PROBLEM, certificate_problem
from tests.tls import ca_bundle, certificate_authority, self_signed_context, server_context

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return certificate_authority()


@pytest.fixture(scope="module")
def bundle(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ca_bundle(ca, tmp_path_factory.mktemp("tls") / "ca.pem")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "about").mkdir()
    (root / "index.html").write_text(
        '<!doctype html><title>Home</title><a href="{{ORIGIN}}/about/">About us</a>', "utf-8")
    (root / "about" / "index.html").write_text(
        "<!doctype html><title>About</title><p>About the practice.</p>", "utf-8")
    return root


@pytest.fixture(scope="module")
def https_site(site: Path, ca: trustme.CA) -> Iterator[SiteServer]:
    with serve(site, tls=server_context(ca)) as server:
        yield server


def _port(server: SiteServer) -> int:
    return server.server_address[1]


def _check_trusting(bundle: Path, port: int) -> tuple[bool, str | None]:
    """certificate_problem in a fresh process that trusts the test authority, as a crawl
    would be run against a site whose certificate is genuinely valid."""
    code = ("import json, sys; from spiders.tls import certificate_problem; "
            "print(json.dumps(certificate_problem('127.0.0.1', int(sys.argv[1]))))")
    result = subprocess.run([sys.executable, "-c", code, str(port)], capture_output=True,
                            text=True, timeout=60, cwd=PROJECT,
                            env={**os.environ, "SSL_CERT_FILE": str(bundle)})
    assert result.returncode == 0, result.stderr
    checked, problem = json.loads(result.stdout)
    return checked, problem


def _get(url: str, ca: trustme.CA) -> tuple[int, str]:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


# --- the HTTPS site server ----------------------------------------------------------------------


def test_the_site_answers_over_https_and_origin_is_the_https_origin(
        https_site: SiteServer, ca: trustme.CA) -> None:
    assert https_site.url == f"https://127.0.0.1:{_port(https_site)}"
    status, body = _get(https_site.url + "/", ca)
    assert status == 200
    assert f'href="{https_site.url}/about/"' in body
    assert "{{ORIGIN}}" not in body


def test_the_server_survives_clients_that_reject_it_or_do_not_speak_tls(
        https_site: SiteServer, ca: trustme.CA) -> None:
    # A browser-like client refuses the certificate mid-handshake; a plain-HTTP client sends
    # bytes that are not TLS at all. Neither may stop the server answering the next client.
    assert certificate_problem("127.0.0.1", _port(https_site))[0]
    with socket.create_connection(("127.0.0.1", _port(https_site)), timeout=5) as plain:
        plain.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        plain.settimeout(5)
        try:
            plain.recv(100)
        except OSError:
            pass  # closed or reset: either way no answer in plain HTTP
    assert _get(https_site.url + "/about/", ca)[0] == 200


def test_without_tls_the_server_is_still_plain_http(site: Path) -> None:
    with serve(site) as server:
        assert server.url.startswith("http://")
        with urllib.request.urlopen(server.url + "/", timeout=10) as response:
            assert f'href="{server.url}/about/"' in response.read().decode("utf-8")


def test_routes_send_arbitrary_headers_over_https(tmp_path: Path, ca: trustme.CA) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>Home</title>", "utf-8")
    (tmp_path / "_routes.json").write_text(json.dumps(
        {"/": {"headers": {"Strict-Transport-Security": "max-age=31536000"}}}), "utf-8")
    with serve(tmp_path, tls=server_context(ca)) as server:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        with urllib.request.urlopen(server.url + "/", context=context, timeout=10) as response:
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


# --- certificate_problem --------------------------------------------------------------------


def test_a_certificate_from_an_unknown_authority_is_a_problem(https_site: SiteServer) -> None:
    checked, problem = certificate_problem("127.0.0.1", _port(https_site))
    assert checked
    assert problem is not None
    assert problem.startswith(CHAIN_PROBLEM + " (")
    assert "unable to get local issuer certificate" in problem  # OpenSSL's words, kept


def test_a_trusted_certificate_for_the_host_is_fine(
        https_site: SiteServer, bundle: Path) -> None:
    assert _check_trusting(bundle, _port(https_site)) == (True, None)


def test_a_certificate_for_another_name_is_a_problem_even_from_a_trusted_authority(
        site: Path, ca: trustme.CA, bundle: Path) -> None:
    with serve(site, tls=server_context(ca, "other.example")) as server:
        checked, problem = _check_trusting(bundle, _port(server))
    assert checked
    assert problem is not None
    assert problem.startswith("the certificate is for another name (")
    assert "127.0.0.1" in problem


def test_an_expired_certificate_is_a_problem(site: Path, ca: trustme.CA, bundle: Path) -> None:
    now = datetime.now(UTC)
    context = server_context(ca, not_before=now - timedelta(days=90),
                             not_after=now - timedelta(days=1))
    with serve(site, tls=context) as server:
        assert _check_trusting(bundle, _port(server)) == (
            True, "the certificate has expired (certificate has expired)")


def test_a_certificate_not_valid_yet_is_a_problem(
        site: Path, ca: trustme.CA, bundle: Path) -> None:
    now = datetime.now(UTC)
    context = server_context(ca, not_before=now + timedelta(days=1),
                             not_after=now + timedelta(days=90))
    with serve(site, tls=context) as server:
        assert _check_trusting(bundle, _port(server)) == (
            True, "the certificate is not valid yet (certificate is not yet valid)")


def test_a_self_signed_certificate_is_a_problem(site: Path) -> None:
    with serve(site, tls=self_signed_context()) as server:
        checked, problem = certificate_problem("127.0.0.1", _port(server))
    assert checked
    assert problem is not None
    assert problem.startswith("the certificate is self-signed (")


def test_a_closed_port_cannot_be_judged() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert certificate_problem("127.0.0.1", port, timeout=5) == (False, None)


def test_a_site_without_tls_cannot_be_judged(site: Path) -> None:
    with serve(site) as server:  # plain HTTP on the port: the handshake fails, not the cert
        assert certificate_problem("127.0.0.1", _port(server), timeout=5) == (False, None)


def test_a_server_that_never_answers_cannot_be_judged() -> None:
    with socket.socket() as silent:  # listens (the kernel completes connects) but never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        assert certificate_problem("127.0.0.1", port, timeout=0.5) == (False, None)


@pytest.mark.parametrize("host, port", [("", 443), ("127.0.0.1", 70000),
                                        ("bad\x00host", 443)])
def test_bad_input_never_raises(host: str, port: int) -> None:
    assert certificate_problem(host, port, timeout=2) == (False, None)


# --- crawling over HTTPS ---------------------------------------------------------------------


def test_a_crawl_fetches_a_site_whose_certificate_it_does_not_trust(
        https_site: SiteServer, tmp_path: Path) -> None:
    # Scrapy does not verify certificates: the crawl reads the site even though nothing in the
    # crawling process trusts the authority that issued its certificate.
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "audit.cli", "crawl", https_site.url + "/", "--out", str(out),
         "--quiet", "--no-external"],
        capture_output=True, text=True, timeout=300, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    pages = pd.read_csv(out / "pages.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False).set_index("url")
    assert pages.loc[https_site.url + "/", "status"] == "200"
    assert pages.loc[https_site.url + "/about/", "status"] == "200"
