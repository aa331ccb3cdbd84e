"""Turn a sources folder into the anthology's outputs: read → assemble → transform → write.

This is the only module that writes output files. Each output is written to a
temporary file in the output folder and renamed over the old one, so a failed
build leaves earlier outputs intact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .config import EssayEntry, Manifest, load_manifest, parse_print
from .errors import ConfigError, OutputError, UsageError
from .layouts import load_layout
from .log import warn
from .model.build import text
from .model.nodes import Anthology, BookMeta, Essay, Part, Resource
from .options import PdfOptions, WriterOptions
from .readers import read_file
from .resources import resolve_images, sniff
from .transforms import apply_transforms
from .transforms.ids import slug
from .writers.docx import write_docx
from .writers.epub import write_epub
from .writers.pdf import write_pdf

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


def read_essay(entry: EssayEntry, manifest: Manifest) -> Essay:
    """Read one essay, apply the manifest's overrides and load its images."""
    display = entry.file.relative_to(manifest.root.resolve()).as_posix()
    essay = read_file(entry.file, display)
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
    if not meta.title:
        warn(
            "no-title",
            "the essay has no title: using the file name — give it a title in "
            "its front matter, a Title paragraph, or title = in anthology.toml",
            display,
        )
        meta = dataclasses.replace(meta, title=text(entry.file.stem))
    essay = dataclasses.replace(essay, meta=meta, id=slug(entry.file.stem))
    return resolve_images(essay, entry.file, manifest.root)


def assemble(manifest: Manifest, progress: Progress = _quiet) -> Anthology:
    """Read every essay of the manifest and put the anthology together, transformed."""

    def read(entry: EssayEntry) -> Essay:
        progress(f"reading {entry.file.relative_to(manifest.root.resolve()).as_posix()}")
        return read_essay(entry, manifest)

    front = (read(manifest.preface),) if manifest.preface else ()
    parts = tuple(Part(text(p.title), tuple(read(e) for e in p.essays)) for p in manifest.parts)
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
    return apply_transforms(Anthology(meta, front, parts))


def load_cover(manifest: Manifest) -> Resource | None:
    """The cover image named in the manifest, as a resource (checked like essay images)."""
    if manifest.cover is None:
        return None
    where = str(manifest.path or manifest.root)
    data = manifest.cover.read_bytes()
    kind = sniff(data)
    if kind is None:
        raise ConfigError("cover: the file is not a PNG, JPEG or GIF image", path=where)
    media_type, ext = kind
    return Resource(f"img/cover.{ext}", media_type, data)


def check_output_dir(sources: Path, out_dir: Path) -> None:
    src, out = sources.resolve(), out_dir.resolve()
    if out == src or out.is_relative_to(src):
        raise UsageError(
            f"the output folder {out_dir} is inside the sources folder",
            hint="choose an output folder outside the sources (e.g. build/)",
        )


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", path=str(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write: {exc.strerror}", path=str(path), hint="the previous file is kept"
            ) from None
        raise


def build(
    sources: Path,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    *,
    layout: str | None = None,
    pdf: Mapping[str, object] | None = None,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build the anthology in ``sources`` into ``out_dir/anthology.<format>``."""
    check_output_dir(sources, out_dir)
    manifest = load_manifest(sources)
    chosen = load_layout(layout or manifest.layout, sources)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    book = assemble(manifest, progress)
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
    for fmt in formats:
        progress(f"writing anthology.{fmt}")
        start = time.perf_counter()
        data = WRITERS[fmt](book, opts)
        target = out_dir / f"anthology.{fmt}"
        write_atomically(target, data)
        seconds[fmt] = time.perf_counter() - start
        progress(f"wrote {target} ({len(data) / 1024:.0f} KB, {seconds[fmt]:.1f} s)")
        outputs.append(target)
        if fmt == "pdf" and opts.pdf.impose:
            from .writers.impose import impose_saddle

            booklet = out_dir / "anthology-booklet.pdf"
            write_atomically(booklet, impose_saddle(data, opts.pdf.sheet))
            progress(f"wrote {booklet} (imposed for saddle stitching on {opts.pdf.sheet})")
            outputs.append(booklet)
    return BuildResult(tuple(outputs), seconds)


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
    essay = read_file(path, str(path))
    book = apply_transforms(Anthology(BookMeta(title=""), (), (Part((), (essay,)),)))
    return book.parts[0].essays[0]
