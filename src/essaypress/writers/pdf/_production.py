"""Turn the print options into WeasyPrint's PDF options, keeping every variant reproducible.

WeasyPrint 70 stamps PDF/X-4 (and X-5g) files with a random XMP
``xmpMM:DocumentID`` (``uuid4()`` in ``weasyprint/pdf/metadata.py``), and the
file identifier ``/ID`` is a digest of the content, so two builds differ.
While the PDF is written, ``uuid4`` there is replaced by a UUID derived from
the document's HTML and options: the same sources give the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from weasyprint.pdf import metadata as _metadata

from ... import log
from ...options import PDF_VARIANTS, PdfOptions


def pdf_options(opts: PdfOptions) -> dict[str, Any]:
    """Keyword arguments for ``Document.write_pdf``."""
    if not opts.variant:
        return {}
    if opts.variant not in PDF_VARIANTS:
        log.warn("pdf-variant", f"unknown PDF variant {opts.variant!r}; writing a plain PDF")
        return {}
    return {"pdf_variant": opts.variant}


def check_output_intent(opts: PdfOptions, color_profiles: Mapping[str, Any]) -> None:
    """PDF/X needs the printer's CMYK profile as output intent: warn when the layout has none."""
    if opts.variant.startswith("pdf/x") and "device-cmyk" not in color_profiles:
        log.warn(
            "pdf-x-intent",
            f"{opts.variant} without a CMYK output profile: the PDF has no "
            "output intent — put the printer's .icc file in the layout's pdf/ folder and add "
            "@color-profile device-cmyk { src: url(printer.icc) } to its layout.css",
        )


@contextmanager
def stable_document_id(seed: str) -> Iterator[None]:
    """Inside the block, WeasyPrint's XMP DocumentID is derived from ``seed``, not random."""
    if not hasattr(_metadata, "uuid4"):  # WeasyPrint changed: nothing to replace
        yield
        return
    digest = hashlib.sha256(seed.encode("utf-8", "surrogatepass")).digest()
    counter = iter(range(1_000_000))

    def derived() -> uuid.UUID:
        block = hashlib.sha256(digest + next(counter).to_bytes(4, "big")).digest()
        return uuid.UUID(bytes=block[:16], version=4)

    original = _metadata.uuid4
    _metadata.uuid4 = derived
    try:
        yield
    finally:
        _metadata.uuid4 = original
