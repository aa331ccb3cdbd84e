"""Turn writer jobs into outputs on the second core, while the PDF is laid out on the first.

The PDF takes most of a build's time; the DOCX and the EPUB writers are cheap
next to it, so one helper process runs them alongside. It is forked *before*
the PDF's layout, so it shares the read anthology with the main process
without copying it and does not carry the layout's memory. The EPUB needs the
print edition's page map, which the main process sends as soon as the layout
is done, while it goes on to write the PDF's bytes.

Jobs return the output's bytes and the warnings the writer gave (replayed in
the main process, so ``--strict`` and the summary count them); an error
(``EssaypressError`` or a bug) is raised again in the main process.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from . import log
from .model.nodes import Anthology
from .options import WriterOptions

Writer = Callable[[Anthology, WriterOptions], bytes]


def may_fork() -> bool:
    """Forking is safe: POSIX, and no other thread whose locks the child would inherit."""
    return hasattr(os, "fork") and threading.active_count() == 1


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover — not Linux
        return os.cpu_count() or 1


class Helper:
    """A forked process that runs writers on the anthology it was forked with.

    ``submit(fmt, opts)`` starts a job; ``result(fmt)`` waits for its bytes. Jobs
    run one after the other in the order submitted. Use as a context manager:
    leaving it stops the process (killing it if a job is still running).
    """

    def __init__(self, book: Anthology, writers: Mapping[str, Writer]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, book, dict(writers)), name="essaypress-writer", daemon=True
        )
        self._process.start()
        child.close()
        self._results: dict[str, bytes] = {}
        self._pending: list[str] = []

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.is_alive():
            if self._pending:
                self._process.kill()
            else:
                self._conn.send(None)
        self._process.join(10)
        if self._process.is_alive():  # pragma: no cover — a writer that will not stop
            self._process.kill()
            self._process.join()
        self._conn.close()

    def submit(self, fmt: str, opts: WriterOptions) -> None:
        self._conn.send((fmt, opts))
        self._pending.append(fmt)

    def result(self, fmt: str) -> bytes:
        """The bytes of the output ``fmt``; its warnings are reported here, in order."""
        while fmt not in self._results:
            if not self._pending:
                raise KeyError(fmt)
            try:
                done, outcome, warnings = self._conn.recv()
            except EOFError:
                code = self._process.exitcode
                raise RuntimeError(
                    f"the writer process stopped (exit code {code}) while writing "
                    f"{', '.join(self._pending)}"
                ) from None
            self._pending.remove(done)
            log.replay(warnings)
            if isinstance(outcome, BaseException):
                raise outcome
            self._results[done] = outcome
        return self._results.pop(fmt)


def _serve(conn: Connection, book: Anthology, writers: dict[str, Writer]) -> None:
    """The helper's loop: a job in, the output (or the error) and its warnings out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    log.LOGGER.handlers.clear()  # the main process prints the warnings it is sent
    log.LOGGER.propagate = False
    while True:
        try:
            job: Any = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        fmt, opts = job
        with log.collect() as found:
            try:
                outcome: bytes | BaseException = writers[fmt](book, opts)
            except (Exception, KeyboardInterrupt) as exc:  # raised again in the main process
                outcome = exc
        try:
            conn.send((fmt, outcome, tuple(found)))
        except Exception as exc:  # an exception that cannot be pickled
            conn.send((fmt, RuntimeError(f"{fmt} writer failed: {exc!r}"), tuple(found)))
