"""Response bodies: inflated here (never by urllib3) so the size cap holds after inflation."""

from __future__ import annotations

import io
import zlib
from typing import Any

from reader.charset import normalise
from reader.errors import FetchError
from reader.fetch.messages import size

CHUNK = 64 * 1024


class Body:
    """Collects a body, inflating gzip/deflate here so the cap applies to inflated bytes.

    zlib is asked for at most the room left under the cap, so a bomb never inflates further
    than the cap in memory.
    """

    def __init__(self, *, encoding: str, cap: int, url: str, status: int) -> None:
        self._cap = cap
        self._url = url
        self._status = status
        self._buffer = io.BytesIO()
        self._encoding = encoding
        self._wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(encoding, 0)
        self._inflater = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False  # any output yet: the raw-deflate fallback is only for the start
        self._member_done = False  # a whole gzip member inflated: what follows may be junk
        self._finished = False  # end of the compressed stream: trailing bytes are ignored

    def add(self, data: bytes) -> None:
        if self._inflater is None:
            self._write(data)
            return
        while data and not self._finished:
            data = self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        """Inflate what fits under the cap; returns the input still to be inflated."""
        assert self._inflater is not None
        try:
            out = self._inflater.decompress(data, self._room())
        except zlib.error:
            return self._recover(data)
        self._started = self._started or bool(out)
        self._write(out)
        if not self._inflater.eof:
            return self._inflater.unconsumed_tail
        self._member_done = True
        if self._encoding == "gzip" and self._inflater.unused_data:
            rest = self._inflater.unused_data  # another gzip member follows
            self._inflater = zlib.decompressobj(self._wbits)
            return rest
        self._finished = True
        return b""

    def _recover(self, data: bytes) -> bytes:
        if not self._started and self._wbits == zlib.MAX_WBITS:
            # Some servers send raw deflate without the zlib header.
            self._wbits = -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)
            return data
        if self._member_done:
            self._finished = True  # junk after a complete gzip member, as browsers allow
            return b""
        raise FetchError(f"could not decompress the response ({self._encoding})",
                         url=self._url, status=self._status)

    def _room(self) -> int:
        # Small steps as well: zlib builds its output in blocks and joins them, so one call
        # briefly holds twice what it returns.
        return min(self._cap - self._buffer.tell() + 1, CHUNK)

    def _write(self, data: bytes) -> None:
        if self._buffer.tell() + len(data) > self._cap:
            raise FetchError(
                f"response larger than {size(self._cap)}", url=self._url, status=self._status
            )
        self._buffer.write(data)

    def value(self) -> bytes:
        return self._buffer.getvalue()


def content_encoding(headers: Any, url: str) -> str:
    codings = [c.strip().lower() for c in headers.get("Content-Encoding", "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return "deflate" if codings[0] == "deflate" else "gzip"
    # Stacked encodings only serve to multiply a bomb's ratio; no real site needs them.
    raise FetchError(f"unsupported content encoding {', '.join(codings)}", url=url)


def media_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "application/octet-stream", None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = normalise(val)
    return media.strip().lower() or "application/octet-stream", charset
