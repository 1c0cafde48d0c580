"""Certificates made at test time, so fixture sites can be served over real HTTPS.

``trustme`` makes a throwaway certificate authority; leaf certificates issued by it are presented
by ``audit.site_server.serve(root, tls=server_context(ca))``. Nothing trusts that authority
unless told to: a client in this process through ``ca.configure_trust(context)``, a subprocess
(the crawler, a certificate check) through ``SSL_CERT_FILE=ca_bundle(ca, path)``, which
OpenSSL's default verify paths honour. So one authority gives both the "untrusted" and the
"trusted" view of the same server.
"""

from __future__ import annotations

import ssl
from datetime import datetime
from functools import cache
from pathlib import Path

import trustme


@cache
def certificate_authority() -> trustme.CA:
    """The session's certificate authority (making keys is slow enough to do once)."""
    return trustme.CA(organization_name="local-seo-audit tests")


def server_context(ca: trustme.CA, hostname: str = "127.0.0.1", *,
                   not_before: datetime | None = None,
                   not_after: datetime | None = None) -> ssl.SSLContext:
    """A server-side context presenting a certificate issued by ``ca`` for ``hostname`` (an IP
    address or a host name). ``not_before``/``not_after`` make a certificate that is not yet, or
    no longer, valid; by default it is valid now."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf = ca.issue_cert(hostname, not_before=not_before, not_after=not_after)
    leaf.configure_cert(context)
    return context


def self_signed_context() -> ssl.SSLContext:
    """A server-side context presenting a self-signed certificate: a fresh authority's own
    certificate, signed by itself and trusted by nobody."""
    ca = trustme.CA(organization_name="self-signed test site")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with ca.cert_pem.tempfile() as cert, ca.private_key_pem.tempfile() as key:
        context.load_cert_chain(cert, key)
    return context


def ca_bundle(ca: trustme.CA, path: Path) -> Path:
    """Write the authority's certificate (PEM) to ``path`` for a client to trust, e.g. a
    subprocess run with ``SSL_CERT_FILE`` set to it; returns ``path``."""
    path = Path(path)
    ca.cert_pem.write_to_path(str(path))
    return path
