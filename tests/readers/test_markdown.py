"""Markdown reader: small inputs → expected model, front matter, CJK rules, and the real corpus."""

from __future__ import annotations

import inspect
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from essaypress.errors import ReaderError
from essaypress.log import collect
from essaypress.model.nodes import (
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emph,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    OrderedList,
    Para,
    Person,
    SoftBreak,
    SourceRef,
    Str,
    Strikeout,
    Strong,
    Table,
    TableCell,
    TableRow,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.model.walk import iter_nodes
from essaypress.readers._md_cjk import install_cjk_emphasis
from essaypress.readers.markdown import MAX_DEPTH, read_markdown

SRC = SourceRef("essays/test.md")


def read(text: str) -> Essay:
    return read_markdown(text, SRC)


def body(text: str) -> tuple[Block, ...]:
    return read(text).blocks


def para(text: str) -> tuple[Inline, ...]:
    blocks = body(text)
    assert len(blocks) == 1 and isinstance(blocks[0], Para), blocks
    return blocks[0].content


def error(text: str) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read(text)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{SRC.path}:"), message
    return info.value


def P(*content: Inline) -> Para:
    return Para(content)


# ------------------------------------------------------------- blocks


def test_paragraphs_headings_rule_and_quote() -> None:
    text = "---\ntitle: T\n---\nOne.\n\n# Section\n\n## Sub\n\n***\n\n> Quoted\n> text.\n"
    assert body(text) == (
        P(Str("One.")),
        Heading(1, (Str("Section"),)),
        Heading(2, (Str("Sub"),)),
        HorizontalRule(),
        BlockQuote((P(Str("Quoted"), SoftBreak(), Str("text.")),)),
    )


def test_heading_attributes_block_and_trailing() -> None:
    blocks = body("---\ntitle: T\n---\n{#one .intro}\n# 第一章\n\n## 第二節 {#two .x lang=en}\n")
    assert blocks == (
        Heading(1, (Str("第一章"),), Attr("one", ("intro",))),
        Heading(2, (Str("第二節"),), Attr("two", ("x",), (("lang", "en"),))),
    )


def test_first_level_one_heading_becomes_the_title_and_headings_move_up() -> None:
    essay = read("# 窯火與晨光 {#t}\n\n## 一、返鄉\n\n### （一）窯\n\n正文。\n")
    assert essay.meta.title == (Str("窯火與晨光"),)
    assert essay.blocks == (
        Heading(1, (Str("一、返鄉"),)),
        Heading(2, (Str("（一）窯"),)),
        P(Str("正文。")),
    )


def test_second_level_one_heading_after_title_warns_and_stays_a_section() -> None:
    with collect() as diags:
        essay = read("# Title\n\ntext\n\n# Another\n")
    assert essay.meta.title == (Str("Title"),)
    assert essay.blocks[-1] == Heading(1, (Str("Another"),))
    assert [(d.code, d.location) for d in diags] == [("heading-level", f"{SRC.path}:5")]


def test_heading_after_body_text_is_not_a_title() -> None:
    essay = read("Intro.\n\n# Heading\n")
    assert essay.meta.title == ()
    assert essay.blocks == (P(Str("Intro.")), Heading(1, (Str("Heading"),)))


def test_front_matter_title_wins_over_heading() -> None:
    essay = read("---\ntitle: 正題\n---\n# 節\n")
    assert essay.meta.title == (Str("正題"),)
    assert essay.blocks == (Heading(1, (Str("節"),)),)


def test_no_title_at_all() -> None:
    assert read("just text\n").meta == Meta()


def test_lists_start_number_and_loose_items() -> None:
    assert body("3. a\n4. b\n\n- x\n\n  y\n- z\n") == (
        OrderedList(((P(Str("a")),), (P(Str("b")),)), start=3),
        BulletList(((P(Str("x")), P(Str("y"))), (P(Str("z")),))),
    )
    assert body("- x\n- y\n") == body("- x\n\n- y\n")


def test_code_blocks_fenced_and_indented() -> None:
    text = "```python {#c .numbered}\nprint(1)\n\n```\n\n    indented\n      more\n"
    assert body(text) == (
        CodeBlock("print(1)\n", Attr("c", ("python", "numbered"))),
        CodeBlock("indented\n  more"),
    )


def test_table_alignment_and_header() -> None:
    text = "{#t}\n| 年份 | 窯數 | 備註 |\n|:--|:-:|--:|\n| 一九八〇 | **十二** |  |\n"
    assert body(text) == (
        Table(
            head=(
                TableRow(
                    (
                        TableCell((P(Str("年份")),), align="left"),
                        TableCell((P(Str("窯數")),), align="center"),
                        TableCell((P(Str("備註")),), align="right"),
                    )
                ),
            ),
            body=(
                TableRow(
                    (
                        TableCell((P(Str("一九八〇")),), align="left"),
                        TableCell((P(Strong((Str("十二"),))),), align="center"),
                        TableCell((), align="right"),
                    )
                ),
            ),
            attr=Attr("t"),
        ),
    )


def test_block_attributes_on_a_paragraph_wrap_it_in_a_div() -> None:
    assert body("{.byline}\n—— 某某單位政治部 林曉雯\n") == (
        Div((P(Str("—— 某某單位政治部 林曉雯")),), Attr(classes=("byline",))),
    )


# ------------------------------------------------------------- inlines


def test_emphasis_strong_strikeout_code() -> None:
    assert para("*a* **b** ~~c~~ `d`{.k}") == (
        Emph((Str("a"),)),
        Str(" "),
        Strong((Str("b"),)),
        Str(" "),
        Strikeout((Str("c"),)),
        Str(" "),
        Code("d", Attr(classes=("k",))),
    )


def test_links_with_title_attributes_and_autolinks() -> None:
    assert para('[維基](https://zh.wikipedia.org/ "百科"){.ext} <https://example.org/a>') == (
        Link((Str("維基"),), "https://zh.wikipedia.org/", "百科", Attr(classes=("ext",))),
        Str(" "),
        Link((Str("https://example.org/a"),), "https://example.org/a"),
    )


def test_javascript_link_stays_text() -> None:
    assert para("[x](javascript:alert(1))") == (Str("[x](javascript:alert(1))"),)


def test_hard_breaks_and_entities() -> None:
    assert para("a  \nb\\\nc &amp; &copy; &#x4E2D;") == (
        Str("a"),
        LineBreak(),
        Str("b"),
        LineBreak(),
        Str("c & © 中"),
    )


def test_raw_html_is_literal_text() -> None:
    assert body("<b>粗</b> &lt;i&gt;\n\n<script>alert(1)</script>\n\n<div>\nx\n</div>\n") == (
        P(Str("<b>粗</b> <i>")),
        P(Str("<script>alert(1)</script>")),
        P(Str("<div>"), SoftBreak(), Str("x"), SoftBreak(), Str("</div>")),
    )


def test_image_inline_keeps_src_as_written() -> None:
    assert para('前 ![貓 *圖*](<img/貓 圖.png> "標題"){#i .w width=30} 後') == (
        Str("前 "),
        Image("img/貓 圖.png", "貓 圖", "標題", Attr("i", ("w",), (("width", "30"),))),
        Str(" 後"),
    )
    assert para("x ![](https://example.org/a.png)")[1] == Image("https://example.org/a.png")
    assert para("x ![](img/%E8%B2%93.png)")[1] == Image("img/貓.png")


def test_paragraph_with_only_an_image_is_a_figure_captioned_by_alt() -> None:
    assert body("![圖一　*老窯*](img/kiln.png)\n") == (
        Figure(Image("img/kiln.png", alt="圖一　老窯"), (Str("圖一　"), Emph((Str("老窯"),)))),
    )
    assert body("{.wide}\n![](a.png)\n") == (Figure(Image("a.png"), (), Attr(classes=("wide",))),)


# ------------------------------------------------------------- footnotes


def test_footnote_note_sits_at_the_reference() -> None:
    text = "火還沒熄。[^fire]後面。^[行內*注*]\n\n[^fire]: 窯火：燒製陶器的火。\n\n    第二段。\n"
    assert para(text) == (
        Str("火還沒熄。"),
        Note((P(Str("窯火：燒製陶器的火。")), P(Str("第二段。")))),
        Str("後面。"),
        Note((P(Str("行內"), Emph((Str("注"),))),)),
    )


def test_footnote_referenced_twice_repeats_the_note_and_warns() -> None:
    with collect() as diags:
        content = para("a[^1] b[^1]\n\n[^1]: n\n")
    assert content == (Str("a"), Note((P(Str("n")),)), Str(" b"), Note((P(Str("n")),)))
    assert [d.code for d in diags] == ["footnote-repeated"]


def test_unused_and_undefined_footnotes() -> None:
    with collect() as diags:
        blocks = body("a[^missing]\n\n[^spare]: never used\n")
    assert blocks == (P(Str("a[^missing]")),)
    assert [(d.code, d.location) for d in diags] == [("footnote-unused", f"{SRC.path}:3")]


def test_footnote_inside_footnote_stays_text() -> None:
    with collect() as diags:
        content = para("a[^1]\n\n[^1]: outer[^2]\n\n[^2]: inner\n")
    assert content == (Str("a"), Note((P(Str("outer[^2]")),)))
    assert "footnote-nested" in [d.code for d in diags]


# ------------------------------------------------------------- CJK


def test_soft_break_between_cjk_characters_disappears() -> None:
    joined = (Str("清晨五點，窯火還沒熄。「好。」他說"),)
    assert para("清晨五點，\n窯火還沒熄。\n「好。」\n他說") == joined


def test_soft_break_in_english_and_between_scripts_stays() -> None:
    assert para("to live\ndeliberately") == (Str("to live"), SoftBreak(), Str("deliberately"))
    assert para("中文\nEnglish\n中文") == (
        Str("中文"),
        SoftBreak(),
        Str("English"),
        SoftBreak(),
        Str("中文"),
    )
    assert para("한국어\n문장") == (Str("한국어"), SoftBreak(), Str("문장"))


def test_soft_break_joins_across_markup_notes_and_neutral_quotes() -> None:
    assert para("**粗體**\n後面[^1]\n接著“你好。”\n“再見。”\n\n[^1]: n\n") == (
        Strong((Str("粗體"),)),
        Str("後面"),
        Note((P(Str("n")),)),
        Str("接著“你好。”“再見。”"),
    )
    assert para("he said, “Yes.”\n“No.”") == (
        Str("he said, “Yes.”"),
        SoftBreak(),
        Str("“No.”"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**「粗體」**後", (Strong((Str("「粗體」"),)), Str("後"))),
        ("這是**粗體。**接著", (Str("這是"), Strong((Str("粗體。"),)), Str("接著"))),
        ("*『書名』*測試", (Emph((Str("『書名』"),)), Str("測試"))),
        ("前~~「刪除」~~後", (Str("前"), Strikeout((Str("「刪除」"),)), Str("後"))),
    ],
)
def test_emphasis_next_to_cjk_punctuation(text: str, expected: tuple[Inline, ...]) -> None:
    assert para(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a**b**c", (Str("a"), Strong((Str("b"),)), Str("c"))),
        ("**foo**bar", (Strong((Str("foo"),)), Str("bar"))),
        ("foo**bar**", (Str("foo"), Strong((Str("bar"),)))),
        ("__foo__bar", (Str("__foo__bar"),)),
        ("a ** b ** c", (Str("a ** b ** c"),)),
        ('**"foo"**bar', (Str('**"foo"**bar'),)),
    ],
)
def test_emphasis_without_cjk_is_commonmark(text: str, expected: tuple[Inline, ...]) -> None:
    assert para(text) == expected


def test_markdown_it_internals_the_cjk_patch_relies_on() -> None:
    """If this fails, markdown-it-py changed: re-check ``readers/_md_cjk.py`` before unpinning."""
    assert list(inspect.signature(StateInline.scanDelims).parameters) == [
        "self",
        "start",
        "canSplitWord",
    ]
    assert Scanned._fields == ("can_open", "can_close", "length")
    assert list(inspect.signature(ParserInline.parse).parameters) == [
        "self",
        "src",
        "md",
        "env",
        "tokens",
    ]
    source = inspect.getsource(ParserInline.parse)
    assert "StateInline(src, md, env, tokens)" in source and "ruler2" in source
    # The patch is on the reader's parser only: a plain MarkdownIt still refuses the CJK case.
    assert MarkdownIt("commonmark").render("**「粗體」**後") == "<p>**「粗體」**後</p>\n"
    patched = install_cjk_emphasis(MarkdownIt("commonmark"))
    assert patched.render("**「粗體」**後") == "<p><strong>「粗體」</strong>後</p>\n"
    assert install_cjk_emphasis(patched) is patched  # idempotent


# ------------------------------------------------------------- front matter


def test_front_matter_fields() -> None:
    text = (
        "---\ntitle: 窯火與晨光\nsubtitle: 記一次返鄉\nauthor: 林曉雯\n"
        "affiliation: 某某單位政治部\n"
        "date: 2024-05-01\nlang: zh-Hant\ntags: [散文, 返鄉]\n---\n正文\n"
    )
    assert read(text).meta == Meta(
        title=(Str("窯火與晨光"),),
        subtitle=(Str("記一次返鄉"),),
        authors=(Person("林曉雯", "某某單位政治部"),),
        date="2024-05-01",
        lang="zh-Hant",
        tags=("散文", "返鄉"),
    )


@pytest.mark.parametrize(
    ("yaml_text", "authors"),
    [
        ("author: 王小明", (Person("王小明"),)),
        ("author: {name: 王小明, affiliation: 政治部}", (Person("王小明", "政治部"),)),
        ("author:\n  name: Ada\n  affiliation: Office", (Person("Ada", "Office"),)),
        (
            "authors:\n  - 王小明\n  - {name: Ada Lane, affiliation: Records}",
            (Person("王小明"), Person("Ada Lane", "Records")),
        ),
        ("author: [甲, 乙]", (Person("甲"), Person("乙"))),
        ("author:", ()),
    ],
)
def test_front_matter_author_forms(yaml_text: str, authors: tuple[Person, ...]) -> None:
    assert read(f"---\n{yaml_text}\n---\nx\n").meta.authors == authors


@pytest.mark.parametrize(
    ("yaml_text", "date"),
    [
        ("date: 2024-05-01", "2024-05-01"),
        ("date: 2024-05-01 10:30:00", "2024-05-01T10:30:00"),
        ("date: 2024年5月", "2024年5月"),
        ("date: 2024", "2024"),
    ],
)
def test_front_matter_dates(yaml_text: str, date: str) -> None:
    assert read(f"---\n{yaml_text}\n---\nx\n").meta.date == date


def test_front_matter_language_alias_and_empty_front_matter() -> None:
    assert read("---\nlanguage: zh-Hans\n---\nx\n").meta.lang == "zh-Hans"
    assert read("---\n---\nx\n").meta == Meta()


def test_unknown_front_matter_key_warns_with_line() -> None:
    with collect() as diags:
        read("---\ntitle: T\nfirst_published: 1926\n---\nx\n")
    assert [(d.code, d.location) for d in diags] == [("front-matter-key", f"{SRC.path}:3")]
    assert "first_published" in diags[0].message


@pytest.mark.parametrize(
    ("yaml_text", "line", "words"),
    [
        ("title: [unclosed\nlang: en", 3, "invalid YAML"),
        ("title: T\n  bad: indent", 3, "invalid YAML"),
        ("- a list\n- not a mapping", 2, "key: value"),
        ("just a sentence", 2, "key: value"),
        ("title: T\ntitle: U", 3, "twice"),
        ("title: [a, b]", 2, "`title` must be text"),
        ("date: {year: 2024}", 2, "`date` must be a date"),
        ("tags: [[a]]", 2, "`tags` must be a list of words"),
        ("lang: 中文", 2, "language tag"),
        ("authors:\n  - {name: A, email: a@b.c}", 3, "unknown field `email`"),
        ("author: {affiliation: 部}", 2, "needs a name"),
        ("author: A\nauthors: [B]", 3, "not both"),
        ("authors: [A, B]\naffiliation: 部", 3, "single `author`"),
        ("title: &t T\nsubtitle: *t", 2, "anchors and aliases"),
        ("title: !custom T", 2, "tag !custom"),
        ("title: !!python/object/apply:os.system [echo hi]", 2, "invalid YAML"),
    ],
)
def test_front_matter_errors_name_file_and_line(yaml_text: str, line: int, words: str) -> None:
    err = error(f"---\n{yaml_text}\n---\nbody\n")
    assert err.path == SRC.path and err.line == line, str(err)
    assert words in str(err)


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]" for p, c in
              zip("abcdefgh", "bcdefghi", strict=True)]  # fmt: skip
    err = error("---\n" + "\n".join(lines) + "\n---\nx\n")
    assert "anchors and aliases" in str(err) and err.line == 2


def test_byte_order_mark_does_not_hide_front_matter() -> None:
    assert read("\ufeff---\ntitle: T\n---\nx\n").meta.title == (Str("T"),)


# ------------------------------------------------------------- limits and invariants


@pytest.mark.parametrize(
    "text",
    [
        "> " * 60 + "deep\n",
        "- " * 40 + "deep\n",
        "*" * 3000 + "deep" + "*" * 3000 + "\n",
        "text\n\n" + "> " * 25 + "- " * 25 + "deep\n",
    ],
)
def test_deep_nesting_is_refused_not_dropped(text: str) -> None:
    err = error(text)
    assert f"more than {MAX_DEPTH} levels" in str(err)


def test_nesting_below_the_limit_keeps_all_text() -> None:
    essay = read("> " * 20 + "deep\n\n" + "- " * 10 + "list\n\n" + "*" * 20 + "em" + "*" * 20)
    text = plain_blocks(essay.blocks)
    assert "deep" in text and "list" in text and "em" in text


def _normal_form_violations(tree: Any) -> list[str]:
    bad: list[str] = []
    for node in iter_nodes(tree):
        for name in ("content", "caption"):
            seq = getattr(node, name, None)
            if isinstance(seq, tuple):
                bad += [f"empty Str in {node!r}" for x in seq if x == Str("")]
                bad += [f"adjacent Str in {node!r}" for a, b in itertools.pairwise(seq)
                        if isinstance(a, Str) and isinstance(b, Str)]  # fmt: skip
    return bad


_MD_CHARS = st.sampled_from([*"ab 中文「」。*_~`[]()!^#>-|{}.\\\n<&;:", "\n\n", "[^1]"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MD_CHARS, max_size=60).map("".join))
def test_any_text_reads_into_normal_form(text: str) -> None:
    try:
        essay = read(text + "\n\n[^1]: note\n")
    except ReaderError as err:  # only front matter can be refused at this size
        assert "front matter" in str(err)
        return
    assert _normal_form_violations(essay) == []


# ------------------------------------------------------------- real corpus


class _HTMLText(HTMLParser):
    """The text an HTML fragment shows (image alt text included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.parts.append(f" {dict(attrs).get('alt') or ''} ")


def _words(html: str) -> set[str]:
    parser = _HTMLText()
    parser.feed(html)
    return set(re.findall(r"[^\W_]+", " ".join(parser.parts)))


def _essay_text(essay: Essay) -> str:
    return plain(essay.meta.title) + "\n" + plain_blocks(essay.blocks, notes=True)


def _spec(corpus: Path) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = json.loads(
        (corpus / "markdown" / "commonmark" / "spec.json").read_text(encoding="utf-8")
    )
    assert len(examples) == 655
    return examples


# Example 96 starts with a `---` block that is front matter to this reader (and not a
# mapping: refused). Example 161's words: the fence info string `c` becomes a class.
_SPEC_FRONT_MATTER = {96}
_SPEC_INFO_STRING = {161}


def test_commonmark_spec_examples_read_without_losing_words(corpus: Path) -> None:
    lost: dict[int, list[str]] = {}
    for ex in _spec(corpus):
        source = SourceRef(f"spec-{ex['example']}.md")
        if ex["example"] in _SPEC_FRONT_MATTER:
            with pytest.raises(ReaderError, match=r"^spec-96\.md:2: front matter"):
                read_markdown(ex["markdown"], source)
            continue
        with collect():
            essay = read_markdown(ex["markdown"], source)
        assert isinstance(essay, Essay)
        text = _essay_text(essay)
        missing = sorted(w for w in _words(ex["html"]) if w not in text)
        if missing and ex["example"] not in _SPEC_INFO_STRING:
            lost[ex["example"]] = missing
    assert lost == {}


def test_cjk_emphasis_patch_changes_nothing_on_the_commonmark_spec(corpus: Path) -> None:
    plain_md = MarkdownIt("commonmark")
    patched = install_cjk_emphasis(MarkdownIt("commonmark"))
    changed = [
        ex["example"]
        for ex in _spec(corpus)
        if patched.render(ex["markdown"]) != plain_md.render(ex["markdown"])
    ]
    assert changed == []


def _reference_words(text: str) -> set[str]:
    """Words of the same document rendered to HTML by stock markdown-it with the same plugins."""
    md = (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(attrs_plugin)
        .use(attrs_block_plugin)
    )
    return _words(md.render(text)) - set("123456789")  # footnote numbers markdown-it adds


def test_whole_commonmark_spec_as_one_document(corpus: Path) -> None:
    text = (corpus / "markdown" / "commonmark" / "spec.txt").read_text(encoding="utf-8")
    with collect() as diags:
        essay = read_markdown(text, SourceRef("spec.txt"))
    assert essay.meta.title == (Str("CommonMark Spec"),)
    assert essay.meta.authors == (Person("John MacFarlane"),)
    assert {d.message.split("`")[1] for d in diags if d.code == "front-matter-key"} == {
        "version",
        "license",
    }
    got = _essay_text(essay)
    assert sorted(w for w in _reference_words(text) if w not in got) == []
    assert sum(isinstance(b, CodeBlock) for b in essay.blocks) > 600  # the examples


def _essay_files(corpus: Path) -> list[Path]:
    files = sorted((corpus / "essays").glob("*/*.md"))
    assert len(files) >= 50
    return files


def test_public_domain_essays_read_without_losing_text(corpus: Path) -> None:
    for path in _essay_files(corpus):
        text = path.read_text(encoding="utf-8")
        with collect():
            essay = read_markdown(text, SourceRef(path.name))
        assert essay.meta.title, path.name
        assert essay.meta.authors, path.name
        assert essay.meta.lang in {"en", "zh-Hans", "zh-Hant"}, path.name
        got = _essay_text(essay)
        missing = sorted(w for w in _reference_words(text) if w not in got)
        assert missing == [], path.name


def test_chinese_essays_have_no_soft_break_between_cjk(corpus: Path) -> None:
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    for path in _essay_files(corpus):
        if path.parent.name != "zh":
            continue
        with collect():
            essay = read_markdown(path.read_text(encoding="utf-8"), SourceRef(path.name))
        for node in iter_nodes(essay):
            seq = getattr(node, "content", None)
            if not isinstance(seq, tuple):
                continue
            for before, brk, after in zip(seq, seq[1:], seq[2:], strict=False):
                if isinstance(brk, SoftBreak) and isinstance(before, Str):
                    assert not (
                        isinstance(after, Str)
                        and cjk.match(before.text[-1])
                        and cjk.match(after.text[0])
                    ), (path.name, before, after)
