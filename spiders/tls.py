"""Does a site's HTTPS certificate verify? Checked on its own, outside the crawl.

Scrapy does not verify certificates, on purpose: an audit must still be able to crawl a site whose
certificate is broken, or it could report nothing at all about it. But a patient's browser does
verify, and a broken certificate puts a full-page "Your connection is not private" warning in
front of the practice's site, which most visitors will not click through. So the crawl asks here,
once per host, with the same verification a browser does (the system's trusted authorities, the
host name), and tells the owner in plain words what is wrong.
"""

from __future__ import annotations

import socket
import ssl

# "Unable to get (local) issuer certificate": either no trusted authority issued it, or the
# server leaves out the intermediate certificate linking it to one. Browsers that fetch the
# missing link themselves then show the site; many phones, apps and tools refuse it.
CHAIN_PROBLEM = ("the certificate cannot be traced to a trusted authority: it was not issued "
                 "by one, or the server leaves out the intermediate certificate that links it "
                 "to one")
# OpenSSL's X509_V_ERR_* codes, as ssl.SSLCertVerificationError.verify_code, in owner's words.
_REASONS: dict[int, str] = {
    # No chain to an authority the system trusts (issuer unknown, chain cut short, an untrusted
    # self-signed root in the chain, an issuer that is no authority): a browser trusts none.
    2: CHAIN_PROBLEM,
    9: "the certificate is not valid yet",  # X509_V_ERR_CERT_NOT_YET_VALID
    10: "the certificate has expired",  # X509_V_ERR_CERT_HAS_EXPIRED
    18: "the certificate is self-signed",  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: "the certificate was not issued by a trusted authority",
    20: CHAIN_PROBLEM,
    21: "the certificate was not issued by a trusted authority",
    23: "the certificate has been revoked",  # X509_V_ERR_CERT_REVOKED
    24: "the certificate was not issued by a trusted authority",
    26: "the certificate is not meant for websites",  # X509_V_ERR_INVALID_PURPOSE
    62: "the certificate is for another name",  # X509_V_ERR_HOSTNAME_MISMATCH
    64: "the certificate is for another name",  # X509_V_ERR_IP_ADDRESS_MISMATCH
    # Keys or signatures too weak: OpenSSL's message, kept in parentheses, says which.
    66: "the certificate uses a key or signature too weak to trust",
    67: "the certificate uses a key or signature too weak to trust",
    68: "the certificate uses a key or signature too weak to trust",
}
_FALLBACK = "the certificate could not be verified"


def _reason(error: ssl.SSLCertVerificationError) -> str:
    raw = error.verify_message or error.reason or str(error)
    return f"{_REASONS.get(error.verify_code, _FALLBACK)} ({raw})"


def certificate_problem(host: str, port: int, timeout: float = 10) -> tuple[bool, str | None]:
    """Connect to ``host:port`` over TLS the way a browser would and judge its certificate.

    Returns ``(True, None)`` when it verifies, ``(True, reason)`` when it does not (``reason`` in
    plain words, OpenSSL's own message in parentheses), and ``(False, None)`` when the check
    could not be made: unreachable host, timeout, or a TLS failure that is not about the
    certificate. Never raises: a failed check must not cost the audit.
    """
    try:
        context = ssl.create_default_context()  # system authorities; honours SSL_CERT_FILE
        with (socket.create_connection((host, port), timeout=timeout) as raw_socket,
              context.wrap_socket(raw_socket, server_hostname=host)):
            return True, None
    except ssl.SSLCertVerificationError as error:
        return True, _reason(error)
    except Exception:  # refused, timed out, DNS, not TLS at all, bad input: no verdict
        return False, None
