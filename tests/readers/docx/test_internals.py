"""Word's internals: tracked changes, fields, content controls, text boxes, SmartArt,
equations, comments, alternate content, symbol fonts."""

from __future__ import annotations

from pathlib import Path

from essaypress.log import Diagnostic, collect
from essaypress.model.nodes import (
    Attr,
    Block,
    Essay,
    Figure,
    Link,
    Para,
    SourceRef,
    Span,
    Str,
    Table,
)
from essaypress.model.text import plain_blocks
from essaypress.readers.docx import read_docx
from tests.conftest import png_bytes
from tests.readers.docx.build import Docx, Rel, drawing, p, r, style

INTRO = p(r("An opening paragraph that is not a title."))
SOURCE = SourceRef("essays/inner.docx")


def read(xml: str, **kw: object) -> tuple[tuple[Block, ...], list[str]]:
    """The blocks after the intro paragraph, and the warning codes."""
    with collect() as diags:
        essay = read_docx(Docx(INTRO + xml, **kw).bytes(), SOURCE)  # type: ignore[arg-type]
    assert essay.blocks[0] == para("An opening paragraph that is not a title.")
    return essay.blocks[1:], [d.code for d in diags]


def para(text: str) -> Para:
    return Para((Str(text),))


def fld(instr: str, result: str, ff: str = "") -> str:
    """A complex field: begin (with form-field data), instruction, separate, result, end."""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin">{ff}</w:fldChar></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{result}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


# ---------------------------------------------------------- tracked changes


def test_deleted_paragraph_mark_joins_the_paragraph_to_the_next() -> None:
    gone = '<w:rPr><w:del w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"/></w:rPr>'
    added = '<w:rPr><w:ins w:id="2" w:author="x"/></w:rPr>'
    xml = p(r("清晨五點，"), ppr=gone) + p(r("窯火還沒熄。")) + p(r("Kept."), ppr=added)
    blocks, _ = read(xml)
    assert blocks == (para("清晨五點，窯火還沒熄。"), para("Kept."))


def test_moves_are_resolved_once_and_deleted_rows_dropped() -> None:
    xml = p(
        r("A "),
        '<w:moveFrom w:id="1" w:author="x">' + r("moved ") + "</w:moveFrom>",
        r("B "),
        '<w:moveTo w:id="2" w:author="x">' + r("moved") + "</w:moveTo>",
    ) + (
        "<w:tbl><w:tr><w:tc>" + p(r("kept row")) + "</w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="3" w:author="x"/></w:trPr><w:tc>'
        + p(r("deleted row"))
        + "</w:tc></w:tr></w:tbl>"
    )
    blocks, _ = read(xml)
    assert blocks[0] == para("A B moved")
    assert isinstance(blocks[1], Table)
    assert plain_blocks(blocks[1:]) == "kept row"


# ------------------------------------------------------------------ fields


def test_hyperlink_field_becomes_a_link_with_its_anchor() -> None:
    xml = p(
        r("See "),
        fld('HYPERLINK "https://example.org/a" \\l "part2" \\o "tip"', r("the page")),
        r("."),
    )
    blocks, _ = read(xml)
    assert blocks == (
        Para((Str("See "), Link((Str("the page"),), "https://example.org/a#part2"), Str("."))),
    )


def test_simple_hyperlink_field_and_internal_link_field() -> None:
    xml = p(
        '<w:fldSimple w:instr=" HYPERLINK &quot;mailto:a@b.org&quot; ">'
        + r("mail")
        + "</w:fldSimple>",
        r(" and "),
        fld('HYPERLINK \\l "_Toc1"', r("inside")),
    )  # fmt: skip
    blocks, _ = read(xml)
    assert blocks == (Para((Link((Str("mail"),), "mailto:a@b.org"), Str(" and inside"))),)


def test_field_results_are_shown_and_instructions_are_not() -> None:
    nested = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText>IF </w:instrText></w:r>"
        + fld("DATE", r("1/16/18"))
        + '<w:r><w:instrText> = 1 "yes" "no"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r("yes")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    xml = p(r("Page "), fld("PAGEREF _Ref1 \\h", r("7")), r(", answer "), nested, r("."))
    blocks, _ = read(xml)
    assert blocks == (para("Page 7, answer yes."),)


def test_table_of_contents_field_spanning_paragraphs_is_dropped() -> None:
    styles = style("TOC1", "toc 1") + style("Heading1", "heading 1")
    xml = (
        p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
          '<w:r><w:instrText> TOC \\o "1-3" \\h </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Introduction\t1"), style="TOC1")
        + p(r("Method\t2"), style="TOC1")
        + p('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        + p(r("Static entry\t3"), style="TOC1")
        + p(r("Introduction"), style="Heading1")
        + p(r("Text."))
    )  # fmt: skip
    blocks, _ = read(xml, styles=styles)
    assert plain_blocks(blocks) == "Introduction\n\nText."


def test_table_of_contents_content_control_is_dropped() -> None:
    toc = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"
        + p(r("Contents"))
        + p(r("Chapter\t1"))
        + "</w:sdtContent></w:sdt>"
    )
    blocks, _ = read(toc + p(r("Body.")))
    assert blocks == (para("Body."),)


def test_form_checkboxes_and_drop_downs_and_checkbox_controls() -> None:
    def box(checked: str) -> str:
        return f'<w:ffData><w:checkBox><w:default w:val="0"/>{checked}</w:checkBox></w:ffData>'

    drop = (
        '<w:ffData><w:ddList><w:result w:val="1"/><w:listEntry w:val="甲"/>'
        '<w:listEntry w:val="乙"/></w:ddList></w:ffData>'
    )
    control = (
        '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{v}"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:sym w:font="Wingdings" w:char="{c}"/></w:r></w:sdtContent></w:sdt>'
    )
    xml = p(
        fld("FORMCHECKBOX", "", box("")),
        fld("FORMCHECKBOX", "", box("<w:checked/>")),
        fld("FORMDROPDOWN", "", drop),
        control.format(v="1", c="F078"),
        control.format(v="0", c="F06F"),
        control.format(v="1", c="F020"),
    )
    blocks, _ = read(xml)
    assert blocks == (para("☐☒乙⌧□☒"),)


# ------------------------------------------------------- boxes and shapes


def textbox(*paras: str, choice: str = "wps") -> str:
    """A text box as Word writes it: a DrawingML shape, with a VML fallback whose text says
    "fallback" (so the test sees which branch was read)."""
    inner = "".join(p(r(t)) for t in paras)
    fallback = "".join(p(r("fallback " + t)) for t in paras)
    return (
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="{choice}"><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
        f"{fallback}"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )  # fmt: skip


def test_text_box_text_is_kept_once_after_its_paragraph_with_a_warning() -> None:
    blocks, codes = read(p(r("Anchor."), textbox("Boxed one.", "Boxed two.")) + p(r("After.")))
    assert blocks == (para("Anchor."), para("Boxed one."), para("Boxed two."), para("After."))
    assert codes == ["docx-textbox"]


def test_unknown_alternate_content_uses_the_fallback() -> None:
    blocks, _ = read(p(r("Anchor."), textbox("Boxed.", choice="x9")))
    assert blocks == (para("Anchor."), para("fallback Boxed."))


def test_text_box_under_a_picture_is_its_caption() -> None:
    png = png_bytes()
    xml = p(drawing("rIdImg", "kiln"), textbox("Figure 1. The kiln"))
    blocks, _ = read(xml, rels={"rIdImg": Rel("image", "media/a.png")}, media={"a.png": png})
    assert len(blocks) == 1 and isinstance(blocks[0], Figure)
    assert blocks[0].caption == (Str("Figure 1. The kiln"),)


def test_smartart_text_is_kept_with_a_warning() -> None:
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><dgm:dataModel '
        'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst>'
        '<dgm:pt modelId="0" type="doc"><dgm:t><a:p><a:r><a:t>not me</a:t></a:r></a:p>'
        "</dgm:t></dgm:pt>"
        '<dgm:pt modelId="1"><dgm:t><a:p><a:r><a:t>播種</a:t></a:r></a:p></dgm:t></dgm:pt>'
        '<dgm:pt modelId="2" type="parTrans"><dgm:t/></dgm:pt>'
        '<dgm:pt modelId="3"><dgm:t><a:p><a:r><a:t>收</a:t></a:r><a:r><a:t>成</a:t></a:r>'
        "</a:p></dgm:t></dgm:pt>"
        "</dgm:ptLst></dgm:dataModel>"
    )  # fmt: skip
    diagram = (
        '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Diagram 1"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        '<dgm:relIds r:dm="rIdDm" r:lo="x" r:qs="y" r:cs="z"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
    blocks, codes = read(
        p(diagram),
        rels={"rIdDm": Rel("diagramData", "diagrams/data1.xml")},
        extra={"word/diagrams/data1.xml": data},
    )
    assert blocks == (para("播種"), para("收成"))
    assert codes == ["docx-smartart"]


# --------------------------------------------------------------- equations


def omml(inner: str) -> str:
    return f"<m:oMath>{inner}</m:oMath>"


def mr(text: str) -> str:
    return f"<m:r><m:t>{text}</m:t></m:r>"


def test_equations_keep_a_linear_text_form_with_a_warning() -> None:
    frac = f"<m:f><m:num>{mr('a+b')}</m:num><m:den>{mr('2')}</m:den></m:f>"
    sup = f"<m:sSup><m:e>{mr('x')}</m:e><m:sup>{mr('2')}</m:sup></m:sSup>"
    root = f'<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e>{mr("x")}</m:e></m:rad>'
    nary = (
        '<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr>'
        f"<m:sub>{mr('i=1')}</m:sub><m:sup>{mr('n')}</m:sup><m:e>{mr('a')}</m:e></m:nary>"
    )
    delim = f"<m:d><m:e>{mr('x')}</m:e><m:e>{mr('y')}</m:e></m:d>"
    matrix = (
        f"<m:m><m:mr><m:e>{mr('1')}</m:e><m:e>{mr('0')}</m:e></m:mr>"
        f"<m:mr><m:e>{mr('0')}</m:e><m:e>{mr('1')}</m:e></m:mr></m:m>"
    )
    xml = p(r("Inline "), omml(frac), r(" and ")) + p(
        f"<m:oMathPara>{omml(sup + mr('+') + root + mr('=') + nary + delim + matrix)}</m:oMathPara>"
    )
    blocks, codes = read(xml)
    math = Attr(classes=("math",))
    display = Attr(classes=("math", "display"))
    assert blocks == (
        Para((Str("Inline "), Span((Str("(a+b)/2"),), math), Str(" and"))),
        Para((Span((Str("x^2+√x=∑_(i=1)^n a(x|y)[1, 0; 0, 1]"),), display),)),
    )
    assert codes == ["docx-equation"]


def test_equation_corpus_file(corpus: Path) -> None:
    path = corpus / "docx" / "open-xml-sdk" / "wordprocessing" / "equation" / "equation.docx"
    with collect() as diags:
        essay = read_docx(path.read_bytes(), SourceRef("equation.docx"))
    text = plain_blocks(essay.blocks)
    assert "cosα+cosβ=2cos" in text
    assert "(x+a)^n=∑_(k=0)^n" in text
    assert [d.code for d in diags] == ["docx-equation"]


# ------------------------------------------------------ comments, symbols


def test_comments_are_never_published_and_a_warning_says_so() -> None:
    comments = (
        '<w:comment w:id="0" w:author="Editor">'
        "<w:p><w:r><w:t>SECRET REMARK</w:t></w:r></w:p></w:comment>"
    )
    xml = p(
        '<w:commentRangeStart w:id="0"/>',
        r("Commented text."),
        '<w:commentRangeEnd w:id="0"/>',
        '<w:r><w:commentReference w:id="0"/></w:r>',
    )
    with collect() as diags:
        essay = read_docx(Docx(INTRO + xml, comments=comments).bytes(), SOURCE)
    assert "SECRET" not in plain_blocks(essay.blocks)
    assert [d.code for d in diags] == ["docx-comments"]
    assert diags[0] == Diagnostic(
        "docx-comments",
        "comments in the document are never published; left out",
        "essays/inner.docx: paragraph 2",  # where the first comment is
    )


def test_text_typed_in_symbol_fonts_shows_its_characters() -> None:
    wing = '<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>'
    sym = '<w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/>'
    xml = p(r("\uf0fc", wing), r(" done, "), r("ab", sym), r(" ok"))
    blocks, _ = read(xml)
    assert blocks == (para("✓ done, αβ ok"),)


def test_hidden_text_and_placeholder_prompts_are_dropped(corpus: Path) -> None:
    path = corpus / "docx" / "docx-rs" / "hidden__hidden.docx"
    essay = read_docx(path.read_bytes(), SourceRef("hidden.docx"))
    assert "Hidden" not in plain_blocks(essay.blocks)


def test_strict_corpus_files_read_like_transitional(corpus: Path) -> None:
    for name in ("docx2python/strict.docx", "pandoc/command/7691.docx"):
        essay: Essay = read_docx((corpus / "docx" / name).read_bytes(), SourceRef(name))
        assert plain_blocks(essay.blocks).strip(), name
