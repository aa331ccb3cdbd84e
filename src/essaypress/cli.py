"""Turn the command line into pipeline calls, messages and exit codes; nothing else."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .errors import EssaypressError
from .log import LOGGER, collect

EXIT_INTERNAL = 70


def _version() -> str:
    try:
        return version("essaypress")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _sources_output_formats(p: argparse.ArgumentParser, verb: str) -> None:
    """The arguments ``build`` and ``watch`` share: the sources, the output folder, the formats."""
    p.add_argument(
        "sources",
        nargs="?",
        default="sources",
        type=Path,
        help="folder with anthology.toml and the essays (default: sources)",
    )
    p.add_argument(
        "-o", "--output", default="build", type=Path, help="folder for the outputs (default: build)"
    )
    p.add_argument(
        "-f",
        "--formats",
        default="pdf,docx,epub",
        help=f"comma-separated formats to {verb} (default: pdf,docx,epub)",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="essaypress",
        description="Publish a folder of essays as a PDF booklet, a DOCX and an EPUB.",
    )
    p.add_argument("--version", action="version", version=f"essaypress {_version()}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the anthology (default: ./sources into ./build)")
    _sources_output_formats(b, "write")
    b.add_argument("--layout", help="layout name or folder (overrides anthology.toml)")
    b.add_argument("--bleed", help='bleed around each page for the print shop, e.g. "3mm"')
    b.add_argument("--marks", help="printer's marks: crop, cross or crop,cross")
    b.add_argument("--pdf-variant", help="pdf/a-2b, pdf/a-3b, pdf/ua-1 or pdf/x-4")
    b.add_argument("--impose", help="saddle: also write anthology-booklet.pdf, 2-up for folding")
    b.add_argument("--sheet", help="paper for the imposed booklet: a4 (default) or letter")
    b.add_argument(
        "--edition",
        choices=("zh-Hant", "zh-Hans"),
        help="convert the whole anthology to Traditional (Taiwan) or Simplified (mainland) "
        "Chinese; outputs are named anthology.<edition>.<format>",
    )
    b.add_argument("--strict", action="store_true", help="fail if there are warnings")
    b.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument(
        "-j",
        "--jobs",
        type=int,
        help="processes to use (default: 2 where there are 2 cores; 1: no helper process)",
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="read every essay and write every output again, even if nothing changed",
    )

    c = sub.add_parser("check", help="list problems in the essays without building")
    c.add_argument(
        "sources",
        nargs="?",
        default="sources",
        type=Path,
        help="folder with anthology.toml and the essays (default: sources)",
    )
    c.add_argument("--layout", help="layout name or folder (for image resolution)")
    c.add_argument("--strict", action="store_true", help="exit 1 on warnings too, not only errors")
    c.add_argument(
        "--format",
        dest="fmt",
        choices=("text", "json"),
        default="text",
        help="text lines (default) or JSON: a list of "
        "{code, severity, message, file, line or paragraph}",
    )

    i = sub.add_parser("inspect", help="show one essay as essaypress reads it")
    i.add_argument("file", type=Path, help="a .md or .docx essay")
    i.add_argument(
        "--as",
        dest="fmt",
        choices=("text", "json"),
        default="text",
        help="plain text (default) or the model as JSON",
    )

    n = sub.add_parser("new", help="start a new anthology project in an empty folder")
    n.add_argument("dir", type=Path, help="the folder to create (must be new or empty)")

    v = sub.add_parser("convert", help="turn a Word essay (.docx) into Markdown with its images")
    v.add_argument("file", type=Path, help="the .docx essay")
    v.add_argument("-o", "--output", type=Path, help="the .md file (default: beside the .docx)")
    v.add_argument("--force", action="store_true", help="replace an existing .md and images")

    r = sub.add_parser(
        "proof",
        help="typeset one essay as the book prints it (page numbers from the last build)",
    )
    r.add_argument("essay", help="the essay: its file (e.g. essays/01-kiln.md) or its id")
    r.add_argument(
        "sources",
        nargs="?",
        default="sources",
        type=Path,
        help="folder with anthology.toml and the essays (default: sources)",
    )
    r.add_argument(
        "-o",
        "--output",
        default="build",
        type=Path,
        help="the book's output folder; the proof goes in its proofs/ (default: build)",
    )
    r.add_argument("--layout", help="layout name or folder (overrides anthology.toml)")
    r.add_argument(
        "--edition", choices=("zh-Hant", "zh-Hans"), help="as for build: convert the anthology"
    )
    r.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")

    w = sub.add_parser(
        "watch", help="rebuild on every save and serve a live preview of the book on localhost"
    )
    _sources_output_formats(w, "rebuild")
    w.add_argument("--no-build", action="store_true", help="only the preview: write no outputs")
    w.add_argument("--layout", help="layout name or folder (overrides anthology.toml)")
    w.add_argument(
        "--edition", choices=("zh-Hant", "zh-Hans"), help="as for build: convert the anthology"
    )
    w.add_argument(
        "--port",
        type=int,
        help="port of the preview on 127.0.0.1 (default: 8765, or a free one if it is taken; "
        "0: any free port)",
    )
    w.add_argument("--open", action="store_true", help="open the preview in the web browser")
    return p


def _new(args: argparse.Namespace) -> int:
    from .new import new_project

    new_project(args.dir)
    print(
        f"created {args.dir}: edit sources/anthology.toml and the essays in sources/essays, "
        f"then run `essaypress build` in {args.dir}",
        file=sys.stderr,
    )
    return 0


def _watch(args: argparse.Namespace) -> int:
    import webbrowser

    from .pipeline import parse_formats
    from .watch import WatchOptions, run_watch

    options = WatchOptions(
        sources=args.sources,
        out_dir=args.output,
        formats=() if args.no_build else parse_formats(args.formats),
        layout=args.layout,
        edition=args.edition,
        port=args.port,
    )

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def on_ready(url: str) -> None:
        if args.open:
            webbrowser.open(url)

    # Ctrl-C asks the watcher to stop at its next poll, rather than raising an exception at
    # whatever line runs (inside a lock, between two threads' messages); a second one stops at
    # once.
    stop = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, interrupt)
    LOGGER.removeHandler(_PRINTER)  # the watcher prints warnings when they change, not per save
    try:
        run_watch(options, say=say, on_ready=on_ready, stop=stop)
    finally:
        signal.signal(signal.SIGINT, previous)
        LOGGER.addHandler(_PRINTER)
    if stop.is_set():
        raise KeyboardInterrupt  # exit 130, as for the other commands
    return 0


def _convert(args: argparse.Namespace) -> int:
    from .convert import convert

    with collect() as warnings:
        result = convert(args.file, args.output, force=args.force)
    extra = f" and {len(result.images)} image(s)" if result.images else ""
    notes = f" ({len(warnings)} warning(s))" if warnings else ""
    print(f"wrote {result.markdown}{extra}{notes}", file=sys.stderr)
    return 0


class _Printer(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        print(record.getMessage(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build, parse_formats

    formats = parse_formats(args.formats)
    start = time.perf_counter()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr)

    with collect() as warnings:

        def refuse_if_strict() -> None:
            serious = [w for w in warnings if w.severity != "info"]
            if args.strict and serious:
                raise EssaypressError(
                    f"{len(serious)} warning(s) in strict mode (--strict); "
                    "the earlier outputs are kept",
                    hint="fix what the warnings say, or build without --strict",
                )

        pdf = {
            "bleed": args.bleed,
            "marks": args.marks,
            "pdf_variant": args.pdf_variant,
            "impose": args.impose,
            "sheet": args.sheet,
        }
        result = build(
            args.sources,
            args.output,
            formats,
            layout=args.layout,
            pdf=pdf,
            progress=progress,
            before_commit=refuse_if_strict,
            edition=args.edition,
            jobs=args.jobs,
            force=args.force,
        )
    if warnings:
        print(f"{len(warnings)} warning(s)", file=sys.stderr)
    if not args.quiet:
        print(
            f"built {', '.join(str(p) for p in result.outputs)} "
            f"in {time.perf_counter() - start:.1f} s",
            file=sys.stderr,
        )
    return 0


def _check(args: argparse.Namespace) -> int:
    import json

    from .check import as_record
    from .pipeline import check_sources

    with collect() as found:
        LOGGER.removeHandler(_PRINTER)  # printed below, in the chosen format
        try:
            check_sources(args.sources, layout=args.layout)
        finally:
            LOGGER.addHandler(_PRINTER)
    if args.fmt == "json":
        print(json.dumps([as_record(d) for d in found], ensure_ascii=False, indent=1))
    else:
        for diag in found:
            print(diag)
        counts = {s: sum(d.severity == s for d in found) for s in ("error", "warning", "info")}
        summary = ", ".join(f"{n} {s}(s)" for s, n in counts.items() if n) or "no problems found"
        print(summary, file=sys.stderr)
    errors = any(d.severity == "error" for d in found)
    warnings = any(d.severity == "warning" for d in found)
    return 1 if errors or (args.strict and warnings) else 0


def _inspect(args: argparse.Namespace) -> int:
    from .model.json import to_json
    from .model.text import plain, plain_blocks
    from .pipeline import read_single

    essay = read_single(args.file)
    if args.fmt == "json":
        print(to_json(essay))
        return 0
    meta = essay.meta
    print(plain(meta.title))
    if meta.subtitle:
        print(plain(meta.subtitle))
    for person in meta.authors:
        print("—— " + " ".join(x for x in (person.affiliation, person.name) if x))
    if meta.lang:
        print(f"[{meta.lang}]")
    print()
    print(plain_blocks(essay.blocks, notes=True))
    return 0


def _proof(args: argparse.Namespace) -> int:
    from .proofing import proof

    start = time.perf_counter()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr)

    target = proof(
        args.sources,
        args.output,
        args.essay,
        layout=args.layout,
        edition=args.edition,
        progress=progress,
    )
    if not args.quiet:
        print(f"proof in {target} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return 0


_PRINTER = _Printer()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = _PRINTER
    LOGGER.addHandler(handler)
    LOGGER.propagate = False
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        if args.command == "convert":
            return _convert(args)
        if args.command == "watch":
            return _watch(args)
        if args.command == "proof":
            return _proof(args)
        return _inspect(args)
    except EssaypressError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"essaypress: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("essaypress: interrupted; earlier outputs are kept", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        with tempfile.NamedTemporaryFile(
            "w", prefix="essaypress-crash-", suffix=".txt", delete=False
        ) as fh:
            traceback.print_exc(file=fh)
        context = "".join(f" {note}" for note in getattr(exc, "__notes__", ()))
        print(
            f"essaypress: internal error{context} (a bug in essaypress); the traceback is in "
            f"{fh.name} — please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        LOGGER.removeHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
