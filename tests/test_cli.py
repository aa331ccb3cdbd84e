"""The command line: builds, inspect, one-line errors, exit codes, nothing lost on failure."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from essaypress.cli import main

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources"


def _copy_sample(tmp_path: Path) -> Path:
    src = tmp_path / "sources"
    shutil.copytree(SAMPLE, src)
    return src


def _small_project(tmp_path: Path) -> Path:
    src = tmp_path / "proj"
    src.mkdir()
    (src / "anthology.toml").write_text(
        'title = "小集"\ndate = "2026-01-01"\nessays = ["a.md"]\n', encoding="utf-8"
    )
    (src / "a.md").write_text("---\ntitle: 一篇\n---\n\n正文。\n", encoding="utf-8")
    return src


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("essaypress ")


def test_build_one_format_of_a_small_project(tmp_path: Path) -> None:
    src = _small_project(tmp_path)
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-f", "epub", "-q"]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir() if p.is_file()] == ["anthology.epub"]


def test_bad_manifest_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _small_project(tmp_path)
    (src / "anthology.toml").write_text('title = "T"\nessays = ["a.md"]\nfoo = 1\n')
    assert main(["build", str(src), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"essaypress: error: {src / 'anthology.toml'}: foo: unknown key — ")
    assert "known keys: " in err[0] and "title" in err[0]


def test_output_inside_sources_is_refused_exit_2(tmp_path: Path) -> None:
    src = _small_project(tmp_path)
    assert main(["build", str(src), "-o", str(src / "build")]) == 2
    assert not (src / "build").exists()


def test_unknown_format_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(_small_project(tmp_path)), "-f", "pdf,mobi"]) == 2
    assert "unknown format 'mobi'" in capsys.readouterr().err


def test_unreadable_essay_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _small_project(tmp_path)
    (src / "a.md").write_bytes(b"\xff\xfe\x00bad")
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "a.md: not UTF-8 text" in err and "Traceback" not in err


def test_failed_build_keeps_earlier_outputs(tmp_path: Path) -> None:
    src, out = _small_project(tmp_path), tmp_path / "out"
    assert main(["build", str(src), "-o", str(out), "-f", "epub,docx", "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (src / "a.md").write_bytes(b"\xff\xfe broken")
    assert main(["build", str(src), "-o", str(out), "-f", "epub,docx", "-q"]) == 1
    assert {
        p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
    } == before  # no temp files either


def test_sources_are_never_modified(tmp_path: Path) -> None:
    src = _small_project(tmp_path)
    snapshot = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in src.rglob("*")}
    assert main(["build", str(src), "-o", str(tmp_path / "out"), "-f", "epub,docx", "-q"]) == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in src.rglob("*")} == snapshot


def test_inspect_markdown_and_docx_print_their_text(capsys: pytest.CaptureFixture[str]) -> None:
    md = sorted((SAMPLE / "essays").glob("*.md"))[0]
    docx = sorted((SAMPLE / "essays").glob("*.docx"))[0]
    for path in (md, docx):
        assert main(["inspect", str(path)]) == 0
        out = capsys.readouterr().out
        assert len(out) > 500, path
    assert main(["inspect", str(docx), "--as", "json"]) == 0
    assert '"essaypress-model-version"' in capsys.readouterr().out


def test_inspect_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "nowhere.md"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_console_script_runs_as_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "essaypress", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "essaypress" in done.stdout
