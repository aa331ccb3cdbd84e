"""Turn a PDF of book pages into a saddle-stitched booklet: two pages a side, in folding order.

Print the result double-sided (flip on the short edge), fold the stack of
sheets in the middle and staple along the fold: the pages come out in
order. With N pages padded with blank ones to N′ (a multiple of four),
sheet ``s`` (from 0) carries pages N′−2s and 2s+1 on its front and 2s+2
and N′−2s−1 on its back; its first side has N′ and 1.

Each page is placed as a form XObject clipped to its trim box (bleed and
printer's marks are left out), scaled down if it does not fit half the
sheet, against the fold and centred vertically. The output has no random
identifier: the same input gives the same bytes.
"""

from __future__ import annotations

import io
import math
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
)

from ..errors import OutputError

# landscape sheets in points: width, height
SHEETS = {"a4": (841.8898, 595.2756), "letter": (792.0, 612.0)}


def saddle_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers for each side, sheet by sheet, front then back; 0: blank."""
    padded = max(4, math.ceil(pages / 4) * 4)
    sides = []
    for s in range(padded // 4):
        sides.append((padded - 2 * s, 2 * s + 1))
        sides.append((2 * s + 2, padded - 2 * s - 1))
    return [tuple(n if n <= pages else 0 for n in side) for side in sides]  # type: ignore[misc]


def impose_saddle(pdf: bytes, sheet: str = "a4") -> bytes:
    """The pages of ``pdf`` two-up on landscape ``sheet`` sides ("a4" or "letter")."""
    if sheet not in SHEETS:
        raise OutputError(f"unknown sheet size {sheet!r}", hint=f"use one of: {', '.join(SHEETS)}")
    reader = PdfReader(io.BytesIO(pdf))
    if not reader.pages:
        raise OutputError("the PDF to impose has no pages")
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"  # the pages embed OpenType (CFF) fonts: PDF 1.6 and later
    forms = [_form(writer, page) for page in reader.pages]
    width, height = SHEETS[sheet]
    half = width / 2
    for left, right in saddle_order(len(forms)):
        side = writer.add_blank_page(width, height)
        xobjects = DictionaryObject()
        ops = []
        for number, on_left in ((left, True), (right, False)):
            if not number:
                continue
            ref, (w, h) = forms[number - 1]
            scale = min(1.0, half / w, height / h)
            x = half - w * scale if on_left else half
            y = (height - h * scale) / 2
            name = f"/P{number}"
            xobjects[NameObject(name)] = ref
            ops.append(f"q {scale:.6f} 0 0 {scale:.6f} {x:.4f} {y:.4f} cm {name} Do Q")
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        side[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    if reader.metadata is not None:
        writer.add_metadata({k: str(v) for k, v in reader.metadata.items() if k != "/Producer"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(writer: PdfWriter, page: Any) -> tuple[Any, tuple[float, float]]:
    """The page as a form XObject in ``writer`` whose origin is its trim box's corner."""
    trim = RectangleObject(page.trimbox)
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                FloatObject(v) for v in (trim.left, trim.bottom, trim.right, trim.top)
            ),
            NameObject("/Matrix"): ArrayObject(
                FloatObject(v) for v in (1, 0, 0, 1, -float(trim.left), -float(trim.bottom))
            ),
        }
    )
    resources = _inherited(page, "/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.clone(writer)
    return writer._add_object(form.flate_encode()), (float(trim.width), float(trim.height))


def _inherited(node: Any, key: str) -> Any:
    """A page attribute, looked up through the page tree as PDF inheritance says."""
    seen = 0
    while node is not None and seen < 64:
        if key in node:
            return node.raw_get(key) if hasattr(node, "raw_get") else node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return None
