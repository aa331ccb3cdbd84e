"""Turn OOXML namespace prefixes into Clark-notation tag names (``{uri}local``)."""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Strict OOXML (ISO 29500 strict) uses other URIs for the same vocabularies; the
# package layer rewrites them to the transitional ones so the rest reads one dialect.
STRICT_TO_TRANSITIONAL = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": W_NS,
    "http://purl.oclc.org/ooxml/officeDocument/relationships": R_NS,
    "http://purl.oclc.org/ooxml/drawingml/main": A_NS,
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": WP_NS,
    "http://purl.oclc.org/ooxml/drawingml/picture": PIC_NS,
    "http://purl.oclc.org/ooxml/drawingml/chart": C_NS,
    "http://purl.oclc.org/ooxml/officeDocument/math": M_NS,
}
STRICT_PREFIX = "http://purl.oclc.org/ooxml/"


def w(local: str) -> str:
    """The WordprocessingML name ``w:local``."""
    return f"{{{W_NS}}}{local}"


def r(local: str) -> str:
    return f"{{{R_NS}}}{local}"


def a(local: str) -> str:
    return f"{{{A_NS}}}{local}"


def wp(local: str) -> str:
    return f"{{{WP_NS}}}{local}"


def v(local: str) -> str:
    return f"{{{V_NS}}}{local}"


def o(local: str) -> str:
    return f"{{{O_NS}}}{local}"


def mc(local: str) -> str:
    return f"{{{MC_NS}}}{local}"


def m(local: str) -> str:
    return f"{{{M_NS}}}{local}"
