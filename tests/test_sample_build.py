"""The sample anthology, built as `make build` builds it, checked by its outputs' properties."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from essaypress.config import load_manifest
from essaypress.model.nodes import Anthology
from essaypress.model.text import plain, plain_blocks
from essaypress.pipeline import assemble
from tests.conftest import need_tool
from tests.writers.conftest import run_epubcheck

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sources"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    done = subprocess.run(
        [sys.executable, "-m", "essaypress", "build", str(SAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr
    return out


@pytest.fixture(scope="module")
def book() -> Anthology:
    return assemble(load_manifest(SAMPLE))


def test_the_sample_is_what_the_issue_asks_for(book: Anthology) -> None:
    essays = book.essays
    assert book.front and len(essays) >= 6
    zh = [e for e in essays if e.meta.lang.startswith("zh")]
    assert len(zh) >= 4 and any(e.meta.lang == "en" for e in essays)
    assert any(e.source and e.source.path.endswith(".docx") for e in zh)
    assert all(e.meta.authors for e in essays)
    assert sum(len(e.resources) for e in essays) >= 1


def test_build_writes_the_three_outputs(built: Path) -> None:
    names = sorted(p.name for p in built.iterdir() if p.is_file())
    assert names == ["anthology.docx", "anthology.epub", "anthology.pdf"]
    assert all((built / n).stat().st_size > 10_000 for n in names)


def test_epub_passes_epubcheck_with_nothing_to_report(built: Path) -> None:
    report = run_epubcheck(built / "anthology.epub")
    assert (report.fatal, report.error, report.warning) == (0, 0, 0), str(report)


def test_every_pdf_font_is_embedded(built: Path) -> None:
    header, _, *fonts = subprocess.run(
        [need_tool("pdffonts", "poppler-utils"), str(built / "anthology.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert fonts, "no fonts listed"
    column = header.index(" emb ") + 1
    for line in fonts:
        assert line[column : column + 3] == "yes", line


def test_every_cjk_character_of_the_sample_is_in_the_pdf_text(built: Path, book: Anthology) -> None:
    text = subprocess.run(
        [need_tool("pdftotext", "poppler-utils"), str(built / "anthology.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wanted = book.meta.title + book.meta.subtitle
    for essay in (*book.front, *book.essays):
        wanted += plain(essay.meta.title) + plain_blocks(essay.blocks, notes=True)
        wanted += "".join(p.name + p.affiliation for p in essay.meta.authors)
    missing = set(CJK.findall(wanted)) - set(text)
    assert not missing, "".join(sorted(missing))


def test_docx_reopens_with_every_essay_title_in_a_heading_style(
    built: Path, book: Anthology
) -> None:
    document = docx.Document(str(built / "anthology.docx"))
    headings = {
        p.text.strip()
        for p in document.paragraphs
        if p.style is not None and (p.style.name or "").startswith("Heading")
    }
    for essay in book.essays:
        assert plain(essay.meta.title) in headings
