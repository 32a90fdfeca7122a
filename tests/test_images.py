"""reader.images on real files made with Pillow, and on the lies servers tell."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from reader.images import ImageInfo, Pixels, acceptable, cache_key, pixels, sniff


def encode(fmt: str, size: tuple[int, int] = (7, 5), mode: str = "RGB", **options: object) -> bytes:
    buffer = io.BytesIO()
    # Half-transparent in RGBA, so WebP must keep an alpha channel (and so a VP8X header).
    Image.new(mode, size, (255, 0, 0, 128)).save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (encode("PNG"), "image/png"),
        (encode("JPEG"), "image/jpeg"),
        (encode("JPEG", progressive=True), "image/jpeg"),  # SOF2
        (encode("JPEG", exif=Image.Exif().tobytes()), "image/jpeg"),  # APP1 before the frame
        (encode("GIF"), "image/gif"),
        (encode("WEBP", quality=80), "image/webp"),  # VP8
        (encode("WEBP", lossless=True), "image/webp"),  # VP8L
        (encode("WEBP", mode="RGBA", quality=80), "image/webp"),  # VP8X with alpha
    ],
)
def test_real_images_are_recognised(data: bytes, mime: str) -> None:
    assert sniff(data) == ImageInfo(mime, 7, 5)


def test_each_webp_flavour_is_covered() -> None:
    chunks = {encode("WEBP", **o)[12:16] for o in ({}, {"lossless": True})}
    chunks.add(encode("WEBP", mode="RGBA")[12:16])
    assert chunks == {b"VP8 ", b"VP8L", b"VP8X"}


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body>404 Not Found</body></html>",  # served as photo.png
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"",
        b"GIF89a",
    ],
)
def test_non_images_are_refused(data: bytes) -> None:
    assert sniff(data) is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_truncated_headers_are_refused(fmt: str) -> None:
    data = encode(fmt)
    cut = {"PNG": 20, "JPEG": 10, "GIF": 8, "WEBP": 20}[fmt]
    assert sniff(data[:cut]) is None


def png_header(width: int, height: int, *, crc_ok: bool = True) -> bytes:
    fields = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    crc = zlib.crc32(fields) ^ (0 if crc_ok else 1)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + fields + struct.pack(">I", crc)


def test_a_huge_png_is_measured_and_refused_without_decoding() -> None:
    info = sniff(png_header(20_000, 20_000))
    assert info == ImageInfo("image/png", 20_000, 20_000)
    assert not acceptable(info)


def test_a_corrupt_png_header_is_refused() -> None:
    assert sniff(png_header(20, 20, crc_ok=False)) is None
    assert sniff(png_header(0, 20)) is None


def test_acceptable_limits() -> None:
    assert acceptable(ImageInfo("image/jpeg", 4000, 3000))
    assert acceptable(ImageInfo("image/png", 100, 100), max_pixels=10_000)
    assert not acceptable(ImageInfo("image/png", 101, 100), max_pixels=10_000)


def test_cache_key_is_the_content_hash() -> None:
    data = encode("PNG")
    assert cache_key(data) == hashlib.sha256(data).hexdigest()
    assert cache_key(data) != cache_key(encode("PNG", size=(8, 5)))


def test_a_wide_photo_is_decoded_at_the_width_asked_and_a_small_one_as_it_is() -> None:
    photo = Image.linear_gradient("L").resize((1600, 1000)).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    wide = pixels(buffer.getvalue(), 704)
    assert isinstance(wide, Pixels)
    assert (wide.width, wide.height, wide.alpha) == (704, 440, False)
    assert len(wide.data) == 704 * 440 * 3
    # The gradient runs top to bottom: dark rows first, light ones last.
    assert wide.data[0] < 40 and wide.data[-1] > 215
    small = pixels(encode("PNG", (7, 5)), 704)
    assert small == Pixels(7, 5, False, bytes((255, 0, 0)) * 35)


def test_transparency_is_kept_and_what_is_no_picture_is_refused() -> None:
    shown = pixels(encode("PNG", (7, 5), mode="RGBA"), 704)
    assert shown == Pixels(7, 5, True, bytes((255, 0, 0, 128)) * 35)
    assert pixels(b"<svg xmlns='http://www.w3.org/2000/svg'/>", 704) is None
    assert pixels(encode("PNG")[:40], 704) is None  # a truncated download
