"""Turn WeasyPrint's URL requests into in-memory images and layout files, and its log into warnings.

Safety: the fetcher never touches the network. It serves the anthology's
resources (under ``RESOURCE_ORIGIN``), files inside the layout's ``pdf/``
folders (a file missing from a layout's folder comes from the layout it
extends) and the system font files the writer itself chose; everything else
is refused with a warning.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ... import log
from ...model.nodes import Essay, Resource

RESOURCE_ORIGIN = "https://essaypress.invalid/resource/"
_REFUSED = "essaypress refused"


@dataclass(frozen=True)
class Served:
    """What a resource URL stands for: the resource (None if unknown), its key and its essay."""

    resource: Resource | None
    key: str
    essay: Essay | None


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serve the anthology's images from memory and the layout's ``pdf/`` files; refuse the rest."""

    def __init__(
        self,
        resources: dict[str, Served],
        folders: Path | Sequence[Path],
        fonts: frozenset[Path] = frozenset(),
    ) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self._resources = resources
        chain = [folders] if isinstance(folders, Path) else list(folders)
        self._roots = [f.resolve() for f in chain]
        self._fonts = frozenset(p.resolve() for p in fonts)
        self._warned: set[str] = set()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(RESOURCE_ORIGIN):
            served = self._resources.get(url)
            if served is not None and served.resource is not None:
                r = served.resource
                return URLFetcherResponse(url, r.data, {"Content-Type": r.media_type})
            key = served.key if served else unquote(url.rsplit("/", 1)[-1])
            essay = served.essay if served else None
            where = (essay.source or essay.id) if essay else None
            self._refuse(
                url,
                f"image {key[:200]!r} is not among the essay's files; it is left out of the PDF",
                where,
            )
        if url.startswith("file:"):
            path = self._layout_file(Path(url2pathname(urlsplit(url).path)))
            if path is not None:
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self._refuse(
            url,
            f"not loaded: {url[:200]} — the PDF reads only the essays' images "
            f"and files inside the layout's folder {self._roots[0]}",
            None,
        )

    def _layout_file(self, asked: Path) -> Path | None:
        """The file a ``file:`` URL may read: in a layout folder, inherited, or a chosen font."""
        path = asked.resolve()
        if path in self._fonts and path.is_file():
            return path
        for i, root in enumerate(self._roots):
            if not path.is_relative_to(root):
                continue
            relative = path.relative_to(root)
            for layer in self._roots[i:]:  # this layout first, then the ones it extends
                candidate = (layer / relative).resolve()
                if candidate.is_relative_to(layer) and candidate.is_file():
                    return candidate
            return None
        return None

    def _refuse(self, url: str, message: str, where: object) -> NoReturn:
        if url not in self._warned:
            self._warned.add(url)
            log.warn("pdf-url-refused", message, where)
        raise ValueError(f"{_REFUSED} {url[:200]}")


class _EngineHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _REFUSED in message:  # already reported, with its location, by SafeFetcher
            return
        log.warn("pdf-engine", message.splitlines()[0] if message else record.levelname)


@contextmanager
def engine_warnings() -> Iterator[None]:
    """Turn WeasyPrint's WARNING+ log records into ``pdf-engine`` warnings while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _EngineHandler(logging.WARNING)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
