"""The naming conventions every writer prints: names, bylines, editors, edition dates."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaypress.model.nodes import Person
from essaypress.writers.names import (
    byline,
    byline_parts,
    edition_date,
    editors_line,
    join_names,
    script_of,
    signature,
)


@pytest.mark.parametrize(
    ("lang", "script"),
    [("zh-Hant", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh", "zh-Hant"),
     ("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("en", "en"),
     ("en-GB", "en"), ("de", "en"), ("", "en")],
)  # fmt: skip
def test_script_of(lang: str, script: str) -> None:
    assert script_of(lang) == script


def test_join_names() -> None:
    assert join_names(["甲", "乙", "丙"], "zh-Hant") == "甲、乙、丙"
    assert join_names(["A"], "en") == "A"
    assert join_names(["A", "B"], "en") == "A and B"
    assert join_names(["A", "B", "C"], "en") == "A, B and C"
    assert join_names(["", " A ", "  "], "en") == "A"  # blank names are dropped
    assert join_names([], "en") == join_names([], "zh-Hant") == ""


def test_bylines() -> None:
    one = (Person("林曉雯", "某某單位政治部"),)
    assert byline(one, "zh-Hant") == "—— 某某單位政治部 林曉雯"
    assert byline((Person("甲", "某單位"), Person("乙")), "zh-Hans") == "—— 某單位 甲、乙"
    assert byline((Person("Ada Lane", "Office of Records"),), "en") == "Ada Lane, Office of Records"
    assert byline((Person("Ada Lane"), Person("Bo Chen")), "en") == "Ada Lane and Bo Chen"
    assert byline((Person("A", "X"), Person("B")), "en") == "A, X; B"  # any affiliation: semicolons
    assert byline((), "zh-Hant") == byline((Person(""),), "en") == ""


def test_byline_parts_tag_each_piece() -> None:
    parts = byline_parts((Person("甲", "某單位"), Person("乙")), "zh-Hant")
    assert parts == (
        ("dash", "——"), ("sep", " "), ("affiliation", "某單位"), ("sep", " "),
        ("author", "甲"), ("sep", "、"), ("author", "乙"),
    )  # fmt: skip
    assert byline_parts((Person("Ada Lane", "Office"),), "en") == (
        ("author", "Ada Lane"), ("sep", ", "), ("affiliation", "Office"),
    )  # fmt: skip


def test_editors_line_and_signature() -> None:
    assert editors_line((Person("陳編輯"),), "zh-Hant") == "陳編輯\u3000主編"
    assert editors_line((Person("陈编辑"), Person("李")), "zh-Hans") == "陈编辑、李\u3000主编"
    assert editors_line((Person("A"), Person("B"), Person("C")), "en") == "Edited by A, B and C"
    assert editors_line((), "en") == ""
    assert signature((Person("編輯委員會", "某單位"),), "zh-Hant") == "編輯委員會"


@pytest.mark.parametrize(
    ("iso", "lang", "shown"),
    [("2026-11-01", "zh-Hant", "2026年11月"), ("2026-01", "zh-Hans", "2026年1月"),
     ("2026-11-01", "en", "November 2026"), ("2026-11-01T10:00:00", "en", "November 2026"),
     ("2026", "en", "2026"), ("2026-13-01", "en", "2026-13-01"), ("spring", "zh-Hant", "spring"),
     ("", "en", "")],
)  # fmt: skip
def test_edition_date(iso: str, lang: str, shown: str) -> None:
    assert edition_date(iso, lang) == shown


@dataclass(frozen=True)
class View:
    """What a template passes: anything with a name and an affiliation."""

    name: str
    affiliation: str = ""


def test_any_object_with_name_and_affiliation_will_do() -> None:
    assert byline([View("甲", "單位")], "zh-Hant") == "—— 單位 甲"


names = st.text(st.sampled_from(list("林陳甲乙 AdaLne")), max_size=6)
people = st.lists(st.builds(Person, names, names), max_size=4).map(tuple)


@given(people, st.sampled_from(["zh-Hant", "zh-Hans", "en"]))
def test_parts_join_to_the_byline_and_keep_every_name(
    authors: tuple[Person, ...], lang: str
) -> None:
    parts = byline_parts(authors, lang)
    assert "".join(text for _, text in parts) == byline(authors, lang)
    named = [p.name.strip() for p in authors if p.name.strip()]
    assert [text for kind, text in parts if kind == "author"] == named
