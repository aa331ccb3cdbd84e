"""Issue 8, point 1: essays reach only files inside the sources folder, never the network."""

from __future__ import annotations

import io
import os
import zipfile
from urllib.parse import unquote

import pytest
from pypdf import PdfReader

from essaypress.log import collect

from . import _hostile as h
from .conftest import Project

ESCAPES = [
    pytest.param("../secret.png", "image-outside", id="traversal"),
    pytest.param("sub/../../secret.png", "image-outside", id="traversal-deep"),
    pytest.param("{secret}", "image-outside", id="absolute-path"),
    pytest.param("file://{secret}", "", id="file-url"),  # "" : Markdown keeps it as text
    pytest.param("file:secret.png", "", id="file-url-relative"),
    pytest.param("FILE://localhost{secret}", "", id="file-url-host"),
    pytest.param("%2e%2e/secret.png", "image-outside", id="percent-encoded-dots"),
    pytest.param("..%2fsecret.png", "image-outside", id="percent-encoded-slash"),
    pytest.param("link.png", "image-outside", id="symlink-file"),
    pytest.param("linkdir/secret.png", "image-outside", id="symlink-folder"),
    pytest.param("http://127.0.0.1:9/x.png", "remote-image", id="remote-http"),
    pytest.param("https://example.com/x.png", "remote-image", id="remote-https"),
    pytest.param("//example.com/x.png", "remote-image", id="remote-scheme-relative"),
    pytest.param("data:image/png;base64,iVBORw0KGgo=", "remote-image", id="data-url"),
]


def _plant_links(project: Project) -> None:
    os.symlink(project.secrets["png"].path, project.root / "link.png")
    os.symlink(project.tmp, project.root / "linkdir")


@pytest.mark.parametrize(("src", "code"), ESCAPES)
def test_image_escaping_the_sources_is_left_out_with_a_warning(
    project: Project, src: str, code: str
) -> None:
    _plant_links(project)
    src = src.format(secret=project.secrets["png"].path)
    project.essay(f"正文。\n\n![圖說一]({src})\n\n行內 ![x]({src}) 圖。")
    done = project.build()
    assert done.code == 0
    epub = zipfile.ZipFile(project.out / "anthology.epub")
    assert not [n for n in epub.namelist() if "/images/" in n and n != "EPUB/images/cover.svg"]
    chapters = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith("html"))
    assert "圖說一" in chapters
    if not code:  # markdown-it refuses file: links: the text stays as written, nothing is read
        assert done.warnings == [] and f"]({src})" in chapters
        return
    assert len(done.warned(code)) == 1, done.err
    assert done.warned(code)[0].startswith(f"a.md: warning: image {unquote(src)!r} ")
    project.seed_outputs()
    strict = project.build("--strict")  # the editor can refuse any left-out image
    assert strict.code == 1
    assert strict.error == (
        "1 warning(s) in strict mode (--strict); the earlier outputs are kept — "
        "fix what the warnings say, or build without --strict"
    )


def test_raw_html_and_attachments_never_reach_weasyprint(project: Project) -> None:
    secret_txt, secret_png = project.secrets["txt"].path, project.secrets["png"].path
    _plant_links(project)
    body = "\n\n".join(
        [
            '<link rel="attachment" href="../secret.txt">',
            f'<link rel="stylesheet" href="{secret_txt}">',
            f'<a rel="attachment" href="file://{secret_txt}">a</a> <img src="file://{secret_png}">',
            f'<iframe src="file://{secret_txt}"></iframe><object data="../secret.txt"></object>',
            f"<style>@import url(file://{secret_txt});",
            "body { background: url(../secret.png) }</style>",
            "<script>document.write('pwned')</script>",
            "[附件](../secret.txt){rel=attachment} [file](file:///etc/passwd) <file:///etc/shadow>",
            f"![](../secret.png) ![](link.png) ![](http://127.0.0.1:9/x.png) ![]({secret_png})",
        ]
    )
    project.essay(body)
    done = project.build(formats="pdf,docx,epub")
    assert done.code == 0, done.err
    pdf = PdfReader(project.out / "anthology.pdf")
    assert dict(pdf.attachments) == {}
    for page in pdf.pages:
        for annot in page.get("/Annots", []) or []:
            assert annot.get_object()["/Subtype"] != "/FileAttachment"
    text = "".join(page.extract_text() for page in pdf.pages)
    assert '<link rel="attachment"' in text.replace("\n", " ")  # raw HTML stays literal text
    assert "<script>" in text and "pwned')" in text
    assert not [w for w in done.warnings if "pdf-url-refused" in w], "nothing even asked for"


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        pytest.param(
            "../secret.md", "'../secret.md' is outside the sources folder", id="traversal"
        ),
        pytest.param("{secret}", "is outside the sources folder", id="absolute"),
        pytest.param("link.md", "'link.md' is outside the sources folder", id="symlink"),
    ],
)
def test_manifest_cannot_name_an_essay_outside_the_sources(
    project: Project, listed: str, message: str
) -> None:
    os.symlink(project.secrets["md"].path, project.root / "link.md")
    project.manifest(listed.format(secret=project.secrets["md"].path))
    done = project.build()
    assert done.code == 1
    assert done.error.startswith(f"{project.root / 'anthology.toml'}: essays[0].file: ")
    assert message in done.error


def test_symlinked_essay_in_a_folder_without_manifest_is_refused(project: Project) -> None:
    project.write("a.md", "# 一篇\n\n正文。\n")
    os.symlink(project.secrets["md"].path, project.root / "b.md")
    done = project.build()
    assert done.code == 1
    assert done.error == (
        f"b.md: the essay file is a link to {project.secrets['md'].path.resolve()}, outside the "
        "sources folder — copy the essay itself into the sources folder"
    )


@pytest.mark.parametrize("key", ["cover", "reference_docx"])
def test_manifest_files_outside_the_sources_are_refused(project: Project, key: str) -> None:
    project.essay("正文。")
    project.manifest("a.md", extra=f'{key} = "../secret.png"\n')
    done = project.build()
    assert done.code == 1
    assert done.error.endswith(f"{key}: '../secret.png' is outside the sources folder")


def test_svg_images_are_refused_with_a_clear_warning(project: Project) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'onload="alert(1)"><script>alert(2)</script>'
        f'<image xlink:href="file://{project.secrets["png"].path}"/>'
        '<foreignObject><iframe src="http://127.0.0.1:9/"/></foreignObject></svg>'
    )
    project.write("chart.svg", svg)
    project.write("disguised.png", '<?xml version="1.0"?>\n' + svg)
    project.essay("![圖一](chart.svg)\n\n![圖二](disguised.png)")
    done = project.build(formats="pdf,epub,docx")
    assert done.code == 0
    found = done.warned("image-format")
    assert len(found) == 2 and all(
        "is an SVG drawing" in w and "export it as PNG" in w for w in found
    )
    epub = zipfile.ZipFile(project.out / "anthology.epub")
    assert not [
        n
        for n in epub.namelist()
        if n.endswith(".svg") and "missing" not in n and n != "EPUB/images/cover.svg"
    ]


def test_docx_external_relationships_are_never_fetched(project: Project) -> None:
    secret = project.secrets["txt"].path
    rels = {
        "rId1": ("image", "http://127.0.0.1:9/remote.png", True),
        "rId2": ("image", f"file://{project.secrets['png'].path}", True),
        "rId3": ("aFChunk", f"file://{secret}", True),
        "rId4": ("subDocument", f"file://{secret}", True),
        "rId5": ("hyperlink", "http://127.0.0.1:9/page", True),
        "rId6": ("image", "../../secret.png", False),
    }
    body = (
        h.para("正文。")
        + h.inline_picture("rId1", link=True)
        + h.inline_picture("rId2", link=True)
        + '<w:altChunk r:id="rId3"/>'
        + '<w:p><w:r><w:subDoc r:id="rId4"/></w:r></w:p>'
        + '<w:p><w:hyperlink r:id="rId5"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>'
        + h.inline_picture("rId6")
    )
    settings_rels = h.rels_xml({"rId1": ("attachedTemplate", "http://127.0.0.1:9/t.dotm", True)})
    project.write(
        "a.docx",
        h.docx(
            body,
            rels=rels,
            parts={
                "word/settings.xml": f'<w:settings xmlns:w="{h.W}" xmlns:r="{h.R}">'
                '<w:attachedTemplate r:id="rId1"/></w:settings>',
                "word/_rels/settings.xml.rels": settings_rels,
            },
        ),
    )
    project.manifest("a.docx")
    done = project.build(formats="pdf,docx,epub")
    assert done.code == 0, done.err
    assert done.warned("docx-linked-image"), done.err
    assert all(w.startswith("a.docx: warning: ") for w in done.warnings if "docx" in w)
    out = zipfile.ZipFile(io.BytesIO((project.out / "anthology.docx").read_bytes()))
    rels_out = "".join(out.read(n).decode() for n in out.namelist() if n.endswith(".rels"))
    assert "127.0.0.1:9/remote.png" not in rels_out and "secret" not in rels_out


def test_weasyprint_fetcher_serves_only_the_layout_and_the_essays_images(project: Project) -> None:
    from essaypress.writers.pdf import RESOURCE_ORIGIN, SafeFetcher

    from ._audit import outside, recording, system_roots

    layout = project.tmp / "layout" / "pdf"
    layout.mkdir(parents=True)
    (layout / "book.css").write_text("body {}")
    os.symlink(project.secrets["txt"].path, layout / "evil.css")
    fetcher = SafeFetcher({}, layout)
    secret = project.secrets["txt"].path
    refused = [
        f"file://{secret}",
        f"file://{layout}/../../secret.txt",
        f"file://{layout}/%2e%2e/%2e%2e/secret.txt",
        f"file://{layout}/evil.css",
        "http://127.0.0.1:9/x.css",
        "https://example.com/font.woff",
        "ftp://127.0.0.1/x",
        f"{RESOURCE_ORIGIN}0/unknown.png",
        "data:text/css,body{}",
    ]
    with recording() as rec, collect() as warnings:
        assert fetcher.fetch(f"file://{layout}/book.css").read() == b"body {}"
        for url in refused:
            with pytest.raises(ValueError, match="essaypress refused"):
                fetcher.fetch(url)
    assert rec.events == []
    assert not project.secrets["txt"].was_read()
    assert outside(rec, system_roots()) == [str((layout / "book.css").resolve())]
    assert len(warnings) == len(refused) and {w.code for w in warnings} == {"pdf-url-refused"}
