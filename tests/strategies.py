"""Hypothesis strategies for model trees in normal form."""

from __future__ import annotations

from hypothesis import strategies as st

from essaypress.model.build import inlines
from essaypress.model.nodes import (
    Attr,
    Block,
    BlockQuote,
    BulletList,
    Code,
    Emph,
    Essay,
    Heading,
    HorizontalRule,
    Inline,
    LineBreak,
    Link,
    Meta,
    Note,
    OrderedList,
    Para,
    Person,
    SoftBreak,
    Span,
    Str,
    Strong,
)

TEXT = st.text(
    alphabet=st.sampled_from(list("山水火人 的。，「」abc XYZ\u3000")),
    min_size=1,
    max_size=12,
)
attrs = st.builds(Attr, id=st.sampled_from(["", "a", "b-1"]), classes=st.just(()))


def _inline_tree(leaves: st.SearchStrategy[Inline]) -> st.SearchStrategy[Inline]:
    def extend(children: st.SearchStrategy[Inline]) -> st.SearchStrategy[Inline]:
        seqs = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            seqs.map(Emph),
            seqs.map(Strong),
            st.builds(Span, seqs, attrs),
            st.builds(Link, seqs, st.just("https://example.org/")),
        )

    return st.recursive(leaves, extend, max_leaves=6)


leaf = st.one_of(TEXT.map(Str), st.just(SoftBreak()), st.just(LineBreak()), st.builds(Code, TEXT))
inline_seq = st.lists(_inline_tree(leaf), min_size=1, max_size=5).map(inlines)
simple_para = inline_seq.filter(bool).map(Para)
note = st.lists(simple_para, min_size=1, max_size=2).map(lambda ps: Note(tuple(ps)))
para = st.lists(st.one_of(_inline_tree(leaf), note), min_size=1, max_size=5).map(
    lambda xs: Para(inlines(xs))
)


def _blocks(children: st.SearchStrategy[Block]) -> st.SearchStrategy[Block]:
    seqs = st.lists(children, min_size=1, max_size=3).map(tuple)
    return st.one_of(
        seqs.map(BlockQuote),
        st.lists(seqs, min_size=1, max_size=3).map(lambda xs: BulletList(tuple(xs))),
        st.builds(
            OrderedList, st.lists(seqs, min_size=1, max_size=3).map(tuple), st.integers(1, 9)
        ),
    )


block = st.recursive(
    st.one_of(
        para.filter(lambda p: bool(p.content)),
        st.builds(Heading, st.integers(1, 3), inline_seq.filter(bool)),
        st.just(HorizontalRule()),
    ),
    _blocks,
    max_leaves=6,
)
essays = st.builds(
    Essay,
    st.builds(
        Meta,
        title=inline_seq,
        authors=st.lists(st.builds(Person, TEXT, TEXT), max_size=2).map(tuple),
        lang=st.sampled_from(["zh-Hant", "en"]),
    ),
    st.lists(block, max_size=6).map(tuple),
    st.sampled_from(["", "a", "essay"]),
)
