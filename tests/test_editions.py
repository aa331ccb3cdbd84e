"""Editions: ``--edition zh-Hant|zh-Hans`` converts the whole anthology, names the outputs
after it, and fonts, ``lang`` and quote style follow it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import opencc
import pytest
from pypdf import PdfReader

from essaypress.cli import main
from essaypress.config import load_manifest
from essaypress.errors import ConfigError
from essaypress.model.nodes import Code, CodeBlock, Link, Str
from essaypress.model.text import plain
from essaypress.model.walk import iter_nodes, query
from essaypress.options import TextOptions
from essaypress.pipeline import assemble, build
from tests.conftest import need_tool

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")


def texts(book: object) -> str:
    """Every text of the anthology: Str runs and the book's metadata."""
    parts = [n.text for n in iter_nodes(book) if isinstance(n, Str)]
    meta = getattr(book, "meta", None)
    if meta is not None:
        parts += [meta.title, meta.subtitle, meta.publisher, meta.description]
        parts += [p.name + p.affiliation for p in meta.editors]
    return "\n".join(parts)


def test_zh_hans_edition_of_the_sample_has_nothing_left_to_simplify() -> None:
    book = assemble(load_manifest(SOURCES), text_options=TextOptions(edition="zh-Hans"))
    text = texts(book)
    assert T2S.convert(text) == text
    assert "灯亮，有船回来" in text
    assert book.meta.lang == "zh-Hans"
    assert {e.meta.lang for e in book.essays} <= {"zh-Hans", "en"}
    # quote style follows the edition: no corner brackets left in zh-Hans text
    assert "「" not in text and "“日常的光”" in book.meta.subtitle


def test_zh_hant_edition_uses_taiwan_phrasing(tmp_path: Path) -> None:
    src = tmp_path / "s"
    src.mkdir()
    (src / "a.md").write_text(
        "---\ntitle: 软件与内存\nauthor: 王小明\nlang: zh-Hans\n---\n\n"
        '他说“打印机的信息”。见 `printf("信息")` 和 [网站](https://例.cn/信息)。\n\n'
        "```\n内存 = 1\n```\n",
        encoding="utf-8",
    )
    (src / "anthology.toml").write_text(
        'title = "软件"\ndate = "2026-11-01"\nlanguage = "zh-Hans"\nessays = ["a.md"]\n'
        '[text]\nedition = "zh-Hant"\n',
        encoding="utf-8",
    )
    book = assemble(load_manifest(src))
    essay = book.essays[0]
    assert plain(essay.meta.title) == "軟體與記憶體"
    assert book.meta.title == "軟體" and book.meta.lang == "zh-Hant"
    assert essay.meta.lang == "zh-Hant" and essay.meta.authors[0].name == "王小明"
    body = plain(essay.blocks[0].content)  # type: ignore[union-attr]
    assert body.startswith("他說「印表機的資訊」。")
    # code and URLs are never converted
    assert query(essay, Code)[0].text == 'printf("信息")'
    assert query(essay, Link)[0].url == "https://xn--fsq.cn/%E4%BF%A1%E6%81%AF"  # as read
    assert query(essay, CodeBlock)[0].text == "内存 = 1"


def test_text_table_is_validated(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: 甲\n---\n\n乙\n", encoding="utf-8")
    for table, key in (
        ('[text]\nquote = "corner"\n', "text.quote"),
        ('[text]\nquotes = "fancy"\n', "text.quotes"),
        ('[text]\nedition = "zh-HK"\n', "text.edition"),
        ("[text]\ncjk_latin_space = 1\n", "text.cjk_latin_space"),
    ):
        (tmp_path / "anthology.toml").write_text(
            f'title = "書"\nessays = ["a.md"]\n{table}', encoding="utf-8"
        )
        with pytest.raises(ConfigError) as err:
            load_manifest(tmp_path)
        assert f"anthology.toml: {key}:" in str(err.value)
    (tmp_path / "anthology.toml").write_text(
        'title = "書"\nessays = ["a.md"]\n[text]\nquotes = "keep"\ncjk_latin_space = true\n'
        'edition = "zh-Hans"\n',
        encoding="utf-8",
    )
    opts = load_manifest(tmp_path).text
    assert opts == TextOptions(quotes="keep", cjk_latin_space=True, edition="zh-Hans")


def test_outputs_are_named_after_the_edition(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SOURCES), "-o", str(out), "-f", "epub,docx", "-q",
                 "--edition", "zh-Hans"]) == 0  # fmt: skip
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "anthology.zh-Hans.docx",
        "anthology.zh-Hans.epub",
    ]
    with zipfile.ZipFile(out / "anthology.zh-Hans.epub") as z:
        opf = next(z.read(n).decode() for n in z.namelist() if n.endswith(".opf"))
    assert "<dc:language>zh-Hans</dc:language>" in opf
    with zipfile.ZipFile(out / "anthology.zh-Hans.docx") as z:
        document = z.read("word/document.xml").decode()
    assert "灯亮" in document and "燈亮" not in document
    # without an edition, names stay plain
    plain_out = tmp_path / "plain"
    build(SOURCES, plain_out, ("epub",))
    assert [p.name for p in plain_out.iterdir() if p.is_file()] == ["anthology.epub"]


@pytest.mark.slow
def test_zh_hans_pdf_uses_the_simplified_chinese_font(tmp_path: Path) -> None:
    need_tool("pdffonts", "poppler-utils")
    out = tmp_path / "out"
    result = build(SOURCES, out, ("pdf",), edition="zh-Hans")
    assert [p.name for p in result.outputs] == ["anthology.zh-Hans.pdf"]
    reader = PdfReader(out / "anthology.zh-Hans.pdf")
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    cjk = {f for f in fonts if "CJK" in f}
    assert cjk and all("CJK-SC" in f for f in cjk), fonts
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "灯亮" in text and T2S.convert(text) == text
