"""Turn ``anthology.toml`` (or a bare folder of essays) into a validated ``Manifest``.

Unknown keys and wrong types are ``ConfigError``s naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .log import warn
from .model.nodes import Person
from .options import (
    EDITIONS,
    IMPOSITIONS,
    MARKS,
    PDF_VARIANTS,
    QUOTE_STYLES,
    SHEETS,
    PdfOptions,
    TextOptions,
)

MANIFEST_NAME = "anthology.toml"
ESSAY_SUFFIXES = (".md", ".markdown", ".docx")
_TOP_KEYS = {
    "reference_docx",
    "edition",
    "isbn",
    "rights",
    "cover",
    "print",
    "text",
    "epub",
    "title",
    "subtitle",
    "editors",
    "publisher",
    "date",
    "language",
    "identifier",
    "description",
    "layout",
    "preface",
    "essays",
    "parts",
}
_ESSAY_KEYS = {"file", "title", "subtitle", "author", "authors", "affiliation", "lang"}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class EssayEntry:
    """One essay of the manifest: its file and metadata that override what the file says."""

    file: Path
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[Person, ...] | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class PartEntry:
    title: str
    essays: tuple[EssayEntry, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    """The anthology as the editor described it."""

    root: Path  # the sources folder
    path: Path | None  # the anthology.toml, or None for a bare folder
    title: str
    subtitle: str = ""
    editors: tuple[Person, ...] = ()
    publisher: str = ""
    date: str = ""
    language: str = "zh-Hant"
    identifier: str = ""
    description: str = ""
    layout: str = "booklet-a5"
    preface: EssayEntry | None = None
    parts: tuple[PartEntry, ...] = ()
    edition: str = ""
    isbn: str = ""
    rights: str = ""
    cover: Path | None = None
    reference_docx: Path | None = None
    pdf: PdfOptions = field(default_factory=PdfOptions)
    text: TextOptions = field(default_factory=TextOptions)
    epub_embed_fonts: bool = False  # [epub] embed_fonts: the layout's fonts, subset, in the EPUB

    @property
    def entries(self) -> tuple[EssayEntry, ...]:
        """Every essay file in reading order, preface first."""
        body = tuple(e for p in self.parts for e in p.essays)
        return ((self.preface,) if self.preface else ()) + body


def load_manifest(root: Path) -> Manifest:
    """The manifest of a sources folder; a folder without one gets every essay in name order."""
    if not root.is_dir():
        raise ConfigError(
            "no such folder",
            path=str(root),
            hint="give the folder that holds anthology.toml and the essays",
        )
    path = root / MANIFEST_NAME
    if not path.is_file():
        return _bare_folder(root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=str(path)) from None
    except RecursionError:
        raise ConfigError("not valid TOML: nested too deeply", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        msg = str(exc).split(" (at line")[0]
        raise ConfigError(f"not valid TOML: {msg}", path=str(path), line=line) from None
    return _parse(data, root, path)


def _bare_folder(root: Path) -> Manifest:
    files = sorted(
        p
        for p in root.iterdir()
        if p.suffix.lower() in ESSAY_SUFFIXES and p.is_file() and not p.name.startswith((".", "~$"))
    )
    if not files:
        raise ConfigError(
            "no essays found (.md or .docx) and no anthology.toml",
            path=str(root),
            hint="add essays or an anthology.toml",
        )
    warn(
        "no-manifest",
        f"no {MANIFEST_NAME}: using all {len(files)} essays in name order and the folder name "
        f'as the title — create {MANIFEST_NAME} with title = "..." and [[parts]] essays = '
        "[...] to set the order and metadata",
        root,
    )
    entries = tuple(EssayEntry(file=p) for p in files)
    return Manifest(
        root=root, path=None, title=root.resolve().name, parts=(PartEntry("", entries),)
    )


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, why: str, hint: str = "") -> ConfigError:
        return ConfigError(f"{key}: {why}", path=str(self.path), hint=hint)

    def string(self, data: dict[str, Any], key: str, where: str = "") -> str:
        value = data.get(key, "")
        if isinstance(value, str):
            return value.strip()
        if key == "date" and hasattr(value, "isoformat"):
            return str(value.isoformat())
        raise self.error(where + key, f"must be a string, not {type(value).__name__}")

    def people(self, value: Any, key: str) -> tuple[Person, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                out.append(Person(item.strip()))
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                extra = set(item) - {"name", "affiliation"}
                if extra:
                    raise self.error(f"{key}[{i}].{sorted(extra)[0]}", "unknown key")
                aff = item.get("affiliation", "")
                if not isinstance(aff, str):
                    raise self.error(f"{key}[{i}].affiliation", "must be a string")
                out.append(Person(item["name"].strip(), aff.strip()))
            else:
                raise self.error(
                    f"{key}[{i}]" if isinstance(value, list) else key,
                    'must be a name or a table {name = "...", affiliation = "..."}',
                )
        return tuple(out)

    def entry(self, root: Path, value: Any, key: str) -> EssayEntry:
        if isinstance(value, str):
            value = {"file": value}
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            raise self.error(key, 'must be a file name or a table {file = "...", ...}')
        unknown = set(value) - _ESSAY_KEYS
        if unknown:
            raise self.error(
                f"{key}.{sorted(unknown)[0]}",
                "unknown key",
                hint=f"known keys: {', '.join(sorted(_ESSAY_KEYS))}",
            )
        file = (root / value["file"]).resolve()
        if not file.is_relative_to(root.resolve()):
            raise self.error(f"{key}.file", f"{value['file']!r} is outside the sources folder")
        if not file.is_file():
            raise self.error(
                f"{key}.file",
                f"{value['file']!r} not found",
                hint="paths are relative to the folder of anthology.toml",
            )
        if file.suffix.lower() not in ESSAY_SUFFIXES:
            raise self.error(f"{key}.file", f"{value['file']!r} is not .md or .docx")
        authors = None
        if "author" in value or "authors" in value:
            authors = self.people(value.get("authors", value.get("author")), f"{key}.authors")
            if "affiliation" in value and len(authors) == 1:
                aff = self.string(value, "affiliation", f"{key}.")
                authors = (Person(authors[0].name, aff),)
        lang = self.string(value, "lang", f"{key}.") or None
        if lang and not _LANG.match(lang):
            raise self.error(f"{key}.lang", f"{lang!r} is not a language tag (e.g. zh-Hant, en)")
        return EssayEntry(
            file=file,
            title=value.get("title"),
            subtitle=value.get("subtitle"),
            authors=authors,
            lang=lang,
        )


def _parse(data: dict[str, Any], root: Path, path: Path) -> Manifest:
    c = _Checker(path)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise c.error(
            sorted(unknown)[0], "unknown key", hint=f"known keys: {', '.join(sorted(_TOP_KEYS))}"
        )
    title = c.string(data, "title")
    if not title:
        raise c.error("title", "missing", hint='add title = "..." at the top')
    date = c.string(data, "date")
    if date and not _DATE.match(date):
        raise c.error("date", f"{date!r} is not an ISO date (YYYY-MM-DD)")
    language = c.string(data, "language") or "zh-Hant"
    if not _LANG.match(language):
        raise c.error("language", f"{language!r} is not a language tag (e.g. zh-Hant, en)")
    preface = c.entry(root, data["preface"], "preface") if "preface" in data else None
    if "parts" in data and "essays" in data:
        raise c.error("essays", "give either essays = [...] or [[parts]], not both")
    parts: list[PartEntry] = []
    if "parts" in data:
        if not isinstance(data["parts"], list) or not data["parts"]:
            raise c.error("parts", "must be one or more [[parts]] tables")
        for i, part in enumerate(data["parts"]):
            if not isinstance(part, dict):
                raise c.error(f"parts[{i}]", "must be a table")
            extra = set(part) - {"title", "essays"}
            if extra:
                raise c.error(f"parts[{i}].{sorted(extra)[0]}", "unknown key")
            essays = part.get("essays")
            if not isinstance(essays, list) or not essays:
                raise c.error(f"parts[{i}].essays", "must be a non-empty list of files")
            entries = tuple(
                c.entry(root, e, f"parts[{i}].essays[{j}]") for j, e in enumerate(essays)
            )
            parts.append(PartEntry(c.string(part, "title", f"parts[{i}]."), entries))
    elif "essays" in data:
        essays = data["essays"]
        if not isinstance(essays, list) or not essays:
            raise c.error("essays", "must be a non-empty list of files")
        parts.append(
            PartEntry("", tuple(c.entry(root, e, f"essays[{j}]") for j, e in enumerate(essays)))
        )
    else:
        raise c.error("essays", "missing", hint='add essays = ["a.md", ...] or [[parts]] tables')
    seen: set[Path] = set()
    for entry in (*((preface,) if preface else ()), *(e for p in parts for e in p.essays)):
        if entry.file in seen:
            raise c.error("essays", f"{entry.file.name!r} is listed twice")
        seen.add(entry.file)
    return Manifest(
        root=root,
        path=path,
        title=title,
        subtitle=c.string(data, "subtitle"),
        editors=c.people(data["editors"], "editors") if "editors" in data else (),
        publisher=c.string(data, "publisher"),
        date=date,
        language=language,
        identifier=c.string(data, "identifier"),
        description=c.string(data, "description"),
        layout=c.string(data, "layout") or "booklet-a5",
        preface=preface,
        parts=tuple(parts),
        edition=c.string(data, "edition"),
        isbn=_isbn(c, c.string(data, "isbn")),
        rights=c.string(data, "rights"),
        cover=_file(c, root, data, "cover"),
        reference_docx=_file(c, root, data, "reference_docx"),
        pdf=_print(c, data.get("print", {})),
        text=_text(c, data.get("text", {})),
        epub_embed_fonts=_epub(c, data.get("epub", {})),
    )


def _isbn(c: _Checker, isbn: str) -> str:
    digits = isbn.replace("-", "").replace(" ", "")
    if not isbn:
        return ""
    if len(digits) != 13 or not digits.isdigit():
        raise c.error("isbn", f"{isbn!r} is not an ISBN-13", hint="write 13 digits, e.g. 978-…")
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) % 10) % 10
    if check != int(digits[12]):
        raise c.error("isbn", f"{isbn!r} has a wrong check digit (expected {check})")
    return isbn


def _file(c: _Checker, root: Path, data: dict[str, Any], key: str) -> Path | None:
    """An optional file named by ``key``, which must lie inside the sources folder."""
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str) or not value:
        raise c.error(key, "must be the path of a file, relative to anthology.toml")
    path = (root / value).resolve()
    if not path.is_relative_to(root.resolve()):
        raise c.error(key, f"{value!r} is outside the sources folder")
    if not path.is_file():
        raise c.error(key, f"{value!r} not found")
    return path


def parse_print(table: dict[str, Any], error: Callable[[str, str], Exception]) -> PdfOptions:
    """``[print]`` settings (also used for the CLI flags): bleed, marks, variant, imposition."""
    known = {"bleed", "marks", "pdf_variant", "impose", "sheet"}
    for key in set(table) - known:
        raise error(key, f"unknown key; known keys: {', '.join(sorted(known))}")
    bleed = table.get("bleed", "0mm")
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*mm\s*", bleed) if isinstance(bleed, str) else None
    if found is None or float(found.group(1)) > 10:
        raise error("bleed", f'{bleed!r} is not a bleed such as "3mm" (at most 10mm)')
    marks = table.get("marks", [])
    if isinstance(marks, str):
        marks = [m.strip() for m in marks.split(",") if m.strip()]
    if not isinstance(marks, list) or any(m not in MARKS for m in marks):
        raise error("marks", f"{marks!r}: choose from {', '.join(MARKS)}")
    choices = {"pdf_variant": PDF_VARIANTS, "impose": IMPOSITIONS, "sheet": SHEETS}
    for key, allowed in choices.items():
        value = table.get(key, "")
        if value and value not in allowed:
            raise error(key, f"{value!r}: choose from {', '.join(allowed)}")
    return PdfOptions(
        bleed_mm=float(found.group(1)),
        marks=tuple(dict.fromkeys(marks)),
        variant=table.get("pdf_variant", ""),
        impose=table.get("impose", ""),
        sheet=table.get("sheet", "") or "a4",
    )


def _print(c: _Checker, table: object) -> PdfOptions:
    if not isinstance(table, dict):
        raise c.error("print", "must be a table: [print]")
    return parse_print(table, lambda key, why: c.error(f"print.{key}", why))


def parse_text(table: dict[str, Any], error: Callable[[str, str], Exception]) -> TextOptions:
    """``[text]`` settings (``edition`` also from the CLI): quotes, CJK–Latin spacing, edition."""
    known = {"quotes", "cjk_latin_space", "edition"}
    for key in sorted(set(table) - known):
        raise error(key, f"unknown key; known keys: {', '.join(sorted(known))}")
    quotes = table.get("quotes", "auto")
    if quotes not in QUOTE_STYLES:
        raise error("quotes", f"{quotes!r}: choose from {', '.join(QUOTE_STYLES)}")
    space = table.get("cjk_latin_space", False)
    if not isinstance(space, bool):
        raise error("cjk_latin_space", "must be true or false")
    edition = table.get("edition", "")
    if edition and edition not in EDITIONS:
        raise error("edition", f"{edition!r}: choose from {', '.join(EDITIONS)}")
    return TextOptions(quotes=quotes, cjk_latin_space=space, edition=edition or "")


def _text(c: _Checker, table: object) -> TextOptions:
    if not isinstance(table, dict):
        raise c.error("text", "must be a table: [text]")
    return parse_text(table, lambda key, why: c.error(f"text.{key}", why))


def _epub(c: _Checker, table: object) -> bool:
    """``[epub]`` settings: ``embed_fonts`` (subset the layout's fonts into the EPUB)."""
    if not isinstance(table, dict):
        raise c.error("epub", "must be a table: [epub]")
    known = {"embed_fonts"}
    for key in sorted(set(table) - known):
        raise c.error(f"epub.{key}", f"unknown key; known keys: {', '.join(sorted(known))}")
    embed = table.get("embed_fonts", False)
    if not isinstance(embed, bool):
        raise c.error("epub.embed_fonts", "must be true or false")
    return embed
