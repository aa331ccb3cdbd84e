"""The PDF writer's print-only preparation of essays: it adds line-breaking hints, never text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from essaypress.model.nodes import Block, Emph, Inline, Note, Para, Span, Str
from essaypress.model.text import plain
from essaypress.writers.pdf._prepare import KEEP, WJ, ZWSP, prepare_blocks

INVISIBLE = str.maketrans("", "", ZWSP + WJ)


def prepared(*content: Inline) -> tuple[Inline, ...]:
    (para,) = prepare_blocks((Para(tuple(content)),), cjk=True)
    assert isinstance(para, Para)
    return para.content


def test_the_last_two_characters_are_joined() -> None:
    assert prepared(Str("全文完。")) == (Str(f"全文{WJ}完{WJ}。"),)
    assert prepared(Str("好。")) == (Str("好。"),), "a one-character paragraph stays as it is"


def test_a_dash_or_ellipsis_pair_is_never_split_by_a_joiner() -> None:
    (text,) = prepared(Str("大概是：——"))
    assert isinstance(text, Str) and "—" + WJ + "—" not in text.text
    (text,) = prepared(Str("是這樣嗎……"))
    assert isinstance(text, Str) and "…" + WJ + "…" not in text.text


def test_a_tail_in_emphasis_goes_into_a_keep_span() -> None:
    out = prepared(Str("說"), Emph((Str("重要"),)), Str("了。"))
    assert out[0] == Str("說")
    assert isinstance(out[1], Span) and out[1].attr == KEEP
    assert plain(out[1].content) == "重要了。"


def test_english_and_spaced_tails_are_left_alone() -> None:
    assert prepared(Str("讀了 Walden。")) == (Str("讀了 Walden。"),)
    assert prepared(Str("好 吧")) == (Str("好 吧"),)


def test_a_footnote_call_is_glued_to_the_character_before_it() -> None:
    note = Note((Para((Str("注。"),)),))
    out = prepared(Str("水聲很遠。"), note, Str("後來的事。"))
    assert any(isinstance(i, Span) and i.attr == KEEP and note in i.content for i in out)


def test_quotes_by_chinese_text_get_a_break_opportunity() -> None:
    (text,) = prepared(Str("勞乎？”待人，說：“好”。他走了很久很久。"))
    assert isinstance(text, Str)
    assert f"”{ZWSP}待" in text.text and f"：{ZWSP}“" in text.text
    assert f"”{ZWSP}。" not in text.text, "no break before closing punctuation"
    (text,) = prepared(Str("他說：“好”。"))
    assert isinstance(text, Str) and ZWSP not in text.text, "no break inside the kept tail"


def test_emphasis_in_chinese_puts_each_letter_in_a_dot_span() -> None:
    (para,) = prepare_blocks((Para((Str("我們"), Emph((Str("強調，"),)), Str("了很久"))),), True)
    assert isinstance(para, Para)
    emph = para.content[1]
    assert isinstance(emph, Emph)
    assert [i.content for i in emph.content if isinstance(i, Span)] == [(Str("強"),), (Str("調"),)]


TEXT = st.text(alphabet="山水火人，。、「」“”——……Ab ", min_size=1, max_size=40)


@given(st.lists(TEXT, min_size=1, max_size=4), st.booleans())
def test_preparing_changes_no_visible_text(texts: list[str], cjk: bool) -> None:
    blocks: tuple[Block, ...] = tuple(Para((Str(t), Emph((Str(t),)))) for t in texts)
    out = prepare_blocks(blocks, cjk)
    for before, after in zip(blocks, out, strict=True):
        assert isinstance(before, Para) and isinstance(after, Para)
        assert plain(after.content).translate(INVISIBLE) == plain(before.content)
