"""Turn the YAML front matter of a Markdown essay into the essay's ``Meta``.

Accepted keys: ``title``, ``subtitle``, ``author`` (a name, ``{name, affiliation}``
or a list of them) or ``authors``, ``affiliation`` (next to a single ``author``),
``date`` (a YAML date or text), ``lang`` (alias ``language``), ``tags``. Other keys
are reported and ignored. Anchors, aliases and non-standard tags are refused, so a
"billion laughs" document is rejected before anything is expanded.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NoReturn

import yaml

from ..errors import ReaderError
from ..log import warn
from ..model.nodes import Inline, Meta, Person, SourceRef, Str

__all__ = ["front_matter"]

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def front_matter(yaml_text: str, path: str) -> Meta:
    """The YAML front matter as ``Meta``; YAML lines start on the file's line 2."""

    def fail(message: str, line: int | None, hint: str = "") -> NoReturn:
        raise ReaderError(f"front matter: {message}", path=path, line=line, hint=hint)

    # YAML refuses C0 controls outright; drop them here (tab and newline are kept)
    # with the same warning the sanitize transform gives for the body.
    controls = _CONTROLS.findall(yaml_text)
    if controls:
        yaml_text = _CONTROLS.sub("", yaml_text)
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in controls})[:4])
        warn("control-characters", f"removed {len(controls)} control character(s) ({codes}) "
             "from the front matter — check it and save the file again", path)  # fmt: skip

    try:
        for event in yaml.parse(yaml_text, Loader=yaml.SafeLoader):
            line = _line(event.start_mark)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                fail("YAML anchors and aliases (& and *) are not allowed", line,
                     "write each value out in full")  # fmt: skip
            tag = getattr(event, "tag", None)
            if tag and not tag.startswith("tag:yaml.org,2002:"):
                fail(f"YAML tag {tag} is not allowed", line, "remove the tag")
        loader = yaml.SafeLoader(yaml_text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        fail(f"invalid YAML: {e.problem or e.context}", _line(mark),
             "check the indentation and quote values containing ':' or '#'")  # fmt: skip
    except yaml.YAMLError as e:
        fail(f"invalid YAML: {e}".splitlines()[0], 2)
    if data is None:
        return Meta()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        fail("expected `key: value` lines", 2, "start each line with a key such as `title:`")
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in lines:
            fail(f"`{key}` is given twice", _line(key_node.start_mark))
        lines[key] = _line(value_node.start_mark)

    def text(key: str, value: Any, expected: str = "text") -> str:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            return value.isoformat() if isinstance(value, dt.date) else str(value)
        if value is None:
            return ""
        fail(f"`{key}` must be {expected}, not {type(value).__name__}", lines.get(key))

    def person(key: str, value: Any) -> Person:
        if isinstance(value, dict):
            extra = set(map(str, value)) - {"name", "affiliation"}
            if extra:
                fail(f"`{key}` has unknown field `{sorted(extra)[0]}`", lines.get(key),
                     "an author has `name` and `affiliation`")  # fmt: skip
            name, affiliation = text(key, value.get("name")), text(key, value.get("affiliation"))
        else:
            name, affiliation = text(key, value), ""
        if not name:
            fail(f"`{key}` needs a name", lines.get(key))
        return Person(name, affiliation)

    title = subtitle = date = lang = ""
    authors: list[Person] = []
    tags: tuple[str, ...] = ()
    for pair in (("author", "authors"), ("lang", "language")):
        if all(k in data for k in pair):
            fail(f"give either `{pair[0]}` or `{pair[1]}`, not both", lines.get(pair[1]))
    for key, value in data.items():
        key = str(key)
        match key:
            case "title":
                title = text(key, value)
            case "subtitle":
                subtitle = text(key, value)
            case "author" | "authors":
                values = value if isinstance(value, list) else [] if value is None else [value]
                authors = [person(key, v) for v in values]
            case "affiliation":
                pass
            case "date":
                date = text(key, value, "a date such as 2024-05-01")
            case "lang" | "language":
                lang = text(key, value)
                if lang and not _LANG.fullmatch(lang):
                    fail(f"`{key}` is not a language tag: {lang!r}", lines.get(key),
                         "write e.g. zh-Hant, zh-TW, zh-Hans or en")  # fmt: skip
            case "tags":
                values = value if isinstance(value, list) else [value]
                tags = tuple(t for t in (text(key, v, "a list of words") for v in values) if t)
            case _:
                where = SourceRef(path, lines.get(key))
                warn("front-matter-key", f"unknown front-matter key `{key}` is ignored", where)
    if "affiliation" in data:
        affiliation = text("affiliation", data["affiliation"])
        if len(authors) != 1 or authors[0].affiliation:
            fail("`affiliation` goes with a single `author` given as a name",
                 lines["affiliation"], "give each author a name and an affiliation")  # fmt: skip
        authors = [Person(authors[0].name, affiliation)]
    return Meta(_text(title), _text(subtitle), tuple(authors), date, lang, tags)


def _line(mark: Any) -> int:
    """The file line of a YAML mark (the YAML starts on the file's second line)."""
    return (mark.line if mark is not None else 0) + 2


def _text(s: str) -> tuple[Inline, ...]:
    return (Str(s),) if s else ()
