"""Turn the writer's state into one object: shared parts plus the current flow's settings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from docx.oxml.xmlchemy import BaseOxmlElement

from ...model.nodes import Block, Resource
from ._oxml.base import Story
from ._oxml.headers import RunningHeads
from ._oxml.notes import Footnotes
from ._oxml.numbering import Numbering
from ._styles import Styles

Role = Literal["body", "quote", "note", "cell", "cell_head", "list"]

_CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf"
                  "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")  # fmt: skip
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters from pasted text)."""
    return _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def is_chinese(lang: str) -> bool:
    return lang.lower().startswith("zh")


def word_lang(lang: str, default: tuple[str, str]) -> tuple[str, str]:
    """``(w:val, w:eastAsia)`` for a BCP 47 tag: zh-Hant → zh-TW, zh-Hans → zh-CN, en → en-US."""
    tag = lang.lower()
    if tag.startswith("zh"):
        if any(x in tag for x in ("hans", "cn", "sg", "my")):
            return default[0], "zh-CN"
        return default[0], "zh-HK" if any(x in tag for x in ("hk", "mo")) else "zh-TW"
    if tag in ("ja", "ja-jp"):
        return default[0], "ja-JP"
    if tag in ("ko", "ko-kr"):
        return default[0], "ko-KR"
    if not tag:
        return default
    if tag == "en":
        return "en-US", default[1]
    parts = lang.split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return (f"{parts[0].lower()}-{region.upper()}" if region else parts[0].lower()), default[1]


@dataclass
class TocEntry:
    level: int  # 1 = parts and essays, 2 = an essay's top sections
    text: str
    bookmark: str


@dataclass
class Shared:
    """What every flow of the document writes into."""

    styles: Styles
    notes: Footnotes
    heads: RunningHeads
    numbering: Numbering
    images: Mapping[str, Resource]
    text_width: int  # EMU
    text_height: int  # EMU
    default_lang: tuple[str, str]
    toc: list[TocEntry] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # Attr.id -> bookmark
    pending_links: list[tuple[BaseOxmlElement, str, str]] = field(default_factory=list)
    bookmarks: int = 0

    def new_bookmark(self) -> tuple[str, int]:
        self.bookmarks += 1
        return f"_Toc{self.bookmarks:08d}", self.bookmarks


NoteWriter = Callable[[Story, tuple[Block, ...], "Ctx"], None]


@dataclass
class Ctx:
    """One flow of text (an essay, a note, a cell) and where it stands."""

    shared: Shared
    write_note: NoteWriter
    lang: str = ""
    run_lang: tuple[str, str] | None = None  # set on runs when the essay's language differs
    where: str = ""  # the essay's source, for warnings
    role: Role = "body"
    plain: bool = False  # running heads: no notes, no links
    in_note: bool = False
    in_link: bool = False
    list_depth: int = 0
    after_heading: bool = True
