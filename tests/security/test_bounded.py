"""Issue 8, point 2: hostile input is refused early, in bounded time and memory.

Every case runs in-process under the audit harness; the ``slow`` run repeats
each one in a child process limited to 1 GiB of address space and 30 seconds
and records the time and peak memory it took.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from essaypress.resources import MAX_IMAGE_PIXELS
from tests.conftest import png_bytes

from . import _hostile as h
from .conftest import LIMIT_BYTES, LIMIT_SECONDS, Project


@dataclass(frozen=True)
class Case:
    setup: Callable[[Project], None]
    code: int
    message: str  # the start of the error line (exit 1) or a warning's text (exit 0)
    formats: str = "epub"
    heavy: bool = False  # too slow for the in-process run: only in the limited one


def _docx(data: bytes | Callable[[], bytes]) -> Callable[[Project], None]:
    def setup(project: Project) -> None:
        project.write("a.docx", data() if callable(data) else data)
        project.manifest("a.docx")

    return setup


def _md(body: str, front: str = "title: 一篇") -> Callable[[Project], None]:
    return lambda project: project.essay(body, front=front)


def _image(name: str, data: bytes) -> Callable[[Project], None]:
    def setup(project: Project) -> None:
        project.write(name, data)
        project.essay(f"正文。\n\n![圖]({name})")

    return setup


def _docx_image(data: bytes) -> Callable[[Project], None]:
    rels = {"rId9": ("image", "media/x.png", False)}
    doc = h.docx(h.para("正文。") + h.inline_picture("rId9"), rels=rels,
                 parts={"word/media/x.png": data})  # fmt: skip
    return _docx(doc)


def _cover(project: Project) -> None:
    project.write("cover.png", h.png_bomb())
    project.essay("正文。")
    project.manifest("a.md", extra='cover = "cover.png"\n')


def _tables(depth: int) -> str:
    x = h.para("核心")
    for i in range(depth):
        x = f"<w:tbl><w:tr><w:tc>{x}</w:tc></w:tr></w:tbl>{h.para(f'第{i}層')}"
    return x


def _deep_runs(depth: int) -> str:
    return "<w:p>" + "<w:r>" * depth + "</w:r>" * depth + "</w:p>"


def _ole(encrypted: bool) -> bytes:
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return head + ("EncryptionInfo".encode("utf-16-le") if encrypted else b"") + bytes(1024)


_DAMAGED = "a.docx: damaged Word document (word/document.xml"
_REFUSED = "a.docx: refused: "
_BIG = f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"

CASES: dict[str, Case] = {
    # zip bombs and broken zips
    "zip-bomb-declared-4gb": Case(_docx(lambda: h.huge_member("word/media/big.bin", 4095)), 1,
                                  _REFUSED + "unpacks to more than 200 MB (a zip bomb?)"),
    "zip-bomb-150mb-document": Case(_docx(lambda: h.zeros_member("word/document.xml", 150 << 20)),
                                    1, _REFUSED + "unpacks to more than 200 MB (a zip bomb?)"),
    "zip-ratio": Case(_docx(lambda: h.zeros_member("word/media/x.bin", 3 << 20)), 1,
                      _REFUSED + "word/media/x.bin is compressed more than 200:1 (a zip bomb?)"),
    "zip-members": Case(_docx(lambda: h.many_members(6000)), 1,
                        _REFUSED + "the zip has 6003 members (limit 5000)"),
    "zip-directory": Case(_docx(lambda: h.many_members(40_000)), 1,
                          _REFUSED + "the zip's directory is"),
    "zip-overlap-quoted": Case(_docx(lambda: h.overlapping(quoted=True)), 1,
                               _REFUSED + "zip members 'word/media/a.bin' and 'word/media/b.bin' "
                               "overlap (a zip bomb?)"),
    "zip-overlap-shared-header": Case(_docx(lambda: h.overlapping(quoted=False)), 1,
                                      _REFUSED + "zip members 'word/media/b.bin' and "
                                      "'word/media/c.bin' overlap"),
    "zip-duplicate-names": Case(_docx(h.duplicate_names), 1,
                                _REFUSED + "the zip holds two members named 'word/document.xml'"),
    "zip-lying-sizes": Case(_docx(h.lying_sizes), 1,
                            "a.docx: damaged Word document (word/document.xml cannot be unpacked)"),
    "zip-truncated": Case(_docx(lambda: h.docx(h.para("x"))[:500]), 1,
                          "a.docx: not a Word document (not a zip file)"),
    # XML
    "xml-billion-laughs": Case(_docx(lambda: h.docx(document=h.document_xml(
        h.para("&lol9;"), prolog=h.BILLION_LAUGHS))), 1, _DAMAGED),
    "xml-external-entity": Case(lambda p: _docx(h.docx(document=h.document_xml(
        h.para("&xxe;"), prolog=h.external_entity(f"file://{p.secrets['txt'].path}"))))(p), 1,
        _DAMAGED + " declares a DTD)"),
    "xml-external-dtd": Case(lambda p: _docx(h.docx(document=h.document_xml(
        h.para("x"), prolog=f'<!DOCTYPE w:document SYSTEM "file://{p.secrets["txt"].path}">')))(p),
        1, _DAMAGED + " declares a DTD)"),
    "xml-laughs-in-content-types": Case(_docx(lambda: h.zip_of({
        "[Content_Types].xml": h.BILLION_LAUGHS.replace("w:document", "Types")
        + "<Types>&lol9;</Types>", "_rels/.rels": h.rels_xml({"rId1": (
            "officeDocument", "word/document.xml", False)}),
        "word/document.xml": h.document_xml(h.para("x"))})), 1,
        "a.docx: damaged Word document ([Content_Types].xml"),
    "xml-depth-300": Case(_docx(lambda: h.docx(_deep_runs(300))),
                          1, _DAMAGED + ", line 1: Excessive depth"),
    "docx-tables-nested-60": Case(_docx(lambda: h.docx(_tables(60))), 1,
                                  _REFUSED + "tables, lists, quotes or notes nested 120 levels "
                                  "deep (the limit is 32; a table counts 2) — flatten the nesting"),
    "docx-tables-nested-16": Case(_docx(lambda: h.docx(_tables(16))), 0, "", "pdf,docx,epub",
                                  heavy=True),
    # not a .docx at all
    "docx-encrypted": Case(_docx(_ole(True)), 1,
                           "a.docx: the Word document is password-protected (encrypted) — "
                           "remove the password in Word"),
    "docx-legacy-doc": Case(_docx(_ole(False)), 1, "a.docx: this is an old Word 97–2003 .doc file"),
    "docx-plain-text": Case(_docx(b"just text\n"), 1, "a.docx: not a Word document (not a zip "
                            "file) — save it as .docx from Word"),
    "docx-png-renamed": Case(_docx(png_bytes()), 1, "a.docx: not a Word document (not a zip file)"),
    "docx-empty": Case(_docx(b""), 1, "a.docx: the file is empty"),
    "docx-rtf": Case(_docx(b"{\\rtf1\\ansi hello}"), 1, "a.docx: this is an RTF file, not .docx"),
    "docx-is-xlsx": Case(_docx(lambda: h.zip_of({"xl/workbook.xml": "<workbook/>"})), 1,
                         "a.docx: this is an Excel workbook, not a Word document"),
    # Markdown nesting and size
    "md-deep-quotes": Case(_md("> " * 1000 + "深"), 1,
                           "a.md:5: Markdown nested more than 32 levels"),
    "md-deep-lists": Case(_md("".join("  " * i + "- 項\n" for i in range(200))), 1,
                          "a.md:20: Markdown nested more than 32 levels"),
    "md-quotes-at-limit": Case(_md("> " * 31 + "深"), 0, "", "pdf,docx,epub", heavy=True),
    "md-deep-emphasis": Case(_md("*a " * 3000 + "x" + " a*" * 3000), 1,
                             "a.md:5: Markdown nested more than 32 levels"),
    "md-deep-links": Case(_md("[" * 3000 + "x" + "](u)" * 3000), 0, ""),
    "md-brackets-slow": Case(_md("[" * 1_500_000), 1,
                             "a.md: refused: reading it takes more than 20 s", heavy=True),
    # YAML front matter
    "yaml-aliases": Case(_md("x", 'a: &a ["lol", "lol"]\nb: &b [*a, *a]\ntitle: *b'), 1,
                         "a.md:2: front matter: YAML anchors and aliases (& and *) are not "
                         "allowed"),
    "yaml-python-tag": Case(_md("x", 'title: !!python/object/apply:os.system ["touch pwned"]'), 1,
                            "a.md:2: front matter: invalid YAML"),
    "yaml-deep-lists": Case(_md("x", "title: " + "[" * 1200 + "]" * 1200), 1,
                            "a.md: refused: the file is nested too deeply to read"),
    "yaml-deep-mappings": Case(_md("x", "title: " + "{a: " * 1200 + "1" + "}" * 1200), 1,
                               "a.md: refused: the file is nested too deeply to read"),
    "yaml-deep-slow": Case(_md("x", "title: " + "[" * 30_000 + "]" * 30_000), 1,
                           "a.md: refused: reading it takes more than 20 s", heavy=True),
    # images: checked before anything decodes them
    "pixels-png": Case(_image("x.png", h.png_bomb()), 0,
                       f"image 'x.png' left out: it is 100000 × 100000 pixels, more than the limit "
                       f"of {_BIG} — scale it down", "pdf,docx,epub"),
    "pixels-jpeg": Case(_image("x.jpg", h.jpeg_bomb()), 0, "is 65000 × 65000 pixels",
                        "pdf,docx,epub"),
    "pixels-gif": Case(_image("x.gif", h.gif_bomb()), 0, "is 65535 × 65535 pixels",
                       "pdf,docx,epub"),
    "pixels-gif-frame": Case(_image("x.gif", h.gif_bomb(10, 10)[:13]
                                    + h.gif_bomb(60_000, 60_000)[13:]),
                             0, "is 60000 × 60000 pixels", "pdf,docx,epub"),
    "pixels-in-docx": Case(_docx_image(h.png_bomb()), 0,
                           "an image of the document (docx/", "pdf,docx,epub"),
    "pixels-cover": Case(_cover, 1, "anthology.toml: cover: the file is 100000 × 100000 pixels"),
    "pixels-largest-accepted": Case(_image("x.png", png_bytes(6000, 6600)), 0, "", "pdf,docx,epub",
                                    heavy=True),
}  # fmt: skip


def _check(project: Project, case: Case, *, limited: bool) -> None:
    case.setup(project)
    done = project.build(formats=case.formats, limited=limited)
    assert done.code == case.code, done.err
    if case.code:
        error = done.error.replace(f"{project.root}/", "")  # the manifest is named in full
        assert error.startswith(case.message), done.error
    elif case.message:
        assert any(case.message in w for w in done.warnings), done.err
        found = [w for w in done.warnings if case.message in w]
        assert found[0].split(": warning: ")[0] in ("a.md", "a.docx")
    if limited:
        assert done.seconds < LIMIT_SECONDS and done.peak_bytes < LIMIT_BYTES
        print(f"{done.seconds:5.1f} s {done.peak_bytes / 2**20:6.0f} MB")


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.heavy])
def test_hostile_input_is_refused_in_process(project: Project, name: str) -> None:
    _check(project, CASES[name], limited=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_stays_within_30_s_and_1_gib(project: Project, name: str) -> None:
    _check(project, CASES[name], limited=True)


def test_pixel_bomb_outputs_hold_no_image(project: Project) -> None:
    CASES["pixels-in-docx"].setup(project)
    assert project.build(formats="docx,epub").code == 0
    epub = zipfile.ZipFile(project.out / "anthology.epub")
    docx = zipfile.ZipFile(io.BytesIO((project.out / "anthology.docx").read_bytes()))
    assert not [n for n in epub.namelist() if "/images/" in n and n != "EPUB/images/cover.svg"]
    assert not [n for n in docx.namelist() if n.startswith("word/media/")]


@pytest.mark.slow
def test_a_huge_markdown_essay_is_refused_up_front(project: Project) -> None:
    project.essay("正文，很長的一段文字。\n" * 1_400_000)  # 47 MB
    done = project.build(limited=True)
    print(f"{done.seconds:5.1f} s {done.peak_bytes / 2**20:6.0f} MB")
    assert done.code == 1 and done.error.startswith("a.md: ")
    assert done.seconds < 10  # by its size, not after parsing for 20 s


def test_a_huge_cover_is_refused_before_it_is_read(project: Project) -> None:
    project.write("cover.png", png_bytes() + bytes(31 << 20))
    project.essay("正文。")
    project.manifest("a.md", extra='cover = "cover.png"\n')
    done = project.build()
    assert done.code == 1
    assert done.error.endswith("anthology.toml: cover: the file is larger than 30 MB")


def test_a_broken_reference_docx_is_one_line(project: Project) -> None:
    styles = f'<w:styles xmlns:w="{h.W}"/>'
    project.write("ref.docx", h.unsupported_method(h.docx(h.para("x"), parts={
        "word/styles.xml": styles})))  # fmt: skip
    project.essay("正文。")
    project.manifest("a.md", extra='reference_docx = "ref.docx"\n')
    done = project.build(formats="docx")
    assert done.code == 1
    assert "ref.docx" in done.error
