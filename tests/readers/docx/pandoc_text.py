"""Turn a .docx into pandoc's reading of its text, and texts into comparable character counts.

The reference for the corpus test: pandoc (from the ``pypandoc-binary`` wheel)
reads each file with ``-f docx+styles -t plain -s`` through ``comparable.lua``,
which makes its reading comparable with ours: list numbers and note markers are
not text, figure captions are, tables of contents are left out (the reader drops
them), TeX that pandoc could not turn into Unicode loses its command words.
Texts are compared as multisets of letters, digits and CJK characters (NFKC,
case-folded).
"""

from __future__ import annotations

import functools
import importlib
import io
import subprocess
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

from essaypress.model.nodes import Essay
from essaypress.model.text import plain, plain_blocks

FILTER = Path(__file__).with_name("comparable.lua")


def pandoc_path() -> str | None:
    """The pandoc binary of the pypandoc-binary wheel, or None when it is not installed."""
    try:
        pypandoc = importlib.import_module("pypandoc")
        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return None


@functools.cache
def pandoc_text(path: Path) -> str | None:
    """Pandoc's plain-text reading of a .docx, or None when pandoc cannot read it."""
    exe = pandoc_path()
    if exe is None:
        return None
    done = subprocess.run(
        [exe, "-f", "docx+styles", "-s", "-t", "plain", "--lua-filter", str(FILTER), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


def chars(text: str) -> Counter[str]:
    """The letters, digits and CJK characters of a text, counted (NFKC, case-folded)."""
    return Counter(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def essay_text(essay: Essay) -> str:
    """Everything the essay will print: title, subtitle, date, authors, body with notes."""
    meta = essay.meta
    parts = [plain(meta.title), plain(meta.subtitle), meta.date]
    parts += [f"{person.name} {person.affiliation}" for person in meta.authors]
    return " ".join([*parts, plain_blocks(essay.blocks, notes=True)])


def without_core_properties(data: bytes) -> bytes:
    """The .docx without docProps/core.xml: pandoc ignores document properties, so the
    comparison reads only what the body says."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for info in source.infolist():
                if info.filename.lower() != "docprops/core.xml":
                    out.writestr(info, source.read(info))
        return buf.getvalue()
    except (zipfile.BadZipFile, OSError, ValueError):
        return data


def recall_precision(theirs: Counter[str], ours: Counter[str]) -> tuple[float, float]:
    """The share of pandoc's characters we have, and the share of ours pandoc has."""
    common = sum((theirs & ours).values())
    recall = common / sum(theirs.values()) if theirs else 1.0
    precision = common / sum(ours.values()) if ours else 1.0
    return recall, precision
