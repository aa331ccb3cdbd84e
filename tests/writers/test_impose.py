"""Saddle-stitch imposition, checked from what each side of each sheet shows."""

from __future__ import annotations

import io
import math
import re
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, RectangleObject

from essaypress.errors import OutputError
from essaypress.writers.impose import SHEETS, impose_saddle, saddle_order
from tests.writers.pdfcheck import needs_poppler, poppler

A5 = (419.53, 595.28)


def numbered_pdf(pages: int, size: tuple[float, float] = A5) -> bytes:
    """A PDF whose page n shows "Pnn" in big letters (a standard font, nothing embedded)."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for n in range(1, pages + 1):
        page = writer.add_blank_page(*size)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 60 Tf 120 300 Td (P{n:02d}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sides(booklet: bytes) -> list[tuple[int, int]]:
    """(left, right) page numbers each side shows, read from the words' positions; 0: blank."""
    xhtml = poppler("pdftotext", booklet, "-bbox")
    found = []
    for page in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', xhtml, re.S):
        half = float(page[0]) / 2
        left = right = 0
        for x0, x1, word in re.findall(
            r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>P(\d+)<', page[1]
        ):
            if float(x1) <= half:
                left = int(word)
            elif float(x0) >= half:
                right = int(word)
            else:
                raise AssertionError(f"page {word} straddles the fold")
        found.append((left, right))
    return found


@needs_poppler
@pytest.mark.parametrize("pages", [1, 3, 4, 5, 8, 13, 19])
def test_booklet_sides_carry_the_pages_in_saddle_order(pages: int) -> None:
    booklet = impose_saddle(numbered_pdf(pages))
    padded = max(4, math.ceil(pages / 4) * 4)
    shown = sides(booklet)
    assert len(shown) == math.ceil(pages / 4) * 2
    assert shown[0] == (padded if padded <= pages else 0, 1)  # the first side: N′ and 1
    # every page exactly once; each side's two pages add up to N′ + 1 (they face across the fold)
    on_sides = [n for side in shown for n in side if n]
    assert sorted(on_sides) == list(range(1, pages + 1))
    assert shown == saddle_order(pages)
    for s, (front, back) in enumerate(zip(shown[::2], shown[1::2], strict=True)):
        expected_front = (padded - 2 * s, 2 * s + 1)
        expected_back = (2 * s + 2, padded - 2 * s - 1)
        assert front == tuple(n if n <= pages else 0 for n in expected_front)
        assert back == tuple(n if n <= pages else 0 for n in expected_back)


def test_saddle_order_of_eight_pages() -> None:
    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(6) == [(0, 1), (2, 0), (6, 3), (4, 5)]


@needs_poppler
@pytest.mark.parametrize("sheet", ["a4", "letter"])
def test_sides_are_landscape_sheets_and_pages_fit_against_the_fold(sheet: str) -> None:
    for size in (A5, (595.28, 841.89)):  # an A5 booklet, and A4 pages scaled down
        booklet = impose_saddle(numbered_pdf(8, size), sheet)
        reader = PdfReader(io.BytesIO(booklet))
        width, height = SHEETS[sheet]
        for page in reader.pages:
            assert (
                round(float(page.mediabox.width), 1),
                round(float(page.mediabox.height), 1),
            ) == (round(width, 1), round(height, 1))
        assert sides(booklet)[0] == (8, 1)


@needs_poppler
def test_pages_are_clipped_to_their_trim_box() -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(437, 612)  # A5 with a 3 mm bleed on every side
    page.trimbox = RectangleObject((8.5, 8.5, 428.5, 603.5))
    content = DecodedStreamObject()
    content.set_data(b"0 0 m 437 612 l S")  # a crop-mark-like line through the bleed
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    booklet = PdfReader(io.BytesIO(impose_saddle(out.getvalue())))
    resources: list[Any] = [p["/Resources"] for p in booklet.pages]
    forms = [x.get_object() for r in resources for x in r.get_object()["/XObject"].values()]
    assert [list(map(float, f["/BBox"])) for f in forms] == [[8.5, 8.5, 428.5, 603.5]]
    assert list(map(float, forms[0]["/Matrix"])) == [1, 0, 0, 1, -8.5, -8.5]


def test_the_same_pdf_gives_the_same_booklet() -> None:
    pdf = numbered_pdf(6)
    assert impose_saddle(pdf) == impose_saddle(pdf)


def test_an_unknown_sheet_is_refused() -> None:
    with pytest.raises(OutputError, match="sheet"):
        impose_saddle(numbered_pdf(2), "tabloid")
