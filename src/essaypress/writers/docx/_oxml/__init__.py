"""Turn what python-docx has no API for into raw OOXML: the only DOCX modules that edit XML.

By concern: ``base`` (element helpers and the schema orders of ``w:rPr`` and
``w:settings``), ``notes`` (the footnotes part, references and marks),
``fields`` (PAGE and TOC fields, bookmarks, hyperlinks), ``numbering`` (list
instances), ``styles`` (style references, fonts, language tags, copying
styles), ``document`` (settings, section breaks, footnote numbering) and
``tables`` (header rows, cells, pictures). Everything else goes through
python-docx's proxies.
"""
