"""Typography of the PDF: filled Chinese lines, clean copied text, kinsoku, hyphenation.

The Chinese checks read character positions back from the PDF (pdftotext
-bbox-layout): a line that is not the last of its paragraph must end within
half a character of the measure, no line may start with closing or end with
opening punctuation, and the extracted text must have no space between two
CJK characters that the source does not have.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import weasyprint
import yaml
from weasyprint.layout import inline
from weasyprint.text import line_break

from essaypress import log
from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    Emph,
    Essay,
    Meta,
    Note,
    Para,
    Part,
    Person,
    Str,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.options import WriterOptions
from essaypress.writers.pdf import _cjk_justify, write_pdf
from tests.writers.pdfcheck import (
    CJK,
    CJK_LETTER,
    LEADER,
    MM,
    Line,
    kinsoku_violations,
    leader_entries,
    line_fill,
    listed,
    needs_poppler,
    opening_pages,
    pages_text,
    spaced_cjk,
    text_lines,
)

pytestmark = needs_poppler

ZH = (
    "館裡那座柴窯，已經七年沒有點過火了。去年秋天，館長說經費終於下來了，要把它重新燒起來，"
    "我才第一次走進窯室。窯身是用耐火磚砌的，長長一條伏在山坡上，像一隻睡著的穿山甲；"
    "磚縫裡長出了蕨，窯口堆著前一任同事留下的破匣缽。「你們要燒，就要守。」阿順師說：「火"
    "不等人。」他用《陶說》裡的話提醒我們（那是他師父的書），又說了一句“愛之能勿勞乎？”"
    "待人之法也。我問他：“為什麼？”他笑了笑，沒有回答……窯火要燒三天三夜——不能停。"
)


def rotations() -> list[str]:
    """The sample text started at every 7th character that is a letter: paragraphs of all shapes."""
    return [ZH[i:] + ZH[:i] for i in range(0, 120, 7) if CJK_LETTER.match(ZH[i])]


def body_size(opts: WriterOptions) -> float:
    """The body type size in points, as layout.css sets it."""
    css = (opts.layout.folder("pdf") / "layout.css").read_text(encoding="utf-8")
    found = re.search(r"--body-size:\s*([\d.]+)pt", css)
    assert found, "layout.css sets --body-size"
    return float(found[1])


def geometry(opts: WriterOptions) -> tuple[dict[int, float], dict[int, float]]:
    """The left and right edge of the text block, by page parity (1: recto), in points."""
    lay = opts.layout
    left = {1: lay.margin_inner_mm * MM, 0: lay.margin_outer_mm * MM}
    right = {
        1: (lay.page_width_mm - lay.margin_outer_mm) * MM,
        0: (lay.page_width_mm - lay.margin_inner_mm) * MM,
    }
    return left, right


def chinese_book(paragraphs: list[str], lang: str = "zh-Hant") -> Anthology:
    essay = Essay(
        Meta(title=(Str("試排"),), authors=(Person("某人"),), lang=lang),
        tuple(Para((Str(p),)) for p in paragraphs),
        id="trial",
    )
    return Anthology(
        BookMeta(title="排版", date="2026-01-01", lang=lang), (), (Part((), (essay,)),)
    )


def body(pdf: bytes, opts: WriterOptions) -> list[Line]:
    """The lines of body text (the most common line height: the body's)."""
    found = text_lines(pdf)
    height = Counter(round(ln.height, 1) for ln in found).most_common(1)[0][0]
    return [ln for ln in found if abs(ln.height - height) < 0.3]


def fill(pdf: bytes, opts: WriterOptions) -> tuple[int, list[Line]]:
    size = body_size(opts)
    left, right = geometry(opts)
    found = text_lines(pdf)
    height = Counter(round(ln.height, 1) for ln in found).most_common(1)[0][0]
    result = line_fill(found, height=height, em=size, left=left, right=right, pitch=size * 1.75)
    return result.lines, list(result.short)


# ------------------------------------------------------- the pinned patch


def test_the_cjk_justification_patch_matches_the_installed_weasyprint() -> None:
    """Fails when WeasyPrint changes: re-check _cjk_justify against the new source, re-pin."""
    assert weasyprint.__version__ == _cjk_justify.PINNED_VERSION
    changed = {
        k: v for k, v in _cjk_justify.fingerprints().items() if _cjk_justify.FINGERPRINTS[k] != v
    }
    assert changed == {}, "WeasyPrint's justification code changed; update _cjk_justify.py"
    assert _cjk_justify.unsupported() == ""


def test_the_patch_is_active_only_while_the_writer_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = (inline.justify_line, inline.add_word_spacing, line_break.Layout.set_text)
    with _cjk_justify.cjk_justification() as active:
        assert active
        assert inline.justify_line is not original[0]
    assert (inline.justify_line, inline.add_word_spacing, line_break.Layout.set_text) == original
    monkeypatch.setattr(
        _cjk_justify, "FINGERPRINTS", {**_cjk_justify.FINGERPRINTS, "inline.justify_line": "0" * 64}
    )
    with log.collect() as diags, _cjk_justify.cjk_justification() as active:
        assert not active
        assert inline.justify_line is original[0]
    assert [d.code for d in diags] == ["pdf-cjk-justify"]


def test_opportunities_count_cjk_half_gaps_and_spaces() -> None:
    assert _cjk_justify.opportunities("一二三") == (0, 4)  # 1 + 2 + 1 halves: two gaps
    assert _cjk_justify.opportunities("a b") == (1, 0)
    assert _cjk_justify.opportunities("他说“好”") == (0, 8)  # quotes by CJK count as CJK
    assert _cjk_justify.opportunities("say “hi”") == (1, 0)  # … but not in English


# ------------------------------------------------------------ Chinese lines


def test_chinese_lines_are_filled_and_copy_without_spaces(writer_options: WriterOptions) -> None:
    paragraphs = rotations()
    pdf = write_pdf(chinese_book(paragraphs), writer_options)
    measured, short = fill(pdf, writer_options)
    assert measured > 100
    # a line stays short only when a paragraph's last two characters (never one alone)
    # had to leave it with the punctuation glued to them (then no gap may pass 0.1 em)
    assert len(short) / measured < 0.02, [f"p{ln.page} {ln.text}" for ln in short]
    assert kinsoku_violations(text_lines(pdf)) == []
    first = opening_pages(["試排"], pages_text(pdf))["試排"]
    for layout in (False, True):  # the essay's pages (the contents and the colophon set
        pages = pages_text(pdf, layout=layout)[first - 1 :]  # fields apart on purpose)
        assert spaced_cjk("".join(p for p in pages if not LEADER.search(p))) == []
    flat = "".join(ln.text for ln in body(pdf, writer_options))
    assert all(p in flat for p in paragraphs), "the text reads back unchanged"


def test_without_the_patch_the_same_lines_are_ragged(
    writer_options: WriterOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: WeasyPrint alone leaves pure-CJK lines short."""
    monkeypatch.setattr(_cjk_justify, "unsupported", lambda: "disabled for this test")
    paragraphs = rotations()
    with log.collect():
        pdf = write_pdf(chinese_book(paragraphs), writer_options)
    measured, short = fill(pdf, writer_options)
    assert len(short) > measured / 2


def test_a_paragraph_never_ends_with_a_lone_character(writer_options: WriterOptions) -> None:
    size, (left, right) = body_size(writer_options), geometry(writer_options)
    per_line = int((right[1] - left[1]) // size)
    # paragraphs one character longer than whole lines, and a few around that
    paragraphs = [
        ("字" * (per_line * k - 2 + d))[:-1] + "完。" for k in (1, 2, 3) for d in range(4)
    ]
    pdf = write_pdf(chinese_book(paragraphs), writer_options)
    lasts = [ln.text for ln in body(pdf, writer_options) if ln.text.endswith("完。")]
    assert len(lasts) == len(paragraphs)
    assert all(len(CJK_LETTER.findall(text)) >= 2 for text in lasts), lasts


def test_a_paragraph_ending_with_a_dash_keeps_every_dash_in_the_text(
    writer_options: WriterOptions,
) -> None:
    """The word joiners that keep a paragraph's end together once split the "——" ligature,
    and WeasyPrint then mapped that glyph to no text: every later "——" vanished when copied."""
    paragraphs = [
        "一天早晨，看見一條電報，大概是：——",
        "他說：“是這樣嗎……”",
        "我是主張發電的人——。”他說。",
    ]
    pdf = write_pdf(chinese_book(paragraphs * 3, "zh-Hans"), writer_options)
    text = "".join(ln.text for ln in body(pdf, writer_options))
    assert text.count("——") == 6 and text.count("……") == 3, text


def test_a_footnote_call_never_starts_a_line(writer_options: WriterOptions) -> None:
    size, (left, right) = body_size(writer_options), geometry(writer_options)
    per_line = int((right[1] - left[1]) // size)
    paras = []
    for d in range(-2, 3):
        text = "字" * (per_line * 2 - 2 + d - 2)  # the text indent takes two characters
        paras.append(Para((Str(text + "。"), Note((Para((Str("注。"),)),)), Str("後文" * 20))))
    essay = Essay(Meta(title=(Str("注"),), lang="zh-Hant"), tuple(paras), id="n")
    book = Anthology(BookMeta(title="注", date="2026-01-01"), (), (Part((), (essay,)),))
    pdf = write_pdf(book, writer_options)
    starts = [ln.text for ln in body(pdf, writer_options)]
    assert not [t for t in starts if re.match(r"\d", t)], starts


def test_chinese_emphasis_and_quotes_keep_kinsoku(writer_options: WriterOptions) -> None:
    paras = []
    for i in range(30):
        head = "字" * (i % 31)
        paras.append(Para((Str(head + "他說"), Emph((Str("重要"),)), Str("。「好」，（是）" * 5))))
    essay = Essay(Meta(title=(Str("強調"),), lang="zh-Hant"), tuple(paras), id="e")
    book = Anthology(BookMeta(title="強調", date="2026-01-01"), (), (Part((), (essay,)),))
    pdf = write_pdf(book, writer_options)
    assert kinsoku_violations(text_lines(pdf)) == []


# ----------------------------------------------------------------- English


def test_english_is_hyphenated_by_language(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    words = (
        "Extraordinarily comprehensive international correspondence necessitates "
        "considerable administrative responsibility and understanding. "
    ) * 12
    essay = Essay(Meta(title=(Str("Hyphens"),), lang="en"), (Para((Str(words),)),), id="h")
    book = Anthology(BookMeta(title="H", date="2026-01-01", lang="en"), (), (Part((), (essay,)),))
    pdf = write_pdf(book, writer_options)
    hyphenated = [ln.text for ln in text_lines(pdf) if re.search(r"[a-z][-\u2010]$", ln.text)]
    assert hyphenated, "no line ends with a hyphen"


# ------------------------------------------------------ real Chinese essays


def corpus_essay(path: Path) -> Essay:
    """A corpus essay as plain paragraphs (front matter read, indents dropped, lines joined)."""
    _, front, text = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    joiner = "" if str(meta["language"]).startswith("zh") else " "
    paras = [
        re.sub(r"\s*\n\s*", joiner, p.strip().lstrip("\u3000"))
        for p in re.split(r"\n\s*\n", text)
        if p.strip()
    ]
    return Essay(
        Meta(
            title=(Str(str(meta["title"])),),
            lang=str(meta["language"]),
            authors=(Person(str(meta["author"]).split(" (")[0]),),
        ),
        tuple(Para((Str(p),)) for p in paras),
        id=path.stem,
    )


@pytest.mark.slow
def test_real_chinese_essays_fill_their_lines_and_keep_kinsoku(
    corpus: Path, writer_options: WriterOptions
) -> None:
    essays = tuple(corpus_essay(p) for p in sorted((corpus / "essays" / "zh").glob("*.md")))
    assert len(essays) >= 20, "the corpus has Chinese essays"
    book = Anthology(BookMeta(title="語料選集", date="2026-01-01"), (), (Part((), essays),))
    with log.collect() as diags:
        pdf = write_pdf(book, writer_options)
    private_use = re.compile(r"U\+(E[0-9A-F]{3}|F[0-8][0-9A-F]{2})\)")  # no font has these
    assert [str(d) for d in diags if not private_use.search(d.message)] == []

    lines = text_lines(pdf)
    assert kinsoku_violations(lines) == []
    measured, short = fill(pdf, writer_options)
    assert measured > 1000
    assert len(short) / measured < 0.02, [f"p{ln.page} {ln.text}" for ln in short]

    source = "".join(plain_blocks(e.blocks) for e in essays)
    pages = pages_text(pdf, layout=False)
    for spaced in spaced_cjk("".join(pages[8:])):  # past the contents
        assert re.sub(r"\s+", " ", spaced) in source, f"a space the source does not have: {spaced}"
    wanted = {c for c in CJK.findall(source) if not c.isspace()}
    assert wanted - set("".join(pages)) == set()

    layout_pages = pages_text(pdf)
    titles = [plain(e.meta.title) for e in essays]
    openings = opening_pages(titles, layout_pages)
    entries = leader_entries(layout_pages[:12])
    for title, page in openings.items():
        assert listed(entries, title) == [page], title
        assert page % 2 == 1
