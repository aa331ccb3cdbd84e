"""Turn what python-docx has no API for into raw OOXML: the only DOCX modules that edit XML.

By concern:

- ``base``: element helpers, new paragraphs and runs, the ``Story`` container
  of footnotes and headers, the schema order of ``w:rPr``;
- ``notes``: the footnotes part, references and number marks;
- ``fields``: PAGE and TOC fields, bookmarks, hyperlinks;
- ``headers``: header and footer parts;
- ``numbering``: list instances;
- ``styles``: style references, fonts, language tags, styles copied in;
- ``document``: settings, footnote numbering, section breaks;
- ``tables``: header rows, cells, pictures.

Everything else goes through python-docx's proxies.
"""
