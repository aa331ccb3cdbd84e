"""Issue 8, point 4: the sources are never written; failed builds keep the earlier outputs."""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

import docx as python_docx
import pytest
from pypdf import PdfReader

import essaypress.pipeline as pipeline
from essaypress.errors import LayoutError
from tests.conftest import ctrl_c_answered

from .conftest import FORMATS, Project

REPO = Path(__file__).resolve().parents[2]


def _sample(project: Project) -> None:
    """The repository's sample anthology (Markdown, a .docx, an image) as the project."""
    shutil.rmtree(project.root)
    shutil.copytree(REPO / "sources", project.root)


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("proj/build", id="inside"),
        pytest.param("proj", id="same"),
        pytest.param("proj/essays/../out", id="dotted"),
        pytest.param("link/out", id="through-a-symlink"),
    ],
)
def test_an_output_folder_inside_the_sources_is_refused(project: Project, where: str) -> None:
    project.essay("正文。")
    (project.tmp / "link").symlink_to(project.root)
    out = project.tmp / where
    done = project.build(out=out)
    assert done.code == 2
    assert done.error == (
        f"the output folder {out} is inside the sources folder — choose an output folder outside "
        "the sources (e.g. build/)"
    )
    assert sorted(p.name for p in project.root.iterdir()) == ["a.md", "anthology.toml"]


def test_a_full_build_never_writes_into_the_sources(project: Project) -> None:
    _sample(project)
    done = project.build(formats="pdf,docx,epub")  # the harness compares bytes and mtimes
    assert done.code == 0, done.err


def _failing_writer(monkeypatch: pytest.MonkeyPatch, fmt: str, exc: BaseException) -> None:
    """Make the ``fmt`` writer raise ``exc`` after the writers before it have run."""

    def broken(book: Any, opts: Any) -> bytes:
        raise exc

    writers = dict(pipeline.WRITERS)
    writers[fmt] = broken
    monkeypatch.setattr(pipeline, "WRITERS", MappingProxyType(writers))


def test_a_writer_failing_after_others_succeeded_replaces_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")
    _failing_writer(monkeypatch, "epub", LayoutError("the epub template is broken", path="layout"))
    done = project.build(formats="pdf,docx,epub")  # pdf and docx made, then epub fails
    assert done.code == 1
    assert done.error == "layout: the epub template is broken"


def test_ctrl_c_while_writing_keeps_the_earlier_outputs(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")
    _failing_writer(monkeypatch, "epub", KeyboardInterrupt())
    done = project.build(formats="docx,epub")
    assert done.code == 130
    assert done.err.splitlines()[-1] == "essaypress: interrupted; earlier outputs are kept"


class _FullDisk(io.RawIOBase):
    """A file whose every write fails as on a full disk."""

    def __init__(self, fd: int) -> None:
        os.close(fd)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC)


def test_a_full_disk_exits_3_and_keeps_the_earlier_outputs(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")
    monkeypatch.setattr("essaypress.staging.os.fdopen", lambda fd, mode: _FullDisk(fd))
    done = project.build(formats="docx,epub")
    assert done.code == 3
    assert done.error == (
        f"{project.out / 'anthology.docx'}: cannot write: No space left on device — "
        "free some disk space and build again; the previous outputs are kept"
    )


def test_a_failed_rename_exits_3_and_leaves_no_temporary_files(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")

    def replace(src: Any, dst: Any) -> None:
        raise OSError(errno.EDQUOT)  # no strerror: the message still says what happened

    monkeypatch.setattr("essaypress.staging.os.replace", replace)
    done = project.build(formats="docx,epub")
    assert done.code == 3
    assert done.error == (
        f"{project.out / 'anthology.docx'}: cannot write: {os.strerror(errno.EDQUOT)} — "
        "free some disk space and build again; the previous outputs are kept"
    )


def test_an_unwritable_output_folder_exits_3(project: Project) -> None:
    project.essay("正文。")
    blocker = project.tmp / "file"
    blocker.write_text("not a folder")
    done = project.build(out=blocker / "out")
    assert done.code == 3
    assert done.error == f"{blocker / 'out'}: cannot write here: Not a directory"


def _valid_outputs(out: Path) -> None:
    epub = zipfile.ZipFile(out / "anthology.epub")
    assert epub.testzip() is None and epub.namelist()[0] == "mimetype"
    python_docx.Document(io.BytesIO((out / "anthology.docx").read_bytes()))
    assert len(PdfReader(out / "anthology.pdf").pages) > 3
    files = sorted(p.name for p in out.iterdir() if p.is_file())  # .essaypress/ is the record
    assert files == [f"anthology.{f}" for f in sorted(FORMATS)]


def _essaypress(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "essaypress", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        preexec_fn=ctrl_c_answered,
    )


@pytest.mark.slow
def test_two_builds_at_once_both_succeed_and_leave_valid_outputs(project: Project) -> None:
    _sample(project)
    runs = [_essaypress("build", str(project.root), "-o", str(project.out), "-q") for _ in range(3)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    _valid_outputs(project.out)


@pytest.mark.slow
def test_a_real_ctrl_c_during_the_pdf_keeps_the_earlier_outputs(project: Project) -> None:
    _sample(project)
    before = {p.name: p.read_bytes() for p in project.out.iterdir()}
    run = _essaypress("build", str(project.root), "-o", str(project.out))
    assert run.stderr is not None
    for line in run.stderr:
        if "laying out the PDF" in line:  # the DOCX is being written alongside
            run.send_signal(signal.SIGINT)
            break
    _, rest = run.communicate(timeout=60)
    assert run.returncode == 130, rest
    assert rest.strip().endswith("essaypress: interrupted; earlier outputs are kept")
    assert {p.name: p.read_bytes() for p in project.out.iterdir() if p.is_file()} == before
