"""Turn ids and titles into safe package names, plain text and language conventions."""

from __future__ import annotations

import re

from ...model.nodes import Person

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

LABELS: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "toc": "目錄",
        "landmarks": "導覽",
        "titlepage": "書名頁",
        "body": "正文",
        "back": "附錄",
        "untitled": "無題",
        "edited": "{}　主編",
    },
    "zh-Hans": {
        "toc": "目录",
        "landmarks": "导览",
        "titlepage": "书名页",
        "body": "正文",
        "back": "附录",
        "untitled": "无题",
        "edited": "{}　主编",
    },
    "en": {
        "toc": "Contents",
        "landmarks": "Guide",
        "titlepage": "Title Page",
        "body": "Start of Content",
        "back": "Back Matter",
        "untitled": "Untitled",
        "edited": "Edited by {}",
    },
}


class Names:
    """File names inside the package: unique regardless of case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, base: str, ext: str = "") -> str:
        name, n = base, 1
        while (name + ext).lower() in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add((name + ext).lower())
        return name + ext


def ncname(text: str, fallback: str) -> str:
    """An ASCII XML name (usable as file name and id) from ``text``, else ``fallback``."""
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    if not s:
        return fallback
    return s if s[0].isalpha() or s[0] == "_" else f"{fallback}-{s}"


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry (C0 controls, lone surrogates)."""
    return _XML_INVALID.sub("", text)


def clean(text: str) -> str:
    """Text that XML can carry, whitespace runs collapsed: for titles, labels and metadata."""
    return " ".join(xml_safe(text).split())


def script_of(lang: str) -> str:
    """The label and byline convention for a language tag: ``zh-Hant``, ``zh-Hans`` or ``en``."""
    tag = lang.lower()
    if not tag.startswith("zh"):
        return "en"
    return "zh-Hans" if any(x in tag for x in ("hans", "cn", "sg", "my")) else "zh-Hant"


def join_names(names: list[str], lang: str) -> str:
    """``甲、乙`` in Chinese, ``A, B and C`` in English."""
    if script_of(lang) != "en":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def byline(authors: tuple[Person, ...], lang: str) -> str:
    """``—— 某某單位政治部 林曉雯`` in Chinese, ``Ada Lane, Office of Records`` in English."""
    if not authors:
        return ""
    if script_of(lang) != "en":
        return "—— " + join_names([f"{p.affiliation} {p.name}".strip() for p in authors], lang)
    if any(p.affiliation for p in authors):
        return "; ".join(f"{p.name}, {p.affiliation}" if p.affiliation else p.name for p in authors)
    return join_names([p.name for p in authors], lang)
