"""`essaypress convert FILE.docx -o FILE.md`: the Markdown builds to the same text as the .docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from essaypress.cli import main
from essaypress.log import collect
from essaypress.model.nodes import Block, Essay, Figure, Heading, Note
from essaypress.model.text import plain, plain_blocks
from essaypress.model.walk import query
from essaypress.pipeline import read_single
from essaypress.resources import resolve_images

SAMPLE = Path(__file__).resolve().parent.parent / "sources" / "essays" / "03-sewing-machine.docx"
CORPUS_FILES = (
    "pandoc/table_with_list_cell.docx",
    "pandoc/table_one_header_row.docx",
    "pandoc/lists.docx",
    "pandoc/link_in_notes.docx",
    "pandoc/inline_formatting.docx",
    "pandoc/inline_images.docx",
    "pandoc/enumerated_headings.docx",
    "pandoc/special_punctuation.docx",
    "pandoc/unicode.docx",
    "mammoth/footnote-hyperlink.docx",
    "mammoth/endnotes.docx",
    "docx-rs/footnotes__footnotes.docx",
    "docx2python/example.docx",
    "open-xml-sdk/wordprocessing/mixed languages/Unit1Translation.docx",
)
_CJK_SPACE = re.compile("(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def squeeze(text: str) -> str:
    """Text with whitespace runs as one space (Markdown keeps no spaces at line edges)."""
    return _CJK_SPACE.sub("", re.sub(r"\s+", " ", text).strip())


Digest = tuple[str, list["Digest"], list[tuple[int, str]]]


def digest(blocks: tuple[Block, ...]) -> Digest:
    """What `convert` keeps: the text, the notes' text, the headings (level and text)."""
    notes = [digest(n.blocks) for n in query(blocks, Note)]
    heads = [(h.level, squeeze(plain(h.content))) for h in query(blocks, Heading)]
    return squeeze(plain_blocks(blocks)), notes, [h for h in heads if h[1]]


def essay_meta(essay: Essay, stem: str) -> tuple[str, list[tuple[str, str]], str]:
    title = squeeze(plain(essay.meta.title)) or stem  # the build's fallback
    return title, [(p.name, p.affiliation) for p in essay.meta.authors], essay.meta.lang


def check_round_trip(docx: Path, tmp_path: Path) -> Path:
    with collect():
        before = resolve_images(read_single(docx), docx, docx.parent)
        out = tmp_path / f"{docx.stem}.md"
        assert main(["convert", str(docx), "-o", str(out)]) == 0
        after = resolve_images(read_single(out), out, tmp_path)
    assert essay_meta(after, docx.stem) == essay_meta(before, docx.stem)
    assert digest(after.blocks) == digest(before.blocks)
    images = [f.image for f in query(before.blocks, Figure)]
    data = {r.key: r.data for r in before.resources}
    back = {r.key: r.data for r in after.resources}
    assert [data[i.src] for i in images] == [back[f.image.src] for f in query(after.blocks, Figure)]
    return out


def test_sample_essay_converts_to_markdown_with_front_matter(tmp_path: Path) -> None:
    out = check_round_trip(SAMPLE, tmp_path)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "母親的縫紉機"\nauthors:\n  - name: "陳柏豪"\n')
    assert 'affiliation: "霧嶼守備大隊政治部"' in text and 'lang: "zh-Hant"' in text
    assert "\n# 一、腳踏板的聲音\n" in text and "\n## （一）客廳的角落\n" in text
    assert re.search(r"\[\^1\]", text) and "\n[^1]: " in text


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_document_converts_to_the_same_text(corpus: Path, name: str, tmp_path: Path) -> None:
    docx = corpus / "docx" / name
    check_round_trip(docx, tmp_path)


def test_images_are_written_next_to_the_markdown(corpus: Path, tmp_path: Path) -> None:
    docx = corpus / "docx" / "docx-rs" / "image_inline_and_anchor__image_inline_and_anchor.docx"
    out = check_round_trip(docx, tmp_path)
    folder = tmp_path / f"{docx.stem}-images"
    files = sorted(folder.iterdir())
    assert files and all(f.name.startswith("image-") for f in files)
    text = out.read_text(encoding="utf-8")
    assert all(f"]({folder.name}/{f.name})" in text for f in files)


def test_convert_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.md"
    out.write_text("mine", encoding="utf-8")
    assert main(["convert", str(SAMPLE), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["convert", str(SAMPLE), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\n")


def _docx_text(path: Path) -> list[str]:
    import docx as python_docx

    return [p.text for p in python_docx.Document(str(path)).paragraphs]


def test_convert_then_build_gives_the_same_book_as_building_from_the_docx(
    tmp_path: Path,
) -> None:
    """The issue's check: the sample built with its Word essay, and again with that essay
    converted to Markdown (the manifest pointing at the .md), give the same DOCX text."""
    import shutil

    repo = SAMPLE.parents[2]
    word, markdown = tmp_path / "word", tmp_path / "markdown"
    shutil.copytree(repo / "sources", word)
    shutil.copytree(repo / "sources", markdown)
    docx = markdown / "essays" / "03-sewing-machine.docx"
    assert main(["convert", str(docx), "-o", str(docx.with_suffix(".md"))]) == 0
    docx.unlink()
    manifest = markdown / "anthology.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "03-sewing-machine.docx", "03-sewing-machine.md"
        ),
        encoding="utf-8",
    )
    for folder in (word, markdown):
        assert (
            main(
                [
                    "build",
                    str(folder),
                    "-o",
                    str(folder.parent / f"{folder.name}-out"),
                    "-f",
                    "docx",
                    "-q",
                ]
            )
            == 0
        )
    assert _docx_text(tmp_path / "markdown-out" / "anthology.docx") == _docx_text(
        tmp_path / "word-out" / "anthology.docx"
    )
