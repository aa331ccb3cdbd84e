"""The harness itself: each of its checks fails when a build does what it must never do."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import essaypress.reading as reading
from essaypress.errors import ReaderError
from essaypress.readers import read_file

from .conftest import Project


def _evil_reader(monkeypatch: pytest.MonkeyPatch, act: Any) -> None:
    real = read_file

    def reader(path: Path, display: str) -> Any:
        act()
        return real(path, display)

    monkeypatch.setattr(reading, "read_file", reader)


def test_a_python_open_outside_the_project_is_caught(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")
    _evil_reader(monkeypatch, lambda: project.secrets["txt"].path.read_bytes())
    with pytest.raises(AssertionError, match="files read outside the project"):
        project.build()


def test_a_read_by_c_code_is_caught_by_the_access_time(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = project.secrets["txt"]
    if not secret.atime_works:
        pytest.skip("this filesystem does not record access times (noatime)")
    project.essay("正文。")
    # libxml2 opens the file itself: invisible to Python's audit hook
    xml = f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret.path}">]><r>&x;</r>'.encode()
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    _evil_reader(monkeypatch, lambda: etree.fromstring(xml, parser))
    with pytest.raises(AssertionError, match=r"secret\.txt was read"):
        project.build()


def test_a_network_attempt_is_caught(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.essay("正文。")

    def connect() -> None:
        with contextlib.suppress(OSError):
            socket.getaddrinfo("localhost", 9)

    _evil_reader(monkeypatch, connect)
    with pytest.raises(AssertionError, match="network or processes attempted"):
        project.build()


def test_a_change_to_the_sources_is_caught(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")
    _evil_reader(monkeypatch, lambda: (project.root / "a.md").write_text("changed"))
    with pytest.raises(AssertionError):  # the write, then the changed snapshot
        project.build()


def test_earlier_outputs_changed_by_a_failed_build_are_caught(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.essay("正文。")

    def clobber_then_fail() -> None:
        (project.out / "anthology.pdf").write_bytes(b"half written")
        raise ReaderError("broken", path="a.md")

    _evil_reader(monkeypatch, clobber_then_fail)
    with pytest.raises(AssertionError, match="earlier outputs changed"):
        project.build()
