"""Turn one essay of the anthology into its proof: its pages, numbered as in the last build.

``essaypress proof ESSAY`` reads the anthology (from the build's cache, so
only changed essays are parsed; the checks of ``essaypress check`` are left out,
and only the proofed essay's warnings are shown), finds the essay, takes the page its
essay begins on from the last build's page map (``state``), and renders that
essay alone with the book's layout to ``<out>/proofs/<essay id>.pdf``. If the
book changed since that build, the pages before the essay may have moved: the
proof says so in a warning rather than laying out the whole book again.
"""

from __future__ import annotations

from pathlib import Path

from . import log
from .cache import EssayCache
from .config import load_manifest
from .errors import UsageError
from .layouts import load_layout
from .log import warn
from .model.nodes import Anthology, Essay
from .pagemap import HEAD
from .parallel import cpu_count
from .pipeline import check_output_dir, output_keys, pdf_options_for, text_options_for
from .pipeline import writer_options as make_writer_options
from .reading import Progress, assemble
from .staging import Staging
from .state import STATE_DIR, layout_digest, load_state

PROOFS = "proofs"


def _quiet(_: str) -> None:
    pass


def proof(
    sources: Path,
    out_dir: Path,
    essay: str,
    *,
    layout: str | None = None,
    edition: str | None = None,
    progress: Progress = _quiet,
) -> Path:
    """Write the proof of ``essay`` (its id, its file, or its file's name without the suffix)
    to ``out_dir/proofs/`` and return its path."""
    check_output_dir(sources, out_dir)
    manifest = load_manifest(sources)
    chosen = load_layout(layout or manifest.layout, sources)
    text_options = text_options_for(manifest, edition)
    cache = EssayCache(out_dir / STATE_DIR / "essays", workers=min(2, cpu_count()))
    with log.held() as said:  # only the proofed essay's warnings are of interest here
        book = assemble(
            manifest, progress, text_options=text_options, layout=chosen, cache=cache, check=False
        )
    found = find_essay(book, essay, sources)
    mine = found.source.path if found.source else found.id
    log.replay(d for d in said if d.location == mine or d.location.startswith(f"{mine}:"))
    opts = make_writer_options(manifest, chosen, book, pdf_options_for(manifest, None))
    first = _first_page(
        book,
        found,
        out_dir,
        opts_key=output_keys(book, opts, lambda part: layout_digest(chosen, part))[1],
    )
    progress(f"typesetting {found.id} from page {first}")
    from .writers.pdf import write_proof

    data = write_proof(book, found.id, opts, first)
    stem = f"{text_options.edition}." if text_options.edition else ""
    target = out_dir / PROOFS / f"{stem}{found.id}.pdf"
    with Staging() as staging:
        staging.write(target, data)
        staging.commit()
    return target


def find_essay(book: Anthology, wanted: str, sources: Path) -> Essay:
    """The essay named by its id, its file (as given, or inside the sources) or its file's stem."""
    essays = (*book.front, *book.essays, *book.back)
    given = Path(wanted)
    for essay in essays:
        if essay.id == wanted:
            return essay
    for essay in essays:
        if essay.source is None:
            continue
        file = sources / essay.source.path
        if given.stem == file.stem and (
            given.name == wanted  # a bare name: 01-kiln or 01-kiln.md
            or _same_file(given, file)
            or _same_file(sources / given, file)
        ):
            return essay
    names = ", ".join(e.source.path if e.source else e.id for e in essays[:8])
    more = ", …" if len(essays) > 8 else ""
    raise UsageError(
        f"no essay {wanted!r} in the anthology",
        hint=f"give an essay's file or id, e.g. {names}{more}",
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _first_page(book: Anthology, essay: Essay, out_dir: Path, opts_key: str) -> int:
    """The folio the essay begins on in the last build, else 1 (with a warning)."""
    stored = load_state(out_dir).pages
    if stored is None or essay.id not in stored.essays:
        warn(
            "proof-unnumbered",
            f"no earlier build of this essay in {out_dir}: its pages are numbered from 1 — "
            "build the book once for the book's page numbers",
        )
        return 1
    index = stored.essays.index(essay.id)
    start = next((s for s in stored.pages.pages if s.essay == index and s.block == HEAD), None)
    if start is None or not start.label.isdigit():
        warn("proof-unnumbered", f"the last build printed no page number where {essay.id} begins")
        return 1
    if stored.key != opts_key:
        warn(
            "proof-moved",
            "the anthology changed since the last build: if an essay before this one "
            "changed length, the page numbers may have moved — build again to be sure",
        )
    return int(start.label)
