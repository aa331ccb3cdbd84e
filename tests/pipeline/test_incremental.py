"""No-op and incremental builds: what a second build reads and writes, and what it keeps."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from essaypress import pipeline
from essaypress.errors import LayoutError
from essaypress.log import collect
from essaypress.pipeline import build

REPO = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path, essays: int = 3) -> Path:
    src = tmp_path / "proj"
    src.mkdir()
    names = [f"e{i}.md" for i in range(1, essays + 1)]
    (src / "anthology.toml").write_text(
        'title = "小集"\ndate = "2026-01-01"\n'
        f"essays = [{', '.join(repr(n).replace(chr(39), chr(34)) for n in names)}]\n",
        encoding="utf-8",
    )
    for i, name in enumerate(names, 1):
        (src / name).write_text(
            f"---\ntitle: 第{i}篇\nauthor: 作者{i}\n---\n\n　　第{i}篇的正文。" + "字" * 300 + "\n",
            encoding="utf-8",
        )
    return src


def _files(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``out`` (the build's record and cache included): mtime and bytes."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_a_second_build_with_nothing_changed_rewrites_nothing(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    first = build(src, out)
    assert [p.name for p in first.written] == ["anthology.pdf", "anthology.docx", "anthology.epub"]
    assert len(first.reread) == 3
    before = _files(out)
    again = build(src, out)
    assert again.written == () and again.reread == ()
    assert again.outputs == first.outputs
    assert _files(out) == before  # not one file touched, the record neither


def test_a_no_op_build_imports_no_writer(tmp_path: Path) -> None:
    """What makes a no-op build fast: it loads none of the writers' libraries."""
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    probe = (
        "import sys\n"
        "from essaypress.cli import main\n"
        f"code = main(['build', {str(src)!r}, '-o', {str(out)!r}, '-q'])\n"
        "loaded = [m for m in ('weasyprint', 'docx', 'ebooklib') if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "0 []", done.stderr


def test_touching_an_essay_without_changing_it_rebuilds_nothing(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    before = _files(out)
    os.utime(src / "e2.md", ns=(1, 1))
    again = build(src, out)
    assert again.written == () and again.reread == ()
    assert _files(out) == before


def test_changing_one_essay_rereads_only_that_essay(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    essay = src / "e2.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\n　　新加的一段。\n", encoding="utf-8")
    again = build(src, out)
    assert again.reread == ("e2.md",)
    assert {p.name for p in again.written} == {"anthology.pdf", "anthology.docx", "anthology.epub"}
    assert build(src, out).written == ()


def test_a_file_that_changes_no_essay_rewrites_no_output(tmp_path: Path) -> None:
    """A note beside the essays changes the sources folder but not the book."""
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    (src / "notes.txt").write_text("to do: ask for the photo", encoding="utf-8")
    again = build(src, out)
    assert again.written == () and again.reread == ()
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()} == before
    assert build(src, out).seconds == {}  # and the next one is a no-op again


def test_a_change_to_the_epub_layout_rewrites_only_the_epub(tmp_path: Path) -> None:
    """The EPUB keeps the page map of the last build: no new PDF layout for it either."""
    src, out = _project(tmp_path), tmp_path / "out"
    layout = tmp_path / "mine"
    shutil.copytree(REPO / "layouts" / "booklet-a5", layout)
    build(src, out, layout=str(layout))
    css = layout / "epub" / "epub.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 0.1em; }\n")
    again = build(src, out, layout=str(layout))
    assert [p.name for p in again.written] == ["anthology.epub"]
    assert "pdf" not in again.seconds and "layout" not in again.seconds
    docx = layout / "docx" / "README.md"
    docx.write_text(docx.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert [p.name for p in build(src, out, layout=str(layout)).written] == ["anthology.docx"]


def test_an_output_changed_or_deleted_by_hand_is_made_again(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    (out / "anthology.docx").unlink()
    (out / "anthology.epub").write_bytes(b"edited by hand")
    again = build(src, out)
    assert sorted(p.name for p in again.written) == ["anthology.docx", "anthology.epub"]
    assert (out / "anthology.epub").read_bytes()[:2] == b"PK"


def test_asking_for_fewer_formats_after_a_full_build_is_a_no_op(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    assert build(src, out, ("docx",)).written == ()


def test_force_reads_and_writes_everything(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    again = build(src, out, force=True)
    assert len(again.reread) == 3 and len(again.written) == 3


def test_warnings_are_given_again_when_nothing_is_rebuilt(tmp_path: Path) -> None:
    """A kept output and a cached essay warn as on the build that made them (``--strict``)."""
    src, out = _project(tmp_path), tmp_path / "out"
    essay = src / "e1.md"
    essay.write_text(
        essay.read_text(encoding="utf-8").replace("author:", "mood: sunny\nauthor:"),
        encoding="utf-8",
    )
    with collect() as first:
        build(src, out)
    assert [w.code for w in first if w.code == "front-matter-key"] == ["front-matter-key"]
    with collect() as noop:
        assert build(src, out).written == ()
    assert [str(w) for w in noop] == [str(w) for w in first]
    other = src / "e3.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
    with collect() as partial:
        assert build(src, out).reread == ("e3.md",)
    assert "front-matter-key" in [w.code for w in partial]  # e1 came from the cache

    def strict() -> None:
        raise LayoutError("strict")

    with pytest.raises(LayoutError):
        build(src, out, before_commit=strict)


def test_a_damaged_cache_entry_is_read_again(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    for entry in (out / ".essaypress" / "essays").iterdir():
        entry.write_bytes(b"not a pickle")
    (src / "e1.md").write_text("---\ntitle: 新\nauthor: 甲\n---\n\n新的正文。\n", encoding="utf-8")
    again = build(src, out)
    assert sorted(again.reread) == ["e1.md", "e2.md", "e3.md"]


def test_a_deleted_essay_leaves_the_cache(tmp_path: Path) -> None:
    src, out = _project(tmp_path), tmp_path / "out"
    build(src, out)
    manifest = src / "anthology.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(', "e3.md"', ""), encoding="utf-8"
    )
    build(src, out)
    assert len(list((out / ".essaypress" / "essays").iterdir())) == 2


@pytest.mark.slow
def test_builds_on_one_and_on_two_processes_give_the_same_bytes(tmp_path: Path) -> None:
    src = tmp_path / "sources"
    shutil.copytree(REPO / "sources", src)
    one = build(src, tmp_path / "one", jobs=1)
    two = build(src, tmp_path / "two", jobs=2)
    assert [p.read_bytes() for p in one.outputs] == [p.read_bytes() for p in two.outputs]


def _broken(exc: BaseException) -> Any:
    def writer(book: Any, opts: Any) -> bytes:
        raise exc

    return writer


@pytest.mark.parametrize("fmt", ["docx", "epub"])
def test_an_error_in_the_helper_process_is_raised_here_and_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    src, out = _project(tmp_path, essays=1), tmp_path / "out"
    build(src, out)
    before = _files(out)
    (src / "e1.md").write_text("---\ntitle: 新\nauthor: 甲\n---\n\n改了。\n", encoding="utf-8")
    writers = dict(pipeline.WRITERS)
    writers[fmt] = _broken(LayoutError(f"the {fmt} template is broken", path="layout"))
    monkeypatch.setattr(pipeline, "WRITERS", MappingProxyType(writers))
    with pytest.raises(LayoutError, match=f"the {fmt} template is broken"):
        build(src, out, jobs=2)
    after = _files(out)
    outputs = {k: v for k, v in after.items() if not k.startswith(".essaypress/essays/")}
    assert outputs == {k: v for k, v in before.items() if not k.startswith(".essaypress/essays/")}


def test_ctrl_c_in_the_helper_process_is_an_interruption_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = _project(tmp_path, essays=1), tmp_path / "out"
    writers = dict(pipeline.WRITERS)
    writers["docx"] = _broken(KeyboardInterrupt())
    monkeypatch.setattr(pipeline, "WRITERS", MappingProxyType(writers))
    with pytest.raises(KeyboardInterrupt):
        build(src, out, jobs=2)
    assert not [p for p in out.iterdir() if p.is_file()]
