"""Turn one Essay into Markdown with YAML front matter that essaypress's Markdown reader reads back.

The output is the dialect ``readers/markdown.py`` reads (CommonMark + pipe
tables, footnotes, strikethrough, ``{…}`` attributes). Text characters that
Markdown would take as markup are backslash-escaped, so the words read back as
written. What Markdown cannot hold is written as near as the text allows, and
the text itself is kept:

- the title, subtitle and author names are plain text (front matter);
- ``Underline``, ``Superscript``, ``Subscript``, ``SmallCaps`` and ``Span``
  keep their text without the formatting; a link inside a link keeps its text;
- verse (``LineBlock``) becomes a paragraph with hard line breaks; a line
  break in a heading or a table cell becomes a space;
- list numbering styles (``cjk``, roman, alphabetic) become decimal numbers;
- a table is a pipe table: cells become one line each, spans are dropped, a
  table without a head row gets its first row as the head, and a caption
  becomes a paragraph before it;
- a ``Div`` keeps its attributes only when it holds one plain block;
- a footnote inside a footnote becomes text in the outer note;
- a paragraph holding only an image comes back as a figure captioned with its alt text;
- spaces at the start or end of a paragraph line and an empty code span are lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import assert_never

from ..model.build import inlines as normal
from ..model.nodes import (
    Attr,
    Block,
    BlockQuote,
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
    Meta,
    Note,
    OrderedList,
    Para,
    SmallCaps,
    SoftBreak,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    TableRow,
    Underline,
)
from ..model.text import plain, plain_blocks

__all__ = ["essay_markdown", "front_matter"]

# Escaped wherever they stand: they open inline markup (or attributes, tables, entities).
_ALWAYS = re.compile(r"([\\`*_\[\]<{}|~])|&(?=#?\w+;)")
# Escaped at the start of a line: they open blocks there.
_LINE_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")
_WHITESPACE = frozenset("\t\n\v\f\r \xa0\u1680\u202f\u205f\u3000")
# As the reader's ``_md_cjk.CJK``: Han, kana, bopomofo, CJK punctuation, full-width forms.
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uff9f\uffe0-\uffef"
    "\U00020000-\U0003ffff]"
)


def essay_markdown(essay: Essay, images: Mapping[str, str] | None = None) -> str:
    """The essay as Markdown; ``images`` maps resource keys to the paths to link to."""
    w = _Writer(images or {})
    body = w.blocks(essay.blocks)
    out = [front_matter(essay.meta), body] if body else [front_matter(essay.meta)]
    if w.notes:
        out.append("\n\n".join(w.notes))
    return "\n\n".join(out) + "\n"


def front_matter(meta: Meta) -> str:
    """The essay's metadata as YAML between ``---`` lines (double-quoted strings only)."""
    lines = ["---"]
    if title := plain(meta.title).strip():
        lines.append(f"title: {_yaml(title)}")
    if subtitle := plain(meta.subtitle).strip():
        lines.append(f"subtitle: {_yaml(subtitle)}")
    authors = [p for p in meta.authors if p.name.strip()]  # a nameless author cannot be read
    if authors:
        lines.append("authors:")
        for person in authors:
            lines.append(f"  - name: {_yaml(person.name)}")
            if person.affiliation:
                lines.append(f"    affiliation: {_yaml(person.affiliation)}")
    if meta.date:
        lines.append(f"date: {_yaml(meta.date)}")
    if meta.lang:
        lines.append(f"lang: {_yaml(meta.lang)}")
    if meta.tags:
        lines.append(f"tags: [{', '.join(_yaml(t) for t in meta.tags)}]")
    return "\n".join([*lines, "---"])


def _yaml(s: str) -> str:
    """A YAML double-quoted scalar; anything not printable is written as an escape."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == " " or unicodedata.category(ch)[0] not in "CZ":
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return "".join([*out, '"'])


def escape(text: str) -> str:
    """Text with every character Markdown would read as inline markup backslash-escaped."""
    return _ALWAYS.sub(lambda m: "\\" + (m.group(1) or "&"), text)


def _attr(attr: Attr) -> str:
    """``{#id .class key="value"}``, or ``""`` for no attributes."""
    parts = [f"#{attr.id}"] if attr.id else []
    parts += [f".{c}" for c in attr.classes]
    parts += [f'{k}="{v}"' for k, v in attr.kv if '"' not in v and "\\" not in v]
    return "{" + " ".join(parts) + "}" if parts else ""


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        [first + lines[0], *((rest + line) if line else rest.rstrip() for line in lines[1:])]
    )


def _simplify(content: Sequence[Inline]) -> tuple[Inline, ...]:
    """Formatting Markdown cannot hold removed (its text kept), emphasis in a shape it can.

    Nested same-kind emphasis is flattened, and adjacent runs of the same kind are
    joined, so that ``*a**b*`` is never written; so are adjacent code spans.
    """
    out: list[Inline] = []
    for node in content:
        match node:
            case Underline(content=c) | Superscript(content=c) | Subscript(content=c):
                out.extend(_simplify(c))
            case SmallCaps(content=c) | Span(content=c):
                out.extend(_simplify(c))
            case Emph(content=c) | Strong(content=c) | Strikeout(content=c):
                inner = list(_simplify(_unwrap(type(node), c)))
                head: list[Inline] = []
                while inner and isinstance(inner[0], (SoftBreak, LineBreak)):
                    head.append(inner.pop(0))  # a line end goes outside the delimiters
                tail: list[Inline] = []
                while inner and isinstance(inner[-1], (SoftBreak, LineBreak)):
                    tail.insert(0, inner.pop())
                out.extend(head)
                if not inner:
                    out.extend(tail)
                    continue
                if not head and out and type(out[-1]) is type(node):
                    prev = out.pop()
                    assert isinstance(prev, (Emph, Strong, Strikeout))
                    inner = [*prev.content, *inner]
                out.append(type(node)(normal(inner)))
                out.extend(tail)
            case Link(content=c):
                out.append(Link(_simplify(_no_links(c)), node.url, node.title, node.attr))
            case Code(text=t, attr=a) if out and isinstance(out[-1], Code) and not a.id:
                prev = out[-1]
                if prev.attr == a:  # two code spans in a row would run into each other
                    out[-1] = Code(prev.text + t, a)
                else:
                    out.append(node)
            case _:
                out.append(node)
    return normal(out)


def _unwrap(kind: type, content: Sequence[Inline]) -> list[Inline]:
    """``content`` with emphasis of the same ``kind`` inside it dissolved."""
    out: list[Inline] = []
    for node in content:
        if type(node) is kind:
            assert isinstance(node, (Emph, Strong, Strikeout))
            out.extend(_unwrap(kind, node.content))
        elif isinstance(node, (Emph, Strong, Strikeout)):  # also inside other emphasis
            out.append(type(node)(tuple(_unwrap(kind, node.content))))
        else:
            out.append(node)
    return out


def _no_links(content: Sequence[Inline]) -> tuple[Inline, ...]:
    """``content`` (a link's text) with the links inside it replaced by their text."""
    out: list[Inline] = []
    for n in content:
        if isinstance(n, Link):
            out.extend(_no_links(n.content))
        elif isinstance(n, (Emph, Strong, Strikeout, Underline, Superscript, Subscript, SmallCaps)):
            out.append(type(n)(_no_links(n.content)))
        elif isinstance(n, Span):
            out.append(Span(_no_links(n.content), n.attr))
        else:
            out.append(n)
    return tuple(out)


class _Writer:
    """Blocks and inlines to Markdown; footnote definitions are collected for the end."""

    def __init__(self, images: Mapping[str, str]) -> None:
        self.images = images
        self.notes: list[str] = []
        self.in_note = False

    # ----------------------------------------------------------------- blocks

    def blocks(self, blocks: Sequence[Block]) -> str:
        out: list[str] = []
        previous: Block | None = None
        for block in blocks:
            text = self.block(block, previous)
            if text:
                out.append(text)
                previous = block
        return "\n\n".join(out)

    def block(self, block: Block, previous: Block | None) -> str:
        match block:
            case Para(content=c):
                return self.para(c)
            case Heading(level=level, content=c, attr=a):
                text = self.line(c).strip()
                if not text:
                    return ""  # a heading without text is no heading
                if text.endswith("#"):
                    text = text[:-1] + "\\#"
                attrs = _attr(a)
                return "#" * min(max(level, 1), 6) + " " + text + (f" {attrs}" if attrs else "")
            case BlockQuote(blocks=b):
                return _indent(self.blocks(b), "> ", "> ")
            case BulletList(items=items):
                bullet = "+" if isinstance(previous, BulletList) else "-"
                return self.items(items, lambda _: bullet)
            case OrderedList(items=items, start=start):
                delim = ")" if isinstance(previous, OrderedList) else "."
                return self.items(items, lambda i: f"{start + i}{delim}")
            case LineBlock(lines=lines):
                joined: list[Inline] = []
                for i, line in enumerate(lines):
                    joined.extend([LineBreak(), *line] if i else line)
                return self.para(normal(joined))
            case CodeBlock(text=t, attr=a):
                return self.code_block(t, a)
            case Figure(image=img, caption=cap, attr=a):
                attrs = _attr(a)
                figure = self.image(img, cap or ((Str(img.alt),) if img.alt else ()))
                return f"{attrs}\n{figure}" if attrs else figure
            case Table():
                return self.table(block)
            case HorizontalRule():
                return "* * *"
            case Div(blocks=b, attr=a):
                attrs = _attr(a)
                inner = self.blocks(b)
                if attrs and len(b) == 1 and isinstance(b[0], (Para, BlockQuote, BulletList)):
                    return f"{attrs}\n{inner}"
                return inner
            case _:
                assert_never(block)

    def para(self, content: Sequence[Inline]) -> str:
        text = self.inlines(content)
        while text.endswith("\n"):  # a line break at the end of a paragraph is not kept
            text = text.removesuffix("\n").removesuffix("\\")
        return "\n".join(self.line_start(line) for line in text.split("\n"))

    @staticmethod
    def line_start(line: str) -> str:
        stripped = line.lstrip(" ")
        if stripped != line:
            line = stripped  # leading spaces are not text in Markdown
        if re.fullmatch(r"([*_]\s*){3,}", line):
            return "\\" + line
        m = _LINE_START.match(line)
        if m is None:
            return line
        if m.group(1)[0].isdigit():  # "1." and "1)" start ordered lists: escape the dot
            return m.group(1) + "\\" + line[m.end() :]
        return "\\" + line

    def items(self, items: Sequence[Sequence[Block]], marker: Callable[[int], str]) -> str:
        out = []
        for i, item in enumerate(items):
            mark = marker(i)
            body = self.blocks(item)
            pad = " " * (len(mark) + 1)
            out.append(_indent(body, mark + " ", pad) if body else mark)
        return "\n".join(out) if all(len(it) <= 1 for it in items) else "\n\n".join(out)

    def code_block(self, text: str, attr: Attr) -> str:
        runs = re.findall(r"^ *(`{3,})", text, flags=re.M)
        fence = "`" * max(3, *(len(r) + 1 for r in runs)) if runs else "```"
        info = ""
        classes = attr.classes
        if classes:
            info, classes = classes[0], classes[1:]
        rest = _attr(Attr(attr.id, classes, attr.kv))
        if rest:
            info = f"{info} {rest}" if info else rest
        return f"{fence}{info}\n{text}\n{fence}" if text else f"{fence}{info}\n{fence}"

    def table(self, table: Table) -> str:
        caption = self.para(table.caption) if table.caption else ""
        rows: list[TableRow] = [*table.head, *table.body]
        if not rows:
            return caption
        width = max(sum(c.colspan for c in r.cells) for r in rows) or 1
        aligns = [c.align for c in rows[0].cells] + ["default"] * width

        def row(r: TableRow) -> str:
            cells = [self.cell(c) for c in r.cells]
            cells += [""] * (width - len(cells))
            return "| " + " | ".join(cells) + " |"

        rule = {"default": "---", "left": ":---", "center": ":---:", "right": "---:"}
        lines = [row(rows[0]), "| " + " | ".join(rule[a] for a in aligns[:width]) + " |"]
        lines += [row(r) for r in rows[1:]]
        attrs = _attr(table.attr)
        text = "\n".join(lines)
        return "\n\n".join(x for x in (caption, f"{attrs}\n{text}" if attrs else text) if x)

    def cell(self, cell: TableCell) -> str:
        parts = []
        for b in cell.blocks:
            if isinstance(b, (Para, Heading)):
                parts.append(self.line(b.content))
            else:
                parts.append(escape(plain_blocks((b,)).replace("\n", " ")))
        return " ".join(p for p in parts if p)

    # ---------------------------------------------------------------- inlines

    def line(self, content: Sequence[Inline]) -> str:
        """Inlines on one line (headings, table cells): line breaks become spaces."""
        flat = [Str(" ") if isinstance(n, (SoftBreak, LineBreak)) else n for n in content]
        return self.inlines(normal(flat)).replace("\\\n", " ").replace("\n", " ")

    def inlines(self, content: Sequence[Inline], before: str = " ", after: str = " ") -> str:
        """Inlines as Markdown; ``before`` and ``after`` are the characters around them.

        Whether emphasis delimiters are read as such depends on the characters next
        to them, which depend on how the neighbours are written: the sequence is
        written again with the neighbours of the last pass until nothing changes.
        """
        nodes = _simplify(content)
        mark = len(self.notes)
        done: list[str] | None = None
        for _ in range(4):
            del self.notes[mark:]  # numbered again in this pass
            out: list[str] = []
            for i, node in enumerate(nodes):
                prev = "".join(out)[-1:] or before
                if i + 1 == len(nodes):
                    nxt = after
                elif done is not None:
                    nxt = "".join(done[i + 1 :])[:1] or after
                else:
                    nxt = _first(nodes[i + 1])
                out.append(self.inline(node, prev, nxt))
            if out == done:
                break
            done = out
        assert done is not None
        text = "".join(done)
        # spaces before a line end would be lost, two or more would make a hard break;
        # a blank line would end the paragraph
        text = re.sub(r"[ \t]+(?=\\?\n)", "", text)
        return re.sub(r"\n(?:[ \t]*\n)+", "\n", text)

    def emphasis(self, delim: str, content: Sequence[Inline], before: str, after: str) -> str:
        """Emphasis between ``before`` and ``after``: outer spaces go outside the delimiters,
        ``_`` stands in for ``*`` where a ``*`` is next to it (touching runs merge), and
        where no delimiter would be read as such, the text stands alone."""
        notes = len(self.notes)
        for char in dict.fromkeys((delim[0], "_") if delim[0] == "*" else (delim[0],)):
            if char in (before, after):
                continue
            d = char * len(delim)
            del self.notes[notes:]
            inner = self.inlines(content, char, char)
            core = inner.strip()
            lead = inner[: len(inner) - len(inner.lstrip())]
            trail = inner[len(inner.rstrip()) :]
            if core and _can_wrap(d, lead[-1:] or before, core, trail[:1] or after):
                return f"{lead}{d}{core}{d}{trail}"
        del self.notes[notes:]
        return self.inlines(content, before, after)

    def inline(self, node: Inline, before: str, after: str) -> str:
        """Markdown for one inline between the characters ``before`` and ``after``."""
        match node:
            case Str(text=t):
                return escape(t)
            case SoftBreak():
                return "\n"
            case LineBreak():
                return "\\\n"
            case Emph(content=c):
                return self.emphasis("*", c, before, after)
            case Strong(content=c):
                return self.emphasis("**", c, before, after)
            case Strikeout(content=c):
                return self.emphasis("~~", c, before, after)
            case (
                Underline(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
                | Span(content=c)
            ):
                return self.inlines(c)
            case Code(text=t, attr=a):
                if before == "`":  # code spans that touch run together: keep the text
                    return escape(t)
                return self.code(t) + _attr(a) if t else ""
            case Link(content=c, url=url, title=title, attr=a):
                return f"[{self.inlines(c)}]({_destination(url)}{_title(title)}){_attr(a)}"
            case Image():
                return self.image(node, (Str(node.alt),) if node.alt else ())
            case Note(blocks=b):
                return self.note(b)
            case _:
                assert_never(node)

    def code(self, text: str) -> str:
        text = text.replace("\n", " ")
        longest = max((len(r) for r in re.findall("`+", text)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        if text.startswith(" ") and text.endswith(" ") and text.strip(" "):
            pad = " "
        return f"{fence}{pad}{text}{pad}{fence}"

    def image(self, img: Image, alt: Sequence[Inline]) -> str:
        src = self.images.get(img.src, img.src)
        return f"![{self.inlines(alt)}]({_destination(src)}{_title(img.title)}){_attr(img.attr)}"

    def note(self, blocks: Sequence[Block]) -> str:
        if self.in_note:  # Markdown has no note inside a note: keep its text in the outer one
            return escape(" " + plain_blocks(blocks, notes=True).replace("\n\n", " "))
        self.in_note = True
        try:
            body = self.blocks(blocks)
        finally:
            self.in_note = False
        label = str(len(self.notes) + 1)
        self.notes.append(_indent(body, f"[^{label}]: ", "    ") if body else f"[^{label}]: ")
        return f"[^{label}]"


def _first(node: Inline) -> str:
    """The first character ``node`` will probably be written with (a first guess)."""
    match node:
        case Str(text=t):
            return escape(t[:1])[:1] or " "
        case Emph() | Strong():
            return "*"
        case Strikeout():
            return "~"
        case Code():
            return "`"
        case Link() | Note():
            return "["
        case Image():
            return "!"
        case SoftBreak() | LineBreak():
            return "\n"
        case Underline(content=c) | Superscript(content=c) | Subscript(content=c):
            return _first(c[0]) if c else " "
        case SmallCaps(content=c) | Span(content=c):
            return _first(c[0]) if c else " "
        case _:
            assert_never(node)


def _space(ch: str) -> bool:
    return ch in _WHITESPACE or "\u2000" <= ch <= "\u200a"


def _punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _opens(before: str, first: str) -> bool:
    """Whether a delimiter between ``before`` and ``first`` can open (CommonMark left-flanking,
    with the reader's rule that a CJK character before it counts like punctuation)."""
    if _space(first):
        return False
    return not _punct(first) or _space(before) or _punct(before) or bool(_CJK.match(before))


def _closes(last: str, after: str) -> bool:
    """Whether a delimiter between ``last`` and ``after`` can close (right-flanking, CJK rule)."""
    if _space(last):
        return False
    return not _punct(last) or _space(after) or _punct(after) or bool(_CJK.match(after))


def _can_wrap(delim: str, before: str, core: str, after: str) -> bool:
    """Whether ``before + delim + core + delim + after`` is read as emphasis of ``core``."""
    opens, closes = _opens(before, core[0]), _closes(core[-1], after)
    if delim[0] != "_":
        return opens and closes
    # `_` must not open or close inside a word
    opens = opens and (not _closes(before, core[0]) or _punct(before))
    closes = closes and (not _opens(core[-1], after) or _punct(after))
    return opens and closes


def _destination(url: str) -> str:
    if url and not re.search(r"[\s<>()\\]", url):
        return url
    return "<" + re.sub(r"([<>\\])", r"\\\1", url).replace("\n", "%0A") + ">"


def _title(title: str) -> str:
    if not title:
        return ""
    return ' "' + re.sub(r'(["\\])', r"\\\1", title) + '"'
