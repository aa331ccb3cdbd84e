"""Turn ``w:drawing`` and VML pictures, text boxes and SmartArt into records.

Only embedded PNG, JPEG and GIF pictures are kept; linked pictures are never
fetched. The paragraphs of text boxes and shapes, and the text of SmartArt
diagrams, come out as ``Box`` records read after the paragraph that anchors
them (a warning says so). Charts are left out (reported).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from ...log import warn
from ._context import State, alternate
from ._ns import C_NS, a, mc, o, r, v, w, wp
from ._package import Rel
from ._records import BlockRecord, Box, Paragraph, Picture, Rule, StyleRef, Text

DGM_NS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
Item = Picture | Rule | Box

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

    def __init__(
        self,
        state: State,
        rels: dict[str, Rel],
        blocks: Callable[[etree._Element], list[BlockRecord]],
    ) -> None:
        self.state = state
        self.rels = rels
        self.blocks = blocks  # the part walker's, for the paragraphs of a text box

    def drawing(self, drawing: etree._Element) -> Iterator[Item]:
        for frame in drawing:
            if frame.tag not in (wp("inline"), wp("anchor")):
                continue
            doc_pr = frame.find(wp("docPr"))
            descr = doc_pr.get("descr", "") if doc_pr is not None else ""
            title = doc_pr.get("title", "") if doc_pr is not None else ""
            alt, title = (descr, title) if descr else (title, "")
            floating = frame.tag == wp("anchor")
            for el in self._pruned(frame):
                if isinstance(el, Box):
                    yield el
                elif el.tag == a("blip"):
                    pic = self.picture(el.get(r("embed")), el.get(r("link")), alt, floating, title)
                    if pic is not None:
                        yield pic
                elif el.tag == a("graphicData") and el.get("uri") == _DIAGRAM_URI:
                    box = self.diagram(el)
                    if box is not None:
                        yield box

    def vml(self, pict: etree._Element) -> Iterator[Item]:
        for el in self._pruned(pict):
            if isinstance(el, Box):
                yield el
            elif el.get(o("hr")) in ("t", "true"):
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

    def _pruned(self, root: etree._Element) -> Iterator[etree._Element | Box]:
        """Descendants of a drawing; a text box comes as one Box, charts are reported."""
        stack = list(reversed(root))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == w("txbxContent"):
                blocks = self.blocks(el)
                if blocks:
                    self.state.warn_once(
                        "docx-textbox",
                        "text in text boxes and shapes is kept as paragraphs after the "
                        "paragraph holding the box",
                    )
                    yield Box(tuple(blocks))
                continue
            if tag == f"{{{C_NS}}}chart":
                self.state.warn_once("docx-chart", "charts are left out")
                continue
            if tag == mc("AlternateContent"):
                stack.extend(reversed(alternate(el)))
                continue
            yield el
            stack.extend(reversed(el))

    def diagram(self, data: etree._Element) -> Box | None:
        """The text of a SmartArt diagram: one paragraph per text line of its data model."""
        ids = data.find(f"{{{DGM_NS}}}relIds")
        rel = self.rels.get(ids.get(r("dm"), "")) if ids is not None else None
        if rel is None or rel.external:
            return None
        root = self.state.pkg.xml(rel.target)
        if root is None:
            return None
        paragraphs: list[BlockRecord] = []
        for point in root.iter(f"{{{DGM_NS}}}pt"):
            if point.get("type", "node") not in ("node", "asst"):
                continue
            body = point.find(f"{{{DGM_NS}}}t")
            for para in body.iter(a("p")) if body is not None else ():
                text = "".join(t.text or "" for t in para.iter(a("t"))).strip()
                if text:
                    paragraphs.append(Paragraph((StyleRef("", ""),), None, (Text(text),)))
        if not paragraphs:
            return None
        self.state.warn_once(
            "docx-smartart", "SmartArt diagrams are kept as their text, one paragraph per box"
        )
        return Box(tuple(paragraphs))
