"""Turn saves in a sources folder into a fresh preview page, then rebuilt outputs, until stopped.

The watcher polls the modification times, sizes and inodes of every file in the
sources folder (anthology.toml, essays, images) and in the layout folders
(stdlib only: no inotify dependency). A change is acted on once the folder has
been still for a moment, so an editor's write-to-temporary-then-rename counts
once. Then the anthology is read again here (unchanged essays come from a
private cache) and the preview page is replaced at once; the outputs are
rebuilt by ``pipeline.build`` in a child process, one build at a time, the
newest sources winning. Errors — the user's (``EssaypressError``) and bugs
alike — are one line on the terminal and a banner in the page; the watcher
keeps going.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import pipeline
from .cache import EssayCache
from .config import load_manifest
from .errors import EssaypressError, UsageError
from .layouts import find_layout, load_layout
from .log import Diagnostic, collect
from .model.nodes import Anthology
from .options import Layout
from .preview import render_page
from .rebuild import BuildJob, Outcome, Rebuilder, internal_error
from .serve import PreviewServer

POLL_SECONDS = 0.3
DEFAULT_PORT = 8765
SETTLE_SECONDS = 0.15  # how long the folder must stay unchanged before a rebuild
SETTLE_LIMIT = 3.0  # rebuild anyway after this long of continuous changes
MAX_FILES = 20_000  # files looked at per scan (a sources folder is essays, not a disk)
STOP_WAIT = 10.0  # how long Ctrl-C waits for a running build to remove its temporary files
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "~")

Say = Callable[[str], None]
Stamp = tuple[int, int, int]  # mtime in ns, size, inode


@dataclass(frozen=True, kw_only=True)
class WatchOptions:
    """What ``essaypress watch`` was asked: ``formats=()`` means preview only, no build."""

    sources: Path
    out_dir: Path
    formats: tuple[str, ...] = pipeline.FORMATS
    layout: str | None = None
    edition: str | None = None
    port: int | None = None  # None: DEFAULT_PORT, or any free port if it is taken; 0: any
    poll_seconds: float = POLL_SECONDS


def run_watch(
    options: WatchOptions,
    *,
    say: Say,
    stop: threading.Event | None = None,
    max_rounds: int | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the preview and rebuild on every change until ``stop`` is set, ``max_rounds``
    polls have passed, or Ctrl-C (``KeyboardInterrupt`` is re-raised after cleaning up).

    ``say`` receives the terminal lines; ``on_ready`` the preview's URL once it is served.
    """
    stop = stop or threading.Event()
    if not options.sources.is_dir():
        raise UsageError(
            f"{options.sources}: no such folder",
            hint="give the folder that holds anthology.toml and the essays",
        )
    if options.formats:
        pipeline.check_output_dir(options.sources, options.out_dir)
    with (
        _server(options.port) as server,
        tempfile.TemporaryDirectory(prefix="essaypress-preview-") as cache_dir,
    ):
        watcher = _Watcher(options, server, say, Path(cache_dir))
        builder = None
        if options.formats:
            job = BuildJob(
                options.sources, options.out_dir, options.formats, options.layout, options.edition
            )
            builder = Rebuilder(job, on_progress=watcher.progress, on_done=watcher.built)
        try:
            with watcher.lock:  # a page that reloads itself once the book is read
                watcher.publish(None, None)
            say(f"preview at {server.url} — watching {options.sources}; Ctrl-C stops")
            if on_ready is not None:
                on_ready(server.url)
            seen = _refresh(watcher, builder, scan(watcher.roots))
            rounds = 0
            while max_rounds is None or rounds < max_rounds:
                rounds += 1
                if stop.wait(options.poll_seconds):
                    break
                now = scan(watcher.roots)
                if now == seen:
                    continue
                now = _settle(now, watcher.roots, stop)
                say(describe(seen, now, options.sources))
                seen = _refresh(watcher, builder, now)
        finally:
            if builder is not None and not builder.stop(0.5):
                say("stopping: waiting for the build in progress to clean up…")
                if not builder.stop(STOP_WAIT):
                    builder.kill()


def _refresh(
    watcher: _Watcher, builder: Rebuilder | None, seen: dict[str, Stamp]
) -> dict[str, Stamp]:
    """Read and show the sources as they were when ``seen`` was taken; the state to compare
    the next scans with (the files of a newly chosen layout included)."""
    roots = watcher.roots
    watcher.refresh(builder)
    if watcher.roots == roots:
        return seen
    return {p: seen.get(p, stamp) for p, stamp in scan(watcher.roots).items()}


def _server(port: int | None) -> PreviewServer:
    if port is not None and not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: give a port from 1 to 65535, or 0 for any free port")
    if port is not None:
        return PreviewServer(port)
    try:
        return PreviewServer(DEFAULT_PORT)
    except UsageError:  # taken (another watcher?): any free port will do
        return PreviewServer(0)


def scan(roots: Iterable[Path]) -> dict[str, Stamp]:
    """Every file under ``roots`` (hidden files, editor swap and lock files left out)."""
    found: dict[str, Stamp] = {}
    for root in roots:
        stack = [str(root)]
        while stack:
            try:
                with os.scandir(stack.pop()) as entries:
                    listed = list(entries)
            except OSError:
                continue
            for entry in listed:
                if _ignored(entry.name):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                    st = entry.stat()
                except OSError:
                    continue  # removed while we looked
                found[entry.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
                if len(found) >= MAX_FILES:
                    return found
    return found


def _ignored(name: str) -> bool:
    """Hidden files, Word's ``~$`` lock files, swap and partial files, vim's ``4913`` probe."""
    return name.startswith((".", "~$")) or name.endswith(_IGNORED_SUFFIXES) or name == "4913"


def _settle(
    now: dict[str, Stamp], roots: tuple[Path, ...], stop: threading.Event
) -> dict[str, Stamp]:
    """The state once the folder stops changing (an editor's save may take several steps)."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while time.monotonic() < deadline and not stop.wait(SETTLE_SECONDS):
        again = scan(roots)
        if again == now:
            break
        now = again
    return now


def describe(before: dict[str, Stamp], after: dict[str, Stamp], sources: Path) -> str:
    """``essays/a.md changed`` or ``3 files changed``: what the terminal says about a change."""
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if len(changed) != 1:
        return f"{len(changed)} files changed"
    path = Path(changed[0])
    name = path.relative_to(sources).as_posix() if path.is_relative_to(sources) else str(path)
    how = "removed" if changed[0] not in after else "added" if changed[0] not in before else ""
    return f"{name} {how or 'changed'}"


class _Watcher:
    """The preview's state: the last book that read, the page's version, what was said."""

    def __init__(
        self, options: WatchOptions, server: PreviewServer, say: Say, cache_dir: Path
    ) -> None:
        self.options = options
        self.cache_dir = cache_dir  # parsed essays, so a save re-reads only what changed
        self.server = server
        self.say = say
        self.lock = threading.Lock()
        self.token = secrets.token_hex(4)  # a restarted watcher reloads pages of the old one
        self.generation = 0  # one per reading of the sources
        self.published = 0
        self.last: tuple[Anthology, Layout] | None = None
        self.roots: tuple[Path, ...] = (options.sources,)
        self.told: tuple[str, ...] = ()  # the warnings of reading, last printed
        self.told_build: tuple[str, ...] = ()  # the writers' warnings, last printed

    def refresh(self, builder: Rebuilder | None) -> None:
        """Read the sources again, show the new page (or the error), then ask for a build."""
        start = time.perf_counter()
        with self.lock:
            self.generation += 1
            generation = self.generation
        try:
            with collect() as found:
                book, layout = self._read()
        except EssaypressError as exc:
            self.fail(generation, str(exc))
            return
        except Exception as exc:
            self.fail(generation, internal_error(exc, "reading the anthology"))
            return
        with self.lock:
            self.last = (book, layout)
            self.publish(book, layout, warnings=found)
            state = ("building…", "building") if builder else ("up to date", "idle")
            self.server.set_status(*state)
        self.tell(found)
        self.say(f"preview updated in {1000 * (time.perf_counter() - start):.0f} ms")
        if builder is not None:
            builder.request(generation)

    def _read(self) -> tuple[Anthology, Layout]:
        o = self.options
        manifest = load_manifest(o.sources)
        name = o.layout or manifest.layout
        try:
            folder = find_layout(name, o.sources)
        except EssaypressError:
            folder = None
        layout = load_layout(name, o.sources)
        roots = [o.sources, *([folder] if folder else [])]
        parent: Layout | None = layout
        while parent is not None:
            roots.append(parent.root)
            parent = parent.parent
        self.roots = tuple(dict.fromkeys(roots))
        text = pipeline.text_options_for(manifest, o.edition)
        cache = EssayCache(self.cache_dir)
        book = pipeline.assemble(manifest, text_options=text, layout=layout, cache=cache)
        cache.prune()
        return book, layout

    def fail(self, generation: int, message: str, note: str = "") -> None:
        """Say the error and show it in the page (unless a newer reading came since)."""
        with self.lock:
            if generation != self.generation:
                return
            book, layout = self.last if self.last else (None, None)
            self.publish(book, layout, error=message, note=note)
            self.server.set_status("error: see the page and the terminal", "error")
        self.say(f"essaypress: error: {message}")

    def publish(
        self,
        book: Anthology | None,
        layout: Layout | None,
        *,
        error: str = "",
        note: str = "",
        warnings: Iterable[Diagnostic] = (),
    ) -> None:
        """Serve a new page (with ``self.lock`` held): open pages see its version and reload."""
        self.published += 1
        version = f"{self.token}.{self.published}"
        page = render_page(
            book, layout, version=version, error=error, note=note, warnings=tuple(warnings)
        )
        self.server.publish(page)

    def progress(self, message: str) -> None:
        """A step of the build, for the page's status bar."""
        self.server.set_status(f"building: {message}", "building")

    def built(self, generation: int, outcome: Outcome) -> None:
        """Say how a build ended; its error goes into the page too."""
        if outcome.kind == "error":
            note = (
                "The preview below is up to date; "
                f"the outputs in {self.options.out_dir} were not replaced."
            )
            self.fail(generation, outcome.text, note)
            return
        extra = tuple(str(d) for d in outcome.warnings if str(d) not in self.told)
        if extra != self.told_build:  # the writers' own warnings, printed when they change
            self.told_build = extra
            for line in dict.fromkeys(extra):
                self.say(line)
        done = f"built {outcome.text} in {outcome.seconds:.1f} s"
        self.say(done)
        with self.lock:
            if generation == self.generation:
                self.server.set_status(f"{done} ({time.strftime('%H:%M:%S')})", "idle")

    def tell(self, found: Iterable[Diagnostic]) -> None:
        """Print the warnings, unless they are the ones printed last time."""
        lines = tuple(dict.fromkeys(str(d) for d in found))
        if lines == self.told:
            return
        self.told = lines
        for line in lines:
            self.say(line)
