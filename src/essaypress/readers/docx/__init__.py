"""Turn the bytes of a Word .docx file into a model Essay.

``_package`` opens the zip safely, ``_parse`` turns OOXML into docx-shaped
records, ``_convert`` maps the records to the model (the split of pandoc's
Docx reader).
"""

from __future__ import annotations

from ...errors import ReaderError
from ...model.nodes import Essay, SourceRef
from ._convert import convert
from ._package import Package
from ._parse import parse

__all__ = ["read_docx"]


def read_docx(data: bytes, source: SourceRef) -> Essay:
    """The Essay in ``data`` (a .docx), or a ``ReaderError`` naming ``source.path``."""
    try:
        return convert(parse(Package(data, source)), source)
    except RecursionError:
        raise ReaderError(
            "refused: the document is nested too deeply",
            path=source.path,
            hint="this is not an ordinary Word document",
        ) from None
