"""Structure from styles and looks: localized style names, code, quotes by indentation,
table cells, metadata paragraphs, a title by its look."""

from __future__ import annotations

import pytest

from essaypress.model.nodes import (
    BlockQuote,
    Code,
    CodeBlock,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    LineBlock,
    Para,
    Person,
    SourceRef,
    Str,
    Strong,
    Table,
)
from essaypress.readers.docx import read_docx
from tests.conftest import png_bytes
from tests.readers.docx.build import Docx, Rel, core, doc_defaults, drawing, p, r, style

INTRO = "An opening paragraph that is not a title."
BODY = "清晨五點，窯火還沒熄，父親已經蹲在窯口添柴。"


def read(xml: str, **kw: object) -> Essay:
    return read_docx(Docx(xml, **kw).bytes(), SourceRef("styles.docx"))  # type: ignore[arg-type]


def para(text: str) -> Para:
    return Para((Str(text),))


# ---------------------------------------------------------- localized names


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("標題 1", 1),
        ("标题 2", 2),
        ("Überschrift 3", 3),
        ("見出し 1", 1),
        ("Titre 2", 2),
        ("Заголовок 1", 1),
        ("제목 2", 2),
        ("heading 4", 4),
    ],
)
def test_localized_heading_names(name: str, level: int) -> None:
    styles = style("a7", name)
    essay = read(p(r(INTRO)) + p(r("小節"), style="a7") + p(r(BODY)), styles=styles)
    assert essay.blocks[1] == Heading(level, (Str("小節"),))


def test_localized_title_subtitle_and_quote_names() -> None:
    styles = style("a3", "標題") + style("a5", "副标题") + style("a9", "引文")
    xml = (
        p(r("窯火與晨光"), style="a3")
        + p(r("記一次返鄉"), style="a5")
        + p(r(BODY))
        + p(r("引用的話。"), style="a9")
    )
    essay = read(xml, styles=styles)
    assert essay.meta.title == (Str("窯火與晨光"),)
    assert essay.meta.subtitle == (Str("記一次返鄉"),)
    assert essay.blocks == (para(BODY), BlockQuote((para("引用的話。"),)))


def test_style_id_one_with_an_outline_level_is_a_heading() -> None:
    styles = style("1", "標題 1 字元", ppr='<w:outlineLvl w:val="0"/>') + style(
        "2", "x", ppr='<w:outlineLvl w:val="1"/>'
    )
    xml = p(r(INTRO)) + p(r("一"), style="1") + p(r(BODY)) + p(r("二"), style="2") + p(r(BODY))
    essay = read(xml, styles=styles)
    assert [b for b in essay.blocks if isinstance(b, Heading)] == [
        Heading(1, (Str("一"),)),
        Heading(2, (Str("二"),)),
    ]


# ------------------------------------------------------------------- code


def test_code_paragraphs_merge_into_a_code_block_and_code_runs_are_code() -> None:
    styles = (
        style("SourceCode", "Source Code")
        + style("VerbatimChar", "Verbatim Char", kind="character")
        + style("HTMLCode", "HTML Code", kind="character")
    )
    xml = (
        p(r("Run "), r("read", style="VerbatimChar"), r("Docx", style="VerbatimChar"), r(" or "),
          r("x = 1", style="HTMLCode"), r("."))
        + p(r("def f():"), style="SourceCode")
        + p(r("    return 1"), '<w:r><w:br/><w:t>#end</w:t></w:r>', style="SourceCode")
        + p(r("After."))
    )  # fmt: skip
    essay = read(xml, styles=styles)
    assert essay.blocks == (
        Para((Str("Run "), Code("readDocx"), Str(" or "), Code("x = 1"), Str("."))),
        CodeBlock("def f():\n    return 1\n#end"),
        para("After."),
    )


# ------------------------------------------------------ quotes by indentation


def test_indented_paragraphs_are_block_quotes() -> None:
    styles = style("ListParagraph", "List Paragraph", ppr='<w:ind w:left="720"/>') + style(
        "Indented", "Body Text Indent", ppr='<w:ind w:left="567"/>'
    )
    xml = (
        p(r(INTRO))
        + p(r("Quoted one."), ppr='<w:ind w:left="1440" w:right="1440"/>')
        + p(r("Quoted two."), style="Indented")
        + p(r("Hanging, not indented."), ppr='<w:ind w:left="720" w:hanging="720"/>')
        + p(r("First line only."), ppr='<w:ind w:firstLineChars="200" w:firstLine="420"/>')
        + p(r("Two characters in."), ppr='<w:ind w:leftChars="200" w:left="420"/>')
        + p(r("Zero characters in."), ppr='<w:ind w:leftChars="0" w:left="2000"/>')
        + p(r("A list paragraph without a number."), style="ListParagraph")
    )
    essay = read(xml, styles=styles)
    assert essay.blocks[1:] == (
        BlockQuote((para("Quoted one."), para("Quoted two."))),
        para("Hanging, not indented."),
        para("First line only."),
        BlockQuote((para("Two characters in."),)),
        para("Zero characters in."),
        para("A list paragraph without a number."),
    )


# ------------------------------------------------------------------ tables


def tc(text: str, jc: str = "") -> str:
    ppr = f'<w:jc w:val="{jc}"/>' if jc else ""
    return f"<w:tc>{p(r(text), ppr=ppr)}</w:tc>"


def test_cell_alignment_and_header_row_from_the_table_style() -> None:
    header_look = '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr></w:tblStylePr>'
    styles = style("GridHead", "Grid Head", kind="table").replace(
        "</w:style>", header_look + "</w:style>"
    )
    look = '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0"/>'
    rows = (
        "<w:tr>" + tc("年份", "center") + tc("窯數", "right") + "</w:tr>"
        "<w:tr>" + tc("1980", "center") + tc("12", "end") + "</w:tr>"
    )
    styled = f'<w:tbl><w:tblPr><w:tblStyle w:val="GridHead"/>{look}</w:tblPr>{rows}</w:tbl>'
    unstyled = f"<w:tbl><w:tblPr>{look}</w:tblPr>{rows}</w:tbl>"
    essay = read(p(r(INTRO)) + styled + p(r("Between.")) + unstyled, styles=styles)
    first, _, second = essay.blocks[1:]
    assert isinstance(first, Table) and isinstance(second, Table)
    assert len(first.head) == 1 and len(first.body) == 1
    assert [c.align for c in first.head[0].cells] == ["center", "right"]
    assert [c.align for c in first.body[0].cells] == ["center", "right"]
    assert second.head == () and len(second.body) == 2


# ------------------------------------------------------------------ metadata


def test_metadata_styles_count_only_before_the_body() -> None:
    styles = style("Title", "Title") + style("Author", "Author") + style("Date", "Date")
    xml = (
        p(r("The Title"), style="Title")
        + p(r("Mary Ann Evans"), style="Author")
        + p(r("Aurore Dupin"), style="Author")
        + p(r("July 28, 2014"), style="Date")
        + p(r("Normal text."))
        + p(r("The Title"), style="Title")
        + p(r("Mary Ann Evans"), style="Author")
    )
    essay = read(xml, styles=styles)
    assert essay.meta.title == (Str("The Title"),)
    assert essay.meta.authors == (Person("Mary Ann Evans"), Person("Aurore Dupin"))
    assert essay.meta.date == "July 28, 2014"
    assert essay.blocks == (para("Normal text."), para("The Title"), para("Mary Ann Evans"))


@pytest.mark.parametrize(
    "ppr_rpr",
    [
        ('<w:jc w:val="center"/>', ""),
        ("", '<w:sz w:val="36"/>'),
        ("", "<w:b/>"),
    ],
)
def test_a_centred_enlarged_or_bold_first_line_is_the_title(ppr_rpr: tuple[str, str]) -> None:
    ppr, rpr = ppr_rpr
    long_first = "A first line long enough to be no title, with many words in it all told"
    xml = p(r(long_first, rpr), ppr=ppr) + p(r(BODY))
    assert read(xml, styles=doc_defaults('<w:sz w:val="24"/>')).meta.title == ()
    xml = p(r("The Kiln At Dawn", rpr), ppr=ppr) + p(r("Body text here."))
    essay = read(xml, styles=doc_defaults('<w:sz w:val="24"/>'))
    assert essay.meta.title == (Str("The Kiln At Dawn"),)
    assert essay.blocks == (para("Body text here."),)


def test_a_centred_byline_or_numbered_line_is_not_the_title() -> None:
    centred = '<w:jc w:val="center"/>'
    essay = read(p(r("——王小明"), ppr=centred) + p(r("一、前言"), ppr=centred) + p(r(BODY)))
    assert essay.meta.title == ()
    assert essay.meta.authors == (Person("王小明"),)


def test_document_properties_fill_only_what_the_body_lacks() -> None:
    essay = read(p(r("窯火與晨光")) + p(r("——王小明")) + p(r(BODY)), core=core("文件1", "林"))
    assert essay.meta.title == (Str("窯火與晨光"),)
    assert essay.meta.authors == (Person("王小明"),)
    placeholder = read(p(r(BODY)), core=core("&lt;%Title%&gt;", "林曉雯"))
    assert placeholder.meta.title == ()
    assert placeholder.meta.authors == (Person("林曉雯"),)
    named = read(p(r(BODY)), core=core("窯火", "Administrator"))
    assert named.meta.title == (Str("窯火"),)
    assert named.meta.authors == ()


def test_bold_heading_lines_lose_their_bold() -> None:
    bold = "<w:b/>"
    xml = p(r(INTRO)) + p(r("第一章", bold)) + p(r(BODY)) + p(r("第二章", bold)) + p(r(BODY))
    essay = read(xml)
    assert essay.blocks[1] == Heading(1, (Str("第一章"),))
    assert not any(isinstance(x, Strong) for b in essay.blocks for x in getattr(b, "content", ()))


def test_captions_without_the_caption_style() -> None:
    rels = {"rIdImg": Rel("image", "media/a.png")}
    tbl = "<w:tbl><w:tr><w:tc>" + p(r("x")) + "</w:tc></w:tr></w:tbl>"
    xml = (
        p(r(INTRO))
        + p(drawing("rIdImg"))
        + p(r("圖一　清晨的窯口"))
        + p(drawing("rIdImg"))
        + p(r("The kiln at dawn"), ppr='<w:jc w:val="center"/>')
        + p(r("Table 1: Kilns by year"))
        + tbl
        + tbl
        + p(r("表2 窯數"))
        + p(r("表3 is not next to a table."))
    )
    essay = read(xml, rels=rels, media={"a.png": png_bytes()})
    captions = [
        b.caption[0].text  # type: ignore[union-attr]
        for b in essay.blocks
        if isinstance(b, Figure | Table) and b.caption
    ]
    assert captions == [
        "圖一　清晨的窯口",
        "The kiln at dawn",
        "Table 1: Kilns by year",
        "表2 窯數",
    ]
    assert essay.blocks[-1] == para("表3 is not next to a table.")


def test_byline_subtitle_verse_and_scene_break_styles_after_a_title_heading() -> None:
    styles = (
        style("Heading1", "heading 1")
        + style("EssaySubtitle", "Essay Subtitle")
        + style("Byline", "Byline")
        + style("Verse", "Verse")
        + style("SceneBreak", "Scene Break")
    )
    xml = (
        p(r("On Walden"), style="Heading1")
        + p(r("A Return"), style="EssaySubtitle")
        + p(r("Ada Lane, Office of Records; Bo Chen"), style="Byline")
        + p(r("Thoreau went to the woods."))
        + p(r("* * *"), style="SceneBreak")
        + p(r("山是靜的"), "<w:r><w:br/></w:r>", r("火是醒的"), style="Verse")
        + p(r("After the verse."))
    )
    essay = read(xml, styles=styles)
    assert essay.meta.title == (Str("On Walden"),)
    assert essay.meta.subtitle == (Str("A Return"),)
    assert essay.meta.authors == (Person("Ada Lane", "Office of Records"), Person("Bo Chen"))
    assert essay.blocks == (
        para("Thoreau went to the woods."),
        HorizontalRule(),
        LineBlock(((Str("山是靜的"),), (Str("火是醒的"),))),
        para("After the verse."),
    )


def test_typed_ornament_line_is_a_scene_break_and_left_cells_say_so() -> None:
    tbl = "<w:tbl><w:tr>" + tc("甲", "left") + tc("乙") + "</w:tr></w:tbl>"
    essay = read(p(r(INTRO)) + p(r("＊　＊　＊"), ppr='<w:jc w:val="center"/>') + tbl)
    assert essay.blocks[1] == HorizontalRule()
    table = essay.blocks[2]
    assert isinstance(table, Table)
    assert [c.align for c in table.body[0].cells] == ["left", "default"]
