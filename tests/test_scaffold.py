"""`essaypress new DIR` makes a project that builds at once, and refuses a folder in use."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from essaypress.cli import main
from essaypress.log import collect
from essaypress.pipeline import build


def test_new_then_build_gives_three_outputs_without_warnings(tmp_path: Path) -> None:
    project = tmp_path / "anthology"
    assert main(["new", str(project)]) == 0
    assert (project / ".gitignore").read_text(encoding="utf-8").count("/build/") == 1
    assert (project / "sources" / "layouts" / "README.md").is_file()
    toml = (project / "sources" / "anthology.toml").read_text(encoding="utf-8")
    assert toml.count("\n#") > 10  # a commented manifest
    with collect() as warnings:
        result = build(project / "sources", project / "build", ("pdf", "epub"))
    assert warnings == []
    assert [p.name for p in result.outputs] == ["anthology.pdf", "anthology.epub"]
    text = "".join(page.extract_text() for page in PdfReader(result.outputs[0]).pages)
    assert "第一篇範例" in text and "An Example Essay" in text


def test_new_refuses_a_folder_with_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not an empty folder" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path)]) == 0
    assert (tmp_path / "sources" / "essays" / "02-example-en.md").is_file()
