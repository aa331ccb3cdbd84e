"""The conventions transform: typed titles, bylines, subtitles and headings become structure."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    BulletList,
    Essay,
    Heading,
    HorizontalRule,
    Image,
    Inline,
    Meta,
    Note,
    Para,
    Part,
    Person,
    Str,
    Strong,
)
from essaypress.transforms import DEFAULT_TRANSFORMS, apply_transforms
from essaypress.transforms.conventions import (
    apply_conventions,
    detect_conventions,
    heading_kind,
    parse_byline,
    parse_people,
)

BODY = "清晨五點，窯火還沒熄，父親已經蹲在窯口添柴，我們誰也沒有說話。"


def para(text: str) -> Para:
    return Para((Str(text),))


def essay(*blocks: Para | Heading, **meta: object) -> Essay:
    return Essay(Meta(**meta), tuple(blocks))  # type: ignore[arg-type]


def headings(e: Essay) -> list[tuple[int, str]]:
    out = []
    for b in e.blocks:
        if isinstance(b, Heading):
            assert isinstance(b.content[0], Str)
            out.append((b.level, b.content[0].text))
    return out


# ---------------------------------------------------------------- bylines


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("——王小明", (Person("王小明"),)),
        ("—— 某某單位政治部 林曉雯", (Person("林曉雯", "某某單位政治部"),)),
        ("——某某單位政治部林曉雯", (Person("林曉雯", "某某單位政治部"),)),
        ("— 國防部\u3000政治作戰局 王小明", (Person("王小明", "國防部 政治作戰局"),)),
        ("文／王小明", (Person("王小明"),)),
        ("文/李四", (Person("李四"),)),
        ("作者：陳美（霧嶼大學）", (Person("陳美", "霧嶼大學"),)),
        ("作者: 歐陽子芸", (Person("歐陽子芸"),)),
        ("—— 甲部 王、李", (Person("王", "甲部"), Person("李", "甲部"))),
        ("by Ralph Waldo Emerson", (Person("Ralph Waldo Emerson"),)),
        ("By Mary Ann Evans and George Lewes", (Person("Mary Ann Evans"), Person("George Lewes"))),
        ("by Ludwig van Beethoven", (Person("Ludwig van Beethoven"),)),
    ],
)
def test_byline_forms(line: str, people: tuple[Person, ...]) -> None:
    assert parse_byline(line) == people


@pytest.mark.parametrize(
    "line",
    [
        "這不是署名",
        "——記一次返鄉",  # five characters after the dash: a subtitle, not a name
        "by the river we sat down",
        "By and large, it worked.",
        "——" + "很長的一句話" * 5,
        "作者：",
        BODY,
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_bylines_after_the_title_become_authors_and_win_over_metadata() -> None:
    e = essay(
        para("窯火與晨光"),
        para("—— 甲部 王"),
        para("文／李"),
        para(BODY),
        authors=(Person("User"),),
    )
    out = apply_conventions(e)
    assert out.meta.title == (Str("窯火與晨光"),)
    assert out.meta.authors == (Person("王", "甲部"), Person("李"))
    assert out.blocks == (para(BODY),)


def test_a_byline_before_the_title_is_read_too() -> None:
    out = apply_conventions(essay(para("文／王小明"), para("窯火與晨光"), para(BODY)))
    assert out.meta.title == (Str("窯火與晨光"),)
    assert out.meta.authors == (Person("王小明"),)


def test_a_byline_in_the_middle_of_the_essay_stays_text() -> None:
    e = essay(para(BODY), para("——王小明"), para(BODY), title=(Str("T"),))
    assert apply_conventions(e).blocks == e.blocks


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("Ada Lane, Office of Records", (Person("Ada Lane", "Office of Records"),)),
        ("Ada Lane and Bo Chen", (Person("Ada Lane"), Person("Bo Chen"))),
        (
            "Ada Lane; Bo Chen, Harbour School",
            (Person("Ada Lane"), Person("Bo Chen", "Harbour School")),
        ),
        ("Ada Lane, University College London", (Person("Ada Lane", "University College London"),)),
        ("—— 甲部 王、乙部 李", (Person("王", "甲部"), Person("李", "乙部"))),
        ("林曉雯", (Person("林曉雯"),)),
        ("This is a sentence.", None),
    ],
)
def test_people_of_a_styled_byline(line: str, people: tuple[Person, ...] | None) -> None:
    assert parse_people(line) == people


# ---------------------------------------------------------- title, subtitle


def test_first_short_line_is_the_title_only_when_there_is_none() -> None:
    out = apply_conventions(essay(para("窯火與晨光"), para(BODY)))
    assert out.meta.title == (Str("窯火與晨光"),)
    kept = essay(para("窯火與晨光"), para(BODY), title=(Str("Manifest title"),))
    assert apply_conventions(kept).blocks == kept.blocks


@pytest.mark.parametrize(
    "first",
    [
        BODY,  # a sentence
        "我們走吧。",  # ends a sentence
        "各位讀者：",  # opens a letter
        "一、前言",  # a section heading
        "An opening line that runs on for far more than twelve words before it ends",
    ],
)
def test_lines_that_are_not_titles(first: str) -> None:
    out = apply_conventions(essay(para(first), para(BODY), para(BODY + "。")))
    assert out.meta.title == ()


def test_the_only_paragraph_is_not_a_title_nor_a_line_with_a_picture() -> None:
    assert apply_conventions(essay(para("窯火"))).meta.title == ()
    pictured = Para((Str("窯火"), Image("a.png")))
    assert apply_conventions(essay(pictured, para(BODY))).meta.title == ()


def test_bold_title_line_loses_its_bold() -> None:
    out = apply_conventions(essay(Para((Strong((Str("窯火與晨光"),)),)), para(BODY)))
    assert out.meta.title == (Str("窯火與晨光"),)


def test_dash_line_after_the_title_is_the_subtitle() -> None:
    out = apply_conventions(
        essay(para("窯火與晨光"), para("——記一次返鄉"), para("——王"), para(BODY))
    )
    assert out.meta.title == (Str("窯火與晨光"),)
    assert out.meta.subtitle == (Str("記一次返鄉"),)
    assert out.meta.authors == (Person("王"),)
    assert out.blocks == (para(BODY),)


# ---------------------------------------------------------------- headings


def test_chinese_official_heading_levels() -> None:
    e = essay(
        para("一、前言"),
        para(BODY),
        para("（一）緣起"),
        para(BODY),
        para("1.第一點"),
        para(BODY),
        para("（1）細目"),
        para(BODY),
        para("二、結語"),
        para(BODY),
        title=(Str("T"),),
    )
    assert headings(apply_conventions(e)) == [
        (1, "一、前言"),
        (2, "（一）緣起"),
        (3, "1.第一點"),
        (4, "（1）細目"),
        (1, "二、結語"),
    ]


def test_levels_follow_the_kinds_the_essay_uses() -> None:
    e = essay(para("（一）緣起"), para(BODY), para("1、第一點"), para(BODY), title=(Str("T"),))
    assert headings(apply_conventions(e)) == [(1, "（一）緣起"), (2, "1、第一點")]


def test_dot_and_circle_and_bold_headings() -> None:
    e = essay(
        para("●窯火●"),
        para(BODY),
        Para((Strong((Str("第一章"),)),)),
        para(BODY),
        para("○止眼前可備之憂"),
        para(BODY),
        title=(Str("T"),),
    )
    assert headings(apply_conventions(e)) == [(1, "●窯火●"), (2, "第一章"), (3, "○止眼前可備之憂")]


def test_dot_heading_may_end_with_punctuation_others_may_not() -> None:
    assert heading_kind(para("●這是一句話。●")) == "dots"
    assert heading_kind(para("一、這是一句話。")) is None
    assert heading_kind(Para((Strong((Str("「我是最後一個，但我不是一個人。」"),)),))) is None


@pytest.mark.parametrize(
    "text",
    [
        "一、" + "這一段其實是正文裡的列舉項目，只是碰巧以數字開頭而且寫得相當長",
        "1.5 公尺的圍牆",
        "1. The first thing we learned that summer on the island was to wait for boats",
        "一，二，三",
    ],
)
def test_lines_that_are_not_headings(text: str) -> None:
    assert heading_kind(para(text)) is None


def test_consecutive_numbered_lines_are_a_list_not_headings() -> None:
    e = essay(
        para(BODY),
        para("1. Milk"),
        para("2. Bread"),
        para("3. Eggs"),
        para(BODY),
        para("一、前言"),
        para(BODY),
        title=(Str("T"),),
    )
    assert headings(apply_conventions(e)) == [(1, "一、前言")]


def test_no_typed_headings_when_the_essay_has_real_ones() -> None:
    e = essay(Heading(1, (Str("Real"),)), para(BODY), para("一、前言"), para(BODY))
    assert apply_conventions(e).blocks == e.blocks


def test_a_heading_line_at_the_very_end_is_left_alone() -> None:
    e = essay(para(BODY), Para((Strong((Str("完"),)),)), title=(Str("T"),))
    assert apply_conventions(e).blocks == e.blocks


def test_ornament_lines_are_scene_breaks() -> None:
    e = essay(para(BODY), para("* * *"), para(BODY), para("＊＊＊"), para("◇　◇　◇"), para("——"))
    out = apply_conventions(dataclasses.replace(e, meta=Meta(title=(Str("T"),))))
    assert out.blocks == (
        para(BODY),
        HorizontalRule(),
        para(BODY),
        HorizontalRule(),
        HorizontalRule(),
        para("——"),
    )


def test_full_width_indents_are_stripped() -> None:
    e = essay(para("\u3000\u3000" + BODY), para("  " + BODY), title=(Str("T"),))
    assert apply_conventions(e).blocks == (para(BODY), para(BODY))


def test_nested_blocks_are_not_headings() -> None:
    e = essay(para(BODY), title=(Str("T"),))
    e = dataclasses.replace(e, blocks=(BulletList(((para("一、前言"),), (para(BODY),))),))
    assert apply_conventions(e).blocks == e.blocks


# ------------------------------------------------------------- properties


_LINES = st.sampled_from(
    [
        "窯火與晨光",
        "——記一次返鄉",
        "—— 甲部 王",
        "文／李四",
        "by Ada Lovelace",
        "一、前言",
        "（一）緣起",
        "1. Milk",
        "（1）細目",
        "●窯火●",
        "○止憂",
        "\u3000\u3000" + BODY,
        BODY,
        "",
    ]
)


def _para(text: str, bold: bool) -> Para:
    inner: tuple[Inline, ...] = (Str(text),) if text else ()
    return Para((Strong(inner),) if bold and inner else inner)


conventional_essays = st.builds(
    lambda paras, title, note: Essay(
        Meta(title=(Str(title),) if title else ()),
        tuple(p for p in paras if p.content)
        + ((Para((Str("x"), Note((para("n"),)))),) if note else ()),
    ),
    st.lists(st.builds(_para, _LINES, st.booleans()), max_size=8),
    st.sampled_from(["", "T"]),
    st.booleans(),
)


@given(conventional_essays)
def test_conventions_are_idempotent_on_conventional_essays(e: Essay) -> None:
    once = apply_conventions(e)
    assert apply_conventions(once) == once


def test_registered_in_place_of_the_old_bylines_step() -> None:
    names = [name for name, _ in DEFAULT_TRANSFORMS]
    assert "bylines" not in names
    assert names.index("cjk_breaks") < names.index("conventions") < names.index("ids")
    book = Anthology(BookMeta("B"), (), (Part((), (essay(para("—— 甲部 王"), para(BODY)),)),))
    assert apply_transforms(book).essays[0].meta.authors == (Person("王", "甲部"),)
    assert detect_conventions(detect_conventions(book)) == detect_conventions(book)
