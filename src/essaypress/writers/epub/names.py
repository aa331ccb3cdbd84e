"""Turn ids and titles into safe package names, plain text and the EPUB's labels.

The naming conventions (bylines, editors, dates) are shared by every writer:
``essaypress.writers.names``.
"""

from __future__ import annotations

import re

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

LABELS: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "toc": "目錄",
        "landmarks": "導覽",
        "titlepage": "書名頁",
        "body": "正文",
        "back": "附錄",
        "untitled": "無題",
        "cover": "封面",
        "colophon": "版權頁",
        "pages": "頁碼",
        "title": "書名",
        "editors": "主編",
        "publisher": "出版者",
        "edition": "版次",
        "date": "出版日期",
    },
    "zh-Hans": {
        "toc": "目录",
        "landmarks": "导览",
        "titlepage": "书名页",
        "body": "正文",
        "back": "附录",
        "untitled": "无题",
        "cover": "封面",
        "colophon": "版权页",
        "pages": "页码",
        "title": "书名",
        "editors": "主编",
        "publisher": "出版者",
        "edition": "版次",
        "date": "出版日期",
    },
    "en": {
        "toc": "Contents",
        "landmarks": "Guide",
        "titlepage": "Title Page",
        "body": "Start of Content",
        "back": "Back Matter",
        "untitled": "Untitled",
        "cover": "Cover",
        "colophon": "Colophon",
        "pages": "Pages",
        "title": "Title",
        "editors": "Edited by",
        "publisher": "Published by",
        "edition": "Edition",
        "date": "Date",
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
