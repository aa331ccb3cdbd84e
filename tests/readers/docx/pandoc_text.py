"""Turn pandoc's expected outputs (native AST or HTML in command tests) into word tokens.

Used to check that the DOCX reader keeps the text pandoc finds in its own test
files: the expected words, as a multiset, should appear in our plain text.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_LIT = r'"((?:[^"\\]|\\.)*)"'
_ATTR = r'\(\s*"(?:[^"\\]|\\.)*"\s*,\s*\[[^\]]*\]\s*,\s*\[[^\]]*\]\s*\)'
# A Str literal, the text of Code/CodeBlock, any other literal (ignored), or a constructor.
_NATIVE = re.compile(
    rf"Str\s+{_LIT}|Code(?:Block)?\s*{_ATTR}\s*{_LIT}|\"(?:[^\"\\]|\\.)*\"|([A-Z][A-Za-z]*)"
)
# Constructors that do not separate words (everything else, e.g. Space or Para, does).
_JOINING = {
    "Str", "Emph", "Strong", "Span", "Superscript", "Subscript", "SmallCaps", "Strikeout",
    "Underline", "Link", "Quoted", "SingleQuote", "DoubleQuote", "Cite", "Image", "Note",
}  # fmt: skip
_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W\d_\u3400-\u9fff]+|\d+")


def _haskell(s: str) -> str:
    s = re.sub(r"\\(\d+)", lambda m: chr(int(m.group(1))), s)
    return s.replace("\\&", "").replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def expected_text(path: Path) -> str:
    """The text of a pandoc expected output: a ``.native`` file or a command test ``.md``."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        source = source.split("^D", 1)[1].rsplit("```", 1)[0]
        if "-t native" not in path.read_text(encoding="utf-8"):
            return re.sub(r"<[^>]+>", " ", source)
    out: list[str] = []
    for m in _NATIVE.finditer(source):
        if m.group(1) is not None:
            out.append(_haskell(m.group(1)))
        elif m.group(2) is not None:
            out.append(f" {_haskell(m.group(2))} ")
        elif m.group(3) is not None and m.group(3) not in _JOINING:
            out.append(" ")
    return "".join(out)


def tokens(text: str) -> Counter[str]:
    """Lower-case words, digit runs and single CJK characters, counted."""
    return Counter(_TOKEN.findall(text.lower()))


def coverage(expected: Counter[str], ours: Counter[str]) -> tuple[int, int]:
    """How many expected tokens (with multiplicity) we have, and how many there are."""
    found = sum(min(n, ours[t]) for t, n in expected.items())
    return found, sum(expected.values())
