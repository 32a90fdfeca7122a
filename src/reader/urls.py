"""Which URLs may become article links and leave Reader for a browser, and which are one site.

Only http(s). A ``file:`` link is accepted only from a page that was itself read from
``file:`` (the bundled sample site and local folders); ``javascript:``, ``data:``, ``smb:``,
``tag:`` and every other scheme are kept as text at most.

One site is one registrable domain (news.example.com.cn and dy.example.com.cn, not
a.github.io and b.github.io), read off the Public Suffix List that the `publicsuffixlist`
package bundles: no download and no cache file, ever.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


_BARE_HOST = re.compile(r"^(?:localhost|[\w-]+(?:\.[\w-]+)+)(?::\d+)?(?:[/?#]|$)")


def typed_address(text: str) -> list[str]:
    """What a browser tries for an address as typed: one without a scheme that starts with a
    host (example.com/news) is https:// then http://; anything else is itself."""
    text = text.strip()
    if "://" in text or not _BARE_HOST.match(text):
        return [text]
    return ["https://" + text, "http://" + text]


def is_link_from(url: str, base_url: str) -> bool:
    """``url`` may be stored as a link on a page read from ``base_url``."""
    if is_web_url(url):
        return True
    try:
        return urlsplit(url).scheme.lower() == "file" == urlsplit(base_url).scheme.lower()
    except ValueError:
        return False


@functools.cache
def _suffixes() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList  # 0.7 ms to import: not at start

    return PublicSuffixList()  # the package's own snapshot of the list


def site(url: str) -> str:
    """The registrable domain of an http(s) URL's host (the host itself for an IP address or
    a name under no known suffix); "" when the URL has no host."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return ""
    return _registrable(host)


@functools.lru_cache(maxsize=4096)
def _registrable(host: str) -> str:
    """A page's links name a few hosts many times over."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        return _suffixes().privatesuffix(host) or host


def same_site(url: str, other: str) -> bool:
    """Both web URLs on one registrable domain, whatever the subdomain and scheme; or both
    ``file:`` URLs."""
    try:
        schemes = urlsplit(url).scheme.lower(), urlsplit(other).scheme.lower()
    except ValueError:
        return False
    if "file" in schemes:
        return schemes[0] == schemes[1]
    return is_web_url(url) and is_web_url(other) and site(url) == site(other)


_DOCUMENTS = {"pdf": "PDF", "ofd": "OFD", "doc": "DOC", "docx": "DOC", "wps": "DOC",
              "rtf": "RTF", "xls": "XLS", "xlsx": "XLS", "et": "XLS", "ppt": "PPT",
              "pptx": "PPT", "dps": "PPT", "zip": "ZIP", "rar": "RAR", "7z": "7Z"}


def document_type(url: str) -> str:
    """The kind of document (PDF, DOC, XLS...) a URL's path names, or "" for a page.

    Announcement lists (通知公告) link their items as files: they are kept as links, since
    there is no article page to read."""
    try:
        name = urlsplit(url).path.rsplit("/", 1)[-1]
    except ValueError:
        return ""
    _, dot, extension = name.rpartition(".")
    return _DOCUMENTS.get(extension.lower(), "") if dot else ""


# Query parameters that say who sent the reader, not which page it is.
_TRACKING = ("spm", "from")


def _tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING


def normalise(url: str) -> str:
    """The key an article is stored under: no fragment, no tracking parameters (utm_*,
    spm, from), scheme and host in lower case. Anything else in the query stays, in order:
    it may name the page."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if parts.scheme.lower() not in WEB_SCHEMES | {"file"}:
        return url
    query = "&".join(p for p in parts.query.split("&")
                     if p and not _tracking(p.partition("=")[0]))
    path = (parts.path or "/") if parts.netloc else parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def canonical(url: str, declared: str) -> str:
    """The URL to store a page under: the canonical it declares (<link rel=canonical>,
    og:url) when that is a web URL of the same site (so m./wap. pages join the desktop
    one), else its own; normalised either way. A page cannot claim another site's article."""
    if declared and is_web_url(declared) and same_site(declared, url):
        return normalise(declared)
    return normalise(url)
