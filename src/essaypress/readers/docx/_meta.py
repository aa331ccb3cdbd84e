"""Turn document defaults, core properties and the essay text into metadata values."""

from __future__ import annotations

import re

_GENERIC_CREATORS = frozenset(
    {
        "", "python-docx", "administrator", "admin", "user", "owner", "author", "unknown",
        "un-named", "windows user", "microsoft office user", "microsoft office 用户",
        "微软用户", "微軟用戶", "使用者", "用户", "user1",
    }
)  # fmt: skip
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LETTER = re.compile(r"[^\W\d_]")


_PLACEHOLDER_TITLE = re.compile(
    r"<%|%>|\{\{|\}\}|^microsoft (?:word|office)|^(?:document|doc|文件|文档|文檔|新建|新增)\s*\d*$"
    r"|\.docx?$",
    re.IGNORECASE,
)


def useful_title(title: str) -> bool:
    """Whether a core-properties title is a title, not a template field or a file name."""
    return bool(title.strip()) and not _PLACEHOLDER_TITLE.search(title.strip())


def useful_creator(creator: str) -> bool:
    """Whether a core-properties creator names a person, not an account or a tool."""
    return creator.strip().lower() not in _GENERIC_CREATORS


def bcp47(tag: str) -> str:
    """A Word language tag as BCP 47, with Chinese as zh-Hant / zh-Hans."""
    tag = tag.strip().replace("_", "-")
    if not tag or tag.lower().startswith("x-"):
        return ""
    parts = tag.split("-")
    lang = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 else ""
    if lang == "zh" and region in ("TW", "HK", "MO"):
        return "zh-Hant"
    if lang == "zh" and region in ("CN", "SG"):
        return "zh-Hans"
    if lang == "zh" and region in ("HANT", "HANS"):
        return f"zh-{region.title()}"
    return f"{lang}-{region}" if region and len(region) == 2 else lang


def language(val: str, east_asia: str, text: str) -> str:
    """The essay language from the document defaults, when the text agrees with them.

    Mostly Han, kana or Hangul text takes the East Asian tag that matches its script
    (Word often declares ``ja-JP`` or ``zh-CN`` on machines that never type it);
    other text takes ``w:val``. Disagreement leaves the language unset.
    """
    letters = len(_LETTER.findall(text))
    han, kana, hangul = (len(rx.findall(text)) for rx in (_HAN, _KANA, _HANGUL))
    east = han + kana + hangul
    if letters == 0:
        return ""
    if east / letters > 0.3:
        script = "ko" if hangul > east * 0.3 else "ja" if kana > east * 0.05 else "zh"
        for tag in (bcp47(east_asia), bcp47(val)):
            if tag.split("-")[0] == script:
                return tag
        return ""
    tag = bcp47(val)
    return "" if tag.split("-")[0] in ("zh", "ja", "ko") else tag
