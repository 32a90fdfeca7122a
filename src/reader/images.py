"""What an image download really is, read from its header bytes alone (no decoding, no I/O).

Only PNG, JPEG, GIF and WebP are kept. Anything else is refused, whatever its URL or
Content-Type claims: HTML error pages served as .png, truncated bodies, and SVG, which can carry
scripts. Dimensions come from the header so an image too large to decode safely is refused
before any decoder sees it.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib
from typing import NamedTuple

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7,
                       0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length field


class ImageInfo(NamedTuple):
    mime: str
    width: int
    height: int


def sniff(data: bytes) -> ImageInfo | None:
    """The image's type and size from its header, or None when it is not one we keep."""
    for reader in (_png, _jpeg, _gif, _webp):
        info = reader(data)
        if info is not None:
            return info if info.width > 0 and info.height > 0 else None
    return None


def acceptable(info: ImageInfo, *, max_pixels: int = 40_000_000) -> bool:
    """Whether the image is small enough to decode: a 20,000 x 20,000 PNG is 1.6 GB of RGBA."""
    return 0 < info.width * info.height <= max_pixels


# The largest picture the reading view needs: its column at twice the pixel density. A larger
# one is scaled down when it is downloaded, in the update's worker, so the window (which
# decodes on the GUI thread, see reader.ui.article_view) never decodes 40 Mpx.
MAX_SHOWN_WIDTH = 1600
MAX_SHOWN_PIXELS = 4_000_000
_SCALABLE = frozenset({"L", "LA", "RGB", "RGBA"})  # modes Pillow scales as they are
_ONE_AT_A_TIME = threading.Lock()  # a 40 Mpx decode holds up to 160 MB: one at a time


def shown_size(info: ImageInfo) -> tuple[int, int]:
    """The size an image is kept at: its own, or scaled down to the view's bounds."""
    scale = min(1.0, MAX_SHOWN_WIDTH / info.width,
                (MAX_SHOWN_PIXELS / (info.width * info.height)) ** 0.5)
    return max(1, int(info.width * scale)), max(1, int(info.height * scale))


def shrink(data: bytes, info: ImageInfo) -> tuple[bytes, ImageInfo]:
    """The image at its shown size, re-encoded (JPEG stays JPEG, the rest becomes PNG); the
    bytes as they are when they are no larger. None of Qt here: this runs in workers."""
    size = shown_size(info)
    if size == (info.width, info.height):
        return data, info
    from PIL import Image as Pillow  # on first use: most images need no scaling

    with _ONE_AT_A_TIME, Pillow.open(io.BytesIO(data)) as picture:
        picture.draft("RGB", size)  # JPEG decodes at a fraction of its size
        small = picture if picture.mode in _SCALABLE else picture.convert(
            "L" if picture.mode == "1" else "RGBA" if picture.mode.startswith("P") else "RGB")
        small.thumbnail(size, Pillow.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    if info.mime == "image/jpeg":
        small.convert("RGB").save(out, "JPEG", quality=85)
        return out.getvalue(), ImageInfo("image/jpeg", *small.size)
    small.save(out, "PNG")
    return out.getvalue(), ImageInfo("image/png", *small.size)


def viewable(data: bytes) -> bytes | None:
    """Cached bytes fit for the view to decode: scaled down when a library stored them
    before downloads were, None when they are no image this module keeps."""
    info = sniff(data)
    if info is None or not acceptable(info):
        return None
    try:
        return shrink(data, info)[0]
    except (OSError, ValueError):
        return None


class Pixels(NamedTuple):
    """A picture decoded for the view: rows of RGB bytes, or RGBA with `alpha`."""

    width: int
    height: int
    alpha: bool
    data: bytes


def pixels(data: bytes, width: int) -> Pixels | None:
    """The picture decoded and scaled down to `width` pixels at most, for a worker: Pillow
    lets go of the GIL while it decodes and resamples, where Qt's decoding through PySide holds
    it (and its smooth scaling waits on Qt's own threads). None for bytes this module does not
    keep or Pillow cannot read."""
    info = sniff(data)
    if info is None or not acceptable(info):
        return None
    from PIL import Image as Pillow

    try:
        with _ONE_AT_A_TIME, Pillow.open(io.BytesIO(data)) as picture:
            if picture.width > width and picture.mode in ("RGB", "L"):
                # A JPEG then decodes at 1/2, 1/4 or 1/8 of its size, no smaller than asked.
                picture.draft("RGB", (width, max(1, picture.height * width // picture.width)))
            alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            shown = picture.convert("RGBA" if alpha else "RGB")
            if shown.width > width:
                shown = shown.resize((width, max(1, round(shown.height * width / shown.width))),
                                     Pillow.Resampling.LANCZOS, reducing_gap=3.0)
            return Pixels(shown.width, shown.height, alpha, shown.tobytes())
    except (OSError, ValueError, Pillow.DecompressionBombError):
        return None


def fits_view(data: bytes) -> bool:
    """Whether the bytes are an image small enough to decode on the GUI thread."""
    info = sniff(data)
    return info is not None and shown_size(info) == (info.width, info.height)


def cache_key(data: bytes) -> str:
    """Images are stored by content, never by a name derived from their URL."""
    import hashlib  # OpenSSL's loading (3 ms) is not the window's start

    return hashlib.sha256(data).hexdigest()


def _png(data: bytes) -> ImageInfo | None:
    # Signature, then the IHDR chunk: length, type, width, height, ..., CRC.
    if not data.startswith(_PNG_SIGNATURE) or len(data) < 33:
        return None
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        return None
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(data[12:29]) != crc:
        return None  # a corrupt header says nothing reliable about the size
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("image/png", width, height)


def _jpeg(data: bytes) -> ImageInfo | None:
    if not data.startswith(b"\xff\xd8\xff"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image or start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if marker in _JPEG_SOF:
            if length < 8 or pos + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return ImageInfo("image/jpeg", width, height)
        if length < 2:
            return None
        pos += 2 + length
    return None


def _gif(data: bytes) -> ImageInfo | None:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return ImageInfo("image/gif", width, height)


def _webp(data: bytes) -> ImageInfo | None:
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":
        # Lossy: 3-byte frame tag, start code, then 14-bit width and height.
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("image/webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L":
        # Lossless: signature byte, then width-1 and height-1 in 14 bits each.
        if data[20] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[21:25])
        return ImageInfo("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        # Extended: flags, 3 reserved bytes, then 24-bit canvas width-1 and height-1.
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageInfo("image/webp", width, height)
    return None
