"""file:// sources: read only inside the source's own folder, under the same size cap."""

from __future__ import annotations

import email.utils
import mimetypes
import os
import stat
import urllib.request
from urllib.parse import unquote, urlsplit

from reader.errors import FetchError
from reader.fetch.messages import short, size
from reader.fetch.response import Response


def read_file(url: str, file_root: str | None, cap: int, if_modified_since: str | None
              ) -> Response:
    """A file:// URL, allowed only with a file_root (a local source's folder) and inside it."""
    if file_root is None:
        raise FetchError(f"refused non-http URL {short(url)}", url=url)
    path = file_path(url)
    if not inside(path, root_path(file_root)):
        raise FetchError(f"refused file outside the source folder {short(url)}", url=url)
    if os.path.isdir(path):
        path = os.path.join(path, "index.html")
    try:
        return _read_local(url, path, cap, if_modified_since)
    except OSError as e:
        reason = e.strerror or "cannot be read"
        raise FetchError(f"cannot read {short(url)}: {reason.lower()}", url=url) from e


def _read_local(url: str, path: str, cap: int, if_modified_since: str | None) -> Response:
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
    with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FetchError(f"refused special file {short(url)}", url=url)
        modified = email.utils.formatdate(info.st_mtime, usegmt=True)
        if if_modified_since == modified:
            return Response(url, 304, "", None, b"", None, modified)
        if info.st_size > cap:
            raise FetchError(f"response larger than {size(cap)}", url=url)
        body = f.read(cap + 1)  # the file may grow while we read it
    if len(body) > cap:
        raise FetchError(f"response larger than {size(cap)}", url=url)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return Response(url, 200, content_type, None, body, None, modified)


def file_path(url: str) -> str:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"refused file URL on another host {short(url)}", url=url)
    return os.path.realpath(urllib.request.url2pathname(unquote(parts.path)))


def root_path(file_root: str) -> str:
    if file_root.lower().startswith("file:"):
        return file_path(file_root)
    return os.path.realpath(file_root)


def inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False
