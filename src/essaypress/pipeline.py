"""Turn a sources folder into the anthology's outputs: read → assemble → transform → write.

This is the module that decides what a build writes, and the only one that
writes outputs (through ``staging``, so a failed build keeps the earlier ones):

- nothing at all when no input changed since the outputs were made (``state``):
  the check reads no essay and imports no writer;
- otherwise the essays, from the cache where their files did not change
  (``cache``), the rest read on every core; then only the outputs whose own
  inputs changed;
- the PDF on this process and the DOCX and EPUB alongside it on a second one
  (``parallel``); the EPUB as soon as the PDF's layout gives its page map.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from . import log
from .cache import EssayCache
from .config import Manifest, load_manifest, parse_print, parse_text
from .errors import UsageError
from .layouts import load_layout
from .log import Diagnostic
from .model.json import to_json
from .model.nodes import Anthology
from .options import Layout, PdfOptions, TextOptions, WriterOptions
from .pagemap import PageMap
from .parallel import Helper, cpu_count, may_fork
from .reading import (
    Progress,
    assemble,
    check_sources,
    edition_date,
    read_anthology,
    read_single,
)
from .staging import Staging
from .state import (
    STATE_DIR,
    BuildState,
    StoredPages,
    input_fingerprint,
    layout_digest,
    load_state,
    output_key,
    record,
    save_state,
)


def _write_pdf(book: Anthology, opts: WriterOptions) -> bytes:
    from .writers.pdf import write_pdf

    return write_pdf(book, opts)


def _write_docx(book: Anthology, opts: WriterOptions) -> bytes:
    from .writers.docx import write_docx

    return write_docx(book, opts)


def _write_epub(book: Anthology, opts: WriterOptions) -> bytes:
    from .writers.epub import write_epub

    return write_epub(book, opts)


Writer = Callable[[Anthology, WriterOptions], bytes]
WRITERS: Mapping[str, Writer] = MappingProxyType(
    {"pdf": _write_pdf, "docx": _write_docx, "epub": _write_epub}
)
FORMATS: tuple[str, ...] = tuple(WRITERS)


@dataclass(frozen=True)
class BuildResult:
    outputs: tuple[Path, ...]  # every output asked for, in the output folder
    seconds: dict[str, float]
    written: tuple[Path, ...] = ()  # those this build wrote; the others were up to date
    reread: tuple[str, ...] = ()  # essays read from their files, not taken from the cache


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


def check_output_dir(sources: Path, out_dir: Path) -> None:
    src, out = sources.resolve(), out_dir.resolve()
    if out == src or out.is_relative_to(src):
        raise UsageError(
            f"the output folder {out_dir} is inside the sources folder",
            hint="choose an output folder outside the sources (e.g. build/)",
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
    jobs: int | None = None,
    force: bool = False,
) -> BuildResult:
    """Build the anthology in ``sources`` into ``out_dir/anthology.<format>``
    (``anthology.<edition>.<format>`` when an edition is asked for, here or in anthology.toml).

    Outputs already made from the same inputs are kept as they are. ``before_commit``
    runs when every output is made, before any replaces an old one; if it raises
    (``--strict`` and there were warnings), nothing is replaced. ``jobs``: processes
    to use (default: up to 2, as the machine allows; 1 runs everything here). ``force``:
    read every essay and write every output, whatever the last build left.
    """
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more")
    check_output_dir(sources, out_dir)
    manifest = load_manifest(sources)
    chosen = load_layout(layout or manifest.layout, sources)
    text_options = text_options_for(manifest, edition)
    pdf_options = pdf_options_for(manifest, pdf)
    stem = f"anthology.{text_options.edition}" if text_options.edition else "anthology"
    targets = {fmt: _targets(out_dir, stem, fmt, pdf_options) for fmt in formats}
    everything = tuple(p for fmt in formats for p in targets[fmt])
    fingerprint = input_fingerprint(
        manifest,
        chosen,
        {
            "layout": str(chosen.root),
            "text": dataclasses.asdict(text_options),
            "pdf": dataclasses.asdict(pdf_options),
            "epub_embed_fonts": manifest.epub_embed_fonts,
        },
    )
    state = BuildState() if force else load_state(out_dir)

    def current(fmt: str, key: str | None) -> bool:
        """Whether the files of ``fmt`` are those made from these inputs (or this ``key``)."""
        for path in targets[fmt]:
            rec = state.outputs.get(path.name)
            if rec is None or not rec.matches(path):
                return False
            if (rec.fingerprint if key is None else rec.key) != (key or fingerprint):
                return False
        return True

    if all(current(fmt, None) for fmt in formats):
        log.replay(state.warnings)
        for path in everything:
            log.replay(state.outputs[path.name].warnings)
        before_commit()
        progress(f"up to date: {', '.join(p.name for p in everything)} in {out_dir}")
        return BuildResult(everything, {})

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    jobs = min(2, cpu_count()) if jobs is None else jobs
    cache = EssayCache(out_dir / STATE_DIR / "essays", refresh=force, workers=jobs)
    with log.collect() as read_warnings:
        book = assemble(manifest, progress, text_options=text_options, layout=chosen, cache=cache)
    seconds["read"] = time.perf_counter() - start
    opts = writer_options(manifest, chosen, book, pdf_options)
    keys, pages_key = output_keys(book, opts, lambda part: layout_digest(chosen, part))
    todo = tuple(fmt for fmt in sorted(formats, key=FORMATS.index) if not current(fmt, keys[fmt]))
    kept = [fmt for fmt in formats if fmt not in todo]
    for fmt in kept:
        for path in targets[fmt]:
            log.replay(state.outputs[path.name].warnings)
            state.outputs[path.name] = dataclasses.replace(
                state.outputs[path.name], fingerprint=fingerprint
            )
        progress(f"kept {', '.join(p.name for p in targets[fmt])} (up to date)")
    stored = state.pages if state.pages and state.pages.key == pages_key else None
    plan = _Plan(todo, stored.pages if stored else None, progress, seconds)
    made = plan.run(book, opts, parallel=jobs > 1 and may_fork())

    with Staging() as staging:
        for fmt in todo:
            data, _ = made[fmt]
            staging.write(targets[fmt][0], data)
            progress(f"made {targets[fmt][0].name} ({len(data) / 1024:.0f} KB)")
            if fmt == "pdf" and opts.pdf.impose:
                from .writers.impose import impose_saddle

                staging.write(targets[fmt][1], impose_saddle(data, opts.pdf.sheet))
                progress(f"made {targets[fmt][1].name} (imposed for saddle stitching)")
        before_commit()
        staging.commit()
    for fmt in todo:
        for path in targets[fmt]:
            state.outputs[path.name] = record(path, fingerprint, keys[fmt], made[fmt][1])
    if plan.pages is not None:
        essays = tuple(e.id for e in (*book.front, *book.essays, *book.back))
        state.pages = StoredPages(pages_key, essays, plan.pages)
    state.warnings = tuple(read_warnings)
    save_state(out_dir, state)
    cache.prune()
    written = tuple(p for fmt in todo for p in targets[fmt])
    progress(f"wrote {', '.join(p.name for p in written) or 'nothing'} in {out_dir}")
    return BuildResult(everything, seconds, written, tuple(cache.reread))


def _targets(out_dir: Path, stem: str, fmt: str, pdf: PdfOptions) -> tuple[Path, ...]:
    """The files of one format: the PDF brings its imposed booklet when one is asked for."""
    main = out_dir / f"{stem}.{fmt}"
    if fmt == "pdf" and pdf.impose:
        return (main, out_dir / f"{stem}-booklet.pdf")
    return (main,)


def writer_options(
    manifest: Manifest, layout: Layout, book: Anthology, pdf: PdfOptions
) -> WriterOptions:
    reference = manifest.reference_docx
    return WriterOptions(
        layout=layout,
        date=book.meta.date,
        pdf=pdf,
        docx_reference=reference.read_bytes() if reference else None,
        docx_reference_name=reference.relative_to(manifest.root.resolve()).as_posix()
        if reference
        else "",
        epub_embed_fonts=manifest.epub_embed_fonts,
    )


def output_keys(
    book: Anthology, opts: WriterOptions, chosen_digest: Callable[[str], str]
) -> tuple[dict[str, str], str]:
    """Each format's key (the model and what that format reads), and the page map's key."""
    model = hashlib.sha256(to_json(book, indent=None).encode()).hexdigest()
    reference = hashlib.sha256(opts.docx_reference or b"").hexdigest()
    pages_key = output_key("pages", model, opts.date, chosen_digest("pdf"))
    keys = {
        "pdf": output_key("pdf", model, opts.date, opts.pdf, chosen_digest("pdf")),
        "docx": output_key(
            "docx", model, opts.date, reference, opts.docx_reference_name, chosen_digest("docx")
        ),
        "epub": output_key(
            "epub", model, opts.date, opts.epub_embed_fonts, pages_key, chosen_digest("epub")
        ),
    }
    return keys, pages_key


class _Plan:
    """The writers a build runs, in an order that lets the EPUB use the PDF's page map."""

    def __init__(
        self,
        todo: tuple[str, ...],
        pages: PageMap | None,
        progress: Progress,
        seconds: dict[str, float],
    ) -> None:
        self.todo = todo
        self.pages = pages  # the print edition's page map, once known
        self.progress = progress
        self.seconds = seconds
        self.made: dict[str, tuple[bytes, tuple[Diagnostic, ...]]] = {}

    def run(
        self, book: Anthology, opts: WriterOptions, *, parallel: bool
    ) -> dict[str, tuple[bytes, tuple[Diagnostic, ...]]]:
        """Every output's bytes and the warnings its writer gave."""
        layout_needed = "pdf" in self.todo or ("epub" in self.todo and self.pages is None)
        others = [f for f in self.todo if f != "pdf"]
        if parallel and layout_needed and others:
            self._alongside(book, opts, others)
        else:
            self._in_turn(book, opts)
        return self.made

    def _in_turn(self, book: Anthology, opts: WriterOptions) -> None:
        if "pdf" in self.todo or ("epub" in self.todo and self.pages is None):
            self._pdf(book, opts, on_layout=lambda pages: None)
        for fmt in self.todo:
            if fmt != "pdf":
                with self._timed(fmt) as found:
                    data = WRITERS[fmt](book, self._options(fmt, opts))
                self.made[fmt] = (data, tuple(found))

    def _alongside(self, book: Anthology, opts: WriterOptions, others: list[str]) -> None:
        with Helper(book, WRITERS) as helper:
            sent: list[str] = []

            def send(fmt: str) -> None:
                self.progress(f"writing {fmt} alongside the PDF")
                helper.submit(fmt, self._options(fmt, opts))
                sent.append(fmt)

            for fmt in others:
                if fmt != "epub" or self.pages is not None:
                    send(fmt)
            start = time.perf_counter()

            def laid_out(pages: PageMap) -> None:
                self.pages = pages
                if "epub" in others and "epub" not in sent:
                    send("epub")

            self._pdf(book, opts, on_layout=laid_out)
            for fmt in sent:
                with log.collect() as found:
                    data = helper.result(fmt)
                self.made[fmt] = (data, tuple(found))
                self.seconds[fmt] = time.perf_counter() - start

    def _pdf(
        self, book: Anthology, opts: WriterOptions, on_layout: Callable[[PageMap], None]
    ) -> None:
        """The PDF (or, if only the EPUB needs it, the PDF's layout): its page map kept."""
        from .writers.pdf import render_pdf

        def laid_out(pages: PageMap) -> None:
            self.pages = pages
            on_layout(pages)

        wanted = "pdf" in self.todo
        self.progress("laying out the PDF" if wanted else "laying out the PDF for the EPUB's pages")
        with self._timed("pdf" if wanted else "layout") as found:
            data, _ = render_pdf(book, opts, pdf_bytes=wanted, on_layout=laid_out)
        if wanted:
            self.made["pdf"] = (data, tuple(found))

    def _options(self, fmt: str, opts: WriterOptions) -> WriterOptions:
        if fmt == "epub":
            return dataclasses.replace(opts, page_map=self.pages)
        return opts

    @contextmanager
    def _timed(self, name: str) -> Iterator[list[Diagnostic]]:
        start = time.perf_counter()
        with log.collect() as found:
            yield found
        self.seconds[name] = time.perf_counter() - start


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


def pdf_options_for(manifest: Manifest, overrides: Mapping[str, object] | None) -> PdfOptions:
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


__all__ = [
    "FORMATS",
    "WRITERS",
    "BuildResult",
    "assemble",
    "build",
    "check_sources",
    "edition_date",
    "parse_formats",
    "read_anthology",
    "read_single",
    "text_options_for",
]
