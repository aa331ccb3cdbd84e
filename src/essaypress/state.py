"""Turn a build's inputs into fingerprints, and remember what the last build made from them.

Two levels decide how much a build must do:

- the *input fingerprint*: the bytes of every file in the sources folder and in
  the layout's folders, the build's options and essaypress's own code. If it
  equals the one an output was made from, and the output is still the file that
  build wrote (same size and change time), the output is up to date and a build
  that asks for nothing else does nothing — without reading a single essay.
- the *output key* of each format: the anthology as the model sees it (after
  reading and editing), the options that format uses and the layout files it
  reads. A change that does not reach a format (an essay's file touched but
  unchanged, a DOCX style in the layout) leaves that output alone.

The record is ``<out>/.essaypress/state.json``, written after the outputs; the
print edition's page map is kept in it too, for the EPUB's page list and for
``essaypress proof``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cache import code_fingerprint
from .config import Manifest
from .log import Diagnostic
from .options import Layout
from .pagemap import PageMap, PageStart
from .staging import replace_file

STATE_DIR = ".essaypress"
STATE_FILE = "state.json"
STATE_VERSION = 1
LAYOUT_PARTS = ("pdf", "docx", "epub")


@dataclass(frozen=True)
class OutputRecord:
    """One output file as the last build left it."""

    fingerprint: str  # the inputs it was made from
    key: str  # the model and options it was made from
    size: int
    mtime_ns: int
    warnings: tuple[Diagnostic, ...] = ()  # what its writer said (said again when it is kept)

    def matches(self, path: Path) -> bool:
        """Whether ``path`` is still the file that build wrote."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class StoredPages:
    """The print edition's page map, the key of the PDF it came from and the essays' ids."""

    key: str
    essays: tuple[str, ...]  # essay ids in reading order: PageStart.essay indexes these
    pages: PageMap


@dataclass
class BuildState:
    outputs: dict[str, OutputRecord] = field(default_factory=dict)  # by file name
    warnings: tuple[Diagnostic, ...] = ()  # what the build that made the outputs said
    pages: StoredPages | None = None


def state_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / STATE_FILE


def load_state(out_dir: Path) -> BuildState:
    """The last build's record, or an empty one if there is none (or it cannot be read)."""
    try:
        data = json.loads(state_path(out_dir).read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            return BuildState()
        outputs = {
            name: OutputRecord(
                **{k: v for k, v in rec.items() if k != "warnings"},
                warnings=tuple(Diagnostic(**d) for d in rec.get("warnings", ())),
            )
            for name, rec in data["outputs"].items()
        }
        warnings = tuple(Diagnostic(**d) for d in data["warnings"])
        pages = None
        if data.get("pages"):
            p = data["pages"]
            starts = tuple(PageStart(str(a), int(b), int(c), int(d)) for a, b, c, d in p["starts"])
            pages = StoredPages(p["key"], tuple(p["essays"]), PageMap(starts, int(p["page_count"])))
    except (OSError, ValueError, KeyError, TypeError):
        return BuildState()
    return BuildState(outputs, warnings, pages)


def save_state(out_dir: Path, state: BuildState) -> None:
    data: dict[str, Any] = {
        "version": STATE_VERSION,
        "outputs": {name: asdict(rec) for name, rec in sorted(state.outputs.items())},
        "warnings": [asdict(d) for d in state.warnings],
        "pages": None,
    }
    if state.pages is not None:
        stored = state.pages
        data["pages"] = {
            "key": stored.key,
            "essays": list(stored.essays),
            "page_count": stored.pages.page_count,
            "starts": [[s.label, s.essay, s.block, s.offset] for s in stored.pages.pages],
        }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    replace_file(state_path(out_dir), text.encode("utf-8"))


def record(
    path: Path, fingerprint: str, key: str, warnings: Iterable[Diagnostic] = ()
) -> OutputRecord:
    stat = path.stat()
    return OutputRecord(fingerprint, key, stat.st_size, stat.st_mtime_ns, tuple(warnings))


# ---------------------------------------------------------------- hashing


def _hash_files(digest: Any, root: Path, skip: Iterable[str] = ()) -> None:
    """Every file under ``root``, but not in hidden folders or the top-level ``skip`` folders.

    Symbolic links are not followed: a link counts by where it points (the build
    refuses links that leave the sources; their targets are never read here).
    """
    skipped = set(skip)
    if root.is_file() and not root.is_symlink():
        digest.update(b"F" + root.read_bytes())
        return
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        rel_dir = here.relative_to(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (rel_dir == Path(".") and d in skipped)
        )
        for name in sorted(files + [d for d in dirs if (here / d).is_symlink()]):
            if name.startswith("."):
                continue
            path = here / name
            rel = (rel_dir / name).as_posix().encode("utf-8", "surrogateescape")
            if path.is_symlink():
                digest.update(b"L" + rel + b"\0" + os.fsencode(os.readlink(path)) + b"\0")
            elif path.is_file():
                data = path.read_bytes()
                digest.update(b"F" + rel + b"\0" + len(data).to_bytes(8, "big") + data)


def layout_digest(layout: Layout, part: str | None = None) -> str:
    """The layout's files (and those of the layouts it extends) that ``part`` reads.

    ``part`` is ``"pdf"``, ``"docx"`` or ``"epub"``: the other formats' folders are
    left out; ``None`` takes every file.
    """
    digest = hashlib.sha256()
    skip = () if part is None else tuple(p for p in LAYOUT_PARTS if p != part)
    current: Layout | None = layout
    while current is not None:
        digest.update(str(current.root).encode("utf-8", "surrogateescape") + b"\0")
        if current.root.exists():
            _hash_files(digest, current.root, skip)
        current = current.parent
    return digest.hexdigest()


def build_date(manifest: Manifest) -> str:
    """The edition date as ``reading.edition_date`` finds it, without its warning."""
    if manifest.date:
        return manifest.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def input_fingerprint(manifest: Manifest, layout: Layout, options: Mapping[str, object]) -> str:
    """Everything a build reads: sources, layout, options, the date, essaypress itself."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps(options, sort_keys=True, default=repr).encode())
    digest.update(build_date(manifest).encode())
    _hash_files(digest, manifest.root)
    for extra in (manifest.cover, manifest.reference_docx):
        if extra is not None and extra.is_file():
            digest.update(b"X" + extra.read_bytes())
    digest.update(layout_digest(layout).encode())
    return digest.hexdigest()


def output_key(*parts: object) -> str:
    """The key of one output from the model's digest, its options and its layout files."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        value = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogateescape")
        digest.update(len(value).to_bytes(8, "big") + value)
    return digest.hexdigest()
