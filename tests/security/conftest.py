"""The hostile-project harness: build under an audit hook and check nothing escaped.

Every build made through ``Project.build`` asserts, whatever the test: no file
opened outside the project, the output folder, Python, the layouts and the
system fonts; the planted secrets next to the project never read (not even by C
code: their access time); no network, no process started; the sources
unchanged; after a failure, the earlier outputs unchanged and no temporary
files; at most one error line and no traceback.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from essaypress.cli import main
from tests.conftest import png_bytes

from ._audit import Recorder, Secret, install, outside, recording, system_roots, written

DRIVER = Path(__file__).with_name("_driver.py")
LIMIT_SECONDS = 30
LIMIT_BYTES = 1 << 30
FORMATS = ("pdf", "docx", "epub")


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    """Load what every build loads once (WeasyPrint finds its C libraries by running ldconfig)."""
    # the writers are imported when first used: load them (and WeasyPrint's C libraries)
    import essaypress.writers.docx
    import essaypress.writers.epub
    import essaypress.writers.pdf  # noqa: F401

    tempfile.gettempdir()
    mimetypes.init()
    install()


@dataclass
class Outcome:
    code: int
    err: str
    rec: Recorder
    seconds: float = 0.0
    peak_bytes: int = 0

    @property
    def error(self) -> str:
        """The one error line, without the ``essaypress: error:`` prefix."""
        lines = [x for x in self.err.splitlines() if x.startswith("essaypress: error: ")]
        return lines[0].removeprefix("essaypress: error: ") if lines else ""

    @property
    def warnings(self) -> list[str]:
        return [x for x in self.err.splitlines() if ": warning: " in x]

    def warned(self, code: str) -> list[str]:
        return [w for w in self.warnings if w.endswith(f"[{code}]")]


def _snapshot(folder: Path, ignore: str = "") -> dict[str, tuple[int, bytes]]:
    """Every entry's mtime and bytes (a symlink's target, never what it points to).

    ``ignore``: a top-level folder left out (the output folder's ``.essaypress``, where
    the build keeps its cache and record: not an output, and may change in a failed build).
    """
    if not folder.exists():
        return {}
    out = {}
    for p in sorted(folder.rglob("*")):
        if ignore and p.relative_to(folder).parts[0] == ignore:
            continue
        if p.is_symlink():
            content = os.readlink(p).encode()
        else:
            content = p.read_bytes() if p.is_file() else b""
        out[p.relative_to(folder).as_posix()] = (p.lstat().st_mtime_ns, content)
    return out


class Project:
    """A sources folder under attack, an output folder with earlier outputs, secrets beside."""

    def __init__(self, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.tmp = tmp
        self.capsys = capsys
        self.root = tmp / "proj"
        self.out = tmp / "out"
        self.root.mkdir()
        self.secrets = {
            "png": Secret(tmp / "secret.png", png_bytes(8, 8)),
            "md": Secret(tmp / "secret.md", "# 機密\n\nsecret text\n".encode()),
            "txt": Secret(tmp / "secret.txt", b"top secret\n"),
        }
        self.seed_outputs()

    # ------------------------------------------------------------ writing

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def manifest(self, *essays: str, extra: str = "") -> None:
        listed = ", ".join(json.dumps(e) for e in essays or ("a.md",))
        self.write(
            "anthology.toml",
            f'title = "Hostile"\ndate = "2026-01-01"\nessays = [{listed}]\n{extra}'
            # hostile text is compared literally: keep quotes as typed
            '\n[text]\nquotes = "keep"\n',
        )

    def essay(
        self, body: str, *, name: str = "a.md", front: str = "title: 一篇\nauthor: 王小明"
    ) -> None:
        """One Markdown essay (with front matter) as the whole anthology."""
        self.write(name, f"---\n{front}\n---\n\n{body}\n")
        self.manifest(name)

    def seed_outputs(self) -> None:
        self.out.mkdir(exist_ok=True)
        for fmt in FORMATS:
            (self.out / f"anthology.{fmt}").write_bytes(f"earlier {fmt}".encode())

    # ------------------------------------------------------------ building

    def build(
        self, *args: str, formats: str = "epub", limited: bool = False, out: Path | None = None
    ) -> Outcome:
        """``essaypress build`` of the project, then every check that holds for any input."""
        out = out or self.out
        argv = ["build", str(self.root), "-o", str(out), "-f", formats, "-q", "--jobs", "1", *args]
        sources, outputs = _snapshot(self.root), _snapshot(out, ".essaypress")
        outcome = self._limited(argv) if limited else self._here(argv)
        crash = re.search(r"the traceback is in (\S+) — ", outcome.err)
        if crash:  # an internal error (exit 70): keep /tmp clean, the check below fails anyway
            Path(crash.group(1)).unlink(missing_ok=True)
        self.check(outcome, sources, outputs, formats, out)
        return outcome

    def _here(self, argv: list[str]) -> Outcome:
        self.capsys.readouterr()
        start = time.perf_counter()
        with recording() as rec:
            code = main(argv)
        seconds = time.perf_counter() - start
        return Outcome(code, self.capsys.readouterr().err, rec, seconds)

    def _limited(self, argv: list[str]) -> Outcome:
        """The build in a child process limited to 1 GiB of address space and 30 seconds."""
        report = self.tmp / "report.json"

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))

        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(DRIVER), str(report), *argv],
            preexec_fn=limit,
            capture_output=True,
            text=True,
            timeout=LIMIT_SECONDS,
            cwd=self.tmp,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        seconds = time.perf_counter() - start
        assert report.exists(), f"the build died: {done.returncode}\n{done.stderr[-3000:]}"
        data = json.loads(report.read_text())
        report.unlink()
        rec = Recorder([(p, w) for p, w in data["opens"]], [tuple(e) for e in data["events"]])
        assert done.returncode == data["code"]
        return Outcome(data["code"], done.stderr, rec, seconds, data["peak_bytes"])

    def check(
        self,
        outcome: Outcome,
        sources: dict[str, tuple[int, bytes]],
        outputs: dict[str, tuple[int, bytes]],
        formats: str,
        out: Path,
    ) -> None:
        rec = outcome.rec
        assert rec.events == [], "network or processes attempted"
        allowed = (*system_roots(), self.root.resolve(), out.resolve())
        assert outside(rec, allowed) == [], "files read outside the project"
        for secret in self.secrets.values():
            assert not secret.was_read(), f"{secret.path} was read"
        assert [p for p in written(rec) if not Path(p).is_relative_to(out.resolve())] == []
        assert _snapshot(self.root) == sources, "the sources folder changed"
        assert "Traceback" not in outcome.err
        errors = [x for x in outcome.err.splitlines() if x.startswith("essaypress:")]
        if outcome.code == 0:
            assert errors == []
            for fmt in formats.split(","):
                assert (out / f"anthology.{fmt}").read_bytes() != f"earlier {fmt}".encode()
            assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
        else:
            assert len(errors) == 1, outcome.err
            assert _snapshot(out, ".essaypress") == outputs, (
                "earlier outputs changed or temp files left"
            )
        assert outcome.seconds < LIMIT_SECONDS


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Project]:
    yield Project(tmp_path, capsys)
