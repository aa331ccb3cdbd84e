"""Turn essay files into essays once: parsed essays kept by the hash of their content.

The cache lives in the output folder (``<out>/.essaypress/essays/``), never in
the sources. An entry's key is the SHA-256 of the file's bytes, its name in
messages and the fingerprint of essaypress's own code, so a changed essay —
or a changed reader — is read again and every other essay comes from the
cache. The warnings its reader gave are stored with the essay and given again
on every build that uses the entry, so a cached essay warns as a fresh one
does. A damaged entry counts as missing.

Entries are pickles written by essaypress into the build folder; like any
build folder, it is trusted as far as the user trusts who can write to it.
"""

from __future__ import annotations

import hashlib
import pickle
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import log
from .model.nodes import Essay
from .parallel import may_fork
from .readers import MAX_ESSAY_BYTES
from .staging import replace_file

CACHE_FORMAT = b"essaypress-essay-cache-1"
Reader = Callable[[Path, str], Essay]


@cache
def code_fingerprint() -> str:
    """Names, sizes and change times of essaypress's own files: a new version reads anew."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(CACHE_FORMAT)
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(
                f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """What the cache keeps of one read: the essay and the warnings its reader gave."""

    essay: Essay
    warnings: tuple[log.Diagnostic, ...]


@dataclass
class EssayCache:
    """Essays read in this build, and where earlier builds' essays are kept (``None``: nowhere).

    ``reread`` lists the essays this build had to read (by their name in messages):
    after a change to one essay of a built anthology, it names only that essay.
    """

    folder: Path | None
    refresh: bool = False  # read every essay again (and store it), as if none were cached
    workers: int = 1  # processes to read the essays the cache lacks
    reread: list[str] = field(default_factory=list)
    _used: set[str] = field(default_factory=set)
    _ready: dict[str, Entry] = field(default_factory=dict)

    def read(self, path: Path, display: str, reader: Reader) -> Essay:
        """The essay in ``path``: from the cache if its content was read before, else read now."""
        key = self._key(path, display)
        if not key:
            self.reread.append(display)
            return reader(path, display)
        self._used.add(key)
        entry = self._ready.pop(key, None)  # read by a worker: new, but not printed yet
        if entry is None:
            entry = None if self.refresh else self._load(key)
            if entry is not None:
                log.replay(entry.warnings)
                return entry.essay
            entry = _read_recording(reader, path, display)
        else:
            log.replay(entry.warnings)
        self.reread.append(display)
        self._store(key, entry)
        return entry.essay

    def read_ahead(
        self,
        files: Iterable[tuple[Path, str]],
        reader: Reader,
        progress: Callable[[str], None],
    ) -> None:
        """Read the files the cache lacks on ``self.workers`` processes, before ``read`` asks.

        Only where it pays: two or more essays to read, more than one core, and no
        other thread in this process (a forked child would inherit its locks).
        A file that fails here is left for ``read``, which reports it in order.
        """
        missing = [
            (p, d, k)
            for p, d in files
            if (k := self._key(p, d)) and (self.refresh or not self._has(k))
        ]
        workers = min(self.workers, len(missing))
        if workers < 2 or not may_fork():
            return
        import multiprocessing

        progress(f"reading {len(missing)} essays on {workers} cores")
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_ctrl_c) as pool:
            jobs = [pool.submit(_read_quietly, reader, p, d) for p, d, _ in missing]
            for (_, _, key), job in zip(missing, jobs, strict=True):
                try:
                    self._ready[key] = job.result()
                except Exception:  # read again in order by ``read``, which reports it
                    continue

    def prune(self) -> None:
        """Remove the entries this build did not use (essays deleted or changed since)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self._used:
                path.unlink(missing_ok=True)

    def _key(self, path: Path, display: str) -> str:
        if self.folder is None:
            return ""
        try:
            if path.stat().st_size > MAX_ESSAY_BYTES:
                return ""  # the reader refuses it: no need to hash it
            data = path.read_bytes()
        except OSError:
            return ""  # the reader says what is wrong
        digest = hashlib.sha256(code_fingerprint().encode())
        digest.update(display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _has(self, key: str) -> bool:
        return self.folder is not None and (self.folder / f"{key}.pickle").is_file()

    def _load(self, key: str) -> Entry | None:
        assert self.folder is not None
        try:
            with (self.folder / f"{key}.pickle").open("rb") as fh:
                entry = pickle.load(fh)
        except Exception:  # any damage means: read the essay again
            return None
        return entry if isinstance(entry, Entry) and isinstance(entry.essay, Essay) else None

    def _store(self, key: str, entry: Entry) -> None:
        assert self.folder is not None
        # a cache that cannot be written only makes the next build slower
        with suppress(OSError):
            replace_file(self.folder / f"{key}.pickle", pickle.dumps(entry, protocol=5))


def _read_recording(reader: Reader, path: Path, display: str) -> Entry:
    """Read, letting the warnings through as usual and keeping a copy for the cache."""
    with log.collect() as found:
        essay = reader(path, display)
    return Entry(essay, tuple(found))


def _ignore_ctrl_c() -> None:
    """In a reading worker: Ctrl-C is the main process's to handle (it ends the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read_quietly(reader: Reader, path: Path, display: str) -> Entry:
    """Read in a worker process: the warnings are kept, not printed (``read`` replays them)."""
    with log.held() as found:
        essay = reader(path, display)
    return Entry(essay, tuple(found))
