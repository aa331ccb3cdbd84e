"""Turn numbering.xml into list levels (kind, style, start) and Word's list counters.

A paragraph names a list by ``w:numId`` and a level by ``w:ilvl``. The ``w:num``
points to an ``w:abstractNum`` holding the levels (``w:numFmt``, ``w:start``,
``w:lvlText``), possibly through a numbering style (``w:numStyleLink``), and may
override levels or their start (``w:lvlOverride``/``w:startOverride``). Word
counts per abstract list, so two ``w:num`` sharing one continue each other's
numbers unless one overrides the start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...model.nodes import ListStyle
from ._ns import w

MAX_LEVEL = 8

_STYLES: dict[str, ListStyle] = {
    "lowerLetter": "lower-alpha",
    "upperLetter": "upper-alpha",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
}
_CJK = frozenset(
    {
        "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
        "ideographTraditional", "ideographZodiac", "ideographZodiacTraditional",
        "ideographDigital", "ideographLegalTraditional", "ideographEnclosedCircle",
        "taiwaneseCounting", "taiwaneseCountingThousand", "taiwaneseDigital",
        "japaneseCounting", "japaneseDigitalTenThousand", "japaneseLegal",
        "koreanCounting", "koreanDigital", "koreanDigital2", "koreanLegal",
        "aiueo", "aiueoFullWidth", "iroha", "irohaFullWidth", "ganada", "chosung",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a list: bullet or ordered (with its style) and where it starts."""

    fmt: str = "decimal"
    start: int = 1
    text: str = "%1."

    @property
    def bullet(self) -> bool:
        return self.fmt == "bullet"

    @property
    def silent(self) -> bool:
        """A level that shows no number or bullet: its paragraphs are not list items."""
        return self.fmt == "none" and not self.text.replace(" ", "")

    @property
    def style(self) -> ListStyle:
        if self.fmt in _CJK:
            return "cjk"
        return _STYLES.get(self.fmt, "decimal")


@dataclass(frozen=True, slots=True)
class Num:
    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)  # level overrides
    starts: dict[int, int] = field(default_factory=dict)  # startOverride


def _int(el: etree._Element | None, default: int) -> int:
    try:
        return int(el.get(w("val"), "")) if el is not None else default
    except ValueError:
        return default


def _level(el: etree._Element) -> Level:
    fmt = el.find(w("numFmt"))
    text = el.find(w("lvlText"))
    return Level(
        fmt=fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
        start=_int(el.find(w("start")), 1),
        text=text.get(w("val"), "") if text is not None else "",
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in parent.findall(w("lvl")):
        ilvl = _int_attr(lvl.get(w("ilvl")))
        if ilvl is not None and 0 <= ilvl <= MAX_LEVEL:
            out.setdefault(ilvl, _level(lvl))
    return out


def _int_attr(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class Numbering:
    """The lists of a document, and the counters that number their items in reading order."""

    def __init__(self, root: etree._Element | None, style_nums: dict[str, str]) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum id → numbering style it links to
        self._nums: dict[str, Num] = {}
        self._style_nums = style_nums  # numbering style id → its numId
        self._counters: dict[tuple[str, int], int] = {}
        self._used: set[str] = set()
        if root is None:
            return
        for el in root.findall(w("abstractNum")):
            aid = el.get(w("abstractNumId"), "")
            self._abstract.setdefault(aid, _levels(el))
            link = el.find(w("numStyleLink"))
            if link is not None:
                self._links[aid] = link.get(w("val"), "")
        for el in root.findall(w("num")):
            nid = el.get(w("numId"), "")
            ref = el.find(w("abstractNumId"))
            levels: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for over in el.findall(w("lvlOverride")):
                ilvl = _int_attr(over.get(w("ilvl")))
                if ilvl is None:
                    continue
                start = over.find(w("startOverride"))
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = over.find(w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self._nums.setdefault(
                nid, Num(ref.get(w("val"), "") if ref is not None else "", levels, starts)
            )

    def _abstract_of(self, num_id: str) -> str:
        """The abstract list a num uses, through one numbering-style link."""
        num = self._nums.get(num_id)
        if num is None:
            return ""
        aid = num.abstract
        if not self._abstract.get(aid) and aid in self._links:
            linked = self._nums.get(self._style_nums.get(self._links[aid], ""))
            if linked is not None:
                aid = linked.abstract
        return aid

    def level(self, num_id: str, ilvl: int) -> Level | None:
        """The level a paragraph's ``numId``/``ilvl`` names, or None when there is no such list."""
        num = self._nums.get(num_id)
        if num is None or num_id == "0":
            return None
        if ilvl in num.levels:
            return num.levels[ilvl]
        return self._abstract.get(self._abstract_of(num_id), {}).get(ilvl)

    def count(self, num_id: str, ilvl: int) -> int:
        """The number Word shows for the next item of this list level (advances the counter)."""
        num = self._nums.get(num_id)
        level = self.level(num_id, ilvl)
        if num is None or level is None:
            return 1
        aid = self._abstract_of(num_id) or f"num:{num_id}"
        if num_id not in self._used:
            self._used.add(num_id)
            for over, start in num.starts.items():
                self._counters[(aid, over)] = start - 1
                self._reset_below(aid, over)
        key = (aid, ilvl)
        value = self._counters[key] + 1 if key in self._counters else level.start
        self._counters[key] = value
        self._reset_below(aid, ilvl)
        return value

    def _reset_below(self, aid: str, ilvl: int) -> None:
        for deeper in range(ilvl + 1, MAX_LEVEL + 1):
            self._counters.pop((aid, deeper), None)
