"""anthology.toml: what it accepts, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaypress.config import load_manifest
from essaypress.errors import ConfigError
from essaypress.log import collect
from essaypress.model.nodes import Person


def _project(tmp_path: Path, toml: str, files: tuple[str, ...] = ("a.md", "b.md")) -> Path:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: T\n---\n正文\n", encoding="utf-8")
    (tmp_path / "anthology.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_full_manifest_with_parts(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """
title = "山與火"
subtitle = "徵文集"
editors = ["陳編輯", {name = "林編輯", affiliation = "編輯部"}]
publisher = "某出版社"
date = 2026-11-01
language = "zh-Hant"
identifier = "urn:uuid:0d5c5a38-0000-4000-8000-000000000001"
description = "說明"
layout = "booklet-a5"
preface = "p.md"
[[parts]]
title = "第一輯"
essays = ["a.md", {file = "b.md", title = "新題", author = "王", affiliation = "某部"}]
""",
        ("a.md", "b.md", "p.md"),
    )
    m = load_manifest(root)
    assert m.title == "山與火" and m.date == "2026-11-01"
    assert m.editors == (Person("陳編輯"), Person("林編輯", "編輯部"))
    assert m.preface is not None and m.preface.file.name == "p.md"
    assert [e.file.name for e in m.entries] == ["p.md", "a.md", "b.md"]
    assert m.parts[0].essays[1].title == "新題"
    assert m.parts[0].essays[1].authors == (Person("王", "某部"),)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('title = "T"\nessays = ["a.md"]\ncolour = "red"\n', "colour"),
        ('essays = ["a.md"]\n', "title"),
        ('title = "T"\nessays = ["missing.md"]\n', "essays[0].file"),
        ('title = "T"\nessays = ["../outside.md"]\n', "essays[0].file"),
        ('title = "T"\nessays = [{file = "a.md", colour = 1}]\n', "essays[0].colour"),
        ('title = "T"\ndate = "next week"\nessays = ["a.md"]\n', "date"),
        ('title = "T"\nlanguage = "Chinese!"\nessays = ["a.md"]\n', "language"),
        ('title = "T"\nessays = ["a.md", "a.md"]\n', "essays"),
        ('title = "T"\n[[parts]]\nessays = []\n', "parts[0].essays"),
        ('title = 3\nessays = ["a.md"]\n', "title"),
    ],
)
def test_bad_manifest_names_file_and_key(tmp_path: Path, toml: str, key: str) -> None:
    root = _project(tmp_path / "src", toml)
    with pytest.raises(ConfigError) as err:
        load_manifest(root)
    message = str(err.value)
    assert message.startswith(str(root / "anthology.toml"))
    assert f": {key}:" in message
    assert "\n" not in message


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    root = _project(tmp_path, 'title = "T"\nessays = ["a.md"\n')
    with pytest.raises(ConfigError) as err:
        load_manifest(root)
    assert "anthology.toml:" in str(err.value) and "not valid TOML" in str(err.value)


def test_folder_without_manifest_builds_every_essay_in_name_order(tmp_path: Path) -> None:
    root = tmp_path / "我的文集"
    root.mkdir()
    for name in ("b.md", "a.docx", "c.txt", "~$lock.docx"):
        (root / name).write_bytes(b"x")
    with collect() as warnings:
        m = load_manifest(root)
    assert m.title == "我的文集"
    assert [e.file.name for e in m.entries] == ["a.docx", "b.md"]
    assert [w.code for w in warnings] == ["no-manifest"]
    assert "anthology.toml" in warnings[0].message


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no essays"):
        load_manifest(tmp_path)
