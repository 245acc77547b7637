"""The one place the marketplace makes HTTP requests to other systems: webhook POSTs, with the URL rules.

Standard library only (`urllib.request`), no proxies from the environment, no redirects followed (a 3xx is an
answer like any other), a timeout, and a guard against reaching the platform's own network (SSRF): outside
the testing and development configurations (WEBHOOK_ALLOW_LOCAL off) a URL must be https and its host must
resolve only to public addresses; with WEBHOOK_ALLOW_LOCAL on, http to the loopback host is allowed too.
The host is checked when an endpoint is registered and again before every POST.
"""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from marketplace.errors import DomainError

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
BODY_KEEP = 2048
MAX_URL = 500


def host_addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Return every address a host name (or literal address) resolves to; refuse one that does not resolve."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError):  # ValueError: UnicodeError (IDNA), a NUL in the name
        raise DomainError(_("The host name %(host)s could not be resolved.", host=host), "url") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Tell whether an address is on the public internet (not private, loopback, link-local, reserved, …)."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, allow_local: bool) -> str:
    """Return a webhook URL cleaned, or refuse it with a reason a person can act on (DomainError on "url")."""
    url = (url or "").strip()
    if not url:
        raise DomainError(_("Give the URL the events should be sent to."), "url")
    if len(url) > MAX_URL:
        raise DomainError(_("A URL has at most %(n)d characters.", n=MAX_URL), "url")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        raise DomainError(_("This is not a valid URL."), "url") from None
    if parts.scheme not in ("https", "http") or not host:
        raise DomainError(_("The URL must start with https://."), "url")
    if parts.username or parts.password:
        raise DomainError(_("The URL must not contain a user name or password."), "url")
    local = host.lower() in LOOPBACK_HOSTS
    if parts.scheme == "http" and not (allow_local and local):
        raise DomainError(_("The URL must start with https://: events are sent only over an encrypted "
                            "connection."), "url")
    if allow_local and local:
        return url
    if not all(is_public(a) for a in host_addresses(host)):
        raise DomainError(_("The URL points to a private or local network address; events are sent only to "
                            "public addresses."), "url")
    return url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Do not follow redirects: the 3xx answer is the attempt's result."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """Refuse every redirect."""
        return None


@dataclass(frozen=True)
class Answer:
    """What one POST came to: the status code (None without an answer), the start of the body, time, error."""

    status_code: int | None
    body: str | None
    duration_ms: int
    error: str | None


def read_start(stream) -> str:
    """Return the first 2 KB of an answer's body as text."""
    try:
        return stream.read(BODY_KEEP).decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""


def post_json(url: str, body: bytes, headers: dict[str, str], timeout: float, allow_local: bool) -> Answer:
    """POST a JSON body to a URL checked again now; never raise for what the network or the receiver does."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        check_url(url, allow_local)
    except DomainError as exc:
        return Answer(None, None, took(), str(exc)[:500])
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "User-Agent": "moshu-marketplace-webhooks/1", **headers})
    try:
        with opener.open(request, timeout=timeout) as response:
            return Answer(response.status, read_start(response), took(), None)
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, read_start(exc), took(), None)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Answer(None, None, took(), f"{type(exc).__name__}: {reason}"[:500])
