"""Turn Markdown text (CommonMark + tables, footnotes, attributes, YAML front matter) into an Essay.

The parser is markdown-it-py with mdit-py-plugins; raw HTML is off, so tags
written in the text stay literal text. Choices worth knowing:

- Title: the front matter's ``title``; without one, a ``#`` heading that comes
  before any body text becomes the title and the other headings move up a
  level (``##`` becomes ``Heading(1)``).
- A paragraph holding only an image becomes a ``Figure`` captioned with the
  image's alt text (pandoc's implicit figures). Image ``src`` is kept as
  written (percent-escapes decoded); the pipeline resolves it.
- Block attributes (``{.class}`` on the line before) go on headings, code
  blocks, tables and figures; any other block is wrapped in a ``Div`` with them.
- A footnote referenced twice gets its ``Note`` at every reference (as pandoc
  does), with a warning; a reference inside a footnote stays literal text.
- A soft line break between two CJK characters disappears (see ``_md_cjk``).
- Text typed with a paragraph indent of four spaces is prose, not code: an
  indented block directly followed by an unindented line (a first-line indent)
  joins that paragraph; an indented block holding Chinese becomes a paragraph
  (one line) or verse lines. Fenced code and other indented blocks stay code.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import ReaderError
from ..log import warn
from ..model.build import inlines as normal
from ..model.nodes import (
    Align,
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
    SoftBreak,
    SourceRef,
    Str,
    Strikeout,
    Strong,
    Table,
    TableCell,
    TableRow,
)
from ..model.text import plain
from ..transforms.cjk_breaks import join_soft_breaks
from ._md_cjk import install_cjk_emphasis, join_cjk_softbreaks
from ._md_meta import front_matter

__all__ = ["MAX_DEPTH", "read_markdown"]

_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")

MAX_DEPTH = 32
"""Deepest nesting accepted (token levels: a quote is 1, a list 2, emphasis 1 each)."""


def _parser() -> MarkdownIt:
    # markdown-it silently drops blocks nested deeper than maxNesting: keep it above
    # MAX_DEPTH so that anything near it is refused by _check_depth instead.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_DEPTH + 8})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin).use(attrs_plugin).use(attrs_block_plugin)
    return install_cjk_emphasis(md)


_MD = _parser()


def read_markdown(text: str, source: SourceRef) -> Essay:
    """Read one Markdown essay; raise ``ReaderError`` (file:line) when it cannot be read."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(text.removeprefix("\ufeff"), env)
    _check_depth(tokens, source.path)
    meta = Meta()
    if tokens and tokens[0].type == "front_matter":
        meta = front_matter(tokens[0].content, source.path)
        tokens = tokens[1:]
    for tok in tokens:
        if tok.type == "inline" and tok.children:
            tok.children = join_cjk_softbreaks(tok.children)
    nodes = SyntaxTreeNode(tokens).children
    conv = _Converter(source.path, text, env, nodes)
    if not meta.title and nodes and nodes[0].type == "heading" and nodes[0].tag == "h1":
        conv.line = 1 + (nodes[0].map[0] if nodes[0].map else 0)
        meta = Meta(_trailing_attrs(conv.inlines(_inline(nodes[0])))[0], meta.subtitle,
                    meta.authors, meta.date, meta.lang, meta.tags)  # fmt: skip
        nodes, conv.shift = nodes[1:], 1
    blocks = conv.blocks(nodes)
    conv.report_unused()
    return Essay(meta, blocks, id="", resources=(), source=source)


def _check_depth(tokens: Sequence[Token], path: str) -> None:
    def inline_depth(children: Sequence[Token], base: int) -> int:
        deepest = depth = base
        for c in children:
            depth += c.nesting
            deepest = max(deepest, depth)
            if c.children:
                deepest = max(deepest, inline_depth(c.children, depth + 1))
        return deepest

    for tok in tokens:
        depth = inline_depth(tok.children, tok.level) if tok.children else tok.level
        if depth > MAX_DEPTH:
            raise ReaderError(
                f"Markdown nested more than {MAX_DEPTH} levels deep "
                "(quotes, lists or emphasis inside each other)",
                path=path, line=tok.map[0] + 1 if tok.map else None,
                hint="flatten the nesting",
            )  # fmt: skip


def _attr(attrs: dict[str, Any], skip: Sequence[str] = ()) -> Attr:
    kv = tuple((k, str(v)) for k, v in attrs.items() if k not in ("id", "class", *skip))
    return Attr(str(attrs.get("id", "")), tuple(str(attrs.get("class", "")).split()), kv)


_ALIGN: dict[str, Align] = {"left": "left", "center": "center", "right": "right"}


class _Converter:
    """Markdown syntax tree → model nodes, remembering the source line for messages."""

    def __init__(self, path: str, text: str, env: dict[str, Any],
                 nodes: Sequence[SyntaxTreeNode]) -> None:  # fmt: skip
        self.path, self.text, self.env = path, text, env
        self.shift = 0
        self.line: int | None = None
        self.in_note = False
        self.alt: tuple[Inline, ...] = ()  # alt text of the last image read
        self.built: dict[int, tuple[Block, ...]] = {}
        self.notes = {int(f.meta["id"]): f for n in nodes if n.type == "footnote_block"
                      for f in n.children}  # fmt: skip

    def where(self) -> SourceRef:
        return SourceRef(self.path, self.line)

    def blocks(self, nodes: Sequence[SyntaxTreeNode]) -> tuple[Block, ...]:
        out: list[Block] = []
        skip = False
        for i, n in enumerate(nodes):
            if skip:
                skip = False
                continue
            if n.map:
                self.line = n.map[0] + 1
            where = self.where()
            following = nodes[i + 1] if i + 1 < len(nodes) else None
            if n.type == "code_block" and (prose := self.indented_prose(n, following)):
                blocks, skip = prose
                out.extend(_located(b, where) for b in blocks)
                continue
            out.extend(_located(b, where) for b in self.block(n))
        return tuple(out)

    def indented_prose(
        self, n: SyntaxTreeNode, following: SyntaxTreeNode | None
    ) -> tuple[list[Block], bool] | None:
        """An indented "code block" that is prose typed with an indent (see the module notes):
        the blocks it becomes, and whether it swallowed the following paragraph."""
        joined = bool(
            following is not None
            and following.type == "paragraph"
            and n.map
            and following.map
            and following.map[0] == n.map[1]
        )
        if not joined and not _HAN.search(n.content):
            return None
        chunks = [
            [x.strip() for x in chunk.split("\n") if x.strip()]
            for chunk in re.split(r"\n[ \t]*\n", n.content.strip("\n"))
            if chunk.strip()
        ]
        out: list[Block] = []
        for i, lines in enumerate(chunks):
            if joined and i == len(chunks) - 1 and following is not None:
                runs: list[Inline] = []
                for line in lines:
                    runs.extend((Str(line), SoftBreak()))
                rest = self.inlines(_inline(following))
                out.append(Para(join_soft_breaks(normal([*runs, *rest]))))
            elif len(lines) == 1:
                out.append(Para(normal([Str(lines[0])])))
            else:
                out.append(LineBlock(tuple(normal([Str(x)]) for x in lines)))
        return out, joined

    def block(self, n: SyntaxTreeNode) -> list[Block]:
        attrs = dict(n.attrs)
        block: Block
        match n.type:
            case "paragraph":
                content = self.inlines(_inline(n))
                if len(content) == 1 and isinstance(content[0], Image):
                    return [Figure(content[0], self.alt, _attr(attrs))]
                block = Para(content)
            case "heading":
                level = int(n.tag[1:]) - self.shift
                if level < 1:
                    warn("heading-level", "a second `#` heading after the title: it becomes "
                         "a section heading", self.where())  # fmt: skip
                content, trailing = _trailing_attrs(self.inlines(_inline(n)))
                return [Heading(max(level, 1), content, _attr({**attrs, **trailing}))]
            case "blockquote":
                block = BlockQuote(self.blocks(n.children))
            case "bullet_list":
                block = BulletList(tuple(self.blocks(li.children) for li in n.children))
            case "ordered_list":
                items = tuple(self.blocks(li.children) for li in n.children)
                block = OrderedList(items, start=int(attrs.pop("start", 1)))
            case "fence" | "code_block":
                info, _, braces = n.info.strip().partition("{")
                lang = info.split()[0] if info.strip() else ""
                attr = _attr({**attrs, **_parse_attrs("{" + braces)} if braces else attrs)
                if lang:
                    attr = Attr(attr.id, (lang, *attr.classes), attr.kv)
                return [CodeBlock(n.content.removesuffix("\n"), attr)]
            case "hr":
                block = HorizontalRule()
            case "table":
                return [self.table(n, _attr(attrs))]
            case "footnote_block" | "footnote_anchor":
                return []
            case _:  # not produced with this parser's rules; keep the text, never drop it
                warn("markdown-unsupported", f"unsupported Markdown block `{n.type}`", self.where())
                if n.children:
                    return list(self.blocks(n.children))
                return [Para(normal([Str(n.content)]))] if n.content else []
        attr = _attr(attrs, ("start",))
        return [Div((block,), attr) if attr != Attr() else block]

    def table(self, n: SyntaxTreeNode, attr: Attr) -> Table:
        head: list[TableRow] = []
        body: list[TableRow] = []
        for section in n.children:
            rows = head if section.type == "thead" else body
            for tr in section.children:
                cells = []
                for cell in tr.children:
                    style = str(cell.attrs.get("style", ""))
                    align = _ALIGN.get(style.removeprefix("text-align:"), "default")
                    content = self.inlines(_inline(cell))
                    cells.append(TableCell((Para(content),) if content else (), align=align))
                rows.append(TableRow(tuple(cells)))
        return Table(tuple(head), tuple(body), attr=attr)

    def inlines(self, nodes: Sequence[SyntaxTreeNode]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for n in nodes:
            attrs = dict(n.attrs)
            match n.type:
                case "text" | "text_special":
                    out.append(Str(n.content))
                case "softbreak":
                    out.append(SoftBreak())
                case "hardbreak":
                    out.append(LineBreak())
                case "code_inline":
                    out.append(Code(n.content, _attr(attrs)))
                case "em":
                    out.append(Emph(self.inlines(n.children)))
                case "strong":
                    out.append(Strong(self.inlines(n.children)))
                case "s":
                    out.append(Strikeout(self.inlines(n.children)))
                case "link":
                    href, title = str(attrs.get("href", "")), str(attrs.get("title", ""))
                    attr = _attr(attrs, ("href", "title"))
                    out.append(Link(self.inlines(n.children), href, title, attr))
                case "image":
                    src = unquote(str(attrs.get("src", "")))
                    self.alt = alt = self.inlines(n.children)
                    out.append(Image(src, plain(alt), str(attrs.get("title", "")),
                                     _attr(attrs, ("src", "alt", "title"))))  # fmt: skip
                case "footnote_ref":
                    out.append(self.note(n))
                case _:
                    warn("markdown-unsupported", f"unsupported Markdown `{n.type}`", self.where())
                    out.append(Str(n.content))
        return normal(out)

    def note(self, n: SyntaxTreeNode) -> Inline:
        ident, label = int(n.meta["id"]), n.meta.get("label")
        inline = self.env["footnotes"]["list"].get(ident, {}).get("content", "")
        literal = Str(f"[^{label}]" if label is not None else f"^[{inline}]")
        if self.in_note:
            warn("footnote-nested", "a footnote inside a footnote is left as text", self.where())
            return literal
        if ident not in self.notes:
            return literal
        if ident not in self.built:
            saved, self.in_note = self.line, True
            self.built[ident] = self.blocks(self.notes[ident].children)
            self.line, self.in_note = saved, False
        elif label is not None:
            warn("footnote-repeated", f"footnote [^{label}] is referenced again: its text is "
                 "repeated at each reference", self.where())  # fmt: skip
        return Note(self.built[ident])

    def report_unused(self) -> None:
        refs = self.env.get("footnotes", {}).get("refs", {})
        for key, ident in refs.items():
            if ident == -1:
                label = key[1:]
                found = re.search(rf"^ {{0,3}}\[\^{re.escape(label)}\]:", self.text, re.M)
                line = self.text.count("\n", 0, found.start()) + 1 if found else None
                warn("footnote-unused", f"footnote [^{label}] is never referenced; its text is "
                     "left out", SourceRef(self.path, line))  # fmt: skip


def _located(block: Block, where: SourceRef) -> Block:
    """The block with its source line (blocks without a ``source`` field unchanged)."""
    if hasattr(block, "source") and getattr(block, "source", None) is None:
        located: Block = dataclasses.replace(block, source=where)  # type: ignore[arg-type]
        return located
    return block


def _trailing_attrs(content: tuple[Inline, ...]) -> tuple[tuple[Inline, ...], dict[str, str]]:
    """Split pandoc-style attributes off the end of a heading: ``# 第一章 {#ch1 .intro}``."""
    last = content[-1].text if content and isinstance(content[-1], Str) else ""
    start = last.rfind(" {") if last.endswith("}") else -1
    if start >= 0 and (attrs := _parse_attrs(last[start + 1 :])):
        return normal([*content[:-1], Str(last[:start].rstrip())]), attrs
    return content, {}


def _parse_attrs(text: str) -> dict[str, str]:
    """``{#id .class key=value}`` (the whole text) as a dict; ``{}`` if it is not that."""
    try:
        end, attrs = parse_attrs(text)
    except ParseError:
        return {}
    return attrs if end == len(text) - 1 else {}


def _inline(n: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    """The inline children of a paragraph, heading or table cell."""
    return next((c.children for c in n.children if c.type == "inline"), [])
