"""Turn a byline line (``—— 單位 姓名``, ``文／姓名``, ``作者：姓名``, ``by Name``) into people."""

from __future__ import annotations

import re

from ...model.nodes import Person
from ..cjk_breaks import CJK

# What introduces a byline, and the names after it.
_LEADS = (
    re.compile(r"^(?:—{1,3}|―{1,3}|─{2,3}|－{2}|-{2,3}|–{2})\s*(?P<who>\S.*)$"),
    re.compile(r"^(?:文|撰文|撰稿)\s*[／/]\s*(?P<who>\S.*)$"),
    re.compile(r"^(?:作者|撰文|撰稿|文)\s*[：:]\s*(?P<who>\S.*)$"),
    re.compile(r"^[·•]\s*(?P<who>[^·•\s][^·•]*?)\s*[·•]$"),  # ·鲁迅·
)
_ENGLISH = re.compile(r"^by\s+(?P<who>[^\d\W].*)$", re.IGNORECASE)
_PAREN = re.compile(r"^(?P<main>.*?)\s*[（(](?P<aff>[^（）()]+)[）)]$")
_HAN_NAME = re.compile(
    r"^[\u3400-\u9fff\uf900-\ufaff]{1,4}$|^[\u3400-\u9fff]{1,8}[·•．][\u3400-\u9fff]{1,8}$"
)
_LATIN_WORD = re.compile(r"^[A-Z][\w'’.\-]*$")
_PARTICLES = frozenset(
    {"van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "bin", "al"}
)
# An affiliation run together with the name: ``某某單位政治部林曉雯``.
_JOINED = re.compile(
    r"^(?P<aff>[\u3400-\u9fff（）()]{2,}?(?:部|處|处|局|院|校|系|所|司|隊|队|營|营|連|连|班|室|組|组|"
    r"中心|會|会|廠|厂|站|館|馆|社|團|团|署|科|庭|旅|廳|厅|府|隊|行|店|報|报))"
    r"(?P<name>[\u3400-\u9fff]{2,4})$"
)
_CJK_SEPARATOR = re.compile(r"\s*(?:、|，|,|;|；|／|/|與|与|和)\s*")
_LATIN_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")
_INSTITUTION = re.compile(
    r"\b(?:University|College|Institute|Office|School|Department|Ministry|Company|Inc|Ltd|"
    r"Agency|Bureau|Council|Cent(?:er|re)|Hospital|Museum|Library|Society|Association|"
    r"Foundation|Press|Lab(?:oratory)?|Academy|Corps|Army|Navy|Police|Division|Group)\b"
)
_SPACE = re.compile(r"[\s\u3000]+")


def _latin_name(text: str) -> bool:
    if _INSTITUTION.search(text):
        return False
    words = text.split()
    if not 1 <= len(words) <= 5:
        return False
    if words[0] in _PARTICLES or words[-1] in _PARTICLES:
        return False
    return all(_LATIN_WORD.match(w) or w in _PARTICLES for w in words)


def _name(text: str) -> bool:
    text = text.strip()
    if CJK.search(text):
        return bool(_HAN_NAME.match(text))
    return _latin_name(text)


def _people(who: str, *, english: bool) -> tuple[Person, ...] | None:
    """The people of a byline's name part, or None when it names no one."""
    who = who.strip()
    if english or not CJK.search(who):
        return _latin_people(who)
    return _cjk_people(who)


def _cjk_people(who: str) -> tuple[Person, ...] | None:
    """``單位 甲、乙`` → Person(甲, 單位), Person(乙, 單位); ``甲部 王、乙部 李`` → each their own;
    ``王小明（某某大學）`` → Person(王小明, 某某大學)."""
    people: list[Person] = []
    shared = ""
    for piece in _CJK_SEPARATOR.split(who):
        piece = piece.strip()
        if not piece:
            continue
        extra = ""
        paren = _PAREN.match(piece)
        if paren and paren.group("main"):
            piece, extra = paren.group("main").strip(), paren.group("aff").strip()
        words = _SPACE.split(piece)
        name, lead = words[-1], " ".join(words[:-1])
        if len(words) == 1 and not _name(name):
            joined = _JOINED.match(name)
            if joined:
                lead, name = joined.group("aff"), joined.group("name")
        if not _name(name):
            return None
        shared = lead or shared
        people.append(Person(name, " ".join(x for x in (shared, extra) if x)))
    return tuple(people) or None


def _latin_people(who: str) -> tuple[Person, ...] | None:
    """``Ada Lane, Office of Records; Bo Chen`` or ``Ada Lane, Bo Chen and Cy Dee``."""
    groups = [g.strip() for g in who.split(";") if g.strip()]
    people: list[Person] = []
    for group in groups:
        parts = [x for x in _LATIN_SEPARATOR.split(group) if x.strip()]
        if len(groups) == 1 and len(parts) > 1 and all(_latin_name(x) for x in parts):
            people.extend(Person(x.strip()) for x in parts)
            continue
        name, _, affiliation = group.partition(",")
        if not _latin_name(name) or (not affiliation and len(parts) > 1):
            return None
        people.append(Person(name.strip(), affiliation.strip()))
    return tuple(people) or None


def parse_people(text: str) -> tuple[Person, ...] | None:
    """The people a byline names, with or without its lead (``——``, ``文／``, ``by``): for a
    paragraph a style already marks as the byline (``Ada Lane, Office of Records``)."""
    found = parse_byline(text)
    if found is not None:
        return found
    text = " ".join(text.replace("\u3000", " ").split()).rstrip(".")
    return _people(text, english=False) if text and len(text) <= 120 else None


def parse_byline(text: str) -> tuple[Person, ...] | None:
    """The people a byline line names, or None when the line is not a byline.

    ``—— 某某單位政治部 林曉雯`` → Person(林曉雯, 某某單位政治部); ``·鲁迅·``, ``文／王小明``,
    ``作者：王小明（某某大學）``, ``by Ralph Waldo Emerson`` likewise.
    """
    text = " ".join(text.replace("\u3000", " ").split()).rstrip(".")
    if not text or len(text) > 80:
        return None
    for lead in _LEADS:
        m = lead.match(text)
        if m:
            return _people(m.group("who"), english=False)
    m = _ENGLISH.match(text)
    if m and not CJK.search(text):
        return _people(m.group("who"), english=True)
    return None


def dash_led(text: str) -> bool:
    """Whether a line opens with a dash (a byline's or a subtitle's lead)."""
    return bool(_LEADS[0].match(" ".join(text.split())))


def dash_subtitle(text: str) -> str:
    """The words of a ``——記一次返鄉`` line (its dash removed)."""
    m = _LEADS[0].match(" ".join(text.split()))
    return m.group("who").strip() if m else ""
