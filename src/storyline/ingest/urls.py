"""Fetching URLs with httpx: address checks, a timeout, and a size cap while streaming.

Every hop of a redirect is checked: a public page may not redirect to a private address.
The host is resolved and every address it resolves to must be public unless
`allow_private` is set. (The connection resolves the name again; a DNS server that answers
differently the second time could still steer it, which `allow_private=False` cannot rule
out without pinning the address.)
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
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


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified)


def check_host(url: str, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to a private, loopback, link-local or reserved address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme!r}", source=url)
    host = parts.hostname
    if not host:
        raise FetchError("the URL has no host", source=url)
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}", source=url) from exc
    for info in infos:
        address = info[4][0].split("%")[0]  # drop an IPv6 zone id
        if _blocked(ipaddress.ip_address(address)):
            raise FetchError(
                f"refused: {host} resolves to a private or reserved address ({address}); "
                "set allow_private to fetch it", source=url)


def fetch(url: str, settings: Settings) -> Fetched:
    """GET a URL under the settings' timeout and size cap; raises FetchError or TooLarge."""
    import httpx

    deadline = time.monotonic() + settings.fetch_timeout
    timeout = httpx.Timeout(settings.fetch_timeout)
    current = url
    with httpx.Client(follow_redirects=False, timeout=timeout,
                      headers={"User-Agent": USER_AGENT}) as client:
        for _hop in range(_MAX_REDIRECTS + 1):
            check_host(current, settings.allow_private)
            try:
                with client.stream("GET", current) as resp:
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
                    return Fetched(str(resp.url), b"".join(chunks), media,
                                   m.group(1) if m else None)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {settings.fetch_timeout:g} s", source=url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch: {exc}", source=url) from exc
    raise FetchError(f"more than {_MAX_REDIRECTS} redirects", source=url)


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
