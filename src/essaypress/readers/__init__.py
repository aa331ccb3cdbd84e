"""Turn essay files into model Essays: the registry of readers by file suffix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from ..errors import ReaderError
from ..model.nodes import Essay, SourceRef
from .docx import read_docx
from .markdown import read_markdown

MAX_ESSAY_BYTES = 50 * 1024 * 1024  # a .docx with its images
MAX_MARKDOWN_BYTES = 4 * 1024 * 1024  # about 1.3 million CJK characters: many books' worth


def _markdown(data: bytes, source: SourceRef) -> Essay:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(
            f"not UTF-8 text (byte {exc.start})", path=source.path, hint="save the file as UTF-8"
        ) from None
    return read_markdown(text.replace("\r\n", "\n").replace("\r", "\n"), source)


Reader = Callable[[bytes, SourceRef], Essay]
READERS: Mapping[str, Reader] = MappingProxyType(
    {".md": _markdown, ".markdown": _markdown, ".docx": read_docx}
)


def read_file(path: Path, display: str) -> Essay:
    """Read one essay file; ``display`` is the name used in messages (relative to the sources)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReaderError(
            f"cannot read {path.suffix or 'files without a suffix'}",
            path=display,
            hint="essays must be .md or .docx",
        )
    try:
        size = path.stat().st_size
        if path.suffix.lower() in (".md", ".markdown") and size > MAX_MARKDOWN_BYTES:
            raise ReaderError(
                f"Markdown file is {size / 2**20:.0f} MB, more than the 4 MB limit for one essay",
                path=display,
                hint="split it into several essays",
            )
        if size > MAX_ESSAY_BYTES:
            raise ReaderError(
                f"file is {size // 2**20} MB, more than the 50 MB limit", path=display
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot read the file: {exc.strerror}", path=display) from None
    return reader(data, SourceRef(display))
