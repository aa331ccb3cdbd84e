"""Turn the bytes of a Word .docx file into a model Essay.

``_package`` opens the zip safely; ``_parse`` (blocks, with ``_styles`` and
``_numbering``) and ``_runs`` (inside paragraphs: ``_fields``, ``_images`` for
pictures, text boxes and SmartArt, ``_math``, ``_symbols``) turn OOXML into
docx-shaped records; ``_convert`` maps the records to the model (``_roles``,
``_lists``, ``_tables``, ``_visual``); ``_essay`` adds the typed conventions
(shared with every reader, in ``transforms.conventions``) and the document
properties. The split is pandoc's Docx reader's.
"""

from __future__ import annotations

from ...errors import ReaderError
from ...model.nodes import Essay, SourceRef
from ._essay import convert
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
