"""Word numbering (numbering.xml) → bullet and ordered lists, nested, with their start numbers."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from essaypress.model.nodes import (
    Block,
    BulletList,
    Essay,
    Heading,
    OrderedList,
    Para,
    SourceRef,
    Str,
)
from essaypress.readers.docx import read_docx
from tests.readers.docx.build import Docx, abstract, item, lvl, num, p, r, style

INTRO = p(r("An opening paragraph that is not a title."))
INTRO_PARA = Para((Str("An opening paragraph that is not a title."),))


def read(xml: str, numbering: str, **kw: object) -> Essay:
    data = Docx(INTRO + xml, numbering=numbering, **kw).bytes()  # type: ignore[arg-type]
    return read_docx(data, SourceRef("list.docx"))


def blocks(xml: str, numbering: str, **kw: object) -> tuple[Block, ...]:
    essay = read(xml, numbering, **kw)
    assert essay.blocks[0] == INTRO_PARA
    return essay.blocks[1:]


def para(text: str) -> Para:
    return Para((Str(text),))


BULLETS_AND_NUMBERS = (
    abstract(1, lvl(0, "bullet"), lvl(1, "bullet"))
    + abstract(2, lvl(0, "decimal"), lvl(1, "lowerLetter"), lvl(2, "lowerRoman"))
    + num(1, 1)
    + num(2, 2)
)


def test_bullets_and_numbers_nest_by_level() -> None:
    xml = (
        item("one", 2)
        + item("a", 2, 1)
        + item("i", 2, 2)
        + item("b", 2, 1)
        + item("two", 2)
        + item("dot", 1)
        + item("sub-dot", 1, 1)
    )
    assert blocks(xml, BULLETS_AND_NUMBERS) == (
        OrderedList(
            (
                (
                    para("one"),
                    OrderedList(
                        (
                            (para("a"), OrderedList(((para("i"),),), style="lower-roman")),
                            (para("b"),),
                        ),
                        style="lower-alpha",
                    ),
                ),
                (para("two"),),
            )
        ),
        BulletList(((para("dot"), BulletList(((para("sub-dot"),),))),)),
    )


def test_numbering_continues_after_an_interruption_and_a_start_override_restarts() -> None:
    numbering = abstract(1, lvl(0, "decimal", start=3)) + num(1, 1) + num(2, 1, {0: 1})
    xml = (
        item("Foo", 1)
        + item("Bar", 1)
        + p(r("Interruption."))
        + item("Baz", 1)
        + p(r("Again."))
        + item("Restarted", 2)
        + item("Next", 2)
    )
    assert blocks(xml, numbering) == (
        OrderedList(((para("Foo"),), (para("Bar"),)), start=3),
        para("Interruption."),
        OrderedList(((para("Baz"),),), start=5),
        para("Again."),
        OrderedList(((para("Restarted"),), (para("Next"),)), start=1),
    )


def test_a_deeper_level_restarts_under_each_parent() -> None:
    numbering = abstract(1, lvl(0), lvl(1)) + num(1, 1)
    xml = item("1", 1) + item("1.1", 1, 1) + item("1.2", 1, 1) + item("2", 1) + item("2.1", 1, 1)
    (lst,) = blocks(xml, numbering)
    assert isinstance(lst, OrderedList)
    subs = [b for entry in lst.items for b in entry if isinstance(b, OrderedList)]
    assert [(s.start, len(s.items)) for s in subs] == [(1, 2), (1, 1)]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("decimal", "decimal"),
        ("decimalFullWidth", "decimal"),
        ("lowerLetter", "lower-alpha"),
        ("upperLetter", "upper-alpha"),
        ("lowerRoman", "lower-roman"),
        ("upperRoman", "upper-roman"),
        ("chineseCounting", "cjk"),
        ("chineseCountingThousand", "cjk"),
        ("ideographTraditional", "cjk"),
        ("taiwaneseCounting", "cjk"),
        ("japaneseCounting", "cjk"),
    ],
)
def test_number_formats_give_list_styles(fmt: str, expected: str) -> None:
    numbering = abstract(1, lvl(0, fmt, text="（%1）", start=2)) + num(1, 1)
    (lst,) = blocks(item("甲", 1) + item("乙", 1), numbering)
    assert lst == OrderedList(((para("甲"),), (para("乙"),)), start=2, style=expected)  # type: ignore[arg-type]


def test_list_through_a_paragraph_style_and_a_numbering_style_link() -> None:
    styles = style(
        "ListNumber", "List Number", ppr='<w:numPr><w:numId w:val="7"/></w:numPr>'
    ) + style(
        "OutlineList",
        "Outline List",
        kind="numbering",
        ppr='<w:numPr><w:numId w:val="8"/></w:numPr>',
    )
    numbering = (
        abstract(1, lvl(0, "upperRoman"))
        + abstract(2, lvl(0, "decimal"))
        + '<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="OutlineList"/></w:abstractNum>'
        + num(7, 1)
        + num(8, 2)
        + num(9, 3)
    )
    xml = p(r("styled"), style="ListNumber") + p(r("x.")) + item("linked", 9)
    assert blocks(xml, numbering, styles=styles) == (
        OrderedList(((para("styled"),),), style="upper-roman"),
        para("x."),
        OrderedList(((para("linked"),),)),
    )


def test_numbered_headings_stay_headings_and_unknown_or_silent_lists_are_paragraphs() -> None:
    styles = style("Heading1", "heading 1")
    numbering = abstract(1, lvl(0), lvl(1, "none", text="")) + num(1, 1)
    xml = (
        item("Numbered heading", 1, style="Heading1")
        + item("no such list", 42)
        + item("silent level", 1, 1)
        + item("removed", 0)
    )
    assert blocks(xml, numbering, styles=styles) == (
        Heading(1, (Str("Numbered heading"),)),
        para("no such list"),
        para("silent level"),
        para("removed"),
    )


def test_a_paragraph_with_numbering_removed_continues_the_list_item() -> None:
    numbering = abstract(1, lvl(0)) + num(1, 1)
    cont = p(r("more of one"), ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>')
    xml = item("one", 1) + cont + item("two", 1)
    assert blocks(xml, numbering) == (
        OrderedList(((para("one"), para("more of one")), (para("two"),))),
    )


def test_ordered_items_of_two_lists_numbered_on_make_one_list() -> None:
    numbering = abstract(1, lvl(0)) + num(1, 1) + num(2, 1)
    assert blocks(item("a", 1) + item("b", 2), numbering) == (
        OrderedList(((para("a"),), (para("b"),))),
    )


def test_list_in_a_table_cell() -> None:
    numbering = abstract(1, lvl(0, "bullet")) + num(1, 1)
    tbl = f"<w:tbl><w:tr><w:tc>{item('x', 1)}{item('y', 1)}</w:tc></w:tr></w:tbl>"
    (table,) = blocks(tbl, numbering)
    assert table.body[0].cells[0].blocks == (BulletList(((para("x"),), (para("y"),))),)  # type: ignore[union-attr]


def test_python_docx_list_styles() -> None:
    document = docx.Document()
    document.add_paragraph("An opening paragraph that is not a title.")
    for text in ("one", "two"):
        document.add_paragraph(text, style="List Bullet")
    for text in ("first", "second"):
        document.add_paragraph(text, style="List Number")
    buf = io.BytesIO()
    document.save(buf)
    essay = read_docx(buf.getvalue(), SourceRef("list.docx"))
    assert essay.blocks[1:] == (
        BulletList(((para("one"),), (para("two"),))),
        OrderedList(((para("first"),), (para("second"),))),
    )


def test_pandoc_list_files_read_like_pandoc(corpus: Path) -> None:
    def read_file(name: str) -> tuple[Block, ...]:
        path = corpus / "docx" / "pandoc" / name
        return read_docx(path.read_bytes(), SourceRef(name)).blocks

    continuing = read_file("lists_continuing.docx")
    assert [(b.start, len(b.items)) for b in continuing if isinstance(b, OrderedList)] == [
        (1, 3),
        (4, 1),
    ]
    restarting = read_file("lists_restarting.docx")
    assert [b.start for b in restarting if isinstance(b, OrderedList)] == [2, 1]
    restart_8367 = read_file("lists_restart_8367.docx")
    assert [(b.start, len(b.items)) for b in restart_8367 if isinstance(b, OrderedList)] == [
        (1, 3),
        (1, 4),
    ]
    german = read_file("german_styled_lists.docx")
    assert len(german) == 1 and isinstance(german[0], BulletList)
    assert len(german[0].items) == 3
