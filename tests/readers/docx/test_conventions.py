"""Word documents written without styles, the way contest entries arrive, made with python-docx:
a title line, a ``——`` byline, ``一、``/``（一）`` heading lines, full-width indents."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    Essay,
    Heading,
    Para,
    Part,
    Person,
    SourceRef,
    Str,
)
from essaypress.model.text import plain
from essaypress.readers.docx import read_docx
from essaypress.transforms import apply_transforms

BODY = "\u3000\u3000清晨五點，窯火還沒熄，父親已經蹲在窯口添柴。我們誰也沒有說話。"


def build(write: Callable[[Document], None], creator: str = "User") -> Essay:
    document = docx.Document()
    document.core_properties.author = creator
    write(document)
    buf = io.BytesIO()
    document.save(buf)
    return read_docx(buf.getvalue(), SourceRef("contest/01.docx"))


def outline(essay: Essay) -> list[tuple[int, str]]:
    return [(b.level, plain(b.content)) for b in essay.blocks if isinstance(b, Heading)]


def test_traditional_chinese_contest_entry() -> None:
    def write(d: Document) -> None:
        d.add_paragraph("窯火與晨光")
        d.add_paragraph("—— 某某單位政治部 林曉雯")
        d.add_paragraph(BODY)
        d.add_paragraph("一、返鄉")
        d.add_paragraph(BODY)
        d.add_paragraph("（一）柴窯")
        d.add_paragraph(BODY)
        d.add_paragraph("（二）晨光")
        d.add_paragraph(BODY)
        d.add_paragraph("二、離開")
        d.add_paragraph(BODY)
        d.add_paragraph("")

    essay = build(write)
    assert essay.meta.title == (Str("窯火與晨光"),)
    assert essay.meta.authors == (Person("林曉雯", "某某單位政治部"),)
    assert outline(essay) == [
        (1, "一、返鄉"),
        (2, "（一）柴窯"),
        (2, "（二）晨光"),
        (1, "二、離開"),
    ]
    paras = [b for b in essay.blocks if isinstance(b, Para)]
    assert len(paras) == 5
    assert all(plain(p.content).startswith("清晨五點") for p in paras)  # indents stripped


def test_centred_bold_title_dash_subtitle_and_dot_headings() -> None:
    def write(d: Document) -> None:
        title = d.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run("最後一個畢業生，也是第一個回來的人")
        run.bold = True
        run.font.size = Pt(18)
        d.add_paragraph("——記一所小學的最後一年")
        byline = d.add_paragraph("文／蘇明哲（霧嶼縣立東澳國民小學）")
        byline.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        d.add_paragraph(BODY)
        d.add_paragraph("●升旗●")
        d.add_paragraph(BODY)
        d.add_paragraph("●畢業紀念冊●")
        d.add_paragraph(BODY)

    essay = build(write)
    assert essay.meta.title == (Str("最後一個畢業生，也是第一個回來的人"),)
    assert essay.meta.subtitle == (Str("記一所小學的最後一年"),)
    assert essay.meta.authors == (Person("蘇明哲", "霧嶼縣立東澳國民小學"),)
    assert outline(essay) == [(1, "●升旗●"), (1, "●畢業紀念冊●")]


def test_simplified_chinese_entry_with_numbered_sub_levels() -> None:
    def write(d: Document) -> None:
        d.add_paragraph("窑火与晨光")
        d.add_paragraph("作者：王小明")
        for heading in ("一、缘起", "1.柴窑", "（1）窑口", "2.晨光", "二、结语"):
            d.add_paragraph(heading)
            d.add_paragraph(BODY)

    essay = build(write)
    assert essay.meta.title == (Str("窑火与晨光"),)
    assert essay.meta.authors == (Person("王小明"),)
    assert outline(essay) == [
        (1, "一、缘起"),
        (2, "1.柴窑"),
        (3, "（1）窑口"),
        (2, "2.晨光"),
        (1, "二、结语"),
    ]


def test_english_entry_with_a_by_line_and_bold_section_lines() -> None:
    def write(d: Document) -> None:
        d.add_paragraph("The Boat That Did Not Come")
        d.add_paragraph("by Aoife Byrne")
        d.add_paragraph("I came to the island in the autumn, when the ferries ran twice a week.")
        d.add_paragraph().add_run("Autumn").bold = True
        d.add_paragraph("The harbour was quiet. Nobody was waiting for anything.")
        d.add_paragraph().add_run("Winter").bold = True
        d.add_paragraph("Then the wind came from the north and stayed for a month.")

    essay = build(write, creator="Microsoft Office User")
    assert essay.meta.title == (Str("The Boat That Did Not Come"),)
    assert essay.meta.authors == (Person("Aoife Byrne"),)
    assert outline(essay) == [(1, "Autumn"), (1, "Winter")]


def test_reading_then_transforming_changes_nothing_more() -> None:
    def write(d: Document) -> None:
        d.add_paragraph("窯火與晨光")
        d.add_paragraph("——王小明")
        d.add_paragraph("一、返鄉")
        d.add_paragraph(BODY)

    essay = build(write)
    book = Anthology(BookMeta("B"), (), (Part((), (essay,)),))
    out = apply_transforms(book).essays[0]
    assert (out.meta.title, out.meta.authors) == (essay.meta.title, essay.meta.authors)
    assert outline(out) == outline(essay) == [(1, "一、返鄉")]
