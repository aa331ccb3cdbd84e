"""Transforms: each one idempotent, and what each does."""

from __future__ import annotations

import dataclasses

from hypothesis import given

from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    Emph,
    Essay,
    LineBreak,
    Meta,
    Para,
    Part,
    Person,
    SoftBreak,
    Str,
)
from essaypress.transforms import DEFAULT_TRANSFORMS, apply_transforms
from essaypress.transforms.conventions import parse_byline
from tests.strategies import essays


def _book(*items: Essay) -> Anthology:
    return Anthology(BookMeta("T"), (), (Part((), items),))


@given(essays)
def test_every_transform_is_idempotent(essay: Essay) -> None:
    book = _book(essay)
    for name, transform in DEFAULT_TRANSFORMS:
        once = transform(book)
        assert transform(once) == once, name


def test_fixture_anthology_survives_transforms(anthology: Anthology) -> None:
    assert apply_transforms(anthology) == apply_transforms(apply_transforms(anthology))


def test_soft_break_between_cjk_joins_without_space() -> None:
    essay = Essay(Meta(), (Para((Str("山在"), SoftBreak(), Str("那裡"))),))
    out = apply_transforms(_book(essay))
    assert out.essays[0].blocks == (Para((Str("山在那裡"),)),)


def test_soft_break_between_latin_words_stays() -> None:
    essay = Essay(Meta(), (Para((Str("to the"), SoftBreak(), Str("woods"))),))
    out = apply_transforms(_book(essay))
    assert out.essays[0].blocks == (Para((Str("to the"), SoftBreak(), Str("woods"))),)


def test_byline_paragraph_becomes_author_and_leaves_the_body() -> None:
    essay = Essay(Meta(), (Para((Str("—— 某某單位政治部 林曉雯"),)), Para((Str("正文"),))))
    out = apply_transforms(_book(essay)).essays[0]
    assert out.meta.authors == (Person("林曉雯", "某某單位政治部"),)
    assert out.blocks == (Para((Str("正文"),)),)


def test_typed_byline_wins_over_document_properties_and_prints_once() -> None:
    essay = Essay(Meta(authors=(Person("User"),)), (Para((Str("——王"),)), Para((Str("文"),))))
    out = apply_transforms(_book(essay)).essays[0]
    assert out.meta.authors == (Person("王"),)
    assert out.blocks == (Para((Str("文"),)),)


def test_two_byline_paragraphs_give_two_authors_in_one_pass() -> None:
    essay = Essay(
        Meta(), (Para((Str("—— 甲部 王"),)), Para((Str("—— 乙部 李"),)), Para((Str("文"),)))
    )
    out = apply_transforms(_book(essay)).essays[0]
    assert out.meta.authors == (Person("王", "甲部"), Person("李", "乙部"))


def test_parse_byline_variants() -> None:
    assert parse_byline("——王小明") == (Person("王小明"),)
    assert parse_byline("—— 國防部\u3000政治作戰局 王小明") == (
        Person("王小明", "國防部 政治作戰局"),
    )
    assert parse_byline("這不是署名") is None


def test_ids_are_unique_ascii_and_stable() -> None:
    a = Essay(Meta(), (Para((Str("x"),)),), id="01-kiln")
    b = dataclasses.replace(a, id="01 kiln")
    c = dataclasses.replace(a, id="窯火")
    out = apply_transforms(_book(a, b, c))
    ids = [e.id for e in out.essays]
    assert ids[0] == "e01-kiln" and len(set(ids)) == 3
    assert all(i.isascii() and i[0].isalpha() for i in ids)
    assert [e.id for e in apply_transforms(out).essays] == ids


def test_line_breaks_at_paragraph_edges_are_dropped() -> None:
    """Bug found by the Markdown round trip: ``Emph(SoftBreak)`` opening a paragraph."""
    essay = Essay(
        Meta(title=(Str("t"),)),
        (
            Para((Emph((SoftBreak(),)), Str("正文"), Emph((Str("強調"),)))),
            Para((Str("a"), SoftBreak(), Str("b"), LineBreak())),
        ),
    )
    out = apply_transforms(_book(essay)).essays[0]
    assert out.blocks == (
        Para((Str("正文"), Emph((Str("強調"),)))),
        Para((Str("a"), SoftBreak(), Str("b"))),
    )
