"""What a fetch gives back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    status: int  # 2xx, or 304 when not_modified
    content_type: str  # media type only, lower case
    charset: str | None  # from the Content-Type header, normalised
    body: bytes  # decompressed, at most max_bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304
