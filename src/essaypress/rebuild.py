"""Turn build requests into ``pipeline.build`` runs in a child process, one at a time, newest wins.

``essaypress watch`` rebuilds the outputs here while it keeps serving the
preview. Each build runs in a fresh interpreter (``python -c``, in a session of
its own), which keeps it apart from the watcher's threads: its warnings are
its own, it may fork its helper process for the DOCX and EPUB, and its time
limits (SIGALRM) work. A request during a build does not stop it; one more
build follows with the newest files. ``stop`` sends SIGTERM, which the child
turns into an interrupt: its temporary files are removed and the earlier
outputs kept. The child reports on a pipe, one JSON object a line.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import EssaypressError
from .log import LOGGER, Diagnostic, collect

_CHILD = "from essaypress.rebuild import child_main; child_main()"
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # where `import essaypress` works


@dataclass(frozen=True)
class BuildJob:
    """The arguments of ``pipeline.build`` for every build."""

    sources: Path
    out_dir: Path
    formats: tuple[str, ...]
    layout: str | None = None
    edition: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a build ended: ``done`` (``text``: the outputs), ``error`` (``text``: the one-line
    message) or ``stopped``; with the warnings it gave and its wall time."""

    kind: Literal["done", "error", "stopped"]
    text: str
    warnings: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0


class Rebuilder:
    """A thread that runs the build for the newest ``request``; ``stop`` ends it."""

    def __init__(
        self,
        job: BuildJob,
        *,
        on_progress: Callable[[str], None],
        on_done: Callable[[int, Outcome], None],
    ) -> None:
        self.job = job
        self.on_progress = on_progress
        self.on_done = on_done
        self.cond = threading.Condition()
        self.wanted = 0
        self.stopping = False
        self.process: subprocess.Popen[bytes] | None = None
        self.thread = threading.Thread(target=self._run, name="essaypress-build", daemon=True)
        self.thread.start()

    def request(self, generation: int) -> None:
        """Build the sources (again) for reading number ``generation``."""
        with self.cond:
            self.wanted = generation
            self.cond.notify()

    def stop(self, timeout: float) -> bool:
        """End the thread and a running build; whether they ended within ``timeout`` seconds.

        Called again with a longer ``timeout``, it waits longer; with ``kill``-time
        over, a build that would not stop is killed.
        """
        with self.cond:
            first = not self.stopping
            self.stopping = True
            process = self.process
            self.cond.notify()
        if first and process is not None:
            with suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        self.thread.join(timeout)
        return not self.thread.is_alive()

    def kill(self) -> None:
        """Kill a build that did not stop (its temporary files may remain)."""
        with self.cond:
            process = self.process
        if process is not None:
            with suppress(ProcessLookupError):
                process.kill()
        self.thread.join(1.0)

    def _run(self) -> None:
        done = 0
        while True:
            with self.cond:
                while not self.stopping and self.wanted == done:
                    self.cond.wait()
                if self.stopping:
                    return
                generation = done = self.wanted
            outcome = self._build()
            with self.cond:
                stopping = self.stopping
            if outcome.kind != "stopped" and not stopping:
                self.on_done(generation, outcome)

    def _build(self) -> Outcome:
        job = json.dumps(
            {
                "sources": str(self.job.sources),
                "out_dir": str(self.job.out_dir),
                "formats": list(self.job.formats),
                "layout": self.job.layout,
                "edition": self.job.edition,
            }
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_ROOT, env.get("PYTHONPATH"))))
        start = time.perf_counter()
        read_end, write_end = os.pipe()
        try:
            with self.cond:
                if self.stopping:
                    return Outcome("stopped", "")
                self.process = subprocess.Popen(
                    [sys.executable, "-c", _CHILD, job, str(write_end)],
                    stdin=subprocess.DEVNULL,
                    pass_fds=(write_end,),
                    start_new_session=True,  # Ctrl-C is the watcher's; it sends SIGTERM
                    env=env,
                )
        except OSError as exc:
            os.close(read_end)
            return Outcome("error", f"cannot start a build: {exc.strerror or exc}")
        finally:
            os.close(write_end)
        outcome = Outcome("error", "the build process ended without saying how (see above)")
        with os.fdopen(read_end, encoding="utf-8") as messages:
            for line in messages:
                message = json.loads(line)
                if message["kind"] == "progress":
                    self.on_progress(message["text"])
                else:
                    found = tuple(Diagnostic(**d) for d in message["warnings"])
                    outcome = Outcome(message["kind"], message["text"], found)
        self.process.wait()
        with self.cond:
            self.process = None
        return dataclasses.replace(outcome, seconds=time.perf_counter() - start)


class _Stopped(BaseException):
    """SIGTERM in the build process: stop as Ctrl-C would (temporary files removed)."""


def child_main() -> None:
    """The build process: ``python -c … JOB_JSON FD``; reports on file descriptor FD."""

    def stop(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the clean-up finish
        raise _Stopped

    signal.signal(signal.SIGTERM, stop)
    try:
        from . import pipeline
    except _Stopped:
        return  # stopped before it began
    job: dict[str, Any] = json.loads(sys.argv[1])
    out = os.fdopen(int(sys.argv[2]), "w", encoding="utf-8", buffering=1)
    LOGGER.propagate = False

    def send(kind: str, text: str, found: tuple[Diagnostic, ...] = ()) -> None:
        warnings = [dataclasses.asdict(d) for d in found]
        with suppress(OSError):  # the watcher went away: nobody to tell
            out.write(json.dumps({"kind": kind, "text": text, "warnings": warnings}) + "\n")

    with collect() as found:
        try:
            result = pipeline.build(
                Path(job["sources"]),
                Path(job["out_dir"]),
                tuple(job["formats"]),
                layout=job["layout"],
                progress=lambda message: send("progress", message),
                edition=job["edition"],
            )
            kind, text = "done", ", ".join(p.name for p in result.outputs)
        except _Stopped:
            kind, text = "stopped", ""
        except EssaypressError as exc:
            kind, text = "error", str(exc)
        except Exception as exc:
            kind, text = "error", internal_error(exc, "building")
    send(kind, text, tuple(found))
    with suppress(OSError):
        out.close()


def internal_error(exc: Exception, doing: str) -> str:
    """One line about a bug, with the path of its saved traceback (as the CLI says it)."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="essaypress-crash-", suffix=".txt", delete=False
    ) as fh:
        traceback.print_exception(exc, file=fh)
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    return (
        f"internal error while {doing} ({what}): a bug in essaypress — the traceback is in "
        f"{fh.name}, please report it"
    )
