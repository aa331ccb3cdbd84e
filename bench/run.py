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
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from make_corpus import make_project

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
OUTPUTS = ("pdf", "docx", "epub", "all")


@dataclass(frozen=True)
class Cost:
    """What one command (or a pipeline of commands, run one after the other) cost.

    ``peak_mb``: the largest resident set of any one process (``ru_maxrss``);
    ``total_mb``: the largest sum of the proportional set sizes (PSS: shared pages
    split between the processes sharing them) of the command and its child
    processes, sampled every 50 ms — what a build with a helper process really holds.
    """

    wall: float
    cpu: float
    peak_mb: float
    total_mb: float = 0.0

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.wall + other.wall,
            self.cpu + other.cpu,
            max(self.peak_mb, other.peak_mb),
            max(self.total_mb, other.total_mb),
        )


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                continue
    return found


def _pss_mb(pid: int) -> float:
    total = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total / 1024


class _Sampler(threading.Thread):
    """The largest PSS of a process tree, sampled until ``stop``."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, _pss_mb(self.pid))


def measure(cmd: list[str], log: Path) -> Cost:
    """Run ``cmd`` in a new process; its wall time, CPU time and peak memory (from wait4)."""
    with log.open("ab") as fh:
        fh.write(("$ " + " ".join(cmd) + "\n").encode())
        fh.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)} — see {log}")
    peak = usage.ru_maxrss / 1024
    return Cost(wall, usage.ru_utime + usage.ru_stime, peak, max(sampler.peak, peak))


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
    """A cold build: a new output folder, so no cache and no earlier outputs."""
    formats = "pdf,docx,epub" if output == "all" else output
    out = work / f"essaypress-{output}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "essaypress"), "build", str(project), "-o", str(out), "-f", formats, "-q"]
    return measure(cmd, log)


def editing_loop(project: Path, work: Path, log: Path) -> dict[str, object]:
    """After the cold build of all three: a no-op build, one essay changed, one essay's proof."""
    out = work / "essaypress-all"
    build = [str(BIN / "essaypress"), "build", str(project), "-o", str(out), "-q"]
    noop = measure(build, log)
    essays = sorted(project.glob("essays/*.md"))
    changed = essays[len(essays) // 2]
    original = changed.read_bytes()
    changed.write_bytes(original + "\n　　編者改了一個字。\n".encode())
    try:
        one = measure(build, log)
    finally:
        changed.write_bytes(original)
    measure(build, log)  # back to the book of the cold build
    rel = changed.relative_to(project).as_posix()
    proof = measure(
        [str(BIN / "essaypress"), "proof", rel, str(project), "-o", str(out), "-q"], log
    )
    return {"noop": asdict(noop), "one_changed": asdict(one), "proof": asdict(proof)}


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
    loop = editing_loop(project, work, log)
    return {
        "essays": n,
        "characters": chars,
        "loop": loop,
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
    """The results as Markdown: the side-by-side table, the editing loop, growth with size."""
    lines = [
        "| essays | output | essaypress wall / CPU / peak (all processes) "
        "| pandoc pipeline wall / CPU / peak | ratio wall | ratio CPU | ratio peak |",
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
                f"({ours.total_mb:.0f} MB) "
                f"| {ref.wall:.1f} s / {ref.cpu:.1f} s / {ref.peak_mb:.0f} MB "
                f"| {ours.wall / ref.wall:.2f} | {ours.cpu / ref.cpu:.2f} "
                f"| {ours.total_mb / ref.peak_mb:.2f} |"
            )
    lines.append("")
    for result in results:
        p = result["pages"]
        outputs = result["outputs"]
        loop = result["loop"]
        assert isinstance(p, dict) and isinstance(outputs, dict) and isinstance(loop, dict)
        pdf, both = _cost(outputs["pdf"], "essaypress"), _cost(outputs["all"], "essaypress")
        noop, one, proof = (Cost(**loop[k]) for k in ("noop", "one_changed", "proof"))
        lines.append(
            f"- {result['essays']} essays, {result['characters']:,} characters of Markdown: "
            f"{p['essaypress']} PDF pages (essaypress), {p['pandoc']} (pandoc + WeasyPrint); "
            f"all three formats take {both.wall / pdf.wall:.2f}× the wall time of the PDF alone; "
            f"then a build with nothing changed {noop.wall:.2f} s, with one essay changed "
            f"{one.wall:.1f} s, the proof of one essay {proof.wall:.1f} s"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        for output in ("pdf", "all"):
            a = _cost(small["outputs"][output], "essaypress")  # type: ignore[index]
            b = _cost(large["outputs"][output], "essaypress")  # type: ignore[index]
            pages_a = small["pages"]["essaypress"]  # type: ignore[index]
            pages_b = large["pages"]["essaypress"]  # type: ignore[index]
            lines.append(
                f"- growth {small['essays']} → {large['essays']} essays ({pages_a} → {pages_b} "
                f"pages, ×{pages_b / pages_a:.2f}), essaypress "
                f"{'PDF' if output == 'pdf' else 'all three'}: wall ×{b.wall / a.wall:.2f}, "
                f"CPU ×{b.cpu / a.cpu:.2f}, peak memory {a.total_mb:.0f} → {b.total_mb:.0f} MB"
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
