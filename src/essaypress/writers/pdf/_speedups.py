"""Turn two of WeasyPrint 70's per-page loops over the whole book into lookups, same output.

Laying out a page, WeasyPrint 70 looks through *every* cascaded style of the
document for the page's margin boxes (``set_page_type_computed_styles``), and
through every earlier and later page for ``position: fixed`` boxes
(``layout_fixed_boxes``). Both cost a little per page times the size of the
book, so the layout of a 1,700-page anthology took a fifth longer than four
times a 425-page one. The replacements do the same work:

- the margin boxes of a page type are exactly the ``(page type, pseudo-element)``
  styles ``add_page_declarations`` just made, from the pseudo-elements named in
  the ``@page`` rules: those are looked up instead of scanning every style;
- pages without fixed boxes are skipped by a filter that runs in C.

Like ``_cjk_justify`` the patch is pinned to WeasyPrint 70.0 and the source of
what it replaces (fingerprints below; a test fails when WeasyPrint changes). The
sample's PDF is byte-identical with and without it (tested).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

import weasyprint
from weasyprint import layout as layout_package
from weasyprint.layout import page as page_module

PINNED_VERSION = "70.0"
FINGERPRINTS = {
    "page.set_page_type_computed_styles": (
        "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb"
    ),
    "layout.layout_fixed_boxes": "5c62b9c0838af971067953b7c6b2d32c1556d2f020f57ff867738064534d7b33",
}
_TARGETS: dict[str, Callable[..., Any]] = {
    "page.set_page_type_computed_styles": page_module.set_page_type_computed_styles,
    "layout.layout_fixed_boxes": layout_package.layout_fixed_boxes,
}
_ORIGINAL_FIXED = layout_package.layout_fixed_boxes
_HAS_FIXED = attrgetter("fixed_boxes")


def fingerprints() -> dict[str, str]:
    """The sha256 of the installed WeasyPrint's source of every function replaced here."""
    return {
        name: hashlib.sha256(inspect.getsource(fn).encode()).hexdigest()
        for name, fn in _TARGETS.items()
    }


def applicable() -> bool:
    """Whether the installed WeasyPrint is the one these replacements were written for."""
    return weasyprint.__version__ == PINNED_VERSION and fingerprints() == FINGERPRINTS


def _margin_boxes(style_for: Any, page_type: Any) -> list[str]:
    """The pseudo-elements (margin boxes) of the ``@page`` rules that match ``page_type``, in
    the order ``add_page_declarations`` first made their styles (the order WeasyPrint's scan
    met them)."""
    found: list[str] = []
    for sheet, _origin, _specificity in style_for._sheets:
        for _rule, selector_list, _declarations in sheet.page_rules:
            for _spec, pseudo_type, page_selector_type in selector_list:
                if (
                    pseudo_type
                    and pseudo_type not in found
                    and style_for._page_type_match(page_selector_type, page_type)
                ):
                    found.append(pseudo_type)
    return found


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's function of the same name, with a lookup where it scanned every style."""
    style_for.add_page_declarations(page_type)
    style_for.set_computed_styles(
        page_type, root=html.etree_element, parent=html.etree_element, base_url=html.base_url
    )
    cascaded = style_for.get_cascaded_styles()
    for pseudo_type in _margin_boxes(style_for, page_type):
        if (page_type, pseudo_type) in cascaded:
            style_for.set_computed_styles(
                page_type,
                pseudo_type=pseudo_type,
                root=html.etree_element,
                parent=page_type,
                base_url=html.base_url,
            )


def layout_fixed_boxes(context: Any, pages: Any, containing_page: Any) -> Iterator[Any]:
    """WeasyPrint's function, given only the pages that have fixed boxes."""
    yield from _ORIGINAL_FIXED(context, list(filter(_HAS_FIXED, pages)), containing_page)


@contextmanager
def fast_pages() -> Iterator[bool]:
    """Inside the block, WeasyPrint lays pages out with the replacements; yields if active."""
    if not applicable():
        yield False
        return
    saved = page_module.set_page_type_computed_styles, layout_package.layout_fixed_boxes
    page_module.set_page_type_computed_styles = set_page_type_computed_styles
    layout_package.layout_fixed_boxes = layout_fixed_boxes
    try:
        yield True
    finally:
        page_module.set_page_type_computed_styles, layout_package.layout_fixed_boxes = saved
