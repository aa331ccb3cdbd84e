"""The model's laws: JSON round trip, walking, plain text, normal form."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from essaypress.model.build import inlines
from essaypress.model.json import MODEL_VERSION, ModelVersionError, from_json, to_json
from essaypress.model.nodes import (
    Anthology,
    Emph,
    Essay,
    Inline,
    Note,
    Para,
    SoftBreak,
    Str,
    Strong,
)
from essaypress.model.text import plain, plain_blocks
from essaypress.model.walk import query, walk_blocks, walk_inlines
from tests.strategies import essays


@given(essays)
def test_json_round_trip(essay: Essay) -> None:
    assert from_json(to_json(essay)) == essay


def test_json_round_trip_of_the_fixture_anthology_keeps_resources(anthology: Anthology) -> None:
    again = from_json(to_json(anthology))
    assert again == anthology
    assert again.essays[0].resources[0].data == anthology.essays[0].resources[0].data


def test_json_carries_the_model_version(anthology: Anthology) -> None:
    payload = json.loads(to_json(anthology))
    assert payload["essaypress-model-version"] == list(MODEL_VERSION)


def test_json_of_another_major_version_is_refused(anthology: Anthology) -> None:
    payload = json.loads(to_json(anthology))
    payload["essaypress-model-version"] = [MODEL_VERSION[0] + 1, 0]
    with pytest.raises(ModelVersionError):
        from_json(json.dumps(payload))


@given(essays)
def test_identity_walk_returns_the_same_tree(essay: Essay) -> None:
    assert walk_inlines(essay, lambda _: None) is essay
    assert walk_blocks(essay, lambda _: None) is essay


def test_walk_splices_and_deletes(anthology: Anthology) -> None:
    def drop_notes(i: Inline) -> list[Inline] | None:
        return [] if isinstance(i, Note) else None

    without = walk_inlines(anthology, drop_notes)
    assert query(anthology, Note) and not query(without, Note)

    doubled = walk_inlines(Para((Str("a"),)), lambda i: [i, i])
    assert doubled == Para((Str("a"), Str("a")))


def test_query_finds_nodes_in_document_order(anthology: Anthology) -> None:
    titles = [e.meta.title for e in query(anthology, Essay)]
    assert [plain(t) for t in titles] == ["編者的話", "窯火與晨光", "On Reading Walden"]


def test_plain_text_leaves_notes_out_unless_asked() -> None:
    p = Para((Str("正文"), Note((Para((Str("註"),)),)), Str("續")))
    assert plain_blocks((p,)) == "正文續"
    assert "註" in plain_blocks((p,), notes=True)


def test_normal_form_merges_and_drops() -> None:
    assert inlines([Str("a"), Str(""), Str("b"), Emph(()), Strong((Str(""),))]) == (Str("ab"),)
    assert inlines([Str("a"), SoftBreak(), Str("b")]) == (Str("a"), SoftBreak(), Str("b"))


@given(essays)
def test_strategy_produces_normal_form(essay: Essay) -> None:
    for para in query(essay, Para):
        assert inlines(para.content) == para.content
