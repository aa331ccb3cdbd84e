"""Turn a laid-out print edition into plain data: where each printed page begins in the text.

The PDF writer makes a ``PageMap`` from WeasyPrint's layout and the EPUB
writer puts a page-break marker at each of its positions, so the ebook's
page numbers are the booklet's. A position is an essay (its index in reading
order: front matter, the parts' essays, back matter), a top-level block of
its body (the ``n``-th child of the essay's body, or ``HEAD`` for the title
block) and how many *countable* characters of that block come before the
page: characters that are neither white space nor invisible. Both writers
count the same way (``countable``), leaving out footnote text and note
numbers, so line breaking, hyphens and print-only invisible characters do
not shift the positions.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD = -1  # the essay's title block: the page where the essay begins
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where one printed page begins: its folio and a position in an essay."""

    label: str  # the page number as printed (or as counted, where none is printed)
    essay: int  # index in (*front, *body essays, *back)
    block: int  # top-level block of the essay's body, or HEAD
    offset: int  # countable characters of that block on earlier pages


@dataclass(frozen=True, slots=True)
class PageMap:
    """Every page of the print edition that begins or continues an essay's text, in order."""

    pages: tuple[PageStart, ...] = ()
    page_count: int = 0  # all pages of the print edition


def countable(text: str) -> str:
    """The characters of ``text`` that both writers count: no white space, nothing invisible."""
    return "".join(c for c in text if not c.isspace() and c not in INVISIBLE)
