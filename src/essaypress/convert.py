"""Turn one Word submission (.docx) into a Markdown essay with front matter and its images.

``essaypress convert essay.docx -o essay.md`` reads the document as a build
would (readers, then the transforms: title, bylines, typed headings), writes
the essay as Markdown (``writers/markdown.py``) and its pictures into a folder
named after the Markdown file (``essay-images/image-1.png`` …), so the essay
can live in version control and build to the same text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError, UsageError
from .log import warn
from .model.build import text
from .model.nodes import Essay, Image
from .model.text import plain
from .model.walk import query
from .pipeline import read_single
from .resources import resolve_images, sniff
from .writers.markdown import essay_markdown

__all__ = ["ConvertResult", "convert", "images_folder"]


@dataclass(frozen=True)
class ConvertResult:
    markdown: Path
    images: tuple[Path, ...]


def images_folder(markdown: Path) -> Path:
    """Where the images of ``markdown`` go: ``<name>-images`` beside it."""
    return markdown.with_name(f"{markdown.stem}-images")


def convert(source: Path, out: Path | None = None, *, force: bool = False) -> ConvertResult:
    """Write ``source`` (.docx) as Markdown to ``out`` (default: beside it, ``.md``)."""
    if source.suffix.lower() != ".docx":
        raise UsageError(
            f"{source}: convert reads .docx files", hint="give it a Word document (.docx)"
        )
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    out = out if out is not None else source.with_suffix(".md")
    if out.suffix.lower() not in (".md", ".markdown"):
        raise UsageError(f"{out}: the output must be a .md file", hint="e.g. -o essay.md")
    folder = images_folder(out)
    if not force and (out.exists() or folder.exists()):
        taken = out if out.exists() else folder
        raise UsageError(f"{taken} already exists", hint="choose another -o, or add --force")
    essay = resolve_images(read_single(source), source, source.parent)
    if not plain(essay.meta.title).strip():
        warn(
            "no-title",
            "the document has no title: using the file name — edit `title:` in the Markdown",
            str(source),
        )
        essay = dataclasses.replace(
            essay, meta=dataclasses.replace(essay.meta, title=text(source.stem))
        )
    names = image_names(essay, folder.name)
    markdown = essay_markdown(essay, names)
    written: list[Path] = []
    try:
        if names:
            folder.mkdir(parents=True, exist_ok=True)
        data = {r.key: r.data for r in essay.resources}
        for key, name in names.items():
            path = out.parent / name
            path.write_bytes(data[key])
            written.append(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=str(exc.filename or out)) from None
    return ConvertResult(out, tuple(written))


def image_names(essay: Essay, folder: str) -> dict[str, str]:
    """Resource key → ``folder/image-N.ext``, numbered in reading order."""
    known = {r.key: r for r in essay.resources}
    names: dict[str, str] = {}
    for img in query(essay.blocks, Image):
        resource = known.get(img.src)
        if resource is None or img.src in names:
            continue
        ext = (sniff(resource.data) or ("", "bin"))[1]
        names[img.src] = f"{folder}/image-{len(names) + 1}.{ext}"
    return names
