"""Turn a build's outputs into files: written aside, then renamed into place together.

Every output of a build is first written to its own temporary file in the
output folder (unique names, so two builds at once do not mix their bytes);
only when all of them are written are they renamed over the old ones. A
failed, interrupted (Ctrl-C) or disk-full build leaves earlier outputs intact
and no temporary files.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError


class Staging:
    """Outputs written to temporary files, renamed into place together by ``commit``.

    Used as a context manager: leaving it without ``commit`` (an error, Ctrl-C)
    removes the temporary files and leaves the old outputs as they were.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary file, target)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to a new temporary file next to ``path``."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(f"cannot write here: {_why(exc)}", path=str(path.parent)) from None
        self._staged.append((Path(tmp), path))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except OSError as exc:
            raise _output_error(exc, path) from None

    def commit(self) -> None:
        """Rename every temporary file over its target."""
        try:
            while self._staged:
                tmp, path = self._staged[0]
                os.replace(tmp, path)
                self._staged.pop(0)
        except OSError as exc:
            raise _output_error(exc, self._staged[0][1]) from None


def _errno(exc: OSError) -> int | None:
    """The error number, also of an ``OSError(errno.ENOSPC)`` made with no message."""
    if exc.errno is None and len(exc.args) == 1 and isinstance(exc.args[0], int):
        return exc.args[0]
    return exc.errno


def _why(exc: OSError) -> str:
    number = _errno(exc)
    return exc.strerror or (os.strerror(number) if number else str(exc))


def _output_error(exc: OSError, path: Path) -> OutputError:
    full = _errno(exc) in (errno.ENOSPC, errno.EDQUOT)
    return OutputError(
        f"cannot write: {_why(exc)}",
        path=str(path),
        hint=("free some disk space and build again; " if full else "")
        + "the previous outputs are kept",
    )


def replace_file(path: Path, data: bytes) -> None:
    """Write a bookkeeping file (cache entry, build state) whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
