"""The preview page: the whole book in one HTML page, everything escaped, one script of ours."""

from __future__ import annotations

import lxml.html
import pytest

from essaypress.log import Diagnostic
from essaypress.model.nodes import (
    Anthology,
    BookMeta,
    Essay,
    Link,
    Meta,
    Para,
    Part,
    Person,
    Str,
)
from essaypress.options import Layout
from essaypress.preview import Page, _style_text, render_page

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def _tree(page: Page) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page.html.decode("utf-8"))


def _only_our_script(page: Page) -> None:
    scripts = _tree(page).xpath("//script")
    assert len(scripts) == 1
    assert scripts[0].get("nonce") == page.nonce
    assert "/__version" in (scripts[0].text or "")
    root = _tree(page)
    handlers = [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    assert handlers == []


def test_every_part_of_the_book_is_on_the_page(anthology: Anthology, layout: Layout) -> None:
    page = render_page(anthology, layout, version="v1")
    root = _tree(page)
    assert root.get("data-version") == "v1" and root.get("lang") == "zh-Hant"
    text = root.text_content()
    for needle in ("山與火：散文選集", "第一輯", "第二輯", "窯火與晨光", "編者的話", "全文完。"):
        assert needle in text, needle
    toc = root.get_element_by_id("essaypress-toc")
    targets = [a.get("href") for a in toc.iter("a")]
    assert targets == ["#preface", "#part-1", "#kiln", "#part-2", "#walden"]
    for target in targets:
        assert root.get_element_by_id(target[1:]) is not None
    walden = root.get_element_by_id("walden")
    assert walden.get("lang") == "en" and "script-en" in walden.get("class")
    assert "Ada Lane, Office of Records" in walden.text_content()  # the byline
    # footnotes: a numbered reference and the note after the essay
    kiln = root.get_element_by_id("kiln")
    assert kiln.xpath(".//a[@class='noteref']")[0].get("href") == "#kiln-fn1"
    assert "窯火：燒製陶器的火。" in kiln.get_element_by_id("kiln-fn1").text_content()
    # the image is served by the preview server under a content-hashed path
    (img,) = kiln.xpath(".//img")
    assert img.get("src") in page.assets
    asset = page.assets[img.get("src")]
    assert asset.media_type == "image/png" and asset.data.startswith(b"\x89PNG")
    _only_our_script(page)


def test_the_layouts_epub_stylesheet_is_scoped_to_each_essays_language(
    anthology: Anthology, layout: Layout
) -> None:
    css = "".join(_tree(render_page(anthology, layout, version="v")).xpath("//style/text()"))
    assert ".lang-scope:lang(zh) .essay-body p" in css
    assert "html:lang(" not in css
    assert '.script-zh-Hant { font-family: "Noto Serif", "Noto Serif CJK TC", serif; }' in css


def _hostile_book() -> Anthology:
    essay = Essay(
        Meta(
            title=(Str(f"標題 {SCRIPT}"),),
            subtitle=(Str(IMG),),
            authors=(Person(SCRIPT, IMG),),
            lang='en" onload="alert(1)',
        ),
        (
            Para((Str(f"正文 {SCRIPT} 與 {IMG}"),)),
            Para((Link((Str("點我"),), "javascript:alert(1)"),)),
        ),
        id="x",
    )
    meta = BookMeta(title=f"書 {SCRIPT}", editors=(Person(SCRIPT),), publisher=IMG)
    return Anthology(meta, (), (Part((Str(f"輯 {SCRIPT}"),), (essay,), "p1"),))


def test_an_essay_with_script_shows_it_as_text_and_runs_nothing(layout: Layout) -> None:
    page = render_page(_hostile_book(), layout, version="v")
    root = _tree(page)
    _only_our_script(page)
    text = root.text_content()
    for needle in (f"正文 {SCRIPT} 與 {IMG}", f"標題 {SCRIPT}", f"書 {SCRIPT}", f"輯 {SCRIPT}"):
        assert needle in text, needle
    assert root.xpath("//img") == []
    assert all(not a.get("href", "").startswith("javascript") for a in root.iter("a"))
    assert root.get_element_by_id("x").get("lang") == "zh-Hant"  # a malformed tag is dropped


def test_the_error_page_shows_the_message_escaped_above_the_last_good_book(
    anthology: Anthology, layout: Layout
) -> None:
    message = f"anthology.toml:3: not valid TOML {SCRIPT} — fix the line"
    page = render_page(anthology, layout, version="v2", error=message)
    root = _tree(page)
    banner = root.get_element_by_id("essaypress-error")
    assert message in banner.text_content()
    assert "last version that read without errors" in banner.text_content()
    assert "窯火與晨光" in root.text_content()  # the last good book stays below
    _only_our_script(page)
    alone = _tree(render_page(None, None, version="v3", error=message))
    assert message in alone.get_element_by_id("essaypress-error").text_content()
    assert alone.xpath("//main") == [] and len(alone.xpath("//script")) == 1


@pytest.mark.parametrize("severity", ["warning", "error"])
def test_warnings_are_listed_escaped(anthology: Anthology, layout: Layout, severity: str) -> None:
    diag = Diagnostic("no-title", f"essay has no title {SCRIPT}", "a.md:1", severity)
    page = render_page(anthology, layout, version="v", warnings=[diag])
    (details,) = _tree(page).xpath("//details[@class='essaypress-warnings']")
    assert str(diag) in details.text_content()
    assert f"1 {severity}" in details.text_content()
    _only_our_script(page)


def test_style_text_cannot_close_its_element() -> None:
    assert "</style" not in _style_text("p::after { content: '</style><script>x()</script>' }")


def test_the_page_before_the_first_reading_reloads_itself() -> None:
    page = render_page(None, None, version="v0")
    root = _tree(page)
    assert root.xpath("//main") == [] and root.get("data-version") == "v0"
    _only_our_script(page)
