"""Turn the image paths an essay names into in-memory resources, reading only inside the sources.

Remote URLs are never fetched; paths are percent-decoded and symlinks resolved
before the containment check; only PNG, JPEG and GIF (known by their magic
bytes) are accepted, and only up to ``MAX_IMAGE_PIXELS``, read from the file's
header before anything decodes it. Every resource of an essay is screened that
way, whichever reader produced it. SVG is refused: it can carry scripts and
remote references, and Word cannot place it without a raster fallback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .log import warn
from .model.build import inlines
from .model.nodes import Block, Essay, Figure, Image, Inline, Para, Resource
from .model.walk import walk_blocks, walk_inlines

MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
"""Largest image (width × height) accepted: a 40-megapixel photo decodes to 160 MB."""
MAX_GIF_FRAMES = 1000

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
# JPEG start-of-frame markers (C4 DHT, C8 JPG and CC DAC are not frames).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# JPEG markers that stand alone, without a length: TEM, RST0-7, SOI.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})


def sniff(data: bytes) -> tuple[str, str] | None:
    """The media type and file extension of image bytes, or None if not a supported image."""
    for magic, media_type, ext in _MAGIC:
        if data.startswith(magic):
            return media_type, ext
    return None


def looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in head


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height (the largest frame) from a PNG, JPEG or GIF header; None if unreadable."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            if data[12:16] != b"IHDR":
                return None
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
        if data.startswith((b"GIF87a", b"GIF89a")):
            return _gif_size(data)
    except (struct.error, IndexError):
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The largest frame size declared before the first scan (SOS); None if none or unknown."""
    frames: list[tuple[int, int]] = []
    i = 2
    while i + 1 < len(data):
        if data[i] != 0xFF:
            return None  # not at a marker: a damaged file
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: the header is over
            break
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            frames.append((width, height))
        i += 2 + length
    if not frames or any(w == 0 or h == 0 for w, h in frames):
        return None  # no frame, or a height given later (DNL): cannot be checked up front
    return max(frames, key=lambda wh: wh[0] * wh[1])


def _gif_size(data: bytes) -> tuple[int, int] | None:
    """The largest of the logical screen and every frame of a GIF; None if damaged or too many."""
    sizes = [struct.unpack("<HH", data[6:10])]
    for count, frame in enumerate(_gif_frames(data)):
        if frame is None or count >= MAX_GIF_FRAMES:
            return None
        sizes.append(frame)
    return max(sizes, key=lambda wh: wh[0] * wh[1])


def _gif_frames(data: bytes) -> Iterator[tuple[int, int] | None]:
    """The size of each image of a GIF (None, then stop, where the file is damaged)."""

    def sub_blocks(i: int) -> int:
        while i < len(data) and data[i]:
            i += 1 + data[i]
        return i + 1

    flags = data[10]
    i = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while i < len(data):
        kind = data[i]
        if kind == 0x3B:  # trailer
            return
        if kind == 0x21:  # extension: label, then sub-blocks
            i = sub_blocks(i + 2)
        elif kind == 0x2C:  # image descriptor: x, y, width, height, flags
            width, height, local = struct.unpack("<HHB", data[i + 5 : i + 10])
            yield width, height
            i += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            i = sub_blocks(i + 1)  # LZW minimum code size, then the data
        else:
            yield None
            return


def image_problem(data: bytes) -> tuple[str, str] | None:
    """Why these image bytes are refused, as (warning code, reason), or None when they are fine."""
    if sniff(data) is None:
        if looks_like_svg(data):
            return "image-format", (
                "is an SVG drawing, which essaypress does not accept (SVG can carry scripts "
                "and links to other files) — export it as PNG"
            )
        return "image-format", "is not a PNG, JPEG or GIF image — save it as PNG or JPEG"
    if len(data) > MAX_IMAGE_BYTES:
        return "image-too-large", f"is larger than {MAX_IMAGE_BYTES // 2**20} MB — make it smaller"
    size = image_size(data)
    if size is None:
        return "image-format", "is damaged (its size cannot be read) — save it again as PNG or JPEG"
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        return "image-too-large", (
            f"is {width} × {height} pixels, more than the limit of "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels — scale it down"
        )
    return None


def _load(src: str, essay_file: Path, root: Path, where: str) -> Resource | None:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        warn(
            "remote-image",
            f"image {src!r} is not in the sources folder; remote files are "
            "never fetched — download it next to the essay and link it by its relative path",
            where,
        )
        return None
    path = (essay_file.parent / unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()):
        warn(
            "image-outside",
            f"image {src!r} is outside the sources folder; left out — "
            "copy it into the sources folder and link it by its relative path",
            where,
        )
        return None
    if not path.is_file():
        warn("image-missing", f"image {src!r} not found; left out", where)
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        warn("image-too-large", f"image {src!r} is larger than 30 MB; left out", where)
        return None
    data = path.read_bytes()
    problem = image_problem(data)
    if problem is not None:
        warn(problem[0], f"image {src!r} left out: it {problem[1]}", where)
        return None
    media_type, ext = sniff(data) or ("", "")
    return Resource(f"img/{hashlib.sha256(data).hexdigest()[:16]}.{ext}", media_type, data)


def resolve_images(essay: Essay, essay_file: Path, root: Path) -> Essay:
    """Load every image the essay names (once each) and point ``Image.src`` at its resource.

    Resources the reader already holds (a .docx's pictures) are screened too;
    an image that is refused leaves its caption (a figure) or nothing (inline).
    """
    where = str(essay.source) if essay.source else essay_file.name
    known = {r.key: r for r in essay.resources if _screened(r, where)}
    refused = {r.key for r in essay.resources} - set(known)
    loaded: dict[str, Resource | None] = {}

    def resolve(src: str) -> Resource | None:
        if src in known:
            return known[src]
        if src in refused:
            return None
        if src not in loaded:
            loaded[src] = _load(src, essay_file, root, where)
        return loaded[src]

    def figure(b: Block) -> Block | Sequence[Block] | None:
        if isinstance(b, Figure):
            res = resolve(b.image.src)
            if res is None:
                return [Para(b.caption)] if b.caption else []
            return dataclasses.replace(b, image=dataclasses.replace(b.image, src=res.key))
        return None

    def image(i: Inline) -> Inline | Sequence[Inline] | None:
        if isinstance(i, Image):
            res = resolve(i.src)
            return dataclasses.replace(i, src=res.key) if res else inlines(())
        return None

    essay = walk_inlines(walk_blocks(essay, figure), image)
    new = [r for r in loaded.values() if r is not None and r.key not in known]
    unique = {r.key: r for r in (*known.values(), *new)}
    return dataclasses.replace(essay, resources=tuple(unique.values()))


def _screened(resource: Resource, where: str) -> bool:
    """Whether a resource the reader produced passes the same checks as a file (warns if not)."""
    problem = image_problem(resource.data)
    if problem is not None:
        warn(problem[0], f"an image of the document ({resource.key}) left out: it {problem[1]}",
             where)  # fmt: skip
    return problem is None
