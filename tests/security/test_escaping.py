"""Issue 8, point 5: every text and metadata field is escaped; templates never evaluate it."""

from __future__ import annotations

import io
import zipfile

import docx as python_docx
from lxml import etree
from pypdf import PdfReader

from .conftest import Project

SCRIPT = "<script>alert('x')</script>"
JINJA = "{{ 7*7 }}"
TRICKS = f'{SCRIPT} {JINJA} {{% if true %}}IF{{% endif %}} &amp; "q" ]]> <!-- c -->'


def _evaluated(text: str) -> bool:
    """Whether a template evaluated the text: ``{{ 7*7 }}`` became 49, ``{% if %}`` vanished."""
    return any(s in text for s in ("與 49", "小節 49", "> 49 IF", "alert('x')</script> IF"))


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_hostile_titles_and_text_appear_literally_in_every_output(project: Project) -> None:
    project.write(
        "a.md",
        "---\n"
        f"title: '{TRICKS.replace(chr(39), chr(39) * 2)}'\n"
        f"subtitle: '{JINJA}'\n"
        f"author: {{name: '{SCRIPT.replace(chr(39), chr(39) * 2)}', affiliation: '{JINJA}'}}\n"
        "---\n\n"
        f"正文 {SCRIPT} 與 {JINJA}。[^1]\n\n"
        f"## 小節 {JINJA}\n\n"
        f'[連結](https://example.org/?a=1&b=<2> "{JINJA}") `{SCRIPT}`\n\n'
        f"```\n{SCRIPT}\n```\n\n"
        f"[^1]: 註 {SCRIPT}\n",
    )
    project.write(
        "anthology.toml",
        f'title = {_toml(TRICKS)}\nsubtitle = {_toml(JINJA)}\ndate = "2026-01-01"\n'
        f"editors = [{_toml(SCRIPT)}]\npublisher = {_toml(JINJA)}\n"
        f"description = {_toml(TRICKS)}\nrights = {_toml(SCRIPT)}\n"
        f'language = "en"\nessays = ["a.md"]\n[text]\nquotes = "keep"\n',
    )
    done = project.build(formats="pdf,docx,epub")
    assert done.code == 0, done.err

    epub = zipfile.ZipFile(project.out / "anthology.epub")
    texts = []
    for name in epub.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx")):
            root = etree.fromstring(epub.read(name))  # well-formed XML, or this raises
            assert not root.xpath("//*[local-name()='script']"), name
            texts.append("".join(str(t) for t in root.itertext()))
            texts.extend(str(v) for el in root.iter() for v in el.attrib.values())
    everything = "\n".join(texts)
    for needle in (TRICKS, SCRIPT, JINJA, f"正文 {SCRIPT} 與 {JINJA}。"):
        assert needle in everything, needle
    assert not _evaluated(everything)

    document = python_docx.Document(io.BytesIO((project.out / "anthology.docx").read_bytes()))
    assert document.core_properties.title == TRICKS
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"正文 {SCRIPT} 與 {JINJA}。" in body and TRICKS in body and not _evaluated(body)

    pdf = PdfReader(project.out / "anthology.pdf")
    assert pdf.metadata is not None and pdf.metadata.title == TRICKS
    text = " ".join(page.extract_text() for page in pdf.pages).replace("\n", " ")
    assert JINJA in text and SCRIPT in text and not _evaluated(text)
