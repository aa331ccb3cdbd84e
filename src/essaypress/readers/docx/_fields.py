"""Turn Word's complex fields (``w:fldChar`` begin/separate/end around ``w:instrText``) into
what the reader shows: the field's result, a link for HYPERLINK, nothing for a table of
contents, a ☐/☒ for a form checkbox, the chosen entry of a form drop-down.

Fields nest and may span paragraphs (a TOC always does), so the state lives on
the walker of one part, and paragraphs ask it what is open when they start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from ._ns import w
from ._records import Text
from ._styles import on
from ._symbols import CHECKBOX

Kind = Literal["", "link", "toc", "checkbox", "dropdown"]
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class LinkOpen:
    """Marks where a HYPERLINK field's result starts (folded into a Hyperlink record)."""

    url: str


@dataclass(frozen=True, slots=True)
class LinkClose:
    """Marks where a HYPERLINK field's result ends."""


@dataclass
class _Frame:
    instr: list[str] = field(default_factory=list)
    result: bool = False
    kind: Kind = ""
    url: str = ""
    checked: bool = False
    choice: str = ""


def instruction(instr: str) -> tuple[Kind, str]:
    """A field instruction's kind and, for HYPERLINK, its URL ("" for a link inside the file)."""
    tokens = [a if a is not None and b == "" else b for a, b in _TOKEN.findall(instr)]
    if not tokens:
        return "", ""
    name = tokens[0].upper()
    if name == "HYPERLINK":
        url = anchor = ""
        i = 1
        while i < len(tokens):
            switch = tokens[i].lower()
            if switch.startswith("\\"):
                if switch == "\\l" and i + 1 < len(tokens):
                    anchor = tokens[i + 1]
                i += 2 if switch in ("\\l", "\\o", "\\t") else 1
                continue
            url = url or tokens[i]
            i += 1
        return "link", f"{url}#{anchor}" if url and anchor else url
    if name == "TOC":
        return "toc", ""
    if name == "FORMCHECKBOX":
        return "checkbox", ""
    if name == "FORMDROPDOWN":
        return "dropdown", ""
    return "", ""


class Fields:
    """The fields open at the current point of a part's walk."""

    def __init__(self) -> None:
        self.stack: list[_Frame] = []

    @property
    def hidden(self) -> bool:
        """Whether text here is not shown: inside an instruction, or a table of contents."""
        return any(not f.result or f.kind == "toc" for f in self.stack)

    def open_links(self) -> list[LinkOpen]:
        """Links whose result continues from an earlier paragraph (opened again here)."""
        return [LinkOpen(f.url) for f in self.stack if f.result and f.kind == "link"]

    def fld_char(self, el: etree._Element) -> list[Text | LinkOpen | LinkClose]:
        kind = el.get(w("fldCharType"), "")
        if kind == "begin":
            if len(self.stack) < MAX_DEPTH:
                self.stack.append(_form(el))
            return []
        if not self.stack:
            return []
        frame = self.stack[-1]
        if kind == "separate" and not frame.result:
            return self._separate(frame)
        if kind == "end":
            out = [] if frame.result else self._separate(frame)
            self.stack.pop()
            if self.hidden:
                return []
            if frame.kind == "link":
                out.append(LinkClose())
            elif frame.kind == "checkbox":
                out.append(Text(CHECKBOX[frame.checked]))
            elif frame.kind == "dropdown" and frame.choice:
                out.append(Text(frame.choice))
            return out
        return []

    def instr_text(self, text: str) -> None:
        if self.stack and not self.stack[-1].result:
            self.stack[-1].instr.append(text)

    def _separate(self, frame: _Frame) -> list[Text | LinkOpen | LinkClose]:
        kind, url = instruction("".join(frame.instr))
        if kind:
            frame.kind = kind
        frame.url = url
        frame.result = True
        if frame.kind == "link" and not self.hidden:
            return [LinkOpen(url)]
        return []


def _form(begin: etree._Element) -> _Frame:
    """A new field, with the state of the form field it is (checkbox ticked, entry chosen)."""
    frame = _Frame()
    ff = begin.find(w("ffData"))
    if ff is None:
        return frame
    box = ff.find(w("checkBox"))
    if box is not None:
        checked = box.find(w("checked"))
        default = box.find(w("default"))
        frame.checked = on(checked) if checked is not None else on(default)
        frame.kind = "checkbox"
    drop = ff.find(w("ddList"))
    if drop is not None:
        entries = [e.get(w("val"), "") for e in drop.findall(w("listEntry"))]
        chosen = drop.find(w("result"))
        if chosen is None:
            chosen = drop.find(w("default"))
        try:
            index = int(chosen.get(w("val"), "0")) if chosen is not None else 0
        except ValueError:
            index = 0
        frame.choice = entries[index] if 0 <= index < len(entries) else ""
        frame.kind = "dropdown"
    return frame
