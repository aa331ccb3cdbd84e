"""The one exception hierarchy; each error carries the exit code the CLI returns.

A user-facing message is one line: ``file:line: what is wrong — what to do``.
"""

from __future__ import annotations


class EssaypressError(Exception):
    """A problem the user can fix; never a bug in essaypress."""

    exit_code = 1

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, hint: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class ConfigError(EssaypressError):
    """The manifest (anthology.toml) or a layout.toml is wrong."""


class ReaderError(EssaypressError):
    """An essay file cannot be read."""


class LayoutError(EssaypressError):
    """A layout is missing or its templates are broken."""


class UsageError(EssaypressError):
    """The command line is wrong."""

    exit_code = 2


class OutputError(EssaypressError):
    """An output could not be written (permissions, disk full)."""

    exit_code = 3
