"""Time essaypress's PDF against WeasyPrint on pandoc's HTML for the same essays, side by side.

The benchmark corpus (``make_corpus.py`` from ``ESSAYPRESS_BENCH``, default
``../shared/bench``: 100 synthetic Chinese essays, about 500 A5 pages) is
rendered two ways, each measurement in a fresh process, the two alternated:

- reference: ``pandoc --file-scope essays/*.md -s`` (pandoc from the
  pypandoc-binary wheel), then WeasyPrint on that HTML with a style sheet
  giving the same page, margins, fonts, type size and justification, but
  none of essaypress's typography;
- essaypress: ``write_pdf`` on the anthology read from the same essays (the
  reading is timed apart).

Times are CPU seconds of the measured process (the machine may be busy with
other work; wall-clock times are reported too). Then it renders the book
again without one feature at a time, each variant alternated with a full
run, and reports what each feature costs (full minus without). Target:
essaypress at most 2× the reference. Run:

    .venv/bin/python bench/bench_pdf.py [--essays 100] [--runs 2] [--no-features] [--json F]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("ESSAYPRESS_BENCH", REPO.parent / "shared" / "bench"))
REFERENCE_CSS = """
@page { size: 148mm 210mm; margin: 18mm 15mm 20mm 20mm; @bottom-center { content: counter(page) } }
html { font-family: "Noto Serif", "Noto Serif CJK TC", serif; font-size: 10.5pt; line-height: 1.75 }
body { max-width: none; margin: 0; padding: 0 }
p { text-align: justify; text-indent: 2em; margin: 0 }
"""


def _no_cjk_justify() -> None:
    from essaypress.writers.pdf import _cjk_justify

    setattr(_cjk_justify, "unsupported", lambda: "switched off for the benchmark")  # noqa: B010


def _no_print_spans() -> None:
    from essaypress.writers.pdf import _document

    setattr(_document, "prepare_blocks", lambda blocks, cjk: blocks)  # noqa: B010


def _no_latin_faces() -> None:
    from essaypress.writers.pdf import _fonts

    setattr(_fonts, "_restricted_faces", lambda family, name: ())  # noqa: B010


# feature → (what it is, how to turn it off: a function, or CSS added to layout.css)
FEATURES: dict[str, tuple[str, Callable[[], None] | str]] = {
    "cjk-justify": ("CJK inter-character justification (pinned WeasyPrint patch)", _no_cjk_justify),
    "print-spans": (
        "emphasis dots, no lone last character, quote breaks, glued calls",
        _no_print_spans,
    ),
    "latin-faces": (
        "Latin faces without shared punctuation in Chinese (@font-face)",
        _no_latin_faces,
    ),
    "page-references": (
        "page numbers and leaders in contents and index",
        ".toc-entry a::after, .contributor-essay a::after { content: none }",
    ),
    "footnotes": (
        "footnotes at the foot of the page (float: footnote)",
        ".fn { float: none; display: none }",
    ),
    "running-heads": (
        "running heads (string-set and margin boxes)",
        "@page :left { @top-left { content: none } } @page :right { @top-right { content: none } }",
    ),
    "front-back-matter": (
        "cover, half-title, title, colophon, contents, contributors",
        ".cover, .half-title, .title-page, .colophon, .toc, .contributors { display: none }",
    ),
}


# ------------------------------------------------------------------ children


def child_reference(html: Path, out: Path) -> dict[str, Any]:
    import weasyprint

    start, cpu = time.perf_counter(), time.process_time()
    document = weasyprint.HTML(filename=str(html)).render(
        stylesheets=[weasyprint.CSS(string=REFERENCE_CSS)]
    )
    laid_out = time.perf_counter()
    out.write_bytes(document.write_pdf())
    end = time.perf_counter()
    return {
        "seconds": time.process_time() - cpu,
        "wall": end - start,
        "layout": laid_out - start,
        "pages": len(document.pages),
    }


def child_essaypress(project: Path, out: Path, feature: str) -> dict[str, Any]:
    from essaypress import log
    from essaypress.config import load_manifest
    from essaypress.layouts import load_layout
    from essaypress.options import WriterOptions
    from essaypress.pipeline import assemble
    from essaypress.writers.pdf import write_pdf

    layout_name = "booklet-a5"
    if feature != "full":
        switch = FEATURES[feature][1]
        if isinstance(switch, str):
            layout_name = _css_layout(project, feature, switch)
        else:
            switch()
    with log.collect() as diags:
        start = time.perf_counter()
        book = assemble(load_manifest(project))
        read, cpu = time.perf_counter(), time.process_time()
        opts = WriterOptions(layout=load_layout(layout_name, project), date=book.meta.date)
        pdf = write_pdf(book, opts)
        end = time.perf_counter()
    out.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "seconds": time.process_time() - cpu,
        "wall": end - read,
        "read": read - start,
        "pages": pages,
        "warnings": len(diags),
    }


def _css_layout(project: Path, feature: str, css: str) -> str:
    """A layout extending booklet-a5 whose layout.css also switches ``feature`` off."""
    from essaypress.layouts import load_layout

    name = f"bench-{feature}"
    folder = project / "layouts" / name / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "layout.toml").write_text(
        f'extends = "booklet-a5"\nname = "{name}"\n', encoding="utf-8"
    )
    base = load_layout("booklet-a5").folder("pdf") / "layout.css"
    (folder / "layout.css").write_text(
        base.read_text(encoding="utf-8") + "\n" + css + "\n", encoding="utf-8"
    )
    return name


# -------------------------------------------------------------------- parent


def say(*parts: object) -> None:
    sys.stdout.write(" ".join(map(str, parts)) + "\n")


def run_child(*args: str) -> dict[str, Any]:
    """One measurement in a fresh interpreter: its result and its peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_mb"] = peak / 1024 if peak > before else None
    return result


def make_project(root: Path, essays: int, lang: str) -> tuple[Path, float]:
    """The corpus as an essaypress project, and pandoc's HTML of it (returns pandoc's time)."""
    import pypandoc  # type: ignore[import-untyped]

    project = root / "project"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "make_corpus.py"),
            str(project / "essays"),
            str(essays),
            "--lang",
            lang,
        ],
        check=True,
    )
    files = sorted((project / "essays").glob("*.md"))
    listing = ", ".join(f'"essays/{f.name}"' for f in files)
    (project / "anthology.toml").write_text(
        f'title = "基準散文集"\neditors = ["編者"]\ndate = "2026-01-01"\n'
        f'language = "{"zh-Hant" if lang == "zh" else "en"}"\n'
        f'[[parts]]\ntitle = ""\nessays = [{listing}]\n',
        encoding="utf-8",
    )
    pandoc = pypandoc.get_pandoc_path()
    start = time.perf_counter()
    subprocess.run(
        [
            pandoc,
            "--file-scope",
            *map(str, files),
            "-s",
            "--metadata",
            "title=T",
            "-o",
            str(root / "ref.html"),
        ],
        check=True,
    )
    return project, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--essays", type=int, default=100)
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--runs", type=int, default=2, help="measurements of each; the fastest counts")
    ap.add_argument("--no-features", action="store_true", help="skip the per-feature costs")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", type=Path, help="keep the corpus and PDFs in this folder")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "reference":
            result = child_reference(Path(rest[0]), Path(rest[1]))
        else:
            result = child_essaypress(Path(rest[0]), Path(rest[1]), rest[2])
        say(json.dumps(result))
        return

    root = Path(tempfile.mkdtemp(prefix="essaypress-bench-"))
    try:
        project, pandoc_seconds = make_project(root, args.essays, args.lang)
        ref: list[dict[str, Any]] = []
        ours: list[dict[str, Any]] = []
        for _ in range(max(1, args.runs)):  # alternate, so both see the same machine
            ref.append(run_child("reference", str(root / "ref.html"), str(root / "ref.pdf")))
            ours.append(run_child("essaypress", str(project), str(root / "ours.pdf"), "full"))
        best_ref = min(ref, key=lambda r: r["seconds"])
        best = min(ours, key=lambda r: r["seconds"])
        ratio = best["seconds"] / best_ref["seconds"]
        report: dict[str, Any] = {
            "essays": args.essays,
            "lang": args.lang,
            "pandoc_html_seconds": pandoc_seconds,
            "reference": best_ref,
            "essaypress": best,
            "ratio": ratio,
            "features": {},
        }
        say(f"{args.essays} {args.lang} essays; CPU seconds, fastest of {len(ref)} runs each")
        say(f"  pandoc → HTML (wall)           {pandoc_seconds:6.2f} s")
        say(
            f"  WeasyPrint on pandoc's HTML    {best_ref['seconds']:6.2f} s  "
            f"(wall {best_ref['wall']:.2f} s, {best_ref['pages']} pages)"
        )
        say(
            f"  essaypress write_pdf           {best['seconds']:6.2f} s  "
            f"(wall {best['wall']:.2f} s, {best['pages']} pages; reading {best['read']:.2f} s)"
        )
        say(
            f"  ratio essaypress / reference   {ratio:6.2f}  (target ≤ 2.00: "
            f"{'met' if ratio <= 2 else 'NOT met'})"
        )
        if not args.no_features:
            say("\n  feature costs (CPU of the full book minus CPU without the feature; each")
            say("  variant alternates with a full run, so both see the same machine):")
            for feature, (what, _) in FEATURES.items():
                full, runs = [], []
                for _ in range(max(1, args.runs)):
                    full.append(run_child("essaypress", str(project), str(root / "f.pdf"), "full"))
                    runs.append(run_child("essaypress", str(project), str(root / "v.pdf"), feature))
                without = min(r["seconds"] for r in runs)
                with_it = min(r["seconds"] for r in full)
                cost = with_it - without
                share = cost / with_it * 100
                report["features"][feature] = {
                    "what": what,
                    "without_seconds": without,
                    "cost_seconds": cost,
                }
                say(f"  {feature:18} {cost:+6.2f} s ({share:+5.1f} %)  {what}")
        if args.json:
            args.json.write_text(
                json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        if args.keep:
            shutil.copytree(root, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
