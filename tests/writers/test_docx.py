"""The DOCX writer, checked through python-docx, the package's XML and LibreOffice."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from hypothesis import HealthCheck, given, settings
from lxml import etree

from essaypress.errors import LayoutError
from essaypress.log import collect
from essaypress.model.nodes import (
    Anthology,
    Attr,
    BookMeta,
    Essay,
    Figure,
    Heading,
    Image,
    Link,
    Meta,
    Note,
    OrderedList,
    Para,
    Part,
    Person,
    Resource,
    Str,
    Table,
    TableCell,
    TableRow,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.model.walk import query
from essaypress.options import Fonts, Layout, WriterOptions
from essaypress.writers.docx import write_docx
from tests.conftest import need_tool
from tests.strategies import essays

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
A5 = (8391, 11906)  # 148 x 210 mm in twips, as Word writes A5
SOURCES = Path(__file__).resolve().parents[2] / "sources"


# ------------------------------------------------------------------ helpers


class Package:
    """A written .docx: the zip, its XML parts parsed, and python-docx's view of it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.doc: Document = docx.Document(io.BytesIO(data))

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.zip.read(name))

    def parts(self, prefix: str) -> list[str]:
        return sorted(n for n in self.zip.namelist() if n.startswith(prefix))

    def text(self, name: str) -> str:
        return "".join(self.xml(name).itertext())

    def paragraphs(self) -> list[tuple[str, str]]:
        """(style name, text) of every body paragraph."""
        return [(p.style.name if p.style else "", p.text) for p in self.doc.paragraphs]

    def styles(self) -> Any:
        return self.xml("word/styles.xml")


def write(book: Anthology, opts: WriterOptions) -> Package:
    return Package(write_docx(book, opts))


def with_essay(book: Anthology, essay: Essay) -> Anthology:
    return dataclasses.replace(book, parts=(Part((), (essay,)),))


def num_id(paragraph: Any) -> str:
    """The ``w:numId`` of a list paragraph."""
    return str(paragraph._p.xpath("string(w:pPr/w:numPr/w:numId/@w:val)"))


def list_format(numbering: Any, num: str) -> str:
    """The number format (level 0) of the list instance ``num``."""
    abstract = numbering.xpath(
        f"string(w:num[@w:numId='{num}']/w:abstractNumId/@w:val)", namespaces=NS
    )
    return str(
        numbering.xpath(
            f"string(w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl/w:numFmt/@w:val)",
            namespaces=NS,
        )
    )


def essay_titles(book: Anthology) -> list[str]:
    return [plain(e.meta.title) for e in (*book.front, *book.essays, *book.back)]


# ---------------------------------------------------------------- structure


def test_python_docx_reopens_it_and_every_essay_title_is_a_heading(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    headings = [text for style, text in pkg.paragraphs() if style.lower().startswith("heading")]
    for title in essay_titles(anthology):
        assert title in headings
    assert ("Heading 1", "窯火與晨光") in pkg.paragraphs()  # level 1: navigation pane and TOC
    assert ("Heading 2", "一、返鄉") in pkg.paragraphs()  # essay sections one level down
    assert ("Heading 3", "（一）窯") in pkg.paragraphs()
    assert ("Part Title", "第一輯") in pkg.paragraphs()
    outline = pkg.styles().find(".//w:style[@w:styleId='PartTitle']//w:outlineLvl", NS)
    assert outline.get(f"{{{W}}}val") == "0"


def test_title_page_subtitle_and_bylines(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    paragraphs = write(anthology, writer_options).paragraphs()
    assert paragraphs[:5] == [
        ("Title", "山與火：散文選集"),
        ("Subtitle", "第一屆徵文得獎作品"),
        ("Author", "陳編輯　主編"),
        ("Publisher", "某某出版社"),
        ("Date", "2026年1月"),
    ]
    assert ("Essay Subtitle", "記一次返鄉") in paragraphs
    assert ("Byline", "—— 某某單位政治部 林曉雯") in paragraphs
    assert ("Byline", "Ada Lane, Office of Records") in paragraphs
    assert ("Signature", "編輯委員會") in paragraphs  # the preface is signed at its end


def test_first_paragraph_after_headings_then_body_text(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    paragraphs = write(anthology, writer_options).paragraphs()
    i = paragraphs.index(("Heading 2", "一、返鄉"))
    assert paragraphs[i + 1][0] == "First Paragraph"
    assert paragraphs[i + 2][0] == "Block Text"
    walden = next(p for p in paragraphs if p[1].startswith("Thoreau"))
    assert walden[0] == "First Paragraph"
    assert ("Scene Break", "* * *") in paragraphs
    assert paragraphs[paragraphs.index(("Scene Break", "* * *")) + 1][0] == "First Paragraph"
    assert ("Verse", "山是靜的\n火是醒的") in paragraphs
    assert ("Source Code", "print('hello')") in paragraphs
    assert ("Caption", "圖一　老窯") in paragraphs


def test_each_essay_opens_a_section_with_its_title_as_running_head(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    sections = pkg.doc.sections
    # title page, contents, preface, part 1, kiln, part 2, walden
    assert len(sections) == 7
    assert not sections[0].header._has_definition  # the title page has no running heads
    assert {s.start_type.name for s in sections[1:]} == {"ODD_PAGE"}
    heads = ["".join(p.text for p in s.header.paragraphs) for s in sections]
    for title in essay_titles(anthology):
        assert title in heads
    kiln = sections[4]
    assert kiln.different_first_page_header_footer  # no running head on the opening page
    assert "".join(p.text for p in kiln.first_page_header.paragraphs) == ""
    assert "".join(p.text for p in kiln.even_page_header.paragraphs) == "山與火：散文選集"
    footer = kiln.footer._element
    assert " PAGE " in "".join(footer.itertext())
    assert footer.find(".//w:fldChar[@w:fldCharType='begin']", NS) is not None
    settings_xml = pkg.xml("word/settings.xml")
    assert settings_xml.find("w:evenAndOddHeaders", NS) is not None


def test_sections_open_on_the_next_page_without_recto_openings(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    layout = dataclasses.replace(writer_options.layout, recto_openings=False)
    pkg = write(anthology, dataclasses.replace(writer_options, layout=layout))
    assert {s.start_type.name for s in pkg.doc.sections[1:]} == {"NEW_PAGE"}


def test_section_breaks_end_the_last_paragraph_not_an_empty_one(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    body = write(anthology, writer_options).xml("word/document.xml").find("w:body", NS)
    empty = []
    for sect in body.findall(".//w:p/w:pPr/w:sectPr", NS):
        p = sect.getparent().getparent()
        if p.find("w:r", NS) is None and p.find("w:hyperlink", NS) is None:
            empty.append(p.getprevious())
    # only the contents keep a paragraph of their own after the TOC field (LibreOffice
    # drops the headers and footers of a section whose break ends the field's paragraph)
    assert len(empty) == 1
    assert empty[0].find("w:r/w:fldChar[@w:fldCharType='end']", NS) is not None


def test_footnotes_are_numbered_per_essay_in_the_settings_only(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    """Word restarts at each section; LibreOffice shows "0" if the sections say so too."""
    pkg = write(anthology, writer_options)
    restart = pkg.xml("word/settings.xml").find("w:footnotePr/w:numRestart", NS)
    assert restart.get(f"{{{W}}}val") == "eachSect"
    assert pkg.xml("word/document.xml").findall(".//w:sectPr/w:footnotePr", NS) == []


def test_footnote_restart_is_added_to_a_users_reference(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    buf = io.BytesIO()
    docx.Document().save(buf)
    opts = dataclasses.replace(writer_options, docx_reference=buf.getvalue())
    settings_xml = write(anthology, opts).xml("word/settings.xml")
    restart = settings_xml.find("w:footnotePr/w:numRestart", NS)
    assert restart.get(f"{{{W}}}val") == "eachSect"
    order = [etree.QName(e).localname for e in settings_xml]
    assert order.index("footnotePr") < order.index("compat")  # the schema's sequence


def test_toc_field_is_prefilled_with_linked_entries(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    doc_xml = pkg.xml("word/document.xml")
    instr = [t.text for t in doc_xml.iter(f"{{{W}}}instrText")]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instr
    entries = [(s, t) for s, t in pkg.paragraphs() if re.fullmatch(r"toc \d", s.lower())]
    assert [t for _, t in entries] == [
        "編者的話", "第一輯", "窯火與晨光", "一、返鄉", "第二輯", "On Reading Walden",
        "Small things",
    ]  # fmt: skip
    assert entries[3][0] == "toc 2"
    names = {b.get(f"{{{W}}}name") for b in doc_xml.iter(f"{{{W}}}bookmarkStart")}
    anchors = [h.get(f"{{{W}}}anchor") for h in doc_xml.iter(f"{{{W}}}hyperlink")]
    assert len([a for a in anchors if a and a.startswith("_Toc")]) == len(entries)
    assert all(a in names for a in anchors if a)
    assert ("TOC Heading", "目錄") in pkg.paragraphs()
    update = pkg.xml("word/settings.xml").find("w:updateFields", NS)
    assert update.get(f"{{{W}}}val") == "true"  # Word fills in page numbers on opening


# ------------------------------------------------------------------ content


def test_notes_are_real_footnotes(anthology: Anthology, writer_options: WriterOptions) -> None:
    pkg = write(anthology, writer_options)
    notes = query(anthology, Note)
    refs = pkg.xml("word/document.xml").findall(".//w:footnoteReference", NS)
    assert len(refs) == len(notes) == 3
    footnotes = pkg.xml("word/footnotes.xml")
    bodies = {f.get(f"{{{W}}}id"): f for f in footnotes.findall("w:footnote", NS)}
    assert bodies["-1"].get(f"{{{W}}}type") == "separator"
    assert bodies["0"].get(f"{{{W}}}type") == "continuationSeparator"
    for ref, note in zip(refs, notes, strict=True):
        body = bodies[ref.get(f"{{{W}}}id")]
        assert body.find(".//w:footnoteRef", NS) is not None
        assert plain_blocks(note.blocks) in "".join(body.itertext())
        style = body.find(".//w:pStyle", NS).get(f"{{{W}}}val")
        assert style == "FootnoteText"
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference"
    assert "註腳文字" not in pkg.text("word/footnotes.xml")  # the reference's sample is gone


def test_lists_use_real_numbering_that_restarts(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    paragraphs = pkg.doc.paragraphs
    items = {p.text: p for p in paragraphs if p.text in ("陶土", "柴薪", "揉土", "拉坯")}
    base = pkg.doc.styles["Normal"]
    assert [(items[t].style or base).name for t in ("陶土", "揉土")] == [
        "List Bullet",
        "List Number",
    ]
    ordered, bullets = num_id(items["揉土"]), num_id(items["陶土"])
    assert ordered != bullets and num_id(items["拉坯"]) == ordered
    numbering = pkg.xml("word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{ordered}']", NS)
    assert num.find("w:lvlOverride/w:startOverride", NS).get(f"{{{W}}}val") == "3"
    assert list_format(numbering, ordered) == "decimal"
    assert list_format(numbering, bullets) == "bullet"


def test_chinese_ordered_lists_count_in_chinese(writer_options: WriterOptions) -> None:
    items = ((Para((Str("甲"),)),),)
    essay = Essay(Meta(title=(Str("清單"),)), (OrderedList(items, style="cjk"),), id="x")
    book = Anthology(BookMeta("書"), (), (Part((), (essay,)),))
    pkg = write(book, writer_options)
    item = next(p for p in pkg.doc.paragraphs if p.text == "甲")
    assert list_format(pkg.xml("word/numbering.xml"), num_id(item)) == "taiwaneseCountingThousand"


def test_table_has_header_row_spans_and_styles(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    (table,) = pkg.doc.tables
    assert table.style is not None and table.style.name == "Table"
    rows: Any = table._tbl.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert rows[2].find("w:tc/w:tcPr/w:gridSpan", NS).get(f"{{{W}}}val") == "2"
    assert table.cell(0, 0).paragraphs[0].style.name == "Table Heading"
    # the header row is bold through the table style, so the text itself stays plain
    styles = pkg.styles()
    assert styles.find(".//w:style[@w:styleId='TableHeading']/w:rPr/w:b", NS) is None
    bold = ".//w:style[@w:styleId='Table']/w:tblStylePr[@w:type='firstRow']/w:rPr/w:b"
    assert styles.find(bold, NS) is not None
    look: Any = table._tbl.find("w:tblPr/w:tblLook", NS)
    assert look.get(f"{{{W}}}firstRow") == "1"
    assert table.cell(1, 1).paragraphs[0].style.name == "Table Text"
    assert table.cell(2, 0).text == "合計"
    paragraphs = pkg.paragraphs()
    caption = paragraphs.index(("Caption", "表一　窯數"))  # a table's caption goes above it
    assert caption < len(paragraphs)


def test_a_table_without_header_rows_does_not_use_the_header_look(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    rows = (TableRow((TableCell((Para((Str("甲"),)),)), TableCell((Para((Str("乙"),)),)))),)
    essay = Essay(Meta(title=(Str("表"),)), (Table((), rows),), id="t")
    pkg = write(with_essay(anthology, essay), writer_options)
    (table,) = pkg.doc.tables
    look: Any = table._tbl.find("w:tblPr/w:tblLook", NS)
    assert look.get(f"{{{W}}}firstRow") == "0"
    assert int(look.get(f"{{{W}}}val"), 16) & 0x0020 == 0  # the same, for older readers
    assert table.cell(0, 0).paragraphs[0].style.name == "Table Text"


def test_figure_is_an_inline_picture_with_alt_text_and_caption(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    (shape,) = pkg.doc.inline_shapes
    assert shape._inline.docPr.get("descr") == "老窯的側面"
    assert pkg.zip.read("word/media/image1.png") == anthology.essays[0].resources[0].data
    assert int(shape.width) <= (148 - 20 - 15) * 36000  # fits the text block


def test_links_are_real_hyperlinks(anthology: Anthology, writer_options: WriterOptions) -> None:
    essay = Essay(
        Meta(title=(Str("Links"),), lang="en"),
        (
            Heading(1, (Str("Target"),), Attr("tgt")),
            Para((Link((Str("inside"),), "#tgt"), Link((Str("lost"),), "#nowhere"))),
            Para((Link((Str("evil"),), "javascript:alert(1)"), Link((Str("web"),), "https://a.org/?q=1&r=<2>"))),
        ),
        id="links",
    )  # fmt: skip
    with collect() as warnings:
        pkg = write(with_essay(anthology, essay), writer_options)
    assert [w.code for w in warnings] == ["docx-link-target"]
    doc_xml = pkg.xml("word/document.xml")
    links = doc_xml.findall(".//w:p/w:hyperlink", NS)
    texts = {"".join(h.itertext()): h for h in links}
    assert "lost" not in texts and "evil" not in texts  # written as plain text
    assert "lost" in pkg.text("word/document.xml") and "evil" in pkg.text("word/document.xml")
    target = texts["inside"].get(f"{{{W}}}anchor")
    assert doc_xml.find(f".//w:bookmarkStart[@w:name='{target}']", NS) is not None
    rid = texts["web"].get(f"{{{R}}}id")
    assert pkg.doc.part.rels[rid].target_ref == "https://a.org/?q=1&r=<2>"
    style = texts["web"].find("w:r/w:rPr/w:rStyle", NS).get(f"{{{W}}}val")
    assert style == "Hyperlink"


def test_emphasis_on_chinese_uses_emphasis_marks_not_italics(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    runs = {r.text: r for p in pkg.doc.paragraphs for r in p.runs}
    assert runs["強調"].style.name == "Emphasis Mark"
    assert runs["Walden"].style.name == "Emphasis"
    assert runs["「窯火」"].style.name == "Strong"
    assert runs["x = 1"].style.name == "Verbatim Char"
    mark = pkg.styles().find(".//w:style[@w:styleId='EmphasisMark']/w:rPr/w:em", NS)
    assert mark.get(f"{{{W}}}val") == "underDot"


def test_no_run_carries_a_font_size_or_colour(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    stories = ["word/document.xml", "word/footnotes.xml", *pkg.parts("word/header"),
               *pkg.parts("word/footer")]  # fmt: skip
    for name in stories:
        bad = pkg.xml(name).xpath(
            "//w:r/w:rPr/*[self::w:sz or self::w:szCs or self::w:rFonts or self::w:color]",
            namespaces=NS,
        )
        assert bad == [], name
    for p in pkg.doc.paragraphs:
        assert not p.text or (p.style is not None and p.style.name != "Normal"), p.text


# ------------------------------------------------- East Asian text and pages


def test_east_asian_fonts_and_language_are_set_in_the_styles(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    styles = write(anthology, writer_options).styles()
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "Noto Serif CJK TC"
    assert fonts.get(f"{{{W}}}ascii") == fonts.get(f"{{{W}}}hAnsi") == "Noto Serif"
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}eastAsia") == "zh-TW"
    heading = styles.find(".//w:style[@w:styleId='Heading1']/w:rPr/w:rFonts", NS)
    assert heading.get(f"{{{W}}}eastAsia") == "Noto Sans CJK TC"
    assert not [a for f in styles.iter(f"{{{W}}}rFonts") for a in f.attrib if "Theme" in a]
    body = styles.find(".//w:style[@w:styleId='BodyText']/w:pPr/w:ind", NS)
    assert body.get(f"{{{W}}}firstLineChars") == "200"  # two characters


def test_layout_fonts_and_book_language_reach_the_styles(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    layout = dataclasses.replace(
        writer_options.layout,
        fonts={
            "zh-Hans": Fonts(serif=("Source Han Serif SC",), sans=("Source Han Sans SC",)),
            "en": Fonts(serif=("Libertinus Serif", "serif"), sans=("sans-serif",)),
        },
    )
    book = dataclasses.replace(anthology, meta=dataclasses.replace(anthology.meta, lang="zh-Hans"))
    pkg = write(book, dataclasses.replace(writer_options, layout=layout))
    styles = pkg.styles()
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "Source Han Serif SC"
    assert fonts.get(f"{{{W}}}ascii") == "Libertinus Serif"
    heading = styles.find(".//w:style[@w:styleId='Heading1']/w:rPr/w:rFonts", NS)
    assert heading.get(f"{{{W}}}eastAsia") == "Source Han Sans SC"
    assert heading.get(f"{{{W}}}ascii") == "Noto Sans"  # "sans-serif" is no font name
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}eastAsia") == "zh-CN"
    assert ("TOC Heading", "目录") in pkg.paragraphs()


def test_an_essay_in_another_language_tags_its_runs(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    essay = Essay(
        Meta(title=(Str("简体"),), lang="zh-Hans"), (Para((Str("这是简体字。"),)),), id="s"
    )
    pkg = write(with_essay(anthology, essay), writer_options)
    run = next(r for p in pkg.doc.paragraphs for r in p.runs if r.text == "这是简体字。")
    lang: Any = run._r.find("w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}eastAsia") == "zh-CN"
    zh_tw = [r for p in pkg.doc.paragraphs for r in p.runs if r.text == "簡體"]
    assert zh_tw == []


def test_pages_are_a5_with_mirrored_margins(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    pkg = write(anthology, writer_options)
    doc_xml = pkg.xml("word/document.xml")
    sizes = doc_xml.findall(".//w:sectPr/w:pgSz", NS)
    assert len(sizes) == len(pkg.doc.sections)
    for size in sizes:
        assert (int(size.get(f"{{{W}}}w")), int(size.get(f"{{{W}}}h"))) == A5
    margins = doc_xml.find(".//w:sectPr/w:pgMar", NS)
    assert (margins.get(f"{{{W}}}left"), margins.get(f"{{{W}}}right")) == ("1134", "850")
    assert pkg.xml("word/settings.xml").find("w:mirrorMargins", NS) is not None
    tab = pkg.styles().find(".//w:style[@w:styleId='TOC1']//w:tab", NS)
    assert tab.get(f"{{{W}}}pos") == "6406"  # the right edge of the 113 mm text block


# ----------------------------------------------- properties and determinism


def test_core_properties(anthology: Anthology, writer_options: WriterOptions) -> None:
    props = write(anthology, writer_options).doc.core_properties
    assert props.title == "山與火：散文選集"
    assert props.subject == "第一屆徵文得獎作品"
    assert props.author == "陳編輯　主編"
    assert props.language == "zh-Hant"
    assert props.comments == "徵文得獎散文"
    assert props.created is not None and props.created.isoformat()[:10] == "2026-01-01"
    assert props.modified == props.created
    assert props.last_modified_by == ""


def test_two_writes_are_byte_identical(anthology: Anthology, writer_options: WriterOptions) -> None:
    first = write_docx(anthology, writer_options)
    assert write_docx(anthology, writer_options) == first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
    later = write_docx(anthology, dataclasses.replace(writer_options, date="2027-05-06"))
    assert later != first


def test_text_is_escaped_and_control_characters_dropped(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    nasty = "<script>&amp;\"'</script>"
    essay = Essay(
        Meta(title=(Str(nasty),), authors=(Person("A & B <c>"),), lang="en"),
        (Para((Str("bell\x07 & <tag>"), Note((Para((Str("note <&>"),)),)))),),
        id="nasty",
    )
    meta = dataclasses.replace(anthology.meta, title=f"T {nasty}")
    pkg = write(dataclasses.replace(with_essay(anthology, essay), meta=meta), writer_options)
    paragraphs = pkg.paragraphs()
    assert ("Heading 1", nasty) in paragraphs
    assert ("Title", f"T {nasty}") in paragraphs
    assert ("Byline", "A & B <c>") in paragraphs
    assert ("First Paragraph", "bell & <tag>") in paragraphs
    assert "note <&>" in pkg.text("word/footnotes.xml")
    assert pkg.doc.core_properties.title == f"T {nasty}"
    heads = [p.text for s in pkg.doc.sections for p in s.header.paragraphs]
    assert nasty in heads


def test_missing_and_unreadable_images_leave_their_description(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    essay = Essay(
        Meta(title=(Str("Pictures"),), lang="en"),
        (Figure(Image("gone.png", alt="a lost kiln")), Figure(Image("bad.png", alt="not a png"))),
        id="pics",
        resources=(Resource("bad.png", "image/png", b"<svg/>"),),
    )
    with collect() as warnings:
        pkg = write(with_essay(anthology, essay), writer_options)
    assert [w.code for w in warnings] == ["docx-image", "docx-image"]
    assert ("Figure", "[a lost kiln]") in pkg.paragraphs()
    assert ("Figure", "[not a png]") in pkg.paragraphs()


def test_a_users_reference_docx_lends_its_styles(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    """python-docx's own template: built-in styles of its own, none of essaypress's custom ones."""
    buf = io.BytesIO()
    base = docx.Document()
    base.add_paragraph("sample body that must not survive")
    base.save(buf)
    opts = dataclasses.replace(
        writer_options, docx_reference=buf.getvalue(), docx_reference_name="mine.docx"
    )
    pkg = write(anthology, opts)
    paragraphs = pkg.paragraphs()
    assert ("Heading 1", "窯火與晨光") in paragraphs
    assert (
        "Byline",
        "—— 某某單位政治部 林曉雯",
    ) in paragraphs  # copied from the built-in reference
    assert "sample body that must not survive" not in [t for _, t in paragraphs]
    styles = pkg.styles()
    user_heading = styles.find(".//w:style[@w:styleId='Heading1']/w:rPr/w:color", NS)
    assert user_heading is not None  # the user's own Heading 1 (python-docx's is blue) is kept
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(f"{{{W}}}eastAsia") == "Noto Serif CJK TC"
    assert len(pkg.xml("word/document.xml").findall(".//w:footnoteReference", NS)) == 3


def test_colophon_on_the_back_of_the_title_page(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    meta = dataclasses.replace(
        anthology.meta,
        date="",
        rights="© 2026 某某出版社",
        edition="初版",
        isbn="978-0-00-000000-0",
    )
    pkg = write(dataclasses.replace(anthology, meta=meta), writer_options)
    paragraphs = pkg.paragraphs()
    assert ("Date", "2026年1月") in paragraphs  # the edition date when the book has none
    colophon = [t for s, t in paragraphs if s == "Colophon"]
    assert colophon == ["© 2026 某某出版社", "初版", "ISBN 978-0-00-000000-0"]
    first = next(p for p in pkg.doc.paragraphs if p.style and p.style.name == "Colophon")
    assert first._p.xpath("w:r/w:br/@w:type") == ["page"]


def _layout_in(tmp_path: Path, writer_options: WriterOptions) -> Layout:
    return dataclasses.replace(writer_options.layout, name="mine", root=tmp_path)


def test_a_layout_may_carry_a_packed_reference_docx(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    (tmp_path / "docx").mkdir()
    docx.Document().save(str(tmp_path / "docx" / "reference.docx"))
    opts = dataclasses.replace(writer_options, layout=_layout_in(tmp_path, writer_options))
    styles = write(anthology, opts).styles()
    assert styles.find(".//w:style[@w:styleId='Heading1']/w:rPr/w:color", NS) is not None


def test_a_layout_without_docx_folder_uses_the_built_in_reference(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    opts = dataclasses.replace(writer_options, layout=_layout_in(tmp_path, writer_options))
    assert write_docx(anthology, opts) == write_docx(anthology, writer_options)


def test_broken_xml_in_an_unpacked_reference_names_the_file(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    shutil.copytree(writer_options.layout.root / "docx", tmp_path / "docx")
    styles = tmp_path / "docx" / "word" / "styles.xml"
    styles.write_text(styles.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    opts = dataclasses.replace(writer_options, layout=_layout_in(tmp_path, writer_options))
    with pytest.raises(LayoutError, match="not well-formed XML") as err:
        write_docx(anthology, opts)
    assert err.value.path == str(styles)


def test_a_broken_reference_docx_is_a_layout_error(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    opts = dataclasses.replace(
        writer_options, docx_reference=b"PK\x03\x04 not really", docx_reference_name="ref.docx"
    )
    with pytest.raises(LayoutError, match="not a Word file") as err:
        write_docx(anthology, opts)
    assert err.value.path == "ref.docx"


def test_a_reference_docx_with_an_unknown_compression_is_a_layout_error(
    anthology: Anthology, writer_options: WriterOptions
) -> None:
    buf = io.BytesIO()
    docx.Document().save(buf)
    data = bytearray(buf.getvalue())
    for sig, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # method 99 (AES) everywhere
        i = data.find(sig)
        while i >= 0:
            data[i + at : i + at + 2] = (99).to_bytes(2, "little")
            i = data.find(sig, i + 4)
    opts = dataclasses.replace(
        writer_options, docx_reference=bytes(data), docx_reference_name="ref.docx"
    )
    with pytest.raises(LayoutError, match="not a Word file") as err:
        write_docx(anthology, opts)
    assert err.value.path == "ref.docx"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essay=essays)
def test_any_essay_gives_a_document_with_its_notes_and_title(essay: Essay) -> None:
    from essaypress.layouts import load_layout

    opts = WriterOptions(layout=load_layout("booklet-a5"), date="2026-01-01")
    book = Anthology(BookMeta("書"), (), (Part((), (dataclasses.replace(essay, id="e"),)),))
    pkg = write(book, opts)
    refs = pkg.xml("word/document.xml").findall(".//w:footnoteReference", NS)
    assert len(refs) == len(query(book, Note))
    if plain(essay.meta.title):
        heading = [t for s, t in pkg.paragraphs() if s == "Heading 1"]
        assert heading == [plain(essay.meta.title)]


# ---------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    need_tool("pdftotext", "poppler-utils")
    return shutil.which("libreoffice") or need_tool("soffice", "LibreOffice Writer")


def convert_with_libreoffice(data: bytes, tmp_path: Path) -> tuple[Path, float]:
    """The DOCX as a PDF made by LibreOffice headless, and how long that took."""
    source = tmp_path / "book.docx"
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    start = time.perf_counter()
    proc = subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    pdf = tmp_path / "book.pdf"
    assert pdf.is_file(), (
        f"LibreOffice made no PDF (exit {proc.returncode}): {proc.stderr[-2000:]!r}"
    )
    return pdf, seconds


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode())


@pytest.mark.slow
def test_libreoffice_renders_every_title_and_footnote(
    anthology: Anthology, writer_options: WriterOptions, tmp_path: Path
) -> None:
    start = time.perf_counter()
    data = write_docx(anthology, writer_options)
    written = time.perf_counter() - start
    pdf, seconds = convert_with_libreoffice(data, tmp_path)
    text = pdf_text(pdf)
    for title in essay_titles(anthology):
        assert re.sub(r"\s+", "", title) in text
    for note in query(anthology, Note):
        assert re.sub(r"\s+", "", plain_blocks(note.blocks)) in text
    print(f"write_docx {written:.2f} s, {len(data) / 1024:.0f} KB; LibreOffice {seconds:.1f} s")


def _check_pdf_has_titles_and_notes(book: Anthology, pdf: Path) -> None:
    text = pdf_text(pdf)
    missing = [t for t in essay_titles(book) if re.sub(r"\s+", "", t) not in text]
    assert missing == []
    notes = [re.sub(r"\s+", "", plain_blocks(n.blocks)) for n in query(book, Note)]
    assert [n for n in notes if n not in text] == []


def _sample_book() -> Anthology:
    from essaypress.config import load_manifest
    from essaypress.pipeline import assemble

    return assemble(load_manifest(SOURCES))


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample anthology in ``sources/``, built as users build it."""
    from essaypress.pipeline import build

    out = tmp_path_factory.mktemp("sample")
    (path,) = build(SOURCES, out, ("docx",)).outputs
    return path


def test_the_sample_anthology_built_by_the_pipeline(sample_docx: Path) -> None:
    book = _sample_book()
    pkg = Package(sample_docx.read_bytes())
    notes = query(book, Note)
    assert len(notes) >= 10
    refs = pkg.xml("word/document.xml").findall(".//w:footnoteReference", NS)
    assert len(refs) == len(notes)
    headings = [t for s, t in pkg.paragraphs() if s == "Heading 1"]
    heads = {"".join(p.text for p in s.header.paragraphs) for s in pkg.doc.sections}
    for title in essay_titles(book):
        assert title in headings
        assert title in heads
    stories = ["word/document.xml", "word/footnotes.xml", *pkg.parts("word/header"),
               *pkg.parts("word/footer")]  # fmt: skip
    for name in stories:
        direct = "//w:r/w:rPr/*[self::w:sz or self::w:szCs or self::w:rFonts or self::w:color]"
        assert pkg.xml(name).xpath(direct, namespaces=NS) == [], name


def test_anthology_toml_may_name_a_reference_docx(tmp_path: Path) -> None:
    """``reference_docx = "house.docx"``: its styles format the book, the built-in fill gaps."""
    from essaypress.pipeline import build

    src = tmp_path / "src"
    src.mkdir()
    house = docx.Document()
    house.styles["Heading 1"].font.name = "House Sans"
    house.add_paragraph("the reference's own text, which must not survive")
    house.save(str(src / "house.docx"))
    (src / "a.md").write_text("---\ntitle: 一\nauthor: 林曉雯\n---\n\n正文。[^1]\n\n[^1]: 註。\n",
                              encoding="utf-8")  # fmt: skip
    (src / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nreference_docx = "house.docx"\nessays = ["a.md"]\n',
        encoding="utf-8",
    )
    (path,) = build(src, tmp_path / "out", ("docx",)).outputs
    pkg = Package(path.read_bytes())
    heading = pkg.styles().find(".//w:style[@w:styleId='Heading1']/w:rPr/w:rFonts", NS)
    assert heading.get(f"{{{W}}}ascii") == "House Sans"
    assert ("Heading 1", "一") in pkg.paragraphs()
    assert ("Byline", "—— 林曉雯") in pkg.paragraphs()  # a style the reference lacks
    assert "must not survive" not in pkg.text("word/document.xml")
    assert len(pkg.xml("word/document.xml").findall(".//w:footnoteReference", NS)) == 1
    (src / "house.docx").write_bytes(b"not a zip")
    with pytest.raises(LayoutError, match="not a Word file") as err:
        build(src, tmp_path / "out", ("docx",))
    assert err.value.path == "house.docx"


def _folio(pdf: Path, page: int) -> str:
    """The text in the bottom 15 mm of a page: the page number, if any."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", "553", "-W", "420",
         "-H", "42", str(pdf), "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return out.stdout.decode().strip()


@pytest.mark.slow
def test_libreoffice_renders_the_sample_anthology(sample_docx: Path, tmp_path: Path) -> None:
    """Every essay title and every footnote's text reach LibreOffice's PDF; the contents
    pages keep their page numbers."""
    book = _sample_book()
    pdf, seconds = convert_with_libreoffice(sample_docx.read_bytes(), tmp_path)
    _check_pdf_has_titles_and_notes(book, pdf)
    toc_page = next(
        i for i in range(1, 6)
        if "目錄" in subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"],
                                     capture_output=True, check=True).stdout.decode()
    )  # fmt: skip
    assert _folio(pdf, toc_page).isdigit()
    print(f"sample: {sample_docx.stat().st_size / 1024:.0f} KB; LibreOffice {seconds:.1f} s")


@pytest.mark.slow
def test_libreoffice_renders_every_corpus_essay(
    corpus: Path, writer_options: WriterOptions, tmp_path: Path
) -> None:
    """All Chinese and English essays of the shared corpus in one book (about 450 pages)."""
    from essaypress.readers import read_file
    from essaypress.transforms import apply_transforms

    parts = []
    for lang, title in (("zh", "中文"), ("en", "English")):
        files = sorted((corpus / "essays" / lang).glob("*.md"))
        with collect():  # the corpus front matter has keys essaypress does not know
            essays_ = tuple(dataclasses.replace(read_file(f, f.name), id=f.stem) for f in files)
        parts.append(Part((Str(title),), essays_, f"part-{lang}"))
    meta = BookMeta("散文選：古今中外", editors=(Person("陳編輯"),), date="2026-01-01")
    book = apply_transforms(Anthology(meta, (), tuple(parts)))
    assert len(book.essays) >= 40
    start = time.perf_counter()
    data = write_docx(book, writer_options)
    written = time.perf_counter() - start
    pdf, seconds = convert_with_libreoffice(data, tmp_path)
    _check_pdf_has_titles_and_notes(book, pdf)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout
    count = re.search(rb"Pages:\s+(\d+)", pages)
    print(
        f"corpus: {len(book.essays)} essays, write_docx {written:.2f} s, {len(data) / 1024:.0f} KB;"
        f" LibreOffice {seconds:.1f} s for {count.group(1).decode() if count else '?'} pages"
    )
