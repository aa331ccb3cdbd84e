"""Turn the 100-essay benchmark corpus into DOCX with essaypress and with pandoc, and compare.

usage: .venv/bin/python bench/bench_docx.py [--essays 100] [--lang zh] [--repeat 5]
                                            [--corpus DIR] [--max-ratio 2.0]

The corpus is made by ``bench/make_corpus.py`` (the project's copy of the shared
generator: 100 essays of about 2,000 characters, ~500 A5 pages); ``--corpus``
takes a folder of .md files instead. Pandoc is the one of the ``pypandoc-binary`` wheel, run as
the reference pipeline does: ``pandoc --file-scope ESSAYS/*.md -o ref.docx``.
Both run in this one process, alternately, ``--repeat`` times each; the best
time of each counts (the least disturbed by the machine).

Timed for essaypress:
- full path: read the Markdown essays, assemble and transform the anthology
  (``pipeline.assemble``), ``write_docx``, write the file;
- write only: ``write_docx`` on the assembled anthology.

Prints both ratios to pandoc and exits 1 when the full path takes more than
``--max-ratio`` times pandoc's time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def write_manifest(root: Path, essays: list[Path]) -> None:
    """An anthology.toml naming the corpus essays in order, in one untitled part."""
    names = ", ".join(f'"{p.relative_to(root).as_posix()}"' for p in essays)
    (root / "anthology.toml").write_text(
        f'title = "Benchmark"\ndate = "2026-01-01"\nlanguage = "zh-Hant"\nessays = [{names}]\n',
        encoding="utf-8",
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def best_of(repeat: int, runs: dict[str, Callable[[], None]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():  # alternate, so drifts of the machine hit all alike
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--essays", type=int, default=100)
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--corpus", type=Path, help="a folder of .md essays (else one is made)")
    ap.add_argument("--max-ratio", type=float, default=2.0)
    args = ap.parse_args()

    import pypandoc  # type: ignore[import-untyped]
    from make_corpus import make_project

    from essaypress.config import load_manifest
    from essaypress.layouts import load_layout
    from essaypress.log import collect
    from essaypress.options import WriterOptions
    from essaypress.pipeline import assemble
    from essaypress.writers.docx import write_docx

    pandoc = pypandoc.get_pandoc_path()
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        root = Path(tmp)
        if args.corpus:
            root = args.corpus.resolve()
            files = sorted(root.glob("*.md"))
            write_manifest(root, files)
        else:
            make_project(root, args.essays, lang=args.lang)
            files = sorted((root / "essays").glob("*.md"))
        opts = WriterOptions(layout=load_layout("booklet-a5"), date="2026-01-01")
        out = Path(tmp)
        with collect():  # the corpus front matter has keys essaypress warns about
            book = assemble(load_manifest(root))

        def ours_full() -> None:
            with collect():
                anthology = assemble(load_manifest(root))
            (out / "ours.docx").write_bytes(write_docx(anthology, opts))

        def ours_write() -> None:
            write_docx(book, opts)

        def theirs() -> None:
            cmd = [pandoc, "--file-scope", *map(str, files), "-o", str(out / "ref.docx")]
            subprocess.run(cmd, check=True)

        theirs()  # warm the caches: the first run of either pays for loading
        ours_full()
        times = best_of(args.repeat, {"pandoc": theirs, "full": ours_full, "write": ours_write})
        size = (out / "ours.docx").stat().st_size
        ref_size = (out / "ref.docx").stat().st_size

    best = {name: min(t) for name, t in times.items()}
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files) if args.corpus else None
    say(f"corpus: {len(files)} {args.lang} essays, {len(book.essays)} in the anthology"
          + (f", {chars} characters" if chars else ""))  # fmt: skip
    say(f"{'':34} {'best':>8} {'median':>8}")
    labels = {"pandoc": "pandoc --file-scope -o .docx", "full": "essaypress read+assemble+write",
              "write": "essaypress write_docx only"}  # fmt: skip
    for name, label in labels.items():
        say(f"{label:34} {best[name]:7.3f}s {statistics.median(times[name]):7.3f}s")
    say(f"sizes: essaypress {size / 1024:.0f} KB, pandoc {ref_size / 1024:.0f} KB")
    full, write = best["full"] / best["pandoc"], best["write"] / best["pandoc"]
    say(f"ratio to pandoc: full path {full:.2f}x, write_docx alone {write:.2f}x "
          f"(limit {args.max_ratio:g}x)")  # fmt: skip
    return 0 if full <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
