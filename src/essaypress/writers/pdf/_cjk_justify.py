"""Turn WeasyPrint 70's space-only justification into one that also spaces CJK characters.

WeasyPrint 70 justifies a line by widening U+0020 and U+00A0 only
(``count_expandable_spaces`` in ``weasyprint/layout/inline.py``), so a line
of Chinese, which has no spaces, stays ragged, and a mixed line puts all its
slack into its few Latin spaces. Inserting spaces between the characters
fills the lines but the spaces then sit in the PDF's text: copied text and
search get "一 二 三".

This module widens the *glyph advances* instead: while justifying, each CJK
character gets Pango letter-spacing (half before, half after; Pango drops the
outer half at the ends of a text box), so the text layer keeps exactly the
characters of the source. Punctuation Chinese shares with English (“ ” —
… ·) is spaced like CJK when it stands next to a CJK character. A gap never
grows beyond ``MAX_CJK_GAP_EM``: text extractors (poppler's pdftotext
starts a new word at a gap of 0.1 em) would read a wider one as a space. A
line with spaces gives them the rest; a line without keeps what is left.

It replaces three functions of WeasyPrint 70.0 while a document is laid out
and drawn, and only then (``cjk_justification()``). The replaced code is
fingerprinted: if WeasyPrint changes, the patch is not applied, a warning is
reported and ``tests/writers/test_pdf_cjk.py`` fails.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango

from ... import log

PINNED_VERSION = "70.0"
MAX_CJK_GAP_EM = 0.09  # the widest gap between two CJK characters (pdftotext: < 0.1 em)
# Ideographs, kana, bopomofo, CJK symbols and punctuation, full-width forms.
CJK = re.compile(
    "[\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\U00020000-\U0003ffff]"
)
# Punctuation shared with Latin text: spaced like CJK next to a CJK character.
SHARED = frozenset("\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2025\u2026\u2027\u2e3a")
_CJK_RUN = re.compile(CJK.pattern + "+")
_SHARED = re.compile("[" + "".join(sorted(SHARED)) + "]")
_INVISIBLE = "\u200b\u2060"  # zero-width space and word joiner (writers/pdf/_prepare.py)
# sha256 of the source of what is replaced or relied on, as in WeasyPrint 70.0
FINGERPRINTS = {
    "inline.justify_line": "f83b21ff8793ba6b6dfc5fe8e10e4ab6cd6e02b17de02da97200902166148a81",
    "inline.add_word_spacing": "879516e71f1b80fa1833aee877e1a34c851248c5fd871d6c855c58f07358d418",
    "inline.text_align": "e953d41b87ccfc30405f83f6cc3c73918ef4638662794db4f834b1d788d6ed67",
    "Layout.set_text": "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7",
    "Layout.reactivate": "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9",
    "line_break.create_layout": "6587192cc0ab3ffad7bb1902654c7f26dd28910f760804bcf67cbf7b986660b0",
}
_TARGETS: dict[str, Callable[..., Any]] = {
    "inline.justify_line": inline.justify_line,
    "inline.add_word_spacing": inline.add_word_spacing,
    "inline.text_align": inline.text_align,
    "Layout.set_text": line_break.Layout.set_text,
    "Layout.reactivate": line_break.Layout.reactivate,
    "line_break.create_layout": line_break.create_layout,
}
_ORIGINAL_SET_TEXT = line_break.Layout.set_text
_warned: list[str] = []


def fingerprints() -> dict[str, str]:
    """The sha256 of the installed WeasyPrint's source for every function the patch relies on."""
    return {
        name: hashlib.sha256(inspect.getsource(fn).encode()).hexdigest()
        for name, fn in _TARGETS.items()
    }


def unsupported() -> str:
    """Why the patch cannot be applied to the installed WeasyPrint, or ``""``."""
    if weasyprint.__version__ != PINNED_VERSION:
        return (
            f"WeasyPrint {weasyprint.__version__} is installed, the patch is for {PINNED_VERSION}"
        )
    changed = [k for k, v in fingerprints().items() if FINGERPRINTS[k] != v]
    if changed:
        return f"WeasyPrint's {', '.join(changed)} changed"
    return ""


@contextmanager
def cjk_justification() -> Iterator[bool]:
    """Inside the block, justified lines also stretch between CJK characters; yields if active."""
    reason = unsupported()
    if reason:
        if reason not in _warned:
            _warned.append(reason)
            log.warn(
                "pdf-cjk-justify",
                f"{reason}: Chinese lines are not justified — install weasyprint==70.0",
            )
        yield False
        return
    saved = inline.justify_line, inline.add_word_spacing, line_break.Layout.set_text
    inline.justify_line = _justify_line
    inline.add_word_spacing = _add_spacing
    line_break.Layout.set_text = _set_text
    try:
        yield True
    finally:
        inline.justify_line, inline.add_word_spacing = saved[0], saved[1]
        line_break.Layout.set_text = saved[2]


# ------------------------------------------------------------ opportunities


def expandable(text: str) -> list[int]:
    """Indexes of the characters that take letter-spacing: CJK, and shared punctuation by CJK."""
    found = [m.start() for m in CJK.finditer(text)]
    shared = [m.start() for m in _SHARED.finditer(text)]
    if shared:
        found = sorted(
            found + [i for i in shared if _cjk_near(text, i, -1) or _cjk_near(text, i, 1)]
        )
    return found


def _runs(text: str) -> list[tuple[int, int]]:
    """The runs of expandable characters as (start, end) indexes."""
    if not _SHARED.search(text):
        return [m.span() for m in _CJK_RUN.finditer(text)]
    runs: list[tuple[int, int]] = []
    for i in expandable(text):
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _cjk_near(text: str, i: int, step: int) -> bool:
    i += step
    while 0 <= i < len(text) and (text[i] in _INVISIBLE or text[i] in SHARED):
        i += step
    return 0 <= i < len(text) and CJK.match(text[i]) is not None


def opportunities(text: str) -> tuple[int, int]:
    """Spaces and CJK half-gaps in a text box: each CJK character has two, one at a box's ends."""
    spaces = text.count(" ") + text.count("\u00a0")
    count = len(text) - len(CJK.sub("", text))
    if not count:
        return spaces, 0
    if _SHARED.search(text):
        found = expandable(text)
        count, first, last = len(found), found[0] == 0, found[-1] == len(text) - 1
    else:
        first, last = CJK.match(text[0]) is not None, CJK.match(text[-1]) is not None
    return spaces, 2 * count - first - last


def _count(box: Any) -> tuple[int, int]:
    if isinstance(box, boxes.TextBox):
        return opportunities(box.text)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        spaces = halves = 0
        for child in box.children:
            s, h = _count(child)
            spaces, halves = spaces + s, halves + h
        return spaces, halves
    return 0, 0


# ------------------------------------------------------ replaced functions


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """``inline.justify_line``: share the slack between spaces and CJK gaps."""
    spaces, halves = _count(line)
    gaps = halves / 2
    if not spaces and not gaps:
        return
    cjk = min(extra_width / (spaces + gaps), MAX_CJK_GAP_EM * line.style["font_size"])
    space = (extra_width - cjk * gaps) / spaces if spaces else 0.0
    _add_spacing(context, line, space, 0.0, cjk_spacing=cjk)


def _add_spacing(
    context: Any,
    box: Any,
    justification_spacing: float,
    x_advance: float,
    cjk_spacing: float = 0.0,
) -> float:
    """``inline.add_word_spacing`` that also widens CJK characters by ``cjk_spacing``."""
    if isinstance(box, boxes.TextBox):
        box.justification_spacing = justification_spacing
        box.position_x += x_advance
        spaces, halves = opportunities(box.text)
        extra = justification_spacing * spaces + cjk_spacing * halves / 2
        if spaces or (halves and cjk_spacing):
            layout = _spaced_layout(context, box, justification_spacing)
            layout.cjk_spacing = cjk_spacing
            x_advance += extra
            box.width += extra
            box.pango_layout = layout
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        previous_x_advance = x_advance
        children = box.children
        if box.style["direction"] == "rtl":
            children = children[::-1]
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _add_spacing(
                    context, child, justification_spacing, x_advance, cjk_spacing
                )
        box.width += x_advance - previous_x_advance
    else:  # an atomic inline-level box
        box.translate(x_advance, 0)
    return x_advance


def _spaced_layout(context: Any, box: Any, justification_spacing: float) -> Any:
    """A deactivated layout of the box's text that draws with the given spacing.

    WeasyPrint builds a new Pango layout here only to throw it away (drawing
    rebuilds it from the text and the spacing); a copy of the box's own
    deactivated layout does the same without the Pango work.
    """
    own = getattr(box, "pango_layout", None)
    if own is not None and not hasattr(own, "layout") and getattr(own, "text", None) == box.text:
        layout = copy.copy(own)
        layout.justification_spacing = justification_spacing
        return layout
    layout = line_break.create_layout(
        box.text, box.style, context, max_width=None, justification_spacing=justification_spacing
    )
    layout.deactivate()
    return layout


def _set_text(self: Any, text: str, justify: bool = False) -> None:
    """``Layout.set_text``; when drawing a justified box, letter-space its CJK characters."""
    _ORIGINAL_SET_TEXT(self, text, justify)
    cjk_spacing = getattr(self, "cjk_spacing", 0.0)
    if not (justify and cjk_spacing) or not CJK.search(self.text):
        return
    letter_spacing = self.style["letter_spacing"]
    base = 0.0 if letter_spacing == "normal" else float(letter_spacing)
    units = int((cjk_spacing + base) * TO_UNITS)
    attr_list = pango.pango_layout_get_attributes(self.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    text, done, offset = self.text, 0, 0
    for first, end in _runs(text):  # one attribute per run of characters
        offset += len(text[done:first].encode())
        length = len(text[first:end].encode())
        attr = pango.pango_attr_letter_spacing_new(units)
        attr.start_index, attr.end_index = offset, offset + length
        pango.pango_attr_list_change(attr_list, attr)
        offset, done = offset + length, end
    pango.pango_layout_set_attributes(self.layout, attr_list)


__all__ = [
    "CJK",
    "PINNED_VERSION",
    "SHARED",
    "cjk_justification",
    "expandable",
    "fingerprints",
    "opportunities",
    "unsupported",
]
