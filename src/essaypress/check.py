"""Turn an anthology, read and with its structure found but not yet edited, into located
diagnostics: what ``essaypress check`` lists and ``essaypress build`` prints.

Each rule yields ``(code, severity, message, where)``; ``where`` is a block's
``SourceRef`` (``file:line`` for Markdown, ``file: paragraph N`` for DOCX) or the
essay's file. Rules that can fire many times in one essay (punctuation, quotes,
stray characters) report once per essay, at the first place, with a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .log import LOGGER, Diagnostic
from .model.nodes import (
    Anthology,
    Block,
    Essay,
    Figure,
    Heading,
    Image,
    LineBlock,
    Para,
    SourceRef,
    Table,
)
from .model.text import plain
from .model.walk import iter_nodes, query
from .options import Layout
from .resources import image_size
from .transforms._runs import run_text, script
from .transforms.punctuation import HALF_BETWEEN

Finding = tuple[str, str, str, object]  # code, severity, message, where
SEVERITIES = ("error", "warning", "info")
MIN_DPI = 300
_PX_PER_IN = 96.0
_MM_PER_IN = 25.4


def report(code: str, severity: str, message: str, where: object = None) -> None:
    """Report one diagnostic with its severity (``log.warn`` reports warnings only)."""
    diag = Diagnostic(code, message, "" if where is None else str(where), severity)
    LOGGER.warning(str(diag), extra={"diagnostic": diag})


def check_anthology(book: Anthology, layout: Layout | None = None) -> int:
    """Report every finding of every rule; the number reported."""
    count = 0
    for code, severity, message, where in findings(book, layout):
        report(code, severity, message, where)
        count += 1
    return count


def findings(book: Anthology, layout: Layout | None = None) -> Iterator[Finding]:
    essays = (*book.front, *book.essays, *book.back)
    yield from _duplicate_titles(essays)
    width = _text_width_mm(layout)
    for essay in essays:
        lang = essay.meta.lang or book.meta.lang
        yield from _essay(essay, lang, preface=essay in book.front, width_mm=width)


def _where(essay: Essay) -> object:
    return essay.source or essay.id or None


def _essay(essay: Essay, lang: str, *, preface: bool, width_mm: float) -> Iterator[Finding]:
    where = _where(essay)
    if not essay.blocks:
        yield ("empty-essay", "warning", "the essay has no text — check the file, or take "
               "it out of anthology.toml", where)  # fmt: skip
    if not essay.meta.title:
        yield ("no-title", "warning", "the essay has no title: the file name is used — give it "
               "a title in its front matter, a Title paragraph, or title = in anthology.toml",
               where)  # fmt: skip
    if not essay.meta.authors and not preface:
        yield ("no-author", "warning", "the essay names no author — add author: to its front "
               "matter, a byline (—— 姓名 / 作者：姓名 / by Name), or author = in anthology.toml",
               where)  # fmt: skip
    yield from _heading_levels(essay)
    runs = list(_runs(essay.blocks))
    if script(lang) != "other":
        yield from _punctuation(runs, where)
        yield from _stray(runs, lang, where)
    yield from _balance(runs, where)
    if width_mm > 0:
        yield from _images(essay, width_mm)


# ------------------------------------------------------------------ titles


def _duplicate_titles(essays: tuple[Essay, ...]) -> Iterator[Finding]:
    seen: dict[str, Essay] = {}
    for essay in essays:
        key = " ".join(plain(essay.meta.title).split()).casefold()
        if not key:
            continue
        if key in seen:
            first = seen[key]
            yield ("duplicate-title", "warning", f"the title {plain(essay.meta.title)!r} is also "
                   f"the title of {_where(first)} — readers cannot tell them apart in the "
                   "contents", _where(essay))  # fmt: skip
        else:
            seen[key] = essay


# ---------------------------------------------------------------- headings


def _heading_levels(essay: Essay) -> Iterator[Finding]:
    previous = 0
    for h in query(essay.blocks, Heading):
        if h.level > previous + 1:
            was = f"level {previous}" if previous else "the essay's title"
            yield ("heading-skip", "warning", f"heading {plain(h.content)!r} is level {h.level} "
                   f"right after {was}: a level is skipped — make it level {previous + 1}",
                   h.source or _where(essay))  # fmt: skip
        previous = h.level


# ------------------------------------------------------------------- text


Run = tuple[str, object, bool]  # text, where, whether the block is a top-level paragraph


def _runs(blocks: tuple[Block, ...]) -> Iterator[Run]:
    for b in blocks:
        for node in iter_nodes(b):
            match node:
                case Para(content=c) | Heading(content=c):
                    yield run_text(c), node.source, node is b
                case LineBlock(lines=lines):
                    yield "\n".join(run_text(x) for x in lines), node.source, False
                case Figure(caption=c) | Table(caption=c) if c:
                    yield run_text(c), node.source, False
                case _:
                    pass


def _first(runs: list[Run], essay_where: object) -> object:
    return next((w for _, w, _ in runs if w is not None), essay_where)


def _punctuation(runs: list[Run], where: object) -> Iterator[Finding]:
    hits = [(m.group(1), w) for text, w, _ in runs for m in HALF_BETWEEN.finditer(text)]
    if hits:
        marks = "".join(dict.fromkeys(h for h, _ in hits))
        yield ("mixed-punctuation", "warning", f"{len(hits)} half-width punctuation mark(s) "
               f"({marks}) between Chinese characters, which use full-width ones (，。；：？！) — "
               "essaypress build changes them; fix the source to keep it consistent",
               hits[0][1] or where)  # fmt: skip


def _stray(runs: list[Run], lang: str, where: object) -> Iterator[Finding]:
    from .transforms.zh_convert import stray_characters

    found: dict[str, None] = {}
    first: object = None
    for text, w, _ in runs:
        chars = stray_characters(text, lang)
        if chars and first is None:
            first = w or where
        found.update(dict.fromkeys(chars))
    if found:
        kind = script(lang)
        other = "Simplified" if kind == "zh-Hant" else "Traditional"
        code = "stray-simplified" if kind == "zh-Hant" else "stray-traditional"
        shown = "".join(list(found)[:12]) + ("…" if len(found) > 12 else "")
        yield (code, "warning", f"{len(found)} {other} character(s) in a {kind} essay: {shown} — "
               f"retype them, or build a {kind} edition (--edition {kind}) to convert",
               first)  # fmt: skip


_PAIRS = {"「": "」", "『": "』", "“": "”", "（": "）", "(": ")", "【": "】", "《": "》",
          "〈": "〉", "[": "]", "〔": "〕"}  # fmt: skip
_QUOTES = frozenset('「」『』“”"')
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_LIST_MARK = re.compile(r"^\s*[\w]{1,3}[)）]")


def _unbalanced(text: str) -> tuple[list[str], list[str]]:
    """Openers left open, and closers that close nothing open."""
    stack: list[str] = []
    stray: list[str] = []
    for ch in _LIST_MARK.sub("", text):
        if ch in _PAIRS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if _CLOSERS[ch] not in stack:
                stray.append(ch)
                continue
            while stack:  # close it, and leave out what it skips (also unbalanced)
                top = stack.pop()
                if top == _CLOSERS[ch]:
                    break
                stray.append(top)
    if text.count('"') % 2:
        stack.append('"')
    return stack, stray


def _balance(runs: list[Run], where: object) -> Iterator[Finding]:
    bad: dict[str, list[object]] = {"unbalanced-quotes": [], "unbalanced-brackets": []}
    for i, (text, w, top) in enumerate(runs):
        left, stray = _unbalanced(text)
        quotes = [c for c in left if c in _QUOTES]
        if quotes and top and not any(c in _QUOTES for c in stray):
            # a quotation going on into the next paragraph opens it again
            following = runs[i + 1][0].lstrip() if i + 1 < len(runs) else ""
            if following[:1] == quotes[0]:
                quotes = []
        if quotes or any(c in _QUOTES for c in stray):
            bad["unbalanced-quotes"].append(w or where)
        if any(c not in _QUOTES for c in (*left, *stray)):
            bad["unbalanced-brackets"].append(w or where)
    for code, places in bad.items():
        if places:
            what = "quotation marks" if code == "unbalanced-quotes" else "brackets"
            more = f" (and {len(places) - 1} more paragraph(s))" if len(places) > 1 else ""
            yield (code, "warning", f"{what} opened and not closed, or closed and not opened"
                   f"{more} — check the pairs 「」『』“”（）", places[0])  # fmt: skip


# ----------------------------------------------------------------- images


def _text_width_mm(layout: Layout | None) -> float:
    if layout is None:
        return 0.0
    return layout.page_width_mm - layout.margin_inner_mm - layout.margin_outer_mm


_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|mm|cm|in|px|pt)?\s*$")
_TO_MM = {"mm": 1.0, "cm": 10.0, "in": _MM_PER_IN, "pt": _MM_PER_IN / 72,
          "px": _MM_PER_IN / _PX_PER_IN, None: _MM_PER_IN / _PX_PER_IN}  # fmt: skip


def printed_width_mm(image: Image, pixels: int, text_width_mm: float) -> float:
    """How wide the image prints: its ``width`` attribute, else its size at 96 px per inch,
    never wider than the text."""
    natural = pixels / _PX_PER_IN * _MM_PER_IN
    width = dict(image.attr.kv).get("width", "")
    m = _LENGTH.match(width)
    if m:
        value, unit = float(m.group(1)), m.group(2)
        natural = text_width_mm * value / 100 if unit == "%" else value * _TO_MM[unit]
    return min(natural, text_width_mm)


def _images(essay: Essay, width_mm: float) -> Iterator[Finding]:
    data = {r.key: r.data for r in essay.resources}
    seen: set[str] = set()
    for block in iter_nodes(essay.blocks):
        if not isinstance(block, Para | Figure):
            continue
        images = [block.image] if isinstance(block, Figure) else query(block.content, Image)
        for image in images:
            if image.src in seen or image.src not in data:
                continue
            seen.add(image.src)
            size = image_size(data[image.src])
            if size is None:
                continue
            printed = printed_width_mm(image, size[0], width_mm)
            dpi = size[0] / (printed / _MM_PER_IN) if printed > 0 else 0
            if dpi < MIN_DPI:
                need = round(printed / _MM_PER_IN * MIN_DPI)
                name, where = image.alt or image.src, block.source or _where(essay)
                yield ("image-low-dpi", "warning", f"image {name!r} is {size[0]} px wide and "
                       f"prints {printed:.0f} mm wide: {dpi:.0f} dpi, below {MIN_DPI} — use a "
                       f"picture at least {need} px wide", where)  # fmt: skip


# ------------------------------------------------------------------- output

_LINE = re.compile(r"^(?P<file>.*):(?P<line>\d+)$")
_PARA = re.compile(r"^(?P<file>.*): paragraph (?P<paragraph>\d+)$")


def as_record(diag: Diagnostic) -> dict[str, Any]:
    """A diagnostic for ``--format json``: code, severity, message, file, line or paragraph."""
    record: dict[str, Any] = {"code": diag.code, "severity": diag.severity,
                              "message": diag.message, "file": diag.location}  # fmt: skip
    if m := _LINE.match(diag.location):
        record.update(file=m.group("file"), line=int(m.group("line")))
    elif m := _PARA.match(diag.location):
        record.update(file=m.group("file"), paragraph=int(m.group("paragraph")))
    return record


def location(where: SourceRef | None, fallback: str) -> str:
    return str(where) if where is not None else fallback
