"""Turn generated essay corpora into a side-by-side table: essaypress against the pandoc pipeline.

For each corpus size (default 100 and 400 synthetic Chinese essays, written by
``make_corpus.py``), every output is made both ways on the same essays, in the
same run, each command in a fresh process:

- PDF: ``essaypress build -f pdf`` against ``pandoc --file-scope *.md -s -o
  ref.html`` followed by WeasyPrint on that HTML (same page size, margins,
  fonts and type size as booklet-a5; see ``bench_pdf.REFERENCE_CSS``);
- DOCX: ``essaypress build -f docx`` against ``pandoc … -o ref.docx``;
- EPUB: ``essaypress build -f epub`` against ``pandoc … -o ref.epub``;
- all three: one ``essaypress build`` against the three pandoc pipelines in a row.

Each essaypress command reads the essays itself (reading is part of its time,
as parsing is part of pandoc's). Wall time, CPU time (user + system) and peak
resident memory come from ``os.wait4`` on the child (``/usr/bin/time -v``
reports the same ``ru_maxrss``); for a two-step pipeline, times add up and the
peak is the larger one. With ``--runs N`` the two sides alternate N times and
the fastest run of each counts. Results go to ``bench/out/`` (``results.md``,
``results.json``) and are printed. Run:

    make bench                                  # 100 and 400 essays
    .venv/bin/python bench/run.py --essays 100  # one size only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from make_corpus import make_project

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
OUTPUTS = ("pdf", "docx", "epub", "all")


@dataclass(frozen=True)
class Cost:
    """What one command (or a pipeline of commands, run one after the other) cost."""

    wall: float
    cpu: float
    peak_mb: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.wall + other.wall, self.cpu + other.cpu, max(self.peak_mb, other.peak_mb))


def measure(cmd: list[str], log: Path) -> Cost:
    """Run ``cmd`` in a new process; its wall time, CPU time and peak memory (from wait4)."""
    with log.open("ab") as fh:
        fh.write(("$ " + " ".join(cmd) + "\n").encode())
        fh.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)} — see {log}")
    return Cost(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def pandoc_path() -> str:
    import pypandoc  # type: ignore[import-untyped]

    return str(pypandoc.get_pandoc_path())


def reference(output: str, project: Path, work: Path, log: Path) -> Cost:
    """The pandoc pipeline for one output (``all``: the three, one after the other)."""
    if output == "all":
        return sum(
            (reference(o, project, work, log) for o in ("pdf", "docx", "epub")),
            Cost(0.0, 0.0, 0.0),
        )
    from bench_pdf import REFERENCE_CSS

    pandoc = [pandoc_path(), "--file-scope", *map(str, sorted(project.glob("essays/*.md")))]
    title = ["--metadata", "title=基準散文集"]
    if output == "docx":
        return measure([*pandoc, "-o", str(work / "ref.docx")], log)
    if output == "epub":
        return measure([*pandoc, *title, "-o", str(work / "ref.epub")], log)
    css = work / "ref.css"
    css.write_text(REFERENCE_CSS, encoding="utf-8")
    html = measure([*pandoc, "-s", *title, "-o", str(work / "ref.html")], log)
    weasy = [str(BIN / "weasyprint"), "-s", str(css), str(work / "ref.html"), str(work / "ref.pdf")]
    return html + measure(weasy, log)


def essaypress(output: str, project: Path, work: Path, log: Path) -> Cost:
    formats = "pdf,docx,epub" if output == "all" else output
    out = work / f"essaypress-{output}"
    cmd = [str(BIN / "essaypress"), "build", str(project), "-o", str(out), "-f", formats, "-q"]
    return measure(cmd, log)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def run_size(n: int, args: argparse.Namespace) -> dict[str, object]:
    work = args.out / f"{n}-essays"
    shutil.rmtree(work, ignore_errors=True)
    project = make_project(work / "project", n, lang=args.lang)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in project.glob("essays/*.md"))
    log = work / "commands.log"
    rows: dict[str, dict[str, object]] = {}
    for output in OUTPUTS:
        ours: list[Cost] = []
        ref: list[Cost] = []
        for _ in range(args.runs):  # alternate, so both sides see the same machine
            ref.append(reference(output, project, work, log))
            ours.append(essaypress(output, project, work, log))
            say(
                f"  {n} essays, {output}: essaypress {ours[-1].wall:.1f} s, "
                f"pandoc {ref[-1].wall:.1f} s"
            )
        best_ours, best_ref = min(ours, key=lambda c: c.wall), min(ref, key=lambda c: c.wall)
        rows[output] = {"essaypress": asdict(best_ours), "pandoc": asdict(best_ref)}
    return {
        "essays": n,
        "characters": chars,
        "pages": {
            "essaypress": pages(work / "essaypress-pdf" / "anthology.pdf"),
            "pandoc": pages(work / "ref.pdf"),
        },
        "outputs": rows,
    }


def _cost(row: dict[str, object], side: str) -> Cost:
    value = row[side]
    assert isinstance(value, dict)
    return Cost(**value)


def table(results: list[dict[str, object]]) -> str:
    """The results as a Markdown table, with a line on growth from the smallest to the largest."""
    lines = [
        "| essays | output | essaypress wall / CPU / peak | pandoc pipeline wall / CPU / peak "
        "| ratio wall | ratio CPU | ratio peak |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        outputs = result["outputs"]
        assert isinstance(outputs, dict)
        for output, row in outputs.items():
            ours, ref = _cost(row, "essaypress"), _cost(row, "pandoc")
            lines.append(
                f"| {result['essays']} | {'all three' if output == 'all' else output.upper()} "
                f"| {ours.wall:.1f} s / {ours.cpu:.1f} s / {ours.peak_mb:.0f} MB "
                f"| {ref.wall:.1f} s / {ref.cpu:.1f} s / {ref.peak_mb:.0f} MB "
                f"| {ours.wall / ref.wall:.2f} | {ours.cpu / ref.cpu:.2f} "
                f"| {ours.peak_mb / ref.peak_mb:.2f} |"
            )
    lines.append("")
    for result in results:
        p = result["pages"]
        assert isinstance(p, dict)
        lines.append(
            f"- {result['essays']} essays, {result['characters']:,} characters of Markdown: "
            f"{p['essaypress']} PDF pages (essaypress), {p['pandoc']} (pandoc + WeasyPrint)"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        for output in ("pdf", "all"):
            a = _cost(small["outputs"][output], "essaypress")  # type: ignore[index]
            b = _cost(large["outputs"][output], "essaypress")  # type: ignore[index]
            factor = int(large["essays"]) / int(small["essays"])  # type: ignore[call-overload]
            lines.append(
                f"- growth {small['essays']} → {large['essays']} essays (×{factor:g}), essaypress "
                f"{'PDF' if output == 'pdf' else 'all three'}: wall ×{b.wall / a.wall:.2f}, "
                f"CPU ×{b.cpu / a.cpu:.2f}, peak memory {a.peak_mb:.0f} → {b.peak_mb:.0f} MB"
            )
    return "\n".join(lines) + "\n"


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--essays", default="100,400", help="corpus sizes (default: 100,400)")
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--runs", type=int, default=1, help="runs of each side; the fastest counts")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="default: bench/out")
    args = ap.parse_args()
    args.runs = max(1, args.runs)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.essays.split(",") if s.strip()]
    say(f"essaypress vs the pandoc pipeline, {platform.machine()}, {os.cpu_count()} CPUs")
    results = [run_size(n, args) for n in sizes]
    text = table(results)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    say("")
    say(text)
    say(f"(written to {args.out / 'results.md'} and results.json)")


if __name__ == "__main__":
    main()
