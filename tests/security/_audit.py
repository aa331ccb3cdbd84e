"""Turn Python audit events into a record of files opened and network or processes attempted.

Audit hooks cannot be removed, so one process-wide hook is installed once and
records only while a ``Recorder`` is active. Files opened by C libraries
(libxml2, fontconfig) are invisible to it; ``Secret`` catches those reads
through the file's access time.
"""

from __future__ import annotations

import mimetypes
import os
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essaypress.layouts import builtin_layouts_dir

NETWORK = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "poplib.", "imaplib.", "nntplib.")
PROCESSES = ("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
             "os.startfile", "pty.", "ctypes.dlopen")  # fmt: skip
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@dataclass(frozen=True)
class Opened:
    path: str  # absolute, as asked
    real: str  # symlinks resolved
    writes: bool


@dataclass
class Recorder:
    opens: list[tuple[str, bool]] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)

    def opened(self) -> list[Opened]:
        return [Opened(p, os.path.realpath(p), w) for p, w in self.opens]


_STACK: list[Recorder] = []
_INSTALLED = False


def _writes(mode: Any, flags: Any) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _STACK:
        return
    if event == "open":
        path = args[0]
        if isinstance(path, int) or path is None:
            return
        try:
            name = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else None
        _STACK[-1].opens.append((name, _writes(mode, flags)))
    elif event.startswith(NETWORK) or event.startswith(PROCESSES):
        _STACK[-1].events.append((event, repr(args)[:300]))


def install() -> None:
    """Install the process-wide hook (once; later calls do nothing)."""
    global _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True


@contextmanager
def recording() -> Iterator[Recorder]:
    install()
    rec = Recorder()
    _STACK.append(rec)
    try:
        yield rec
    finally:
        _STACK.remove(rec)


def system_roots() -> tuple[Path, ...]:
    """What a build may legitimately read besides the project: Python, layouts, fonts, /proc."""
    paths = sysconfig.get_paths()
    roots = {
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
        paths["stdlib"], paths["platstdlib"], paths["purelib"], paths["platlib"],
        str(Path(__file__).resolve().parents[2] / "src"),  # the package itself
        str(builtin_layouts_dir()),
        "/proc", "/dev", "/sys/devices/system/cpu",
        "/etc/fonts", "/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fontconfig",
        *mimetypes.knownfiles,  # mimetypes reads these on first use
        "/etc/localtime", "/usr/share/zoneinfo",
    }  # fmt: skip
    return tuple(sorted({Path(os.path.realpath(r)) for r in roots}))


def engine_scratch(path: str) -> bool:
    """WeasyPrint's own scratch folder (``/tmp/weasyprint-*``: fonts it hands to fontconfig)."""
    temp = Path(os.path.realpath(tempfile.gettempdir()))
    parts = Path(path).relative_to(temp).parts if Path(path).is_relative_to(temp) else ()
    return bool(parts) and parts[0].startswith("weasyprint-")


def outside(rec: Recorder, allowed: tuple[Path, ...]) -> list[str]:
    """Every file opened outside ``allowed`` (checked on the real path, symlinks resolved)."""
    bad = []
    for o in rec.opened():
        for path in {o.path, o.real}:
            if engine_scratch(path):
                continue
            if not any(Path(path).is_relative_to(root) for root in allowed):
                bad.append(path)
    return sorted(set(bad))


def written(rec: Recorder) -> list[str]:
    """Files opened for writing, except WeasyPrint's scratch files."""
    return sorted({o.real for o in rec.opened() if o.writes and not engine_scratch(o.real)})


class Secret:
    """A file planted next to the project that nothing may read, even from C code.

    Its access time is set far in the past; with Linux's default ``relatime`` any
    read moves it forward. ``atime_works`` says whether this filesystem records it.
    """

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        path.write_bytes(data)
        self._reset()
        probe = path.with_name(path.name + ".probe")
        probe.write_bytes(b"probe")
        os.utime(probe, (1_000_000, time.time()))
        probe.read_bytes()
        self.atime_works = probe.stat().st_atime > 1_000_000
        probe.unlink()

    def _reset(self) -> None:
        os.utime(self.path, (1_000_000, time.time()))

    def was_read(self) -> bool:
        return self.atime_works and self.path.stat().st_atime > 1_000_000
