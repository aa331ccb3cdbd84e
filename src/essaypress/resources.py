"""Turn the image paths an essay names into in-memory resources, reading only inside the sources.

Remote URLs are never fetched; paths are percent-decoded and symlinks resolved
before the containment check; only known raster formats are accepted.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .log import warn
from .model.build import inlines
from .model.nodes import Block, Essay, Figure, Image, Inline, Para, Resource
from .model.walk import walk_blocks, walk_inlines

MAX_IMAGE_BYTES = 30 * 1024 * 1024
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """The media type and file extension of image bytes, or None if not a supported image."""
    for magic, media_type, ext in _MAGIC:
        if data.startswith(magic):
            return media_type, ext
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
        warn("image-outside", f"image {src!r} is outside the sources folder; left out", where)
        return None
    if not path.is_file():
        warn("image-missing", f"image {src!r} not found; left out", where)
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        warn("image-too-large", f"image {src!r} is larger than 30 MB; left out", where)
        return None
    data = path.read_bytes()
    kind = sniff(data)
    if kind is None:
        warn("image-format", f"image {src!r} is not PNG, JPEG or GIF; left out", where)
        return None
    media_type, ext = kind
    return Resource(f"img/{hashlib.sha256(data).hexdigest()[:16]}.{ext}", media_type, data)


def resolve_images(essay: Essay, essay_file: Path, root: Path) -> Essay:
    """Load every image the essay names (once each) and point ``Image.src`` at its resource."""
    known = {r.key: r for r in essay.resources}
    loaded: dict[str, Resource | None] = {}
    where = str(essay.source) if essay.source else essay_file.name

    def resolve(src: str) -> Resource | None:
        if src in known:
            return known[src]
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
    unique = {r.key: r for r in (*essay.resources, *new)}
    return dataclasses.replace(essay, resources=tuple(unique.values()))
