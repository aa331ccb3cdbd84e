"""Both readers, fuzzed: any input gives an Essay or an EssaypressError, never anything else.

The readers' output then goes through the transforms and the HTML translator,
so a strange tree they let through cannot crash the writers' shared code either.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essaypress.errors import EssaypressError
from essaypress.model.nodes import Anthology, BookMeta, Essay, Part, SourceRef
from essaypress.readers.docx import read_docx
from essaypress.readers.markdown import read_markdown
from essaypress.transforms import apply_transforms
from essaypress.writers.html import Flavor, essay_html

from . import _hostile as h

FUZZ = settings(
    max_examples=int(os.environ.get("ESSAYPRESS_FUZZ_EXAMPLES", "150")),  # more for a bug hunt
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOURCE = SourceRef("fuzz")


def _survives(read: object) -> None:
    """Essay → transforms → HTML must work; an EssaypressError is the only other outcome."""
    try:
        essay = read()  # type: ignore[operator]
    except EssaypressError as exc:
        assert str(exc).startswith("fuzz"), exc  # the message names the file
        return
    assert isinstance(essay, Essay)
    book = apply_transforms(Anthology(BookMeta("T"), (), (Part((), (essay,)),)))
    for flavor in (Flavor(notes="float"), Flavor(notes="aside", epub=True)):
        essay_html(book.parts[0].essays[0], flavor)


# ---------------------------------------------------------------- Markdown

MD_PIECES = [
    "#", "##", "> ", "- ", "* ", "1. ", "+ ", "    ", "\t", "\n", "\n\n", "---", "***", "___",
    "`", "```", "~~~", "*", "**", "_", "__", "~~", "[", "]", "(", ")", "![", "]: ", "[^1]",
    "[^1]: ", "^[", "{", "}", "{.c #i k=v}", "|", "|-|", ":-:", "<", ">", "&amp;", "&#0;",
    "\\", "http://x.y/", "<b>", "</b>", "<!--", "-->", "中文", "「」", "——", "\u3000", "a",
    " ", "\r", "\x00", "\x07", "\ufeff", "\u200b", "title: x\n", "author: [a, b]\n", "&a ", "*a",
]  # fmt: skip
markdown_like = st.lists(st.sampled_from(MD_PIECES), max_size=60).map("".join)
front_matter = st.builds(lambda fm, body: f"---\n{fm}\n---\n{body}", markdown_like, markdown_like)


@FUZZ
@given(st.one_of(st.text(), markdown_like, front_matter))
def test_markdown_reader_survives_any_text(text: str) -> None:
    _survives(lambda: read_markdown(text, SOURCE))


# -------------------------------------------------------------------- DOCX

W_TAGS = [
    "p", "r", "t", "tab", "br", "tbl", "tr", "tc", "tblGrid", "gridCol", "pPr", "rPr", "pStyle",
    "b", "i", "u", "strike", "vertAlign", "hyperlink", "sdt", "sdtContent", "ins", "del",
    "delText", "footnoteReference", "endnoteReference", "fldSimple", "fldChar", "instrText",
    "numPr", "ilvl", "numId", "sym", "noBreakHyphen", "smartTag", "customXml", "bookmarkStart",
    "gridSpan", "vMerge", "tcPr", "drawing", "pict", "altChunk", "lastRenderedPageBreak",
]  # fmt: skip
W_ATTRS = ["val", "id", "type", "instr", "char", "font", "fldCharType", "anchor", "space"]
ATTR_VALUES = ["", "0", "1", "-1", "999999999", "Heading1", "Title", "begin", "end",
               "separate", "F0DA", "superscript", "restart", "rId1", "rId99", "中"]  # fmt: skip


def _element(children: list[str], tag: str, attrs: dict[str, str], text: str) -> str:
    attr = "".join(f' w:{k}="{v}"' for k, v in attrs.items())
    return f"<w:{tag}{attr}>{text}{''.join(children)}</w:{tag}>"


text_content = st.text(alphabet=st.sampled_from(list("ab 中文「」—&<>\"'")), max_size=8).map(
    lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)
element = st.recursive(
    st.builds(
        lambda tag, attrs, text: _element([], tag, attrs, text),
        st.sampled_from(W_TAGS),
        st.dictionaries(st.sampled_from(W_ATTRS), st.sampled_from(ATTR_VALUES), max_size=2),
        text_content,
    ),
    lambda kids: st.builds(
        _element,
        st.lists(kids, max_size=4),
        st.sampled_from(W_TAGS),
        st.dictionaries(st.sampled_from(W_ATTRS), st.sampled_from(ATTR_VALUES), max_size=2),
        text_content,
    ),
    max_leaves=30,
)
body_xml = st.lists(element, max_size=8).map("".join)

PART_NAMES = [
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
    "word/styles.xml", "word/numbering.xml", "word/footnotes.xml", "word/endnotes.xml",
    "word/settings.xml", "docProps/core.xml", "word/media/image1.png", "customXml/item1.xml",
    "WORD/Document.XML", "../evil.xml", "/abs.xml", "word/",
]  # fmt: skip
part_content = st.one_of(
    st.binary(max_size=200),
    body_xml.map(h.document_xml),
    body_xml.map(lambda b: f'<w:styles xmlns:w="{h.W}">{b}</w:styles>'),
    body_xml.map(lambda b: f'<w:numbering xmlns:w="{h.W}">{b}</w:numbering>'),
    body_xml.map(lambda b: f'<w:footnotes xmlns:w="{h.W}">{b}</w:footnotes>'),
    st.dictionaries(
        st.sampled_from(["rId1", "rId2", "rId99"]),
        st.tuples(
            st.sampled_from(["image", "hyperlink", "footnotes", "styles", "officeDocument"]),
            st.sampled_from(["media/image1.png", "../../x", "http://127.0.0.1:9/", "", "%2e%2e/x"]),
            st.booleans(),
        ),
        max_size=3,
    ).map(h.rels_xml),
    st.just(h.BILLION_LAUGHS + "<r>&lol9;</r>"),
)


def _zip(members: list[tuple[str, bytes | str]], method: int) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as z:
        warnings.simplefilter("ignore")  # duplicate names are wanted: the reader refuses them
        for name, data in members:
            z.writestr(name, data.encode() if isinstance(data, str) else data)
    return buf.getvalue()


zips = st.builds(
    _zip,
    st.lists(st.tuples(st.sampled_from(PART_NAMES), part_content), max_size=8),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)


@FUZZ
@given(body_xml)
def test_docx_reader_survives_any_document_body(body: str) -> None:
    _survives(lambda: read_docx(h.docx(body), SOURCE))


@FUZZ
@given(st.one_of(zips, st.binary(max_size=400)))
def test_docx_reader_survives_any_zip(data: bytes) -> None:
    _survives(lambda: read_docx(data, SOURCE))


@FUZZ
@given(st.data())
def test_docx_reader_survives_damaged_bytes(data: st.DataObject) -> None:
    """A valid package with bytes flipped or cut: headers, directory and compressed data."""
    good = bytearray(h.docx(h.para("正文") + h.inline_picture("rId1"),
                            rels={"rId1": ("image", "media/image1.png", False)},
                            parts={"word/media/image1.png": h.png_bomb(10, 10)}))  # fmt: skip
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(good) - 1))
        good[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(good) // 2, len(good)))
    _survives(lambda: read_docx(bytes(good[:cut]), SOURCE))
