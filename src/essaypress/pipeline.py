"""Turn a sources folder into the anthology's outputs: read → assemble → transform → write.

This is the only module that writes output files. Every output of a build is
first written to its own temporary file in the output folder (unique names, so
two builds at once do not mix their bytes); only when all of them are written
are they renamed over the old ones. A failed, interrupted (Ctrl-C) or
disk-full build leaves earlier outputs intact and no temporary files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from .check import check_anthology, report
from .config import EssayEntry, Manifest, load_manifest, parse_print, parse_text
from .errors import ConfigError, EssaypressError, OutputError, ReaderError, UsageError
from .layouts import load_layout
from .log import warn
from .model.build import text
from .model.nodes import (
    Anthology,
    BlockQuote,
    BookMeta,
    BulletList,
    Div,
    Essay,
    Note,
    OrderedList,
    Part,
    Resource,
    SourceRef,
    Table,
)
from .options import Layout, PdfOptions, TextOptions, WriterOptions
from .readers import read_file
from .resources import MAX_IMAGE_BYTES, image_problem, resolve_images, sniff
from .transforms import STRUCTURE, apply_transforms, editorial
from .transforms.ids import slug
from .writers.docx import write_docx
from .writers.epub import write_epub
from .writers.pdf import render_pdf, write_pdf

Writer = Callable[[Anthology, WriterOptions], bytes]
WRITERS: Mapping[str, Writer] = MappingProxyType(
    {"pdf": write_pdf, "docx": write_docx, "epub": write_epub}
)
FORMATS: tuple[str, ...] = tuple(WRITERS)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]
    seconds: dict[str, float]


def _quiet(_: str) -> None:
    pass


def parse_formats(spec: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(s.strip().lower() for s in spec.split(",") if s.strip()))
    bad = [n for n in names if n not in WRITERS]
    if bad or not names:
        raise UsageError(
            f"unknown format {bad[0] if bad else spec!r}", hint=f"choose from {','.join(FORMATS)}"
        )
    return names


def edition_date(manifest: Manifest) -> str:
    """The date printed in the outputs: the manifest's, else SOURCE_DATE_EPOCH, else today."""
    if manifest.date:
        return manifest.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    warn(
        "no-date",
        "no date in anthology.toml: using today's date, so outputs change daily — "
        'add date = "YYYY-MM-DD" for reproducible builds',
        manifest.path or manifest.root,
    )
    return dt.datetime.now(dt.UTC).date().isoformat()


def essay_path(entry: EssayEntry, manifest: Manifest) -> tuple[Path, str]:
    """The essay's real file and its name in messages; refused if it lies outside the sources."""
    root = manifest.root.resolve()
    real = entry.file.resolve()
    try:
        display = entry.file.relative_to(manifest.root).as_posix()
    except ValueError:
        display = real.relative_to(root).as_posix() if real.is_relative_to(root) else str(real)
    if not real.is_relative_to(root):
        raise ReaderError(
            f"the essay file is a link to {real}, outside the sources folder",
            path=display,
            hint="copy the essay itself into the sources folder",
        )
    return real, display


READ_SECONDS = 20.0
"""Longest time one essay may take to read (ordinary essays take well under a second)."""


class _Overtime(BaseException):
    """Raised inside a reader that runs past its time; a BaseException so nothing swallows it."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread, and SIGALRM not otherwise in use)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


MAX_NESTING = 32
"""Deepest nesting of blocks the writers are given (WeasyPrint recurses per level)."""
_NESTING_WEIGHT: Mapping[type, int] = MappingProxyType(
    {BlockQuote: 1, BulletList: 1, OrderedList: 1, Div: 1, Note: 1, Table: 2}
)


def nesting(essay: Essay) -> int:
    """How deep the essay's quotes, lists, tables, divs and notes sit inside each other."""
    deepest = 0
    stack: list[tuple[object, int]] = [(essay.blocks, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, tuple):
            stack.extend((item, depth) for item in value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            depth += _NESTING_WEIGHT.get(type(value), 0)
            deepest = max(deepest, depth)
            stack.extend((getattr(value, f.name), depth) for f in dataclasses.fields(value))
    return deepest


def read_bounded(path: Path, display: str) -> Essay:
    """Read one essay file within bounds: time, recursion, memory, nesting of the result."""
    try:
        with _deadline(READ_SECONDS):
            essay = read_file(path, display)
    except EssaypressError:
        raise
    except RecursionError:  # a parser recursing over absurd nesting (YAML, XML, Markdown)
        raise ReaderError(
            "refused: the file is nested too deeply to read",
            path=display,
            hint="this is not an ordinary essay; remove the deeply nested part",
        ) from None
    except (_Overtime, MemoryError) as exc:  # a parser's worst case: huge or pathological input
        cost = f"more than {READ_SECONDS:g} s" if isinstance(exc, _Overtime) else "too much memory"
        raise ReaderError(
            f"refused: reading it takes {cost}",
            path=display,
            hint="this is not an ordinary essay (huge, or built to be slow to parse); "
            "split it or remove the repeated markup",
        ) from None
    except Exception as exc:  # a bug, but say which essay brings it out
        exc.add_note(f"while reading {display}")
        raise
    depth = nesting(essay)
    if depth > MAX_NESTING:
        raise ReaderError(
            f"refused: tables, lists, quotes or notes nested {depth} levels deep "
            f"(the limit is {MAX_NESTING}; a table counts 2)",
            path=display,
            hint="flatten the nesting",
        )
    return essay


def read_essay(entry: EssayEntry, manifest: Manifest) -> Essay:
    """Read one essay, apply the manifest's overrides and load its images."""
    real, display = essay_path(entry, manifest)
    essay = read_bounded(real, display)
    meta = essay.meta
    if entry.title is not None:
        meta = dataclasses.replace(meta, title=text(entry.title))
    if entry.subtitle is not None:
        meta = dataclasses.replace(meta, subtitle=text(entry.subtitle))
    if entry.authors is not None:
        meta = dataclasses.replace(meta, authors=entry.authors)
    if entry.lang:
        meta = dataclasses.replace(meta, lang=entry.lang)
    if not meta.lang:
        meta = dataclasses.replace(meta, lang=manifest.language)
    essay = dataclasses.replace(essay, meta=meta, id=slug(entry.file.stem))
    return resolve_images(essay, entry.file, manifest.root)


def assemble(
    manifest: Manifest,
    progress: Progress = _quiet,
    *,
    text_options: TextOptions | None = None,
    layout: Layout | None = None,
) -> Anthology:
    """Read every essay of the manifest and put the anthology together: its structure found,
    checked (the diagnostics of ``essaypress check`` are reported), then edited."""
    book = read_anthology(manifest, progress)
    check_anthology(book, layout or load_layout(manifest.layout, manifest.root))
    book = with_fallback_titles(book)
    return apply_transforms(book, editorial(text_options or manifest.text))


def with_fallback_titles(book: Anthology) -> Anthology:
    """Essays still without a title after the conventions get their file name (the check
    warned about them)."""

    def fallback(e: Essay) -> Essay:
        if e.meta.title:
            return e
        stem = PurePosixPath(e.source.path).stem if e.source else e.id
        return dataclasses.replace(e, meta=dataclasses.replace(e.meta, title=text(stem)))

    return dataclasses.replace(
        book,
        front=tuple(map(fallback, book.front)),
        parts=tuple(
            dataclasses.replace(p, essays=tuple(map(fallback, p.essays))) for p in book.parts
        ),
        back=tuple(map(fallback, book.back)),
    )


def read_anthology(
    manifest: Manifest, progress: Progress = _quiet, *, keep_going: bool = False
) -> Anthology:
    """Every essay of the manifest read, with the structure transforms applied (not edited).

    ``keep_going``: an essay that cannot be read is reported as an error diagnostic
    and left out, so ``essaypress check`` lists every problem at once.
    """

    def read(entry: EssayEntry) -> Essay | None:
        progress(f"reading {essay_path(entry, manifest)[1]}")
        if not keep_going:
            return read_essay(entry, manifest)
        try:
            return read_essay(entry, manifest)
        except EssaypressError as exc:
            where = SourceRef(exc.path or essay_path(entry, manifest)[1], exc.line)
            hint = f" — {exc.hint}" if exc.hint else ""
            report("unreadable", "error", f"{exc.message}{hint}", where)
            return None

    def read_all(entries: Sequence[EssayEntry]) -> tuple[Essay, ...]:
        return tuple(e for e in map(read, entries) if e is not None)

    front = read_all((manifest.preface,)) if manifest.preface else ()
    parts = tuple(Part(text(p.title), read_all(p.essays)) for p in manifest.parts)
    meta = BookMeta(
        title=manifest.title,
        subtitle=manifest.subtitle,
        editors=manifest.editors,
        publisher=manifest.publisher,
        date=edition_date(manifest),
        lang=manifest.language,
        identifier=manifest.identifier,
        description=manifest.description,
        edition=manifest.edition,
        isbn=manifest.isbn,
        rights=manifest.rights,
        cover=load_cover(manifest),
    )
    if front and not front[0].meta.authors and manifest.editors:
        front = (
            dataclasses.replace(
                front[0], meta=dataclasses.replace(front[0].meta, authors=manifest.editors)
            ),
        )
    return apply_transforms(Anthology(meta, front, parts), STRUCTURE)


def load_cover(manifest: Manifest) -> Resource | None:
    """The cover image named in the manifest, as a resource (checked like essay images)."""
    if manifest.cover is None:
        return None
    where = str(manifest.path or manifest.root)
    if manifest.cover.stat().st_size > MAX_IMAGE_BYTES:
        raise ConfigError(
            f"cover: the file is larger than {MAX_IMAGE_BYTES // 2**20} MB", path=where
        )
    data = manifest.cover.read_bytes()
    problem = image_problem(data)
    kind = sniff(data)
    if problem is not None or kind is None:
        why = problem[1] if problem else "is not an image"
        raise ConfigError(f"cover: the file {why}", path=where)
    media_type, ext = kind
    return Resource(f"img/cover.{ext}", media_type, data)


def check_output_dir(sources: Path, out_dir: Path) -> None:
    src, out = sources.resolve(), out_dir.resolve()
    if out == src or out.is_relative_to(src):
        raise UsageError(
            f"the output folder {out_dir} is inside the sources folder",
            hint="choose an output folder outside the sources (e.g. build/)",
        )


class Staging:
    """Outputs written to temporary files, renamed into place together by ``commit``.

    Used as a context manager: leaving it without ``commit`` (an error, Ctrl-C)
    removes the temporary files and leaves the old outputs as they were.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary file, target)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()

    def write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to a new temporary file next to ``path``."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(f"cannot write here: {_why(exc)}", path=str(path.parent)) from None
        self._staged.append((Path(tmp), path))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except OSError as exc:
            raise _output_error(exc, path) from None

    def commit(self) -> None:
        """Rename every temporary file over its target."""
        try:
            while self._staged:
                tmp, path = self._staged[0]
                os.replace(tmp, path)
                self._staged.pop(0)
        except OSError as exc:
            raise _output_error(exc, self._staged[0][1]) from None


def _errno(exc: OSError) -> int | None:
    """The error number, also of an ``OSError(errno.ENOSPC)`` made with no message."""
    if exc.errno is None and len(exc.args) == 1 and isinstance(exc.args[0], int):
        return exc.args[0]
    return exc.errno


def _why(exc: OSError) -> str:
    number = _errno(exc)
    return exc.strerror or (os.strerror(number) if number else str(exc))


def _output_error(exc: OSError, path: Path) -> OutputError:
    full = _errno(exc) in (errno.ENOSPC, errno.EDQUOT)
    return OutputError(
        f"cannot write: {_why(exc)}",
        path=str(path),
        hint=("free some disk space and build again; " if full else "")
        + "the previous outputs are kept",
    )


def build(
    sources: Path,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    *,
    layout: str | None = None,
    pdf: Mapping[str, object] | None = None,
    progress: Progress = _quiet,
    before_commit: Callable[[], None] = lambda: None,
    edition: str | None = None,
) -> BuildResult:
    """Build the anthology in ``sources`` into ``out_dir/anthology.<format>``
    (``anthology.<edition>.<format>`` when an edition is asked for, here or in anthology.toml).

    ``before_commit`` runs when every output is made, before any replaces an old
    one; if it raises (``--strict`` and there were warnings), nothing is replaced.
    """
    check_output_dir(sources, out_dir)
    manifest = load_manifest(sources)
    chosen = load_layout(layout or manifest.layout, sources)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    text_options = text_options_for(manifest, edition)
    book = assemble(manifest, progress, text_options=text_options, layout=chosen)
    stem = f"anthology.{text_options.edition}" if text_options.edition else "anthology"
    seconds["read"] = time.perf_counter() - start
    reference = manifest.reference_docx
    opts = WriterOptions(
        layout=chosen,
        date=book.meta.date,
        pdf=_pdf_options(manifest, pdf),
        docx_reference=reference.read_bytes() if reference else None,
        docx_reference_name=reference.relative_to(manifest.root.resolve()).as_posix()
        if reference
        else "",
    )
    outputs = []
    with Staging() as staging:
        # the PDF first: its layout gives the EPUB the print edition's page numbers
        for fmt in sorted(formats, key=lambda f: f != "pdf"):
            progress(f"writing {stem}.{fmt}")
            start = time.perf_counter()
            if fmt == "pdf" and "epub" in formats:
                data, pages = render_pdf(book, opts)
                opts = dataclasses.replace(opts, page_map=pages)
            elif fmt == "epub" and opts.page_map is None:
                _, pages = render_pdf(book, opts, pdf_bytes=False)  # layout only
                data = WRITERS[fmt](book, dataclasses.replace(opts, page_map=pages))
            else:
                data = WRITERS[fmt](book, opts)
            target = out_dir / f"{stem}.{fmt}"
            staging.write(target, data)
            seconds[fmt] = time.perf_counter() - start
            progress(f"made {target.name} ({len(data) / 1024:.0f} KB, {seconds[fmt]:.1f} s)")
            outputs.append(target)
            if fmt == "pdf" and opts.pdf.impose:
                from .writers.impose import impose_saddle

                booklet = out_dir / f"{stem}-booklet.pdf"
                staging.write(booklet, impose_saddle(data, opts.pdf.sheet))
                progress(f"made {booklet.name} (imposed for saddle stitching on {opts.pdf.sheet})")
                outputs.append(booklet)
        before_commit()
        staging.commit()
    progress(f"wrote {', '.join(p.name for p in outputs)} in {out_dir}")
    return BuildResult(tuple(outputs), seconds)


def text_options_for(manifest: Manifest, edition: str | None) -> TextOptions:
    """The manifest's [text] settings with the command line's ``--edition`` on top."""
    if not edition:
        return manifest.text
    table: dict[str, object] = {
        "quotes": manifest.text.quotes,
        "cjk_latin_space": manifest.text.cjk_latin_space,
        "edition": edition,
    }
    return parse_text(table, lambda key, why: UsageError(f"--{key}: {why}"))


def check_sources(
    sources: Path, *, layout: str | None = None, progress: Progress = _quiet
) -> Anthology:
    """Read the anthology as ``build`` does and report every diagnostic; write nothing."""
    manifest = load_manifest(sources)
    book = read_anthology(manifest, progress, keep_going=True)
    check_anthology(book, load_layout(layout or manifest.layout, sources))
    return book


def _pdf_options(manifest: Manifest, overrides: Mapping[str, object] | None) -> PdfOptions:
    """The manifest's [print] settings with the command line's on top."""
    if not overrides:
        return manifest.pdf
    current = manifest.pdf
    table: dict[str, object] = {
        "bleed": f"{current.bleed_mm:g}mm",
        "marks": list(current.marks),
        "pdf_variant": current.variant,
        "impose": current.impose,
        "sheet": current.sheet,
    }
    table.update({k: v for k, v in overrides.items() if v is not None})
    return parse_print(table, lambda key, why: UsageError(f"--{key.replace('_', '-')}: {why}"))


def read_single(path: Path) -> Essay:
    """One essay file as the model sees it (for ``essaypress inspect``), images not loaded."""
    essay = read_bounded(path, str(path))
    book = apply_transforms(Anthology(BookMeta(title=""), (), (Part((), (essay,)),)))
    return book.parts[0].essays[0]
