"""Issue 8, point 3: one clear line per problem, naming the file; control characters removed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from lxml import etree
from pypdf import PdfReader

from essaypress.cli import main

from . import _hostile as h
from .conftest import Project

_UTF8 = "save the file as UTF-8"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(b"---\ntitle: x\n---\n\nok \xff\xfe bad\n",
                     f"a.md: not UTF-8 text (byte 21) — {_UTF8}", id="invalid-utf8"),
        pytest.param("# 標題\n".encode("utf-16"), f"a.md: not UTF-8 text (byte 0) — {_UTF8}",
                     id="utf16"),
        pytest.param(b"\xed\xa0\x80 surrogate", f"a.md: not UTF-8 text (byte 0) — {_UTF8}",
                     id="encoded-surrogate"),
        pytest.param("---\ntitle: \"unterminated\n---\nx\n", "a.md:2: front matter: invalid YAML",
                     id="yaml-unterminated"),
        pytest.param("---\ntitle: a\n\tauthor: b\n---\nx\n", "a.md:3: front matter: invalid YAML: "
                     "found character '\\t' that cannot start any token", id="yaml-tab"),
        pytest.param("---\n- a\n- b\n---\nx\n", "a.md:2: front matter: expected `key: value` lines",
                     id="yaml-not-a-mapping"),
        pytest.param("---\ntitle: a\ntitle: b\n---\nx\n", "a.md:3: front matter: `title` is given "
                     "twice", id="yaml-duplicate-key"),
        pytest.param("---\ntitle: !!binary aGVsbG8=\n---\nx\n",
                     "a.md:2: front matter: `title` must be text, not bytes", id="yaml-binary"),
        pytest.param("---\ntitle: [a, {b: c}]\n---\nx\n", "a.md:2: front matter: `title` must be "
                     "text, not list", id="yaml-wrong-type"),
    ],
)  # fmt: skip
def test_a_broken_markdown_essay_is_one_line_naming_it(
    project: Project, content: bytes | str, error: str
) -> None:
    project.write("a.md", content)
    project.manifest("a.md")
    done = project.build()
    assert done.code == 1
    assert done.error.startswith(error), done.error


@pytest.mark.parametrize(
    ("toml", "error"),
    [
        pytest.param(b'title = "T\nessays = ["a.md"]\n', "anthology.toml:1: not valid TOML: "
                     "Illegal character", id="syntax"),
        pytest.param(b'title = "T"\xff\nessays = ["a.md"]\n', "anthology.toml: not UTF-8 text",
                     id="invalid-utf8"),
        pytest.param(b'title = 5\nessays = ["a.md"]\n', "anthology.toml: title: must be a string, "
                     "not int", id="wrong-type"),
        pytest.param(b'title = "T"\nessays = "a.md"\n', "anthology.toml: essays: must be a "
                     "non-empty list of files", id="not-a-list"),
        pytest.param(b'title = "T"\nessays = ["a.md"]\ndate = "yesterday"\n',
                     "anthology.toml: date: 'yesterday' is not an ISO date", id="bad-date"),
        pytest.param(b'title = "T"\nessays = ["a.md"]\nlayout = "../../../../etc"\n',
                     "no layout named '../../../../etc'", id="layout-escape"),
        pytest.param(b'title = "T"\nessays = ["a.md"]\nx = ' + b"[" * 3000 + b"]" * 3000,
                     "anthology.toml: not valid TOML", id="deep-nesting"),
    ],
)  # fmt: skip
def test_a_broken_manifest_is_one_line_naming_it(project: Project, toml: bytes, error: str) -> None:
    project.write("a.md", "# 一篇\n\n正文。\n")
    project.write("anthology.toml", toml)
    done = project.build()
    assert done.code == 1, done.err
    assert done.error.replace(f"{project.root}/", "").startswith(error), done.error


BROKEN = {
    "md-utf8": ("b.md", b"\xff\xfe"),
    "md-yaml": ("b.md", b"---\ntitle: [\n---\n"),
    "md-nesting": ("b.md", ("> " * 100 + "x").encode()),
    "docx-not-zip": ("b.docx", b"not a zip"),
    "docx-encrypted": ("b.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                       + "EncryptionInfo".encode("utf-16-le")),
    "docx-no-document": ("b.docx", h.zip_of({"[Content_Types].xml": "<Types/>"})),
    "docx-bad-xml": ("b.docx", h.docx(document="<w:document")),
    "docx-zip-bomb": ("b.docx", h.huge_member("word/media/x.bin", 500)),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_problem_in_one_essay_names_that_essay(project: Project, case: str) -> None:
    name, data = BROKEN[case]
    project.write("essays/a.md", "# 甲\n\n正文。\n")
    project.write(f"essays/{name}", data)
    project.write("essays/c.md", "# 丙\n\n正文。\n")
    project.manifest("essays/a.md", f"essays/{name}", "essays/c.md")
    done = project.build()
    assert done.code == 1
    assert done.error.startswith(f"essays/{name}:"), done.error
    assert " — " in done.error  # what to do comes after the dash


def test_debug_shows_the_traceback(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("a.md", b"\xff")
    project.manifest("a.md")
    assert main(["--debug", "build", str(project.root), "-o", str(project.out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ReaderError" in err
    assert err.strip().splitlines()[-1].startswith("essaypress: error: a.md: not UTF-8 text")


def test_an_internal_error_exits_70_and_saves_the_traceback(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, display: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("essaypress.reading.read_file", broken)
    project.essay("正文。")
    done = main(["build", str(project.root), "-o", str(project.out), "-q"])
    err = project.capsys.readouterr().err
    assert done == 70
    found = re.fullmatch(
        r"essaypress: internal error while reading a\.md \(a bug in essaypress\); the traceback "
        r"is in (\S+) — please report it\n",
        err,
    )
    assert found, err
    saved = Path(found.group(1))
    text = saved.read_text()
    saved.unlink()
    assert "RuntimeError: boom" in text and "while reading a.md" in text


# ------------------------------------------------- control characters


_DIRTY = "\x07\x1b\x7f\x85\ufffe"


def test_control_characters_and_lone_surrogates_are_removed_with_a_warning(
    project: Project,
) -> None:
    project.write(
        "a.md",
        '---\ntitle: "標\\u0007題\\ud800"\n'
        'author: {name: "王\\x1b小明", affiliation: "單\\x00位"}\n---\n\n'
        f"正文{_DIRTY}結束。[^1]\n\n## 小節\x08標題\n\n[^1]: 註\x0c腳\n",
    )
    project.write(
        "anthology.toml",
        'title = "文\\u0001集"\nsubtitle = "副\\u007f題"\ndate = "2026-01-01"\n'
        'editors = ["編\\u0085者"]\nessays = ["a.md"]\n',
    )
    done = project.build(formats="pdf,docx,epub")
    assert done.code == 0, done.err
    assert [w.split(": warning: ")[0] for w in done.warned("control-characters")] == [
        "a.md",
        "anthology.toml",
    ]
    assert (
        "removed 11 control character(s) or lone surrogate(s)"
        in done.warned("control-characters")[0]
    )
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
    epub = zipfile.ZipFile(project.out / "anthology.epub")
    for name in epub.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            root = etree.fromstring(epub.read(name))  # strict XML: would fail on a control char
            assert not bad.search("".join(str(t) for t in root.itertext())), name
    text = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    assert "標題" in text and "王小明" in text and "正文結束。" in text and "小節標題" in text
    document = python_docx.Document(io.BytesIO((project.out / "anthology.docx").read_bytes()))
    assert document.core_properties.title == "文集"
    assert any("正文結束。" in p.text for p in document.paragraphs)
    pdf = PdfReader(project.out / "anthology.pdf")
    assert pdf.metadata is not None and pdf.metadata.title == "文集"


def test_raw_control_characters_in_front_matter_are_removed_too(project: Project) -> None:
    project.essay("正文。", front="title: 標\x07題")
    done = project.build()
    assert done.code == 0, done.err
    assert done.warned("control-characters")
