"""Located warnings: a code, a message and where it happened, collected per build."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

LOGGER = logging.getLogger("essaypress")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    location: str = ""
    severity: str = "warning"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]"


def warn(code: str, message: str, location: object = None) -> None:
    """Report a warning; ``location`` is a path, a ``SourceRef`` or anything printable."""
    diag = Diagnostic(code, message, "" if location is None else str(location))
    LOGGER.warning(str(diag), extra={"diagnostic": diag})


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.items: list[Diagnostic] = []

    def emit(self, record: logging.LogRecord) -> None:
        diag = getattr(record, "diagnostic", None)
        if diag is None:
            diag = Diagnostic("internal", record.getMessage())
        self.items.append(diag)


@contextmanager
def collect() -> Iterator[list[Diagnostic]]:
    """Collect every warning reported inside the block into the yielded list."""
    handler = _Collector()
    LOGGER.addHandler(handler)
    try:
        yield handler.items
    finally:
        LOGGER.removeHandler(handler)


@contextmanager
def held() -> Iterator[list[Diagnostic]]:
    """Keep every warning reported inside the block in the yielded list, printing none.

    For work whose warnings are reported later, or only in part (``replay``): a
    reader in a worker process, the other essays of a proof.
    """
    handlers, propagate = LOGGER.handlers[:], LOGGER.propagate
    LOGGER.handlers.clear()
    LOGGER.propagate = False
    try:
        with collect() as found:
            yield found
    finally:
        LOGGER.handlers[:] = handlers
        LOGGER.propagate = propagate


def replay(diagnostics: Iterable[Diagnostic]) -> None:
    """Report again warnings kept earlier (by ``held``, a cache, another process)."""
    for diag in diagnostics:
        LOGGER.warning(str(diag), extra={"diagnostic": diag})
