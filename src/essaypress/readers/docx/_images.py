"""Turn ``w:drawing`` and VML pictures into Picture records, keeping the image bytes.

Only embedded PNG, JPEG and GIF pictures are kept; linked pictures are never
fetched. Text boxes and charts inside drawings are not entered (reported).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ...log import warn
from ._context import State, alternate
from ._ns import C_NS, a, mc, o, r, v, w, wp
from ._package import Rel
from ._records import Picture, Rule

MAX_IMAGE_BYTES = 30 * 1024 * 1024
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _sniff(data: bytes) -> str:
    for magic, media_type in _IMAGE_MAGIC:
        if data.startswith(magic):
            return media_type
    return ""


class Images:
    """Pictures of one part, whose relationships name the image parts."""

    def __init__(self, state: State, rels: dict[str, Rel]) -> None:
        self.state = state
        self.rels = rels

    def drawing(self, drawing: etree._Element) -> Iterator[Picture]:
        for frame in drawing:
            if frame.tag not in (wp("inline"), wp("anchor")):
                continue
            doc_pr = frame.find(wp("docPr"))
            descr = doc_pr.get("descr", "") if doc_pr is not None else ""
            title = doc_pr.get("title", "") if doc_pr is not None else ""
            alt, title = (descr, title) if descr else (title, "")
            floating = frame.tag == wp("anchor")
            for el in _pruned(frame, self.state):
                if el.tag == a("blip"):
                    pic = self.picture(el.get(r("embed")), el.get(r("link")), alt, floating, title)
                    if pic is not None:
                        yield pic

    def vml(self, pict: etree._Element) -> Iterator[Picture | Rule]:
        for el in _pruned(pict, self.state):
            if el.get(o("hr")) in ("t", "true"):
                yield Rule()
            elif el.tag == v("imagedata"):
                rid = el.get(r("id")) or el.get(o("relid"))
                parent = el.getparent()
                alt = (parent.get("alt", "") if parent is not None else "") or el.get(
                    o("title"), ""
                )
                pic = self.picture(rid, el.get(r("href")), alt, False)
                if pic is not None:
                    yield pic

    def picture(
        self, embed: str | None, link: str | None, alt: str, floating: bool, title: str = ""
    ) -> Picture | None:
        rel = self.rels.get(embed or link or "")
        if rel is None:
            self.state.warn_once("docx-image-missing", "an image without its picture is left out")
            return None
        if rel.external or not embed:
            warn(
                "docx-linked-image",
                f"linked image {rel.target!r} is not part of the document and is never fetched; "
                "left out — insert the picture into the document instead of linking it",
                self.state.pkg.source,
            )
            return None
        if rel.target not in self.state.media:
            data = self.state.pkg.read(rel.target)
            if data is None:
                self.state.warn_once(
                    "docx-image-missing", f"image {rel.target} is missing; left out"
                )
                return None
            media_type = _sniff(data)
            if not media_type or len(data) > MAX_IMAGE_BYTES:
                self.state.dropped_images.append(rel.target)
                return None
            self.state.media[rel.target] = (data, media_type)
        return Picture(rel.target, " ".join(alt.split()), " ".join(title.split()), floating)


def _pruned(root: etree._Element, state: State) -> Iterator[etree._Element]:
    """Descendants of a drawing, not entering text boxes or charts (reported instead)."""
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == w("txbxContent"):
            state.warn_once("docx-textbox", "text in text boxes is left out")
            continue
        if tag == f"{{{C_NS}}}chart":
            state.warn_once("docx-chart", "charts are left out")
            continue
        if tag == mc("AlternateContent"):
            stack.extend(reversed(alternate(el)))
            continue
        yield el
        stack.extend(reversed(el))
