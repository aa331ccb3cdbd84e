"""Turn an anthology's sources into the model: every essay read within bounds, then assembled.

Reading one essay is bounded (time, recursion, memory, nesting of the result)
so a hostile or broken file is refused with one line naming it; with an
``EssayCache`` an essay read by an earlier build is taken from the cache.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from .cache import EssayCache
from .check import check_anthology, report
from .config import EssayEntry, Manifest, load_manifest
from .errors import ConfigError, EssaypressError, ReaderError
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
from .options import Layout, TextOptions
from .readers import read_file
from .resources import MAX_IMAGE_BYTES, image_problem, resolve_images, sniff
from .state import build_date
from .transforms import STRUCTURE, apply_transforms, editorial
from .transforms.ids import slug

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def edition_date(manifest: Manifest) -> str:
    """The date printed in the outputs: the manifest's, else SOURCE_DATE_EPOCH, else today
    (with a warning: the outputs then change every day)."""
    if not manifest.date and not os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        warn(
            "no-date",
            "no date in anthology.toml: using today's date, so outputs change daily — "
            'add date = "YYYY-MM-DD" for reproducible builds',
            manifest.path or manifest.root,
        )
    return build_date(manifest)


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


def read_essay(
    entry: EssayEntry,
    manifest: Manifest,
    cache: EssayCache | None = None,
    progress: Progress = _quiet,
) -> Essay:
    """Read one essay (from ``cache`` if it was read before), apply the manifest's overrides
    and load its images."""
    real, display = essay_path(entry, manifest)

    def reader(path: Path, name: str) -> Essay:
        progress(f"reading {name}")
        return read_bounded(path, name)

    essay = (cache or EssayCache(None)).read(real, display, reader)
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
    cache: EssayCache | None = None,
    check: bool = True,
) -> Anthology:
    """Read every essay of the manifest and put the anthology together: its structure found,
    checked (the diagnostics of ``essaypress check`` are reported; ``check=False`` skips
    them), then edited."""
    book = read_anthology(manifest, progress, cache=cache)
    if check:
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
    manifest: Manifest,
    progress: Progress = _quiet,
    *,
    keep_going: bool = False,
    cache: EssayCache | None = None,
) -> Anthology:
    """Every essay of the manifest read, with the structure transforms applied (not edited).

    ``keep_going``: an essay that cannot be read is reported as an error diagnostic
    and left out, so ``essaypress check`` lists every problem at once. ``cache``: essays
    read by an earlier build are taken from it; those it lacks are read on every core.
    """
    if cache is not None:
        files = []
        for entry in manifest.entries:
            try:
                files.append(essay_path(entry, manifest))
            except EssaypressError:
                continue  # reported when it is read in order
        cache.read_ahead(files, read_bounded, progress)

    def read(entry: EssayEntry) -> Essay | None:
        if not keep_going:
            return read_essay(entry, manifest, cache, progress)
        try:
            return read_essay(entry, manifest, cache, progress)
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


def check_sources(
    sources: Path, *, layout: str | None = None, progress: Progress = _quiet
) -> Anthology:
    """Read the anthology as ``build`` does and report every diagnostic; write nothing."""
    manifest = load_manifest(sources)
    book = read_anthology(manifest, progress, keep_going=True)
    check_anthology(book, load_layout(layout or manifest.layout, sources))
    return book


def read_single(path: Path) -> Essay:
    """One essay file as the model sees it (for ``essaypress inspect``), images not loaded."""
    essay = read_bounded(path, str(path))
    book = apply_transforms(Anthology(BookMeta(title=""), (), (Part((), (essay,)),)))
    return book.parts[0].essays[0]
