"""Turn people, language tags and dates into the words every writer prints for them.

One set of conventions for the PDF, DOCX and EPUB writers, chosen by the
script of a language tag (``script_of``): Chinese joins names with ``、`` and
leads a byline with ``——`` and the affiliation before the name; English joins
with commas and "and" and puts the affiliation after the name.

- ``join_names(["甲", "乙"], "zh-Hant")`` → ``甲、乙``; English ``A, B and C``
- ``signature(people, lang)``: the names alone (a preface signed at its end)
- ``byline(authors, lang)`` → ``—— 某某單位政治部 林曉雯`` / ``Ada Lane, Office of Records``;
  ``byline_parts`` gives the same text in tagged pieces for markup (HTML spans)
- ``editors_line(editors, lang)`` → ``陳編輯　主編`` / ``Edited by Ada Lane``
- ``edition_date("2026-11-01", lang)`` → ``2026年11月`` / ``November 2026``

Pure functions of plain values, with no third-party imports, so that templates
can call them too. A "person" is anything with ``name`` and ``affiliation``
strings (``model.nodes.Person``, or a template's view of one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, Protocol

Script = Literal["zh-Hant", "zh-Hans", "en"]
Piece = Literal["dash", "author", "affiliation", "sep"]

DASH = "——"
EDITED: dict[Script, str] = {"zh-Hant": "主編", "zh-Hans": "主编", "en": "Edited by"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_SIMPLIFIED = ("hans", "cn", "sg", "my")
_CJK_SPACE = "\u3000"  # the full-width space between the editors' names and 主編


class Named(Protocol):
    """Who signs: a name and an affiliation (either may be empty)."""

    @property
    def name(self) -> str: ...

    @property
    def affiliation(self) -> str: ...


def script_of(lang: str) -> Script:
    """The convention of a BCP 47 tag: ``zh-Hant`` (also zh-TW, zh-HK), ``zh-Hans`` or ``en``.

    Every language that is not Chinese follows the English convention.
    """
    tag = lang.lower()
    if not tag.startswith("zh"):
        return "en"
    return "zh-Hans" if any(x in tag for x in _SIMPLIFIED) else "zh-Hant"


def join_names(names: Iterable[str], lang: str) -> str:
    """``甲、乙`` in Chinese, ``A``, ``A and B``, ``A, B and C`` in English; blank names dropped."""
    kept = [n.strip() for n in names if n.strip()]
    if script_of(lang) != "en":
        return "、".join(kept)
    if len(kept) < 2:
        return "".join(kept)
    return ", ".join(kept[:-1]) + " and " + kept[-1]


def signature(people: Sequence[Named], lang: str) -> str:
    """The names alone, joined: how a preface or afterword is signed."""
    return join_names((p.name for p in people), lang)


def byline_parts(authors: Sequence[Named], lang: str) -> tuple[tuple[Piece, str], ...]:
    """The byline as tagged pieces whose texts joined are ``byline(authors, lang)``.

    Chinese: ``("dash", "——"), ("sep", " "), ("affiliation", "某單位"), ("sep", " "),
    ("author", "甲"), ("sep", "、"), ...``. English: the author, then ``", "`` and the
    affiliation; authors are separated by ``"; "`` when any has an affiliation, else
    joined as ``join_names`` does. People without a name are left out.
    """
    people = [p for p in authors if p.name.strip()]
    if not people:
        return ()
    out: list[tuple[Piece, str]] = []
    if script_of(lang) != "en":
        out += [("dash", DASH), ("sep", " ")]
        for i, p in enumerate(people):
            if i:
                out.append(("sep", "、"))
            if p.affiliation.strip():
                out += [("affiliation", p.affiliation.strip()), ("sep", " ")]
            out.append(("author", p.name.strip()))
        return tuple(out)
    with_affiliation = any(p.affiliation.strip() for p in people)
    for i, p in enumerate(people):
        if i:
            if with_affiliation:
                out.append(("sep", "; "))
            else:
                out.append(("sep", " and " if i == len(people) - 1 else ", "))
        out.append(("author", p.name.strip()))
        if p.affiliation.strip():
            out += [("sep", ", "), ("affiliation", p.affiliation.strip())]
    return tuple(out)


def byline(authors: Sequence[Named], lang: str) -> str:
    """``—— 某某單位政治部 林曉雯`` in Chinese, ``Ada Lane, Office of Records`` in English."""
    return "".join(text for _, text in byline_parts(authors, lang))


def editors_line(editors: Sequence[Named], lang: str) -> str:
    """``陳編輯　主編`` / ``陈编辑　主编`` / ``Edited by Ada Lane``; empty without editors."""
    names = signature(editors, lang)
    if not names:
        return ""
    script = script_of(lang)
    if script == "en":
        return f"{EDITED[script]} {names}"
    return f"{names}{_CJK_SPACE}{EDITED[script]}"


def edition_date(iso: str, lang: str) -> str:
    """``2026年11月`` / ``November 2026`` for an ISO date (``YYYY-MM``…); anything else as given."""
    parts = iso.strip().split("-")
    if len(parts) < 2 or len(parts[0]) != 4 or not parts[0].isdigit():
        return iso
    month_text = parts[1][:2]
    if not month_text.isdigit() or not 1 <= int(month_text) <= 12:
        return iso
    month = int(month_text)
    if script_of(lang) == "en":
        return f"{MONTHS[month - 1]} {parts[0]}"
    return f"{parts[0]}年{month}月"
