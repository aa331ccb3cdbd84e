"""Layouts are data: layout.toml is validated, a project's copy wins, `extends` inherits."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaypress.errors import ConfigError, LayoutError
from essaypress.layouts import load_layout


def test_builtin_default_layout_is_a5() -> None:
    layout = load_layout("booklet-a5")
    assert (layout.page_width_mm, layout.page_height_mm) == (148, 210)
    assert layout.fonts_for("zh-TW").serif == ("Noto Serif CJK TC",)
    assert layout.fonts_for("zh-CN").serif == ("Noto Serif CJK SC",)
    assert layout.fonts_for("en").serif == ("Noto Serif",)
    assert layout.folder("pdf").is_dir()


def test_a_project_layout_extends_a_builtin_one(tmp_path: Path) -> None:
    mine = tmp_path / "layouts" / "mine"
    mine.mkdir(parents=True)
    (mine / "layout.toml").write_text('extends = "booklet-a5"\n[page]\nwidth_mm = 170\n')
    layout = load_layout("mine", tmp_path)
    assert layout.page_width_mm == 170 and layout.page_height_mm == 210
    assert layout.folder("pdf") == load_layout("booklet-a5").folder("pdf")
    assert layout.fonts == load_layout("booklet-a5").fonts


def test_circular_extends_is_an_error(tmp_path: Path) -> None:
    for a, b in (("x", "y"), ("y", "x")):
        (tmp_path / "layouts" / a).mkdir(parents=True)
        (tmp_path / "layouts" / a / "layout.toml").write_text(f'extends = "{b}"\n')
    with pytest.raises(ConfigError, match="circle"):
        load_layout("x", tmp_path)


def test_unknown_layout_lists_the_known_ones() -> None:
    with pytest.raises(LayoutError, match="booklet-a5"):
        load_layout("no-such-layout")


def test_bad_layout_key_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "layouts" / "bad").mkdir(parents=True)
    (tmp_path / "layouts" / "bad" / "layout.toml").write_text("[page]\nwidth_mm = -3\n")
    with pytest.raises(ConfigError) as err:
        load_layout("bad", tmp_path)
    assert "layout.toml: page.width_mm:" in str(err.value)
