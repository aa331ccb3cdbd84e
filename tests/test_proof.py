"""``essaypress proof ESSAY``: one essay's pages, numbered and laid out as in the last build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from essaypress.cli import main
from essaypress.log import collect
from essaypress.proofing import proof

REPO = Path(__file__).resolve().parent.parent


def _pages(pdf: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample anthology, copied and built once."""
    root = tmp_path_factory.mktemp("proof")
    src, out = root / "sources", root / "build"
    shutil.copytree(REPO / "sources", src)
    assert main(["build", str(src), "-o", str(out), "-q", "-f", "pdf"]) == 0
    return src, out


@pytest.mark.parametrize(
    "essay", ["essays/04-lighthouse.md", "essays/03-sewing-machine.docx", "preface", "07-waiting"]
)
def test_a_proof_has_the_pages_of_the_essay_in_the_book(
    built: tuple[Path, Path], essay: str
) -> None:
    src, out = built
    assert main(["proof", essay, str(src), "-o", str(out), "-q"]) == 0
    proofs = sorted((out / "proofs").glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns)
    mine = _pages(proofs[-1])
    book = _pages(out / "anthology.pdf")
    assert mine and all(mine)
    starts = [i for i, page in enumerate(book) if page == mine[0]]
    assert len(starts) == 1, "the proof's first page is one page of the book, folio included"
    first = starts[0]
    assert book[first : first + len(mine)] == mine


def test_a_proof_without_an_earlier_build_is_numbered_from_one(tmp_path: Path) -> None:
    src = tmp_path / "sources"
    shutil.copytree(REPO / "sources", src)
    with collect() as said:
        target = proof(src, tmp_path / "out", "essays/02-night-shift.md")
    assert [w.code for w in said if w.code.startswith("proof")] == ["proof-unnumbered"]
    folios = [page.split()[-1] for page in _pages(target)]  # the folio ends each page's text
    assert folios == [str(n) for n in range(1, len(folios) + 1)]


def test_a_proof_after_an_earlier_essay_changed_says_the_pages_may_have_moved(
    tmp_path: Path,
) -> None:
    src, out = tmp_path / "sources", tmp_path / "out"
    shutil.copytree(REPO / "sources", src)
    assert main(["build", str(src), "-o", str(out), "-q", "-f", "pdf"]) == 0
    first = src / "essays" / "01-kiln.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n又加了一段。\n", encoding="utf-8")
    with collect() as said:
        proof(src, out, "essays/05-monsoon.md")
    assert "proof-moved" in [w.code for w in said]


def test_an_essay_not_in_the_anthology_is_a_one_line_error(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = built
    assert main(["proof", "essays/99-nothing.md", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("essaypress: error: no essay 'essays/99-nothing.md' in the anthology")


def test_a_proof_gives_only_the_warnings_of_its_own_essay(tmp_path: Path) -> None:
    src = tmp_path / "proj"
    src.mkdir()
    (src / "anthology.toml").write_text(
        'title = "集"\ndate = "2026-01-01"\nessays = ["a.md", "b.md"]\n', encoding="utf-8"
    )
    (src / "a.md").write_text("---\ntitle: 甲\nauthor: 某\nmood: 晴\n---\n\n正文。\n", "utf-8")
    (src / "b.md").write_text("---\ntitle: 乙\nauthor: 某\n---\n\n正文。\n", "utf-8")
    with collect() as other:
        proof(src, tmp_path / "out", "b.md")
    with collect() as own:
        proof(src, tmp_path / "out", "a.md")
    assert "front-matter-key" not in [w.code for w in other]
    assert [w.location for w in own if w.code == "front-matter-key"] == ["a.md:4"]
