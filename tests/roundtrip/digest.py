"""Turn an essay into the digest a DOCX round trip must keep, and run the round trip.

See ``test_docx_roundtrip`` for what is compared and what is normalised.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import assert_never

from essaypress.layouts import load_layout
from essaypress.log import collect
from essaypress.model.nodes import (
    Anthology,
    Block,
    BlockQuote,
    BookMeta,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emph,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Link,
    Note,
    OrderedList,
    Para,
    Part,
    SmallCaps,
    SoftBreak,
    SourceRef,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableRow,
    Underline,
)
from essaypress.options import WriterOptions
from essaypress.readers.docx import read_docx
from essaypress.transforms import apply_transforms
from essaypress.writers.docx import write_docx
from essaypress.writers.names import script_of

# ------------------------------------------------------------------ the round trip


@cache
def options() -> WriterOptions:
    return WriterOptions(layout=load_layout("booklet-a5"), date="2026-11-01")


def write_one(essay: Essay) -> bytes:
    """The essay as the only one of an anthology with no title page text but the date."""
    lang = essay.meta.lang or "zh-Hant"
    book = Anthology(
        BookMeta("", lang=lang), (), (Part((), (dataclasses.replace(essay, id="e"),)),)
    )
    return write_docx(book, options())


def read_back(data: bytes) -> Essay:
    with collect():  # the reader's warnings are not what is tested here
        return read_docx(data, SourceRef("roundtrip.docx"))


def transformed(essay: Essay) -> Essay:
    """The essay as the pipeline hands it to the writers."""
    essay = dataclasses.replace(essay, id="e", source=None)
    book = Anthology(BookMeta("", lang=essay.meta.lang or "zh-Hant"), (), (Part((), (essay,)),))
    return apply_transforms(book).parts[0].essays[0]


# ----------------------------------------------------------------------- the digest

Run = tuple[frozenset[str], str, object]  # (marks, link, text or a nested digest)


class _Runs:
    """A paragraph's inlines as runs. A link is named by its place and URL (``"0 https:…"``),
    so two links in a row stay two, as they do in Word."""

    def __init__(self, images: dict[str, bytes]) -> None:
        self.images = images
        self.links = 0
        self.out: list[Run] = []

    def add(self, content: Iterable[Inline], marks: frozenset[str], link: str) -> None:
        for node in content:
            match node:
                case Str(text=t):
                    self.out.append((marks, link, t))
                case SoftBreak():
                    self.out.append((marks, link, " "))
                case LineBreak():
                    self.out.append((marks, link, "\n"))
                case Code(text=t):
                    self.out.append((marks | {"code"}, link, t))
                case (
                    Emph() | Strong() | Underline() | Strikeout() | Superscript() | Subscript()
                    | SmallCaps()
                ):  # fmt: skip
                    mark = type(node).__name__
                    # a link is underlined by its style: an Underline inside it cannot show
                    self.add(node.content, marks if link and mark == "Underline" else
                             marks | {mark}, link)  # fmt: skip
                case Span(content=c):
                    self.add(c, marks, link)
                case Link(content=c, url=u):
                    self.links += 1
                    self.add(c, marks - {"Underline"}, link or f"{self.links} {u}")
                case Image():
                    self.out.append((marks, link, ("image", _image(node, self.images),
                                                   node.alt)))  # fmt: skip
                case Note(blocks=bs):
                    self.out.append((frozenset(), "", ("note", digest_blocks(bs, self.images))))
                case _:
                    assert_never(node)


def _merge(runs: Iterable[Run]) -> list[Run]:
    """Adjacent runs of the same formatting as one text, but spaces without formatting:
    formatting on spaces does not show, and the reader moves spaces out of it (``*a *b``
    reads as ``*a* b``). A space stays in a link when the text on both sides is in it."""
    pieces: list[Run] = []
    for marks, link, text in _joined(runs):
        if isinstance(text, str):
            pieces += [(marks, link, part) for part in re.split(r"(\s+)", text) if part]
        else:
            pieces.append((marks, link, text))

    def blank(run: Run) -> bool:
        return isinstance(run[2], str) and not run[2].strip()

    out: list[Run] = []
    for i, (marks, link, text) in enumerate(pieces):
        if blank(pieces[i]):
            before = next((r[1] for r in reversed(pieces[:i]) if not blank(r)), None)
            after = next((r[1] for r in pieces[i + 1 :] if not blank(r)), None)
            marks, link = frozenset(), link if before == after == link else ""
        out.append((marks, link, text))
    return [(m, k, _spaces(t) if isinstance(t, str) else t) for m, k, t in _joined(out)]


def _spaces(text: str) -> str:
    """Runs of spaces as one space, spaces beside a line break as none: the reader
    collapses them, and no reader of the page can count them."""
    return re.sub(r"\s+", lambda m: "\n" * m.group().count("\n") or " ", text)


def _joined(runs: Iterable[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        last = out[-1] if out else None
        if (
            last is not None
            and isinstance(run[2], str)
            and isinstance(last[2], str)
            and (last[:2] == run[:2])
        ):
            out[-1] = (run[0], run[1], last[2] + run[2])
        elif run[2] != "":
            out.append(run)
    return out


def _image(image: Image, images: dict[str, bytes]) -> str:
    data = images.get(image.src)
    return hashlib.sha256(data).hexdigest()[:16] if data is not None else f"missing:{image.src}"


def digest_inlines(content: Iterable[Inline], images: dict[str, bytes]) -> tuple[Run, ...]:
    """The runs of a paragraph, without the spaces and line breaks at its edges, on either
    side of the notes there (the reader strips them: nobody can see them)."""
    walk = _Runs(images)
    walk.add(content, frozenset(), "")
    runs = _merge(walk.out)
    for order in (range(len(runs)), range(len(runs) - 1, -1, -1)):
        strip = str.lstrip if order.step == 1 else str.rstrip
        for i in order:
            marks, url, text = runs[i]
            if not isinstance(text, str):
                if _is_note(runs[i]):
                    continue  # look past a note at the edge
                break
            runs[i] = (marks, url, strip(text))
            if runs[i][2]:
                break
    return tuple(r for r in runs if r[2] != "")


def _is_note(run: Run) -> bool:
    return isinstance(run[2], tuple) and run[2][0] == "note"


def digest_blocks(blocks: Iterable[Block], images: dict[str, bytes]) -> tuple[object, ...]:
    out: list[object] = []
    for block in blocks:
        match block:
            case Para(content=c):
                runs = digest_inlines(c, images)
                if runs:  # a paragraph of spaces and breaks is not read back
                    out.append(("para", runs))
            case Heading(level=n, content=c):
                out.append(("heading", n, digest_inlines(c, images)))
            case BlockQuote(blocks=bs):
                inner = digest_blocks(bs, images)
                last = out[-1] if out else None
                if isinstance(last, tuple) and last[0] == "quote":  # Word has no boundary
                    out[-1] = ("quote", last[1] + inner)  # between two quotes in a row
                else:
                    out.append(("quote", inner))
            case BulletList(items=items):
                out.append(("bullets", tuple(digest_blocks(i, images) for i in items)))
            case OrderedList(items=items, start=start, style=style):
                digested = tuple(digest_blocks(i, images) for i in items)
                last = out[-1] if out else None
                if (  # a list whose numbers go on from the one before reads as one list
                    isinstance(last, tuple) and last[0] == "ordered" and last[2] == style
                    and last[1] + len(last[3]) == start
                ):  # fmt: skip
                    out[-1] = (*last[:3], last[3] + digested)
                else:
                    out.append(("ordered", start, style, digested))
            case LineBlock(lines=lines):
                out.append(("lines", tuple(digest_inlines(x, images) for x in lines)))
            case CodeBlock(text=t):
                last = out[-1] if out else None
                if isinstance(last, tuple) and last[0] == "code":  # code lines in a row are
                    out[-1] = ("code", f"{last[1]}\n{t}")  # one block in Word
                else:
                    out.append(("code", t))
            case Figure(image=img, caption=cap):
                out.append(("figure", _image(img, images), img.alt, digest_inlines(cap, images)))
            case Table(head=head, body=body, caption=cap):
                out.append(("table", digest_inlines(cap, images), _rows(head, images),
                            _rows(body, images)))  # fmt: skip
            case HorizontalRule():
                out.append(("rule",))
            case Div(blocks=bs):
                out.extend(digest_blocks(bs, images))
            case _:
                assert_never(block)
    return tuple(out)


def _rows(rows: Sequence[TableRow], images: dict[str, bytes]) -> tuple[object, ...]:
    return tuple(
        tuple((digest_blocks(c.blocks, images), c.colspan, c.rowspan, c.align) for c in r.cells)
        for r in rows
    )


def _lang(tag: str) -> str:
    return script_of(tag) if tag.lower().startswith("zh") else tag.split("-")[0].lower()


def digest(essay: Essay) -> dict[str, object]:
    """What the round trip keeps, in a form whose differences pytest shows readably."""
    images = {r.key: r.data for r in essay.resources}
    meta = essay.meta
    return {
        "title": digest_inlines(meta.title, images),
        "subtitle": digest_inlines(meta.subtitle, images),
        "authors": meta.authors,
        "lang": _lang(meta.lang),
        "blocks": digest_blocks(essay.blocks, images),
    }


def assert_round_trip(essay: Essay) -> None:
    written = transformed(essay)
    back = transformed(read_back(write_one(written)))
    assert digest(back) == digest(written)
