"""Conventions of pasted text (editor's notes, web trailers, repeated titles, indented prose),
block positions, and the corpus: classical headings, no indents, no spaces at CJK joins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from essaypress.config import load_manifest
from essaypress.log import collect
from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    CodeBlock,
    Div,
    Essay,
    Heading,
    Meta,
    Para,
    Part,
    Person,
    SourceRef,
    Str,
)
from essaypress.model.text import plain
from essaypress.model.walk import query
from essaypress.pipeline import assemble, read_single
from essaypress.readers.markdown import read_markdown
from essaypress.transforms import apply_transforms
from essaypress.transforms.cjk_breaks import join_cjk_breaks

BODY = "清晨五點，窯火還沒熄，父親已經蹲在窯口添柴，我們誰也沒有說話。"


def para(text: str) -> Para:
    return Para((Str(text),))


def one(*blocks: Para, title: str = "窯火") -> Essay:
    meta = Meta(title=(Str(title),) if title else ())
    essay = Essay(meta, blocks, source=SourceRef("a.md"))
    book = Anthology(BookMeta("書"), (), (Part((), (essay,)),))
    return apply_transforms(book).essays[0]


def test_web_trailers_are_removed_with_a_warning_naming_the_file() -> None:
    with collect() as found:
        e = one(para(BODY), para(BODY), para("分享到：臉書 推特"), para("相關文章："),
                para("另一篇"), para("責任編輯：王大明"), para("來源：某某新聞網"))  # fmt: skip
    assert e.blocks == (para(BODY), para(BODY))
    assert [(d.code, d.location) for d in found] == [("web-trailer", "a.md")]


def test_source_line_in_the_middle_of_an_essay_stays() -> None:
    with collect() as found:
        e = one(para("來源：我的日記本。" + BODY), para(BODY))
    assert len(e.blocks) == 2 and not found


def test_editors_note_becomes_a_div_and_the_title_is_still_found() -> None:
    e = one(
        para("編者按：本文獲得首獎。"), para("窯火"), para("作者：林曉雯"), para(BODY), title=""
    )
    assert plain(e.meta.title) == "窯火" and e.meta.authors == (Person("林曉雯"),)
    assert isinstance(e.blocks[0], Div) and e.blocks[0].attr.classes == ("editor-note",)
    assert e.blocks[1:] == (para(BODY),)


def test_a_first_paragraph_repeating_the_title_goes() -> None:
    assert one(para("窯 火"), para(BODY)).blocks == (para(BODY),)


def test_byline_repeating_a_fuller_author_keeps_the_fuller_one() -> None:
    book = Anthology(BookMeta("書"), (), (Part((), (Essay(
        Meta(title=(Str("秋夜"),), authors=(Person("鲁迅 (Lu Xun, 1881–1936)"),)),
        (para("·鲁迅·"), para(BODY)),
    ),)),))  # fmt: skip
    e = apply_transforms(book).essays[0]
    assert e.meta.authors == (Person("鲁迅 (Lu Xun, 1881–1936)"),)
    assert e.blocks == (para(BODY),)


def test_markdown_without_a_title_takes_its_first_short_line(tmp_path: Path) -> None:
    (tmp_path / "notitle.md").write_text("窯火\n\n—— 林曉雯\n\n" + BODY + "\n", encoding="utf-8")
    (tmp_path / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nessays = ["notitle.md"]\n', encoding="utf-8"
    )
    with collect() as found:
        e = assemble(load_manifest(tmp_path)).essays[0]
    assert plain(e.meta.title) == "窯火" and e.meta.authors == (Person("林曉雯"),)
    assert not [d for d in found if d.code == "no-title"]


def test_line_breaks_next_to_shared_punctuation_join_in_chinese() -> None:
    e = read_markdown("不但“\n正视”，连\n“平视”。\n\nsaid “\nhello”\n", SourceRef("a.md"))
    book = join_cjk_breaks(Anthology(BookMeta("T"), (), (Part((), (e,)),)))
    texts = [plain(b.content) for b in book.essays[0].blocks if isinstance(b, Para)]
    assert texts == ["不但“正视”，连“平视”。", "said “ hello”"]


def test_indented_prose_is_not_code() -> None:
    text = (
        "    第一行縮排的段落，\n接著寫下去。\n\n    indented\n      code\n\n"
        "正文\n\n        ·鲁迅·\n"
    )
    e = read_markdown(text, SourceRef("a.md"))
    assert e.blocks[0] == para("第一行縮排的段落，接著寫下去。")
    assert e.blocks[1] == CodeBlock("indented\n  code")
    assert e.blocks[3] == para("·鲁迅·")


def test_blocks_know_their_source_line() -> None:
    e = read_markdown("---\ntitle: T\n---\n\n甲\n\n## 乙\n\n丙\n", SourceRef("a.md"))
    assert [str(getattr(b, "source", "")) for b in e.blocks] == ["a.md:5", "a.md:7", "a.md:9"]
    out = apply_transforms(Anthology(BookMeta("T"), (), (Part((), (e,)),)))
    located = [str(getattr(b, "source", "")) for b in out.essays[0].blocks]
    assert located == ["a.md:5", "a.md:7", "a.md:9"]


# --------------------------------------------------------------------- corpus

_CJK = "[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’—…]"
_GAP = re.compile(f"(?<={_CJK})[ \\n](?={_CJK})")


def _zh(corpus: Path, prefix: str) -> list[Path]:
    files = sorted((corpus / "essays" / "zh").glob(prefix + "*.md"))
    assert files
    return files


def test_classical_texts_get_headings_and_lose_their_indents(corpus: Path) -> None:
    for path in _zh(corpus, "liyu-"):
        with collect():
            e = read_single(path)
        assert query(e.blocks, Heading), path.name
        for p in query(e.blocks, Para):
            assert not re.match(r"[\s\u3000]", plain(p.content)), (path.name, plain(p.content))


def test_hard_wrapped_lu_xun_has_no_space_at_any_cjk_join(corpus: Path) -> None:
    for path in _zh(corpus, "luxun-"):
        with collect():
            e = read_single(path)
        assert not query(e.blocks, CodeBlock), path.name
        for p in query(e.blocks, Para):
            text = plain(p.content)
            assert not _GAP.search(text), (path.name, text[:40])
            assert not re.match(r"[\s\u3000]", text), (path.name, text[:40])


@pytest.mark.slow
def test_every_corpus_essay_reads_and_transforms(corpus: Path) -> None:
    for path in sorted((corpus / "essays").glob("*/*.md")):
        with collect():
            e = read_single(path)
        assert e.meta.title and e.blocks, path.name


def test_an_essay_without_any_title_gets_its_file_name_and_a_warning(tmp_path: Path) -> None:
    (tmp_path / "kiln-story.md").write_text(BODY + "\n\n" + BODY + "\n", encoding="utf-8")
    (tmp_path / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nessays = ["kiln-story.md"]\n', encoding="utf-8"
    )
    with collect() as found:
        e = assemble(load_manifest(tmp_path)).essays[0]
    assert plain(e.meta.title) == "kiln-story"
    assert [d.location for d in found if d.code == "no-title"] == ["kiln-story.md"]
