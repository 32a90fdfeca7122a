"""Which URLs may become article links and leave Reader for a browser.

Only http(s). A ``file:`` link is accepted only from a page that was itself read from
``file:`` (the bundled sample site and local folders); ``javascript:``, ``data:``, ``smb:``,
``tag:`` and every other scheme are kept as text at most.
"""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def is_link_from(url: str, base_url: str) -> bool:
    """``url`` may be stored as a link on a page read from ``base_url``."""
    if is_web_url(url):
        return True
    try:
        return urlsplit(url).scheme.lower() == "file" == urlsplit(base_url).scheme.lower()
    except ValueError:
        return False
