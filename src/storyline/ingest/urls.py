"""Fetching URLs with httpx: address checks, a timeout, and a size cap while streaming.

Every hop of a redirect is checked: a public page may not redirect to a private address.
The host is resolved once and every address it resolves to must be globally routable
unless `allow_private` is set; the connection then goes to the address that was checked
(the request keeps the host name in its Host header and TLS server name), so a DNS server
that answers differently the second time (DNS rebinding) cannot steer it elsewhere.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from storyline.errors import FetchError, TooLarge
from storyline.settings import Settings

_MAX_REDIRECTS = 5
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
USER_AGENT = "storyline/0.1 (+https://github.com/) news-reader"


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    content: bytes
    content_type: str  # media type, lower case, without parameters
    charset: str | None


def is_url(value: str) -> bool:
    """True for an http(s) URL."""
    return bool(_URL.match(value.strip()))


# IPv6 prefixes that carry an IPv4 address or tunnel to one: 6to4 (2002::/16), Teredo
# (2001::/32), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48). Refused whole: a
# news site is not served from a tunnel address, and the IPv4 inside may be private.
_TUNNELS = [ipaddress.ip_network(n) for n in
            ("2002::/16", "2001::/32", "64:ff9b::/96", "64:ff9b:1::/48")]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _blocked(ip: Address) -> bool:
    """Anything that is not a globally routable unicast address: private, loopback,
    link-local, shared (carrier-grade NAT 100.64.0.0/10, where cloud metadata services
    live), reserved, multicast, unspecified, or an IPv6 tunnel to IPv4."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in net for net in _TUNNELS):
            return True
    return (not ip.is_global or ip.is_private or ip.is_loopback or ip.is_link_local
            or ip.is_reserved or ip.is_multicast or ip.is_unspecified)


def check_host(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to an address that is not public (see `_blocked`)."""
    resolve(url, allow_private)


def resolve(url: str, allow_private: bool) -> list[Address]:
    """The addresses of a URL's host, each checked; raises FetchError when one is refused."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme!r}", source=url)
    host = parts.hostname
    if not host:
        raise FetchError("the URL has no host", source=url)
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}", source=url) from exc
    addresses: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])  # no IPv6 zone id
        if not allow_private and _blocked(address):
            raise FetchError(
                f"refused: {host} resolves to a private or reserved address ({address}); "
                "set allow_private to fetch it", source=url)
        addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}", source=url)
    return addresses


def _pinned(url: str, address: Address) -> tuple[str, dict[str, str], dict[str, str]]:
    """The request for `url` sent to `address`: (URL with the address as host, headers,
    httpx extensions) — the Host header and the TLS server name stay the URL's host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    shown_host = f"[{host}]" if ":" in host else host
    header = shown_host if parts.port is None else f"{shown_host}:{parts.port}"
    return (parts._replace(netloc=netloc).geturl(), {"Host": header},
            {"sni_hostname": host} if parts.scheme.lower() == "https" else {})


def fetch(url: str, settings: Settings) -> Fetched:
    """GET a URL under the settings' timeout and size cap; raises FetchError or TooLarge."""
    import httpx

    deadline = time.monotonic() + settings.fetch_timeout
    timeout = httpx.Timeout(settings.fetch_timeout)
    current = url
    # no connection kept between hops: a connection opened (and its TLS checked) for one
    # host name is never reused for another name that resolves to the same address
    with httpx.Client(follow_redirects=False, timeout=timeout,
                      limits=httpx.Limits(max_keepalive_connections=0),
                      headers={"User-Agent": USER_AGENT}) as client:
        for _hop in range(_MAX_REDIRECTS + 1):
            addresses = resolve(current, settings.allow_private)
            try:
                with contextlib.closing(_connect(client, current, addresses)) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        current = urljoin(current, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}",
                                         source=url)
                    declared = resp.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > settings.max_bytes:
                        raise TooLarge(f"download of {int(declared):,} bytes is over the limit "
                                       f"of {settings.max_bytes:,}", source=url)
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > settings.max_bytes:
                            raise TooLarge(f"download is over the limit of {settings.max_bytes:,} "
                                           "bytes", source=url)
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out after {settings.fetch_timeout:g} s",
                                             source=url)
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type", "")
                    media = ctype.split(";")[0].strip().lower()
                    m = re.search(r"charset\s*=\s*\"?([\w.-]+)", ctype, re.IGNORECASE)
                    return Fetched(current, b"".join(chunks), media, m.group(1) if m else None)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {settings.fetch_timeout:g} s", source=url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch: {exc}", source=url) from exc
    raise FetchError(f"more than {_MAX_REDIRECTS} redirects", source=url)


def _connect(client: Any, url: str, addresses: list[Address]) -> Any:
    """The streamed response from the first checked address that takes the connection
    (a host may publish an IPv6 address this machine cannot reach)."""
    import httpx

    error: Exception | None = None
    for address in addresses:
        target, headers, extensions = _pinned(url, address)
        request = client.build_request("GET", target, headers=headers, extensions=extensions)
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as exc:
            error = exc
    assert error is not None  # resolve() returns at least one address
    raise error


def read_url_list(text: str) -> list[str] | None:
    """The URLs of a URL-list file (one per line, '#' comments), or None if it is not one."""
    urls: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not is_url(s):
            return None
        urls.append(s)
    return urls or None
