"""The DOCX reader: small .docx files made here (python-docx and raw OOXML) → the model."""

from __future__ import annotations

import hashlib
import io
import json
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.shared import Mm

from essaypress.errors import ReaderError
from essaypress.log import Diagnostic, collect
from essaypress.model.nodes import (
    BlockQuote,
    Emph,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    LineBreak,
    Link,
    Note,
    Para,
    Person,
    SourceRef,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    TableRow,
    Underline,
)
from essaypress.readers.docx import read_docx
from tests.conftest import png_bytes
from tests.readers.docx.build import (
    Docx,
    Rel,
    core,
    doc_defaults,
    drawing,
    note,
    p,
    r,
    style,
)

SOURCE = SourceRef("essays/kiln.docx")


def read(data: bytes) -> Essay:
    return read_docx(data, SOURCE)


def read_warned(data: bytes) -> tuple[Essay, list[Diagnostic]]:
    with collect() as diags:
        essay = read(data)
    return essay, diags


def body(xml: str, **kw: object) -> Essay:
    return read(Docx(xml, **kw).bytes())  # type: ignore[arg-type]


def python_docx(build: Callable[[docx.document.Document], None]) -> bytes:
    document = docx.Document()
    document.core_properties.author = "python-docx"
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def key_of(data: bytes, ext: str = "png") -> str:
    return f"docx/{hashlib.sha256(data).hexdigest()[:16]}.{ext}"


# ---------------------------------------------------------- styles → blocks


def test_python_docx_document_gives_title_headings_formatting_and_quotes() -> None:
    def build(d: docx.document.Document) -> None:
        d.add_heading("The Kiln", level=0)
        d.add_paragraph("A return home", style="Subtitle")
        d.add_heading("Morning", level=1)
        para = d.add_paragraph("Plain ")
        para.add_run("bold").bold = True
        para.add_run(" and ")
        para.add_run("italic").italic = True
        para.add_run(".")
        d.add_paragraph("Quoted one.", style="Quote")
        d.add_paragraph("Quoted two.", style="Intense Quote")
        d.add_heading("Evening", level=2)
        d.add_paragraph("After.")
        d.core_properties.author = "Lin Xiaowen"

    essay = read(python_docx(build))
    assert essay.meta.title == (Str("The Kiln"),)
    assert essay.meta.subtitle == (Str("A return home"),)
    assert essay.meta.authors == (Person("Lin Xiaowen"),)
    assert essay.id == ""
    assert essay.source == SOURCE
    assert essay.blocks == (
        Heading(1, (Str("Morning"),)),
        Para(
            (Str("Plain "), Strong((Str("bold"),)), Str(" and "), Emph((Str("italic"),)), Str("."))
        ),
        BlockQuote((Para((Str("Quoted one."),)), Para((Str("Quoted two."),)))),
        Heading(2, (Str("Evening"),)),
        Para((Str("After."),)),
    )


def test_heading_found_by_style_name_when_the_id_is_not_english() -> None:
    styles = style("a1", "heading 1") + style("a2", "Heading2")
    essay = body(
        p(r("Intro"), style="a1")
        + p(r("Body"))
        + p(r("Sub"), style="a2")
        + p(r("More"), style="a1"),
        styles=styles,
    )
    assert [b for b in essay.blocks if isinstance(b, Heading)] == [
        Heading(1, (Str("Intro"),)),
        Heading(2, (Str("Sub"),)),
        Heading(1, (Str("More"),)),
    ]


def test_heading_found_by_outline_level_in_the_based_on_chain_and_in_the_paragraph() -> None:
    styles = style("Base", "Chapter Base", ppr='<w:outlineLvl w:val="1"/>') + style(
        "Chapter", "Chapter", based_on="Base"
    )
    xml = (
        p(r("Para."))
        + p(r("By chain"), style="Chapter")
        + p(r("Direct"), ppr='<w:outlineLvl w:val="2"/>')
        + p(r("Body text"), style="Chapter", ppr='<w:outlineLvl w:val="9"/>')
    )
    essay = body(xml, styles=styles)
    assert essay.blocks == (
        Para((Str("Para."),)),
        Heading(2, (Str("By chain"),)),
        Heading(3, (Str("Direct"),)),
        Para((Str("Body text"),)),
    )


def test_lone_first_heading_1_becomes_the_title_and_the_others_move_up() -> None:
    styles = style("Heading1", "heading 1") + style("Heading2", "heading 2")
    xml = p(r("My Essay"), style="Heading1") + p(r("Text")) + p(r("Part"), style="Heading2")
    essay = body(xml, styles=styles)
    assert essay.meta.title == (Str("My Essay"),)
    assert essay.blocks == (Para((Str("Text"),)), Heading(1, (Str("Part"),)))


def test_two_heading_1_are_sections_not_a_title() -> None:
    styles = style("Heading1", "heading 1")
    xml = p(r("One"), style="Heading1") + p(r("Text")) + p(r("Two"), style="Heading1")
    essay = body(xml, styles=styles)
    assert essay.meta.title == ()
    assert essay.blocks[0] == Heading(1, (Str("One"),))


def test_block_text_style_is_a_quote_and_quotes_split_by_a_paragraph_stay_apart() -> None:
    styles = style("BlockText", "Block Text", rpr="<w:i/>")
    xml = p(r("q1"), style="BlockText") + p(r("mid")) + p(r("q2"), style="BlockText")
    essay = body(xml, styles=styles)
    assert essay.blocks == (
        BlockQuote((Para((Str("q1"),)),)),
        Para((Str("mid"),)),
        BlockQuote((Para((Str("q2"),)),)),
    )


def test_empty_paragraphs_are_dropped_and_indents_stripped() -> None:
    xml = p() + p(r("   ")) + p(r("\u3000\u3000清晨五點，窯火還沒熄。")) + p(r("  Indented. "))
    essay = body(xml)
    assert essay.blocks == (Para((Str("清晨五點，窯火還沒熄。"),)), Para((Str("Indented."),)))


# ------------------------------------------------------------------- runs


def test_run_formatting_from_direct_properties() -> None:
    runs = (
        r("u", '<w:u w:val="single"/>')
        + r("s", "<w:strike/>")
        + r("d", "<w:dstrike/>")
        + r("x", '<w:vertAlign w:val="superscript"/>')
        + r("y", '<w:vertAlign w:val="subscript"/>')
        + r("n", '<w:u w:val="none"/>')
        + r("強調", '<w:em w:val="dot"/>')
    )
    essay = body(p(runs))
    assert essay.blocks == (
        Para(
            (
                Underline((Str("u"),)),
                Strikeout((Str("sd"),)),
                Superscript((Str("x"),)),
                Subscript((Str("y"),)),
                Str("n"),
                Emph((Str("強調"),)),
            )
        ),
    )


def test_bold_from_character_style_and_paragraph_style_chain_with_toggles() -> None:
    styles = (
        style("Loud", "Loud", kind="character", rpr="<w:b/>")
        + style("LouderBase", "Louder Base", kind="character", rpr="<w:i/>")
        + style("Louder", "Louder", kind="character", based_on="LouderBase", rpr="<w:b/>")
        + style("BoldBase", "Bold Base", rpr="<w:b/>")
        + style("BoldPara", "Bold Para", based_on="BoldBase")
    )
    xml = (
        p(r("styled", style="Loud"), r(" plain."))
        + p(r("chain.", style="Louder"))
        + p(
            r("all bold"),
            r(" not", '<w:b w:val="0"/>'),
            r(" nor", '<w:b w:val="false"/>'),
            style="BoldPara",
        )
    )
    essay = body(xml, styles=styles)
    assert essay.blocks == (
        Para((Strong((Str("styled"),)), Str(" plain."))),
        Para((Strong((Emph((Str("chain."),)),)),)),
        Para((Strong((Str("all bold"),)), Str(" not nor"))),
    )


def test_heading_and_quote_style_look_is_not_emphasis() -> None:
    styles = style("Heading1", "heading 1", rpr="<w:b/>") + style("Quote", "Quote", rpr="<w:i/>")
    xml = (
        p(r("Intro text."))
        + p(r("Bold heading"), style="Heading1")
        + p(r("Text"))
        + p(r("Italic quote"), style="Quote")
        + p(r("x"), style="Heading1")
    )
    essay = body(xml, styles=styles)
    assert essay.blocks[1] == Heading(1, (Str("Bold heading"),))
    assert essay.blocks[3] == BlockQuote((Para((Str("Italic quote"),)),))


def test_adjacent_runs_merge_into_nested_wrappers_with_spaces_outside() -> None:
    xml = p(r("a ", "<w:b/>"), r("b", "<w:b/><w:i/>"), r(" c ", "<w:b/>"), r("d"))
    essay = body(xml)
    assert essay.blocks == (Para((Strong((Str("a "), Emph((Str("b"),)), Str(" c"))), Str(" d"))),)


def test_breaks_tabs_hyphens_and_symbols() -> None:
    xml = p(
        r("one"),
        "<w:r><w:br/></w:r>",
        r("two"),
        '<w:r><w:br w:type="page"/></w:r>',
        "<w:r><w:tab/><w:t>three</w:t><w:noBreakHyphen/><w:t>four</w:t></w:r>",
        '<w:r><w:sym w:font="Symbol" w:char="F0DA"/>'
        '<w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="Wingdings" w:char="F03F"/>'
        '<w:sym w:font="Wingdings 2" w:char="F050"/></w:r>',
    )
    essay = body(xml)
    assert essay.blocks == (Para((Str("one"), LineBreak(), Str("two\tthree\u2011four∨✓✍"))),)


def test_hidden_and_deleted_text_is_left_out_inserted_and_wrapped_text_kept() -> None:
    xml = p(
        r("kept "),
        r("hidden ", "<w:vanish/>"),
        '<w:del w:id="1" w:author="x"><w:r><w:delText>deleted </w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="x">' + r("inserted ") + "</w:ins>",
        "<w:smartTag>" + r("tagged ") + "</w:smartTag>",
        "<w:sdt><w:sdtContent>" + r("control ") + "</w:sdtContent></w:sdt>",
        '<w:fldSimple w:instr=" DATE ">' + r("field.") + "</w:fldSimple>",
    )
    block_sdt = (
        "<w:sdt><w:sdtPr/><w:sdtContent>" + p(r("in a block control")) + "</w:sdtContent></w:sdt>"
    )
    prompt = (
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        + p(r("Click here to enter text."))
        + "</w:sdtContent></w:sdt>"
    )
    essay = body(xml + block_sdt + prompt)
    assert essay.blocks == (
        Para((Str("kept inserted tagged control field."),)),
        Para((Str("in a block control"),)),
    )


def test_hyperlinks_external_internal_and_unsafe() -> None:
    rels = {
        "rIdWeb": Rel("hyperlink", "https://example.org/a?b=1", external=True),
        "rIdJs": Rel("hyperlink", "javascript:alert(1)", external=True),
    }
    xml = p(
        '<w:hyperlink r:id="rIdWeb">' + r("web", style="Hyperlink") + "</w:hyperlink>",
        r(" "),
        '<w:hyperlink w:anchor="_Toc1">' + r("inside") + "</w:hyperlink>",
        r(" "),
        '<w:hyperlink r:id="rIdJs">' + r("bad") + "</w:hyperlink>",
    )
    styles = style("Hyperlink", "Hyperlink", kind="character", rpr='<w:u w:val="single"/>')
    essay, diags = read_warned(Docx(xml, rels=rels, styles=styles).bytes())
    assert essay.blocks == (
        Para((Link((Str("web"),), "https://example.org/a?b=1"), Str(" inside bad"))),
    )
    assert [d.code for d in diags] == ["docx-link-scheme"]
    assert diags[0].location == "essays/kiln.docx"


# ------------------------------------------------------------------ notes


def test_footnotes_and_endnotes_sit_where_they_are_called() -> None:
    ref = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{0}Reference w:id="{1}"/></w:r>'
    xml = p(r("Text."), ref.format("footnote", "1"), r(" More."), ref.format("endnote", "2"))
    footnotes = note("footnote", "1", p(r(" The note.")), p(r("Second paragraph.")))
    endnotes = note("endnote", "2", p(r(" End ", "<w:i/>"), r("note.")))
    essay = body(xml, footnotes=footnotes, endnotes=endnotes)
    assert essay.blocks == (
        Para(
            (
                Str("Text."),
                Note((Para((Str("The note."),)), Para((Str("Second paragraph."),)))),
                Str(" More."),
                Note((Para((Emph((Str("End"),)), Str(" note."))),)),
            )
        ),
    )


def test_missing_note_is_a_warning_not_an_error() -> None:
    xml = p(r("Text."), '<w:r><w:footnoteReference w:id="7"/></w:r>')
    essay, diags = read_warned(Docx(xml, footnotes="").bytes())
    assert essay.blocks == (Para((Str("Text."),)),)
    assert [d.code for d in diags] == ["docx-note-missing"]


# ----------------------------------------------------------------- images


def test_image_alone_is_a_figure_with_the_following_caption() -> None:
    png = png_bytes()
    styles = style("Caption", "caption")
    xml = (
        p(drawing("rIdImg", "A kiln at dawn"))
        + p(r("Figure 1. The kiln"), style="Caption")
        + p(r("Inline "), drawing("rIdImg"), r(" here."))
    )
    rels = {"rIdImg": Rel("image", "media/image1.png")}
    essay = body(xml, styles=styles, rels=rels, media={"image1.png": png})
    key = key_of(png)
    assert essay.blocks == (
        Figure(Image(key, alt="A kiln at dawn"), (Str("Figure 1. The kiln"),)),
        Para((Str("Inline "), Image(key), Str(" here."))),
    )
    assert len(essay.resources) == 1
    assert essay.resources[0].key == key
    assert essay.resources[0].media_type == "image/png"
    assert essay.resources[0].data == png


def test_python_docx_picture_and_caption() -> None:
    png = png_bytes(40, 30)

    def build(d: docx.document.Document) -> None:
        d.add_paragraph("Before.")
        d.add_picture(io.BytesIO(png), width=Mm(20))
        d.add_paragraph("The kiln", style="Caption")

    essay = read(python_docx(build))
    assert essay.blocks[1:] == (Figure(Image(key_of(png)), (Str("The kiln"),)),)
    assert essay.resources[0].data == png


def test_floating_image_in_a_text_paragraph_becomes_a_figure_before_it() -> None:
    png = png_bytes()
    xml = p(r("Text around "), drawing("rIdImg", "float", anchor=True), r("the picture."))
    essay = body(xml, rels={"rIdImg": Rel("image", "media/a.png")}, media={"a.png": png})
    assert essay.blocks == (
        Figure(Image(key_of(png), alt="float")),
        Para((Str("Text around the picture."),)),
    )


def test_vml_image_is_read() -> None:
    png = png_bytes()
    pict = (
        '<w:r><w:pict><v:shape alt="old style" style="width:10pt;height:10pt">'
        '<v:imagedata r:id="rIdImg" o:title=""/></v:shape></w:pict></w:r>'
    )
    essay = body(p(pict), rels={"rIdImg": Rel("image", "media/a.png")}, media={"a.png": png})
    assert essay.blocks == (Figure(Image(key_of(png), alt="old style")),)


def test_linked_and_unsupported_images_are_dropped_with_warnings() -> None:
    rels = {
        "rIdLink": Rel("image", "file:///C:/secret/photo.png", external=True),
        "rIdEmf": Rel("image", "media/chart.emf"),
    }
    xml = p(r("Text")) + p(drawing("rIdLink")) + p(drawing("rIdEmf"))
    data = Docx(xml, rels=rels, media={"chart.emf": b"\x01\x00\x00\x00" + bytes(80)}).bytes()
    essay, diags = read_warned(data)
    assert essay.blocks == (Para((Str("Text"),)),)
    assert essay.resources == ()
    assert sorted(d.code for d in diags) == ["docx-image-format", "docx-linked-image"]


def test_image_inside_a_footnote_uses_the_footnotes_part_relationships() -> None:
    png = png_bytes()
    xml = p(r("Text"), '<w:r><w:footnoteReference w:id="1"/></w:r>')
    footnotes = note("footnote", "1", p(r("See "), drawing("rIdFnImg")))
    data = Docx(
        xml,
        footnotes=footnotes,
        note_rels={"rIdFnImg": Rel("image", "media/fn.png")},
        media={"fn.png": png},
    ).bytes()
    essay = read(data)
    assert essay.blocks == (Para((Str("Text"), Note((Para((Str("See "), Image(key_of(png)))),)))),)
    assert essay.resources[0].key == key_of(png)


# ----------------------------------------------------------------- tables


def tc(text: str, tcpr: str = "") -> str:
    props = f"<w:tcPr>{tcpr}</w:tcPr>" if tcpr else ""
    return f"<w:tc>{props}{p(r(text)) if text else p()}</w:tc>"


def test_table_spans_merges_and_header_row() -> None:
    head = (
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("年份") + tc("窯數") + tc("備註") + "</w:tr>"
    )
    row1 = (
        "<w:tr>"
        + tc("1980", '<w:vMerge w:val="restart"/>')
        + tc("12", '<w:gridSpan w:val="2"/>')
        + "</w:tr>"
    )
    row2 = "<w:tr>" + tc("", "<w:vMerge/>") + tc("a") + tc("b") + "</w:tr>"
    tbl = f"<w:tbl><w:tblPr/><w:tblGrid/>{head}{row1}{row2}</w:tbl>"
    essay = body(tbl)

    def cell(text: str, colspan: int = 1, rowspan: int = 1) -> TableCell:
        return TableCell((Para((Str(text),)),), colspan, rowspan)

    assert essay.blocks == (
        Table(
            (TableRow((cell("年份"), cell("窯數"), cell("備註"))),),
            (
                TableRow((cell("1980", rowspan=2), cell("12", colspan=2))),
                TableRow((cell("a"), cell("b"))),
            ),
        ),
    )


def test_python_docx_table_with_merged_cells_and_nested_table() -> None:
    def build(d: docx.document.Document) -> None:
        t = d.add_table(rows=3, cols=2)
        t.cell(0, 0).merge(t.cell(0, 1)).text = "wide"
        t.cell(1, 0).merge(t.cell(2, 0)).text = "tall"
        t.cell(1, 1).text = "b"
        t.cell(2, 1).text = "c"
        t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        inner = t.cell(2, 1).add_table(rows=1, cols=1)
        inner.cell(0, 0).text = "nested"

    essay = read(python_docx(build))
    (table,) = essay.blocks
    assert isinstance(table, Table)
    assert table.head == (TableRow((TableCell((Para((Str("wide"),)),), colspan=2),)),)
    first, second = table.body
    assert first.cells[0] == TableCell((Para((Str("tall"),)),), rowspan=2)
    assert len(second.cells) == 1
    nested = second.cells[0].blocks
    assert nested[0] == Para((Str("c"),))
    assert isinstance(nested[1], Table)
    assert nested[1].body == (TableRow((TableCell((Para((Str("nested"),)),)),)),)


def test_caption_before_a_table_is_its_caption() -> None:
    styles = style("Caption", "caption")
    tbl = "<w:tbl><w:tr>" + tc("x") + "</w:tr></w:tbl>"
    essay = body(p(r("Table 1. Kilns"), style="Caption") + tbl, styles=styles)
    assert essay.blocks == (
        Table(
            (), (TableRow((TableCell((Para((Str("x"),)),)),)),), caption=(Str("Table 1. Kilns"),)
        ),
    )


# ------------------------------------------------------- scene breaks, drop caps


def test_bottom_border_and_vml_rule_are_scene_breaks() -> None:
    border = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    hr = '<w:r><w:pict><v:rect style="width:0;height:1.5pt" o:hr="t" o:hrstd="t"/></w:pict></w:r>'
    boxed = border.replace("<w:bottom", '<w:top w:val="single"/><w:bottom')
    xml = p(r("One."), ppr=border) + p(hr) + p(r("Two")) + p(r("Boxed"), ppr=boxed)
    essay = body(xml)
    assert essay.blocks == (
        Para((Str("One."),)),
        HorizontalRule(),
        HorizontalRule(),
        Para((Str("Two"),)),
        Para((Str("Boxed"),)),
    )


def test_drop_cap_letter_joins_its_paragraph() -> None:
    frame = '<w:framePr w:dropCap="drop" w:lines="3"/>'
    essay = body(p(r("O"), ppr=frame) + p(r("nce upon a time.")))
    assert essay.blocks == (Para((Str("Once upon a time."),)),)


# ------------------------------------------------------------ metadata, language


def test_core_properties_fill_title_and_author_when_the_body_has_none() -> None:
    essay = body(p(r("Text")), core=core("Core Title", "Chen Mei"))
    assert essay.meta.title == (Str("Core Title"),)
    assert essay.meta.authors == (Person("Chen Mei"),)


def test_body_title_wins_over_core_and_generic_creators_are_ignored() -> None:
    styles = style("Title", "Title")
    essay = body(
        p(r("Body Title"), style="Title"), styles=styles, core=core("Old", "Administrator")
    )
    assert essay.meta.title == (Str("Body Title"),)
    assert essay.meta.authors == ()


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ('<w:lang w:val="en-US" w:eastAsia="zh-TW"/>', "清晨五點，窯火還沒熄。", "zh-Hant"),
        ('<w:lang w:val="en-US" w:eastAsia="zh-HK"/>', "清晨五點，窯火還沒熄。", "zh-Hant"),
        ('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>', "清晨五点，窑火还没熄。", "zh-Hans"),
        ('<w:lang w:val="zh-TW"/>', "清晨五點，窯火還沒熄。", "zh-Hant"),
        ('<w:lang w:val="en-GB" w:eastAsia="zh-TW"/>', "Dawn, and the kiln still burns.", "en-GB"),
        ('<w:lang w:val="en-US"/>', "清晨五點，窯火還沒熄。", ""),
        ('<w:lang w:val="en-US" w:eastAsia="ja-JP"/>', "清晨五點，窯火還沒熄。", ""),
        ('<w:lang w:val="en-US" w:eastAsia="ja-JP"/>', "夜明けに窯の火はまだ燃えている。", "ja-JP"),
        ("", "Dawn, and the kiln still burns.", ""),
    ],
)
def test_language_from_document_defaults_when_the_text_agrees(
    lang: str, text: str, expected: str
) -> None:
    essay = body(p(r(text)), styles=doc_defaults(lang))
    assert essay.meta.lang == expected


def test_strict_ooxml_namespaces_are_read() -> None:
    transitional = Docx(p(r("Strict text", "<w:b/>")), rels={}).bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(transitional)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info).replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main",
            )
            data = data.replace(
                b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
            dst.writestr(info.filename, data)
    essay = read(buf.getvalue())
    assert essay.blocks == (Para((Strong((Str("Strict text"),)),)),)


def test_comments_are_reported_once() -> None:
    ref = '<w:r><w:commentReference w:id="0"/></w:r>'
    essay, diags = read_warned(Docx(p(r("a."), ref) + p(r("b."), ref)).bytes())
    assert [d.code for d in diags] == ["docx-comments"]
    assert essay.blocks == (Para((Str("a."),)), Para((Str("b."),)))


# ----------------------------------------------------------------- failures


def assert_reader_error(data: bytes, *words: str) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read(data)
    message = str(info.value)
    assert message.startswith("essays/kiln.docx: ")
    assert "\n" not in message
    for word in words:
        assert word in message
    return info.value


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_not_a_zip_file() -> None:
    assert_reader_error(b"Dear editor, here is my essay.", "not a zip file", "save it as .docx")


def test_empty_file() -> None:
    assert_reader_error(b"", "empty")


def test_encrypted_document_is_an_ole_file_with_encryption_info() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptionInfo".encode("utf-16-le")
    assert_reader_error(ole, "password-protected")


def test_legacy_doc_file() -> None:
    assert_reader_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "97–2003 .doc")


def test_zip_without_document_part() -> None:
    assert_reader_error(zip_of({"hello.txt": b"hi"}), "no word/document.xml")


def test_excel_file_named_docx() -> None:
    assert_reader_error(zip_of({"xl/workbook.xml": b"<workbook/>"}), "Excel")


def test_main_part_that_is_not_wordprocessingml() -> None:
    assert_reader_error(zip_of({"word/document.xml": b"<html/>"}), "not a WordprocessingML")


def test_corrupt_xml() -> None:
    data = Docx(p(r("fine"))).bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:-30]
    assert_reader_error(zip_of(members), "damaged", "word/document.xml", "line")


def test_xml_with_a_dtd_is_refused_and_entities_are_not_expanded() -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    members = {
        "word/document.xml": lol.encode()
        + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    }
    assert_reader_error(zip_of(members), "DTD")


def test_deeply_nested_xml_is_refused() -> None:
    deep = b"<w:sdt><w:sdtContent>" * 300 + b"</w:sdtContent></w:sdt>" * 300
    members = {
        "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>' + deep + b"</w:body></w:document>"
    }
    assert_reader_error(zip_of(members), "damaged")


def test_zip_bomb_member_with_extreme_compression_ratio() -> None:
    data = Docx(p(r("fine"))).bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["word/media/bomb.png"] = bytes(20 * 1024 * 1024)
    assert_reader_error(zip_of(members), "zip bomb")


def test_zip_with_too_many_members() -> None:
    members = {f"word/m{i}.xml": b"" for i in range(5001)}
    assert_reader_error(zip_of(members, zipfile.ZIP_STORED), "5001 members")


def test_zip_that_unpacks_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    from essaypress.readers.docx import _package

    monkeypatch.setattr(_package, "MAX_TOTAL_BYTES", 1024 * 1024)
    noise = random.Random(0).randbytes(1536 * 1024)
    data = Docx(p(r("fine")), media={"big.png": noise}).bytes()
    assert_reader_error(data, "more than 1 MB")


# ------------------------------------------------------------------- corpus


def test_every_corpus_docx_gives_an_essay_or_a_reader_error(corpus: Path) -> None:
    root = corpus / "docx"
    manifest = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))
    unreadable = {rel for rel, info in manifest.items() if "not_zip" in info["features"]}
    files = sorted(root.rglob("*.docx"))
    assert len(files) == len(manifest) >= 150
    crashed: list[str] = []
    refused: set[str] = set()
    start = time.perf_counter()
    for path in files:
        rel = path.relative_to(root).as_posix()
        try:
            with collect():
                essay = read_docx(path.read_bytes(), SourceRef(rel))
            assert isinstance(essay, Essay)
        except ReaderError as exc:
            assert str(exc).startswith(f"{rel}: ")
            refused.add(rel)
        except Exception as exc:  # the point: nothing else may escape
            crashed.append(f"{rel}: {type(exc).__name__}: {exc}")
    elapsed = time.perf_counter() - start
    print(f"\n{len(files)} corpus .docx files read in {elapsed:.2f} s, {len(refused)} refused")
    assert crashed == []
    assert refused == unreadable
    assert elapsed < 30
