"""essaypress watch: a save shows up in the live preview, errors show in the page and the
watcher lives on, the server answers only what it serves; checked with real HTTP requests."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import docx as python_docx
import lxml.html
import pytest

import essaypress.pipeline
from essaypress.cli import main
from essaypress.model.text import plain
from essaypress.pipeline import read_single
from essaypress.watch import WatchOptions, describe, run_watch, scan
from tests.conftest import ctrl_c_answered

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources"
KILN = "essays/01-kiln.md"
NEW_SENTENCE = "窯火熄了以後，我們在灰裡找到一枚沒有人認領的小陶哨。"
WAIT = 20.0


class Watching:
    """``run_watch`` in a thread on a copy of the sample, with the preview on a free port."""

    def __init__(self, sources: Path, out: Path, formats: tuple[str, ...] = ()) -> None:
        self.sources = sources
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None
        urls: queue.Queue[str] = queue.Queue()
        options = WatchOptions(sources=sources, out_dir=out, formats=formats, port=0)

        def run() -> None:
            try:
                run_watch(options, say=self.lines.append, stop=self.stop, on_ready=urls.put)
            except BaseException as exc:  # reported by the test, not lost in the thread
                self.error = exc
                urls.put("")

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self.url = urls.get(timeout=WAIT)
        assert self.url, self.error

    def fetch(self, path: str = "/") -> str:
        with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=WAIT) as answer:
            assert answer.status == 200
            return str(answer.read().decode("utf-8"))

    def state(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.fetch("/__version"))
        return data

    def raw(self, path: str, host: str | None = None) -> int:
        """The status of a GET of ``path`` exactly as written (no client-side normalising)."""
        connection = http.client.HTTPConnection(self.url.split("//")[1].rstrip("/"), timeout=WAIT)
        try:
            connection.putrequest("GET", path, skip_host=host is not None)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            answer = connection.getresponse()
            answer.read()
            return answer.status
        finally:
            connection.close()

    def until(self, what: str, ready: Callable[[], bool]) -> float:
        """Wait (bounded) until ``ready()``; the seconds it took."""
        start = time.monotonic()
        while not ready():
            assert self.thread.is_alive(), f"the watcher stopped: {self.error!r}"
            assert time.monotonic() - start < WAIT, f"no {what} within {WAIT} s: {self.lines}"
            time.sleep(0.05)
        return time.monotonic() - start

    def new_version(self, old: str) -> float:
        return self.until("new version", lambda: self.state()["version"] != old)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive()
        assert self.error is None, self.error


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture
def watching(sources: Path, tmp_path: Path) -> Iterator[Watching]:
    w = Watching(sources, tmp_path / "build")
    w.until("first preview", lambda: w.state()["status"] != "starting")
    yield w
    w.close()


def _save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_a_saved_change_is_served_in_the_preview(watching: Watching, sources: Path) -> None:
    title = plain(read_single(sources / KILN).meta.title)
    page = watching.fetch()
    assert title in page and 'id="essaypress-error"' not in page
    assert NEW_SENTENCE not in page
    old = watching.state()["version"]

    kiln = sources / KILN
    _save(kiln, kiln.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n")
    seconds = watching.new_version(old)
    page = watching.fetch()
    assert NEW_SENTENCE in page and title in page
    assert f"{KILN} changed" in watching.lines
    print(f"save → new preview served: {seconds:.2f} s ({watching.lines[-1]})")
    assert watching.state()["state"] == "idle"  # --no-build: nothing is being built


def test_a_broken_manifest_shows_in_the_page_and_the_watcher_lives_on(
    watching: Watching, sources: Path
) -> None:
    manifest = sources / "anthology.toml"
    good = manifest.read_text(encoding="utf-8")
    old = watching.state()["version"]
    _save(manifest, good.replace('title = "燈亮，有船回來"', 'title = "燈亮，有船回來'))
    watching.new_version(old)
    page = watching.fetch()
    assert 'id="essaypress-error"' in page
    assert re.search(r"anthology\.toml:\d+: not valid TOML", page)
    assert "燈亮，有船回來" in page  # the last good book is still shown below the banner
    assert watching.state()["state"] == "error"
    errors = [x for x in watching.lines if x.startswith("essaypress: error: ")]
    assert len(errors) == 1 and re.search(r"anthology\.toml:\d+: not valid TOML", errors[0])
    assert watching.thread.is_alive()

    old = watching.state()["version"]
    _save(manifest, good)
    watching.new_version(old)
    page = watching.fetch()
    assert 'id="essaypress-error"' not in page and "燈亮，有船回來" in page


def _banner(page: str) -> str:
    root: lxml.html.HtmlElement = lxml.html.document_fromstring(page)
    found = root.get_element_by_id("essaypress-error", None)
    return "" if found is None else str(found.text_content())


def test_a_broken_essay_and_a_bug_show_in_the_page(
    watching: Watching, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _banner(watching.fetch()) == ""
    old = watching.state()["version"]
    (sources / "essays/02-night-shift.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe bad")
    watching.new_version(old)
    assert "essays/02-night-shift.md" in _banner(watching.fetch())
    assert watching.state()["state"] == "error"

    def crash(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(essaypress.pipeline, "assemble", crash)
    monkeypatch.setattr(tempfile, "tempdir", str(sources.parent))  # the saved traceback
    old = watching.state()["version"]
    shutil.copy(SAMPLE / "essays/02-night-shift.md", sources / "essays/02-night-shift.md")
    watching.new_version(old)
    banner = _banner(watching.fetch())
    assert "internal error while reading the anthology (ZeroDivisionError: boom)" in banner
    assert f"{sources.parent}/essaypress-crash-" in banner  # the traceback, for the report
    assert watching.thread.is_alive()

    monkeypatch.undo()
    old = watching.state()["version"]
    (sources / "essays/02-night-shift.md").touch()
    watching.new_version(old)
    assert _banner(watching.fetch()) == ""


def test_only_the_page_its_images_and_the_version_are_served(watching: Watching) -> None:
    page = watching.fetch()
    image = page.split('<img src="', 1)[1].split('"', 1)[0]
    assert image.startswith("/r/") and watching.raw(image) == 200
    assert watching.raw("/") == 200 and watching.raw("/__version") == 200
    for path in (
        "/anthology.toml",
        "/essays/01-kiln.md",
        "/../anthology.toml",
        "/%2e%2e/anthology.toml",
        "/r/../anthology.toml",
        "/r/..%2f..%2fanthology.toml",
        "/r/missing",
        "//etc/passwd",
        "/etc/passwd",
        "/images/",
        "/__version/..",
    ):
        assert watching.raw(path) == 404, path
    assert watching.raw("/", host="attacker.example") == 403  # DNS rebinding


def test_the_page_allows_no_script_but_its_own(watching: Watching) -> None:
    with urllib.request.urlopen(watching.url, timeout=WAIT) as answer:
        csp = answer.headers["Content-Security-Policy"]
        page = answer.read().decode("utf-8")
    nonce = page.split('<script nonce="', 1)[1].split('"', 1)[0]
    assert f"script-src 'nonce-{nonce}'" in csp and "default-src 'none'" in csp
    assert page.count("<script") == 1


def test_a_save_rebuilds_the_outputs(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    w = Watching(sources, out, formats=("docx",))
    try:

        def built() -> bool:
            state = w.state()
            return state["state"] == "idle" and state["status"].startswith("built")

        seconds = w.until("first build", built)
        docx = out / "anthology.docx"
        assert docx.is_file()
        print(f"first build (docx) done {seconds:.1f} s after the start")
        stamp = docx.stat().st_mtime_ns
        kiln = sources / KILN
        _save(kiln, kiln.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n")
        seconds = w.until("rebuild", lambda: docx.stat().st_mtime_ns != stamp and built())
        print(f"save → anthology.docx rebuilt: {seconds:.1f} s")
        text = "\n".join(p.text for p in python_docx.Document(str(docx)).paragraphs)
        assert NEW_SENTENCE in text
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    finally:
        w.close()


def test_max_rounds_ends_the_watch_and_the_port_is_given_back(
    sources: Path, tmp_path: Path
) -> None:
    urls: list[str] = []
    options = WatchOptions(sources=sources, out_dir=tmp_path / "b", formats=(), port=0)
    run_watch(options, say=lambda _: None, max_rounds=2, on_ready=urls.append)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(urls[0], timeout=2)


def test_scan_skips_editor_files_and_describe_names_the_change(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x")
    for name in (".a.md.swp", "~$a.docx", "a.md~", "4913", ".git"):
        (tmp_path / name).write_text("x")
    before = scan([tmp_path])
    assert list(before) == [str(tmp_path / "a.md")]
    (tmp_path / "b.md").write_text("y")
    assert describe(before, scan([tmp_path]), tmp_path) == "b.md added"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port 70000"),
        (["--formats", "pdf,odt"], "unknown format 'odt'"),
    ],
)
def test_watch_command_line_errors_exit_2(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["watch", str(sources), "-o", str(tmp_path / "b"), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_sources_folder_exits_2(tmp_path: Path) -> None:
    assert main(["watch", str(tmp_path / "nowhere"), "--no-build", "--port", "0"]) == 2


def test_ctrl_c_stops_the_watch_with_exit_130(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    command = [sys.executable, "-m", "essaypress", "watch", str(sources), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "-f", "docx", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_answered,
    )
    assert process.stderr is not None
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if line.startswith("preview updated"):
                break
        time.sleep(0.3)  # the build has started
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=WAIT)[1]
    finally:
        process.kill()
        process.wait()
        process.stderr.close()  # also after a timeout: no unclosed pipe for a later test
    assert process.returncode == 130, "".join(lines) + rest
    assert "interrupted" in rest
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")] if out.exists() else True


def test_a_port_in_use_is_a_usage_error() -> None:
    from essaypress.errors import UsageError
    from essaypress.serve import PreviewServer

    with PreviewServer(0) as taken:
        with pytest.raises(UsageError, match=f"port {taken.port} is already in use"):
            PreviewServer(taken.port)
        assert taken.url == f"http://127.0.0.1:{taken.port}/"
