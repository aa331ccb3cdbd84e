"""Read a PDF back the way a reader or a printer would: page texts, lines with positions, outline.

Shared by the PDF writer and imposition tests. Poppler (pdftotext, pdffonts)
and pypdf do the reading; nothing here knows how the PDF was made.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from essaypress.model.nodes import Anthology, Note, Para
from essaypress.model.text import plain, plain_blocks
from tests.conftest import need_tool

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
CJK_LETTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LEADER = re.compile(r"\.(?: ?\.){3,}")
CLOSING = "。，、；：！？」』）》〉"
OPENING = "「『（《〈"
MM = 72 / 25.4

# Skipped only outside `make test`: there (ESSAYPRESS_REQUIRE_TOOLS) a missing poppler fails.
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts"))
    and not os.environ.get("ESSAYPRESS_REQUIRE_TOOLS"),
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.pdf"
        path.write_bytes(pdf)
        exe = need_tool(tool, "poppler-utils")
        command = [exe, *args, str(path), "-"] if tool == "pdftotext" else [exe, *args, str(path)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout


def pages_text(pdf: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    text = poppler("pdftotext", pdf, *(["-layout"] if layout else []))
    return text.split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def font_rows(pdf: bytes) -> list[list[str]]:
    """``pdffonts`` rows: name, type…, emb, sub, uni, object, generation."""
    return [row.split() for row in poppler("pdffonts", pdf).splitlines()[2:]]


def outline_titles(pdf: bytes) -> list[Any]:
    """The outline as nested lists of titles: [title, [children…], title, …]."""
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items: list[Any]) -> list[Any]:
        return [walk(i) if isinstance(i, list) else i.title for i in items]

    return walk(reader.outline)


def outline_targets(pdf: bytes) -> dict[str, int]:
    """Each outline title → the 1-based page it points to."""
    reader = PdfReader(io.BytesIO(pdf))

    def flat(items: list[Any]) -> Iterator[Any]:
        for i in items:
            yield from flat(i) if isinstance(i, list) else (i,)

    found = {i.title: reader.get_destination_page_number(i) for i in flat(reader.outline)}
    return {title: n + 1 for title, n in found.items() if n is not None}


def leader_entries(pages: list[str], first: int = 0) -> dict[str, int]:
    """Every "text …… 12" entry (TOC, contributors index) from page ``first`` on: text → number.

    An entry's text starts after the previous entry, so a title that wrapped onto
    two lines (and a heading above it) is part of it: look titles up with ``listed``.
    """
    entries: dict[str, int] = {}
    pending = ""
    for page in pages[first:]:
        for line in lines(page):
            m = re.fullmatch(r"(.*?)\s*\.(?: ?\.)+\s*(\d+)", line)
            if m:
                entries[pending + squeeze(m[1])] = int(m[2])
                pending = ""
            else:
                pending += squeeze(line)
    return entries


def listed(entries: dict[str, int], title: str) -> list[int]:
    """The page numbers of the entries that name ``title``."""
    return [n for text, n in entries.items() if squeeze(title) in text]


def opening_pages(titles: list[str], pages: list[str]) -> dict[str, int]:
    """Each title → the first 1-based page that starts with that title (a page that opens).

    A recto after an opening also starts with the title (its running head), so
    the first such page is the opening.
    """
    starts = ["".join(squeeze(ln) for ln in lines(p)[:3]) for p in pages]
    found = {}
    for title in titles:
        hits = [i + 1 for i, start in enumerate(starts) if start.startswith(squeeze(title))]
        assert hits, f"no page opens with {title!r}"
        found[title] = hits[0]
    return found


# ------------------------------------------------------------ line geometry


@dataclass(frozen=True)
class Line:
    """One line of text as pdftotext -bbox-layout sees it, in points from the top left."""

    page: int  # 1-based
    x0: float
    x1: float
    y0: float
    y1: float
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.words)

    @property
    def height(self) -> float:
        return self.y1 - self.y0


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S
)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)


def text_lines(pdf: bytes) -> list[Line]:
    """Every line of every page, in pdftotext's reading order."""
    out = []
    xhtml = poppler("pdftotext", pdf, "-bbox-layout")
    for n, page in enumerate(_PAGE.finditer(xhtml), 1):
        for m in _LINE.finditer(page[3]):
            words = tuple(html.unescape(w) for w in _WORD.findall(m[5]))
            out.append(Line(n, float(m[1]), float(m[3]), float(m[2]), float(m[4]), words))
    return out


@dataclass(frozen=True)
class Fill:
    """How well the lines of body paragraphs fill the measure."""

    lines: int  # body lines that are not the last of their paragraph
    short: tuple[Line, ...]  # … of which end more than half a character short
    finals: int

    @property
    def short_share(self) -> float:
        return len(self.short) / self.lines if self.lines else 0.0


def body_lines(
    all_lines: list[Line], height: float, left: dict[int, float], em: float
) -> list[Line]:
    """Lines of body text: the body's line height, starting at the margin or one indent in."""
    tol = 0.6
    return [
        ln
        for ln in all_lines
        if abs(ln.height - height) < tol
        and (abs(ln.x0 - left[ln.page % 2]) < tol or abs(ln.x0 - left[ln.page % 2] - 2 * em) < tol)
    ]


def line_fill(
    all_lines: list[Line],
    *,
    height: float,
    em: float,
    left: dict[int, float],
    right: dict[int, float],
    pitch: float,
) -> Fill:
    """Measure body lines: a line is a paragraph's last unless the next body line runs on.

    The next line runs on when it starts at the margin (Chinese paragraphs open
    with a two-character indent) and sits one line pitch lower on the same page,
    or opens the next page's body when this line ends its page's body.
    """
    body = body_lines(all_lines, height, left, em)
    short, measured, finals = [], 0, 0
    for i, ln in enumerate(body):
        nxt = body[i + 1] if i + 1 < len(body) else None
        runs_on = (
            nxt is not None
            and abs(nxt.x0 - left[nxt.page % 2]) < 0.6
            and (
                (nxt.page == ln.page and abs(nxt.y0 - ln.y0 - pitch) < 1.0)
                or (
                    nxt.page == ln.page + 1
                    and all(b.page != ln.page or b.y0 <= ln.y0 for b in body)
                )
            )
        )
        if not runs_on:
            finals += 1
            continue
        measured += 1
        if right[ln.page % 2] - ln.x1 > em / 2:
            short.append(ln)
    return Fill(measured, tuple(short), finals)


def kinsoku_violations(all_lines: list[Line]) -> list[str]:
    """Lines that start with closing or end with opening punctuation (CJK lines only)."""
    bad = []
    for ln in all_lines:
        text = ln.text.strip()
        if not text or not CJK.search(text):
            continue
        if text[0] in CLOSING or text[-1] in OPENING:
            bad.append(f"p{ln.page}: {text}")
    return bad


def spaced_cjk(text: str) -> list[str]:
    """Places where a space sits between two CJK characters."""
    return re.findall(f"{CJK.pattern}[ \u00a0]+{CJK.pattern}", text)


def misplaced_footnotes(book: Anthology, pages: list[str]) -> tuple[int, list[str]]:
    """How many footnotes of the body's paragraphs were found, and those not on their call's page.

    A call is the four characters before it and its number (notes are numbered per
    essay); the note is its number, a full stop and its text (``pages`` from
    ``pages_text(pdf, layout=False)``). A call must appear on exactly one page.
    """
    flat = [squeeze(p) for p in pages]
    checked, wrong = 0, []
    for essay in book.essays:
        n = 0
        for block in essay.blocks:
            if not isinstance(block, Para):
                continue
            before = ""
            for inline in block.content:
                if isinstance(inline, Note):
                    n += 1
                    call = squeeze(before)[-4:] + str(n)
                    note = f"{n}." + squeeze(plain_blocks(inline.blocks))[:30]
                    on = [i for i, p in enumerate(flat) if call in p]
                    checked += 1
                    if len(on) != 1 or note not in flat[on[0]]:
                        wrong.append(f"{essay.id} note {n}: call on pages {[i + 1 for i in on]}")
                before += plain((inline,))
    return checked, wrong
