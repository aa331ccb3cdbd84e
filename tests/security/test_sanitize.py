"""The sanitize transform: characters XML cannot hold leave every field, with one warning each."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from essaypress.log import collect
from essaypress.model.nodes import (
    Anthology,
    Attr,
    BookMeta,
    Code,
    CodeBlock,
    Essay,
    Image,
    Link,
    Meta,
    Note,
    Para,
    Part,
    Person,
    Resource,
    SourceRef,
    Str,
)
from essaypress.model.walk import iter_nodes
from essaypress.transforms import DEFAULT_TRANSFORMS
from essaypress.transforms.sanitize import sanitize

BAD = "\x00\x07\x1b\x7f\x85\ud800\udfff\ufffe\uffff"


def _strings(tree: object) -> list[str]:
    out = []
    for node in iter_nodes(tree):
        for value in vars_of(node):
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, tuple):
                out.extend(_flat_strings(value))
    return out


def vars_of(node: object) -> list[object]:
    return [getattr(node, f) for f in getattr(node, "__slots__", ())]


def _flat_strings(value: tuple[object, ...]) -> list[str]:
    out: list[str] = []
    for v in value:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, tuple):
            out.extend(_flat_strings(v))
    return out


def _book(dirt: str) -> Anthology:
    png = Resource("img/a.png", "image/png", b"\x89PNG\x00\x07")
    essay = Essay(
        Meta(
            (Str(f"題{dirt}目"),),
            (Str(dirt),),
            (Person(f"王{dirt}", f"單{dirt}位"),),
            f"2026{dirt}",
            f"zh{dirt}",
            (f"標{dirt}籤",),
        ),
        (
            Para(
                (
                    Str(f"甲{dirt}乙"),
                    Code(f"c{dirt}", Attr(f"i{dirt}", (f"k{dirt}",))),
                    Link((Str("l"),), f"https://x/{dirt}", f"t{dirt}"),
                    Image("img/a.png", dirt),
                    Note((Para((Str(f"註{dirt}"),)),)),
                )
            ),
            CodeBlock(f"keep\ttabs\nand lines{dirt}\r\n"),
        ),
        id="a",
        resources=(png,),
        source=SourceRef("essays/a.md"),
    )
    meta = BookMeta(f"書{dirt}", subtitle=dirt, editors=(Person(f"編{dirt}"),), rights=dirt)
    return Anthology(meta, (), (Part((Str(f"卷{dirt}"),), (essay,)),))


def test_every_string_is_cleaned_and_each_source_warned_once() -> None:
    with collect() as warnings:
        book = sanitize(_book(BAD))
    assert [(w.code, w.location) for w in warnings] == [
        ("control-characters", "essays/a.md"),
        ("control-characters", "anthology.toml"),
    ]
    assert "removed" in warnings[0].message and "U+0000" in warnings[0].message
    assert all(not set(s) & set(BAD) for s in _strings(book))
    assert book.meta.title == "書" and book.parts[0].title == (Str("卷"),)
    essay = book.parts[0].essays[0]
    assert essay.meta.title == (Str("題目"),) and essay.meta.subtitle == ()  # emptied run dropped
    assert essay.blocks[1] == CodeBlock("keep\ttabs\nand lines\r\n")  # tab, LF, CR stay
    assert essay.resources[0].data == b"\x89PNG\x00\x07"  # bytes are not text
    assert essay.source == SourceRef("essays/a.md")


def test_a_clean_book_is_returned_as_is_without_warnings() -> None:
    book = _book("")
    with collect() as warnings:
        assert sanitize(book) is book
    assert warnings == []


def test_sanitize_runs_first() -> None:
    assert DEFAULT_TRANSFORMS[0] == ("sanitize", sanitize)


@given(st.text(alphabet=st.characters(codec=None), max_size=30))
def test_idempotent_and_complete_for_any_text(text: str) -> None:
    once = sanitize(_book(text))
    with collect() as warnings:
        assert sanitize(once) == once
    assert warnings == []
    assert all(not set(s) & set(BAD) for s in _strings(once))
