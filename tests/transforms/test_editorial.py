"""Editorial transforms: whitespace, punctuation, quotes, spacing, editions — each idempotent,
and what each does to text users typed."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from essaypress.model.build import inlines
from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    Code,
    CodeBlock,
    Emph,
    Essay,
    Heading,
    Image,
    Inline,
    LineBlock,
    LineBreak,
    Link,
    Meta,
    Para,
    Part,
    Person,
    SoftBreak,
    Str,
    Strong,
)
from essaypress.model.walk import iter_nodes, query, walk_inlines
from essaypress.options import TextOptions
from essaypress.transforms import apply_transforms, transforms_for
from essaypress.transforms.punctuation import full_width
from essaypress.transforms.quotes import style_quotes
from essaypress.transforms.spacing import space_cjk_latin
from essaypress.transforms.whitespace import normalize_whitespace

RICH = st.text(
    alphabet=st.sampled_from(
        list("山水这里後來發 的。，「」『』“”‘’\"'abX1 ,.;:?!()-—…\u3000\u00a0\u200b\t")
    ),
    min_size=1,
    max_size=10,
)
_leaf = st.one_of(RICH.map(Str), st.just(SoftBreak()), st.just(LineBreak()), st.builds(Code, RICH))
_inline = st.recursive(
    _leaf,
    lambda kids: st.one_of(
        st.lists(kids, min_size=1, max_size=3).map(lambda xs: Emph(tuple(xs))),
        st.lists(kids, min_size=1, max_size=3).map(lambda xs: Strong(tuple(xs))),
        st.builds(
            Link,
            st.lists(kids, min_size=1, max_size=2).map(tuple),
            st.just("https://例.tw/a--b..."),
        ),
    ),
    max_leaves=5,
)
_run = st.lists(_inline, min_size=1, max_size=5).map(inlines)
_block = st.one_of(
    _run.map(Para),
    st.builds(Heading, st.integers(1, 3), _run),
    st.lists(_run, min_size=1, max_size=3).map(lambda xs: LineBlock(tuple(xs))),
    st.builds(CodeBlock, RICH),
)
rich_essays = st.builds(
    Essay,
    st.builds(
        Meta,
        title=_run,
        authors=st.lists(st.builds(Person, RICH, RICH), max_size=1).map(tuple),
        lang=st.sampled_from(["zh-Hant", "zh-Hans", "en", ""]),
    ),
    st.lists(_block, max_size=5).map(tuple),
)
OPTIONS = [
    TextOptions(),
    TextOptions(quotes="curly", cjk_latin_space=True),
    TextOptions(quotes="keep"),
    TextOptions(edition="zh-Hans"),
    TextOptions(edition="zh-Hant", quotes="corner"),
]


def book(*items: Essay, lang: str = "zh-Hant") -> Anthology:
    return Anthology(BookMeta("「書」", lang=lang), (), (Part((Str("輯一"),), items),))


def body(out: Anthology) -> tuple[object, ...]:
    return out.essays[0].blocks


@settings(max_examples=150, deadline=None)
@given(rich_essays, st.sampled_from(OPTIONS))
def test_every_editorial_transform_is_idempotent(essay: Essay, options: TextOptions) -> None:
    b = book(essay)
    for name, transform in transforms_for(options):
        once = transform(b)
        assert transform(once) == once, name
        b = once


@settings(max_examples=100, deadline=None)
@given(rich_essays, st.sampled_from(["zh-Hant", "zh-Hans"]))
def test_edition_keeps_the_shape_and_leaves_code_and_urls(essay: Essay, edition: str) -> None:
    from essaypress.transforms.zh_convert import to_edition

    before = book(essay)
    after = to_edition(edition)(before)

    def shape(b: Anthology) -> Anthology:
        def blank(i: Inline) -> Inline | None:
            return Str("x") if isinstance(i, Str) else None

        return walk_inlines(dataclasses.replace(b, meta=BookMeta("", lang="")), blank)

    def untouched(b: Anthology) -> list[object]:
        return (
            [n for n in iter_nodes(b) if isinstance(n, Code | CodeBlock)]
            + [(n.url, n.attr) for n in query(b, Link)]
            + [n.src for n in query(b, Image)]
        )

    # Str texts may change length but never disappear or merge: same nodes, same places
    assert [type(n) for n in iter_nodes(after.parts)] == [type(n) for n in iter_nodes(before.parts)]
    assert shape(after).parts[0].essays[0].blocks == shape(before).parts[0].essays[0].blocks
    assert untouched(after) == untouched(before)


# ------------------------------------------------------------------ whitespace


def test_whitespace_pasted_from_the_web_is_cleaned() -> None:
    e = Essay(
        Meta(lang="zh-Hant"),
        (Para((Str("\u3000\u3000第一\u200b句\u00a0 話  "), SoftBreak(), Str("\u3000接著\t說 "))),),
    )
    out = normalize_whitespace(book(e))
    assert body(out) == (Para((Str("第一句 話"), SoftBreak(), Str("接著 說"))),)


def test_full_width_space_inside_a_line_stays() -> None:
    e = Essay(Meta(), (Heading(1, (Str("第一輯\u3000手上的溫度"),)),))
    assert body(normalize_whitespace(book(e))) == e.blocks


# ----------------------------------------------------------------- punctuation


def test_half_width_punctuation_between_chinese_becomes_full_width() -> None:
    assert full_width("你好,世界; 真的?是!好:了.嗯", "", "") == "你好，世界；真的？是！好：了。嗯"
    assert full_width("王小明(某某大學)說", "", "") == "王小明（某某大學）說"
    assert full_width("等等...然後。。。好", "", "") == "等等……然後……好"
    assert full_width("他--走了，她－－也是", "", "") == "他——走了，她——也是"


def test_punctuation_outside_chinese_stays() -> None:
    for text in ("a, b. c", "3.14", "f(x) = 1", "Wait... what--no", "版本1.2.3"):
        assert full_width(text, "", "") == text


def test_punctuation_sees_across_formatting() -> None:
    e = Essay(Meta(lang="zh-Hant"), (Para((Str("山"), Strong((Str(","),)), Str("水"))),))
    out = apply_transforms(book(e))
    assert body(out) == (Para((Str("山"), Strong((Str("，"),)), Str("水"))),)


def test_code_and_urls_keep_their_punctuation() -> None:
    link = Link((Str("網站"),), "https://例.tw/a--b...")
    e = Essay(Meta(lang="zh-Hant"), (Para((Str("見"), Code("x--y..."), Str("及"), link)),))
    out = apply_transforms(book(e))
    para = body(out)[0]
    assert isinstance(para, Para)
    assert Code("x--y...") in para.content and link in para.content


# ---------------------------------------------------------------------- quotes


def _quoted(lang: str, text: str, quotes: str = "auto") -> str:
    e = Essay(Meta(lang=lang), (Para((Str(text),)),))
    out = style_quotes(quotes)(book(e))
    para = body(out)[0]
    assert isinstance(para, Para) and isinstance(para.content[0], Str)
    return para.content[0].text


def test_quote_styles_follow_the_language() -> None:
    assert _quoted("zh-Hant", "他說“你好，‘朋友’”") == "他說「你好，『朋友』」"
    assert _quoted("zh-Hant", '他說"你好"') == "他說「你好」"
    assert _quoted("zh-Hans", "他说「你好，『朋友』」") == "他说“你好，‘朋友’”"
    assert _quoted("en", "He said \"it's 'fine'\"") == "He said “it’s ‘fine’”"
    assert _quoted("zh-Hant", "用 don’t 與“引號”") == "用 don’t 與「引號」"


def test_quote_style_is_configurable() -> None:
    assert _quoted("zh-Hant", "他說「你好」", "curly") == "他說“你好”"
    assert _quoted("zh-Hant", "他說“你好”", "keep") == "他說“你好”"
    assert _quoted("en", 'say "x"', "keep") == 'say "x"'


def test_quotes_pair_across_formatting() -> None:
    e = Essay(Meta(lang="zh-Hant"), (Para((Str('他說"'), Emph((Str("好"),)), Str('"'))),))
    out = style_quotes()(book(e))
    assert body(out) == (Para((Str("他說「"), Emph((Str("好"),)), Str("」"))),)


# --------------------------------------------------------------------- spacing


def test_cjk_latin_spacing_is_optional() -> None:
    e = Essay(Meta(lang="zh-Hant"), (Para((Str("用Python寫"), Strong((Str("3"),)), Str("個"))),))
    assert body(apply_transforms(book(e))) == e.blocks
    out = space_cjk_latin(book(e))
    assert body(out) == (Para((Str("用 Python 寫 "), Strong((Str("3 "),)), Str("個"))),)
    opts = TextOptions(cjk_latin_space=True)
    assert body(apply_transforms(book(e), transforms_for(opts))) == body(out)
