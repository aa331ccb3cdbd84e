"""Turn small raw-OOXML snippets into .docx bytes for the DOCX reader tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "x9": "http://example.org/a-future-office-namespace",
}
XMLNS = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_CT = {
    "word/document.xml": f"{_WML}.document.main+xml",
    "word/styles.xml": f"{_WML}.styles+xml",
    "word/footnotes.xml": f"{_WML}.footnotes+xml",
    "word/endnotes.xml": f"{_WML}.endnotes+xml",
    "word/numbering.xml": f"{_WML}.numbering+xml",
    "word/comments.xml": f"{_WML}.comments+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
}
_DECL = '<?xml version="1.0" encoding="UTF-8"?>'


@dataclass
class Rel:
    """A relationship of the main part: ``kind`` is the last segment of its type URI."""

    kind: str
    target: str
    external: bool = False


@dataclass
class Docx:
    """A .docx under construction: body XML, optional parts, relationships, media."""

    body: str
    styles: str | None = None
    footnotes: str | None = None
    endnotes: str | None = None
    core: str | None = None
    numbering: str | None = None
    comments: str | None = None
    rels: dict[str, Rel] = field(default_factory=dict)
    media: dict[str, bytes] = field(default_factory=dict)
    note_rels: dict[str, Rel] = field(default_factory=dict)
    extra: dict[str, bytes] = field(default_factory=dict)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            parts: dict[str, str | bytes] = {
                "word/document.xml": document(self.body),
            }
            rels = dict(self.rels)
            if self.styles is not None:
                parts["word/styles.xml"] = styles(self.styles)
                rels["rIdStyles"] = Rel("styles", "styles.xml")
            if self.footnotes is not None:
                parts["word/footnotes.xml"] = notes("footnotes", "footnote", self.footnotes)
                rels["rIdFootnotes"] = Rel("footnotes", "footnotes.xml")
                if self.note_rels:
                    parts["word/_rels/footnotes.xml.rels"] = rels_xml(self.note_rels)
            if self.numbering is not None:
                parts["word/numbering.xml"] = wrap("numbering", self.numbering)
                rels["rIdNumbering"] = Rel("numbering", "numbering.xml")
            if self.comments is not None:
                parts["word/comments.xml"] = wrap("comments", self.comments)
                rels["rIdComments"] = Rel("comments", "comments.xml")
            if self.endnotes is not None:
                parts["word/endnotes.xml"] = notes("endnotes", "endnote", self.endnotes)
                rels["rIdEndnotes"] = Rel("endnotes", "endnotes.xml")
            package_rels = {"rId1": Rel("officeDocument", "word/document.xml")}
            if self.core is not None:
                parts["docProps/core.xml"] = self.core
                package_rels["rId2"] = Rel("core-properties", "docProps/core.xml")
            parts["word/_rels/document.xml.rels"] = rels_xml(rels)
            parts["_rels/.rels"] = rels_xml(package_rels)
            for name, blob in self.media.items():
                parts[f"word/media/{name}"] = blob
            parts.update(self.extra)
            parts["[Content_Types].xml"] = content_types(parts)
            for name, content in parts.items():
                z.writestr(name, content)
        return buf.getvalue()


def document(body: str) -> str:
    return f"{_DECL}<w:document {XMLNS}><w:body>{body}</w:body></w:document>"


def styles(inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:styles {XMLNS}>{inner}</w:styles>'


def wrap(root: str, inner: str) -> str:
    """A part whose root is ``w:root`` holding ``inner``."""
    return f"{_DECL}<w:{root} {XMLNS}>{inner}</w:{root}>"


def notes(root: str, tag: str, inner: str) -> str:
    separators = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>SEPARATOR</w:t></w:r>'
        f"</w:p></w:{tag}>"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><w:{root} {XMLNS}>{separators}{inner}</w:{root}>'


def rels_xml(rels: Mapping[str, Rel]) -> str:
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    items = []
    for rid, rel in rels.items():
        base = f"{pkg}/metadata" if rel.kind == "core-properties" else REL
        mode = ' TargetMode="External"' if rel.external else ""
        items.append(
            f'<Relationship Id="{rid}" Type="{base}/{rel.kind}" Target="{rel.target}"{mode}/>'
        )
    return f'{_DECL}<Relationships xmlns="{pkg}">{"".join(items)}</Relationships>'


def content_types(parts: Mapping[str, object]) -> str:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    defaults = (
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Default Extension="emf" ContentType="image/x-emf"/>'
    )
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{ct}"/>'
        for name, ct in _CT.items()
        if name in parts
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}">{defaults}{overrides}</Types>'
    )


# ------------------------------------------------------------------- snippets


def p(*runs: str, style: str = "", ppr: str = "") -> str:
    """A paragraph; ``runs`` are raw XML (use ``r()`` for text runs)."""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{pstyle}{ppr}</w:pPr>" if pstyle or ppr else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def r(text: str, rpr: str = "", style: str = "") -> str:
    """A text run with optional run properties (raw XML) and character style."""
    rstyle = f'<w:rStyle w:val="{style}"/>' if style else ""
    props = f"<w:rPr>{rstyle}{rpr}</w:rPr>" if rstyle or rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def style(
    style_id: str, name: str, *, kind: str = "paragraph", based_on: str = "", rpr: str = "",
    ppr: str = "", default: bool = False,
) -> str:  # fmt: skip
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    dflt = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"{dflt}><w:name w:val="{name}"/>{based}'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def doc_defaults(lang: str = "") -> str:
    return f"<w:docDefaults><w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault></w:docDefaults>"


def drawing(rid: str, descr: str = "", *, anchor: bool = False, title: str = "") -> str:
    """A run holding a DrawingML picture that embeds relationship ``rid``."""
    frame = "wp:anchor" if anchor else "wp:inline"
    ttl = f' title="{title}"' if title else ""
    return (
        f'<w:r><w:drawing><{frame}><wp:extent cx="100" cy="100"/>'
        f'<wp:docPr id="1" name="Picture 1" descr="{descr}"{ttl}/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic>'
        f"</a:graphicData></a:graphic></{frame}></w:drawing></w:r>"
    )


def note(tag: str, note_id: str, *paras: str) -> str:
    """A footnote or endnote body, its first paragraph starting with the reference mark."""
    mark = f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{tag}Ref/></w:r>'
    first, *rest = paras
    first = first.replace("<w:p>", f"<w:p>{mark}", 1)
    return f'<w:{tag} w:id="{note_id}">{first}{"".join(rest)}</w:{tag}>'


def core(title: str = "", creator: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator></cp:coreProperties>"
    )


# --------------------------------------------------------------- numbering


def lvl(ilvl: int, fmt: str = "decimal", text: str | None = None, start: int = 1) -> str:
    """One ``w:lvl`` of an abstract list."""
    if text is None:
        text = "\uf0b7" if fmt == "bullet" else f"%{ilvl + 1}."
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:pPr><w:ind w:left="{720 * (ilvl + 1)}" '
        'w:hanging="360"/></w:pPr></w:lvl>'
    )


def abstract(aid: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid: int, aid: int, starts: Mapping[int, int] | None = None) -> str:
    """A ``w:num`` using abstract list ``aid``, with optional start overrides per level."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for i, v in (starts or {}).items()
    )
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def item(text: str, nid: int, ilvl: int = 0, style: str = "") -> str:
    """A numbered paragraph of list ``nid`` at level ``ilvl``."""
    return p(
        r(text),
        style=style,
        ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{nid}"/></w:numPr>',
    )
