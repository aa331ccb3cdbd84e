"""Turn a paragraph's style chain into what the paragraph is: title, heading n, quote, code...

Styles are matched by id and by name, compacted (``Heading 1``, ``heading1`` and
``Heading_1`` are one key), in English and in the names localized Word and WPS
store (``標題 1``, ``标题 1``, ``Überschrift 1``, ``見出し 1``...), and by the
outline level a style or the paragraph declares (localized Word gives built-in
styles ids such as ``1`` or ``a3``, but keeps the outline level).
"""

from __future__ import annotations

import re
from typing import Literal

from ._records import Paragraph

Role = Literal[
    "body", "title", "subtitle", "author", "date", "heading", "quote", "caption", "code", "toc",
    "rule", "verse",
]  # fmt: skip

_HEADING_WORDS = (
    "heading", "標題", "标题", "überschrift", "uberschrift", "titre", "título", "titulo",
    "titolo", "kop", "заголовок", "見出し", "제목", "nagłówek", "rubrik", "overskrift",
    "otsikko", "nadpis", "başlık", "címsor", "επικεφαλίδα", "cabeçalho", "judul", "tiêuđề",
)  # fmt: skip
_HEADING = re.compile(rf"(?:{'|'.join(_HEADING_WORDS)})([1-9])")
_TOC = re.compile(r"(?:toc|目錄|目录|verzeichnis|inhaltsverzeichnis|tdm|目次)([1-9])")

_NAMES: dict[str, Role] = {}
for _role, _words in (
    ("title", "title 標題 标题 表題 titel titre título titulo titolo заголовок 제목 tytuł"),
    ("subtitle", "subtitle essaysubtitle 副標題 副标题 副題 untertitel sous-titre subtítulo "
     "subtitulo sottotitolo ondertitel подзаголовок 부제 podtytuł"),
    ("author", "author byline 作者 署名"),
    ("date", "date 日期"),
    ("quote", "quote intensequote blocktext blockquote 引文 引用 引用文 鮮明引文 明显引用 "
     "強調引用文 zitat intensiveszitat citation citationintense cita citadestacada citação "
     "citazione citazioneintensa citaat duidelijkcitaat цитата выделеннаяцитата 인용 "
     "區塊文字 文本块 blocktekst"),
    ("caption", "caption imagecaption tablecaption figurecaption 標號 题注 図表番号 "
     "beschriftung légende legende descripción didascalia bijschrift названиеобъекта 캡션"),
    ("code", "sourcecode htmlpreformatted code codeblock preformattedtext macrotext "
     "html預設格式 html预设格式"),
    ("toc", "tocheading 目錄標題 目录标题 inhaltsverzeichnisüberschrift"),
    ("rule", "scenebreak sectionbreak separator ornament 分隔線 分隔线"),
    ("verse", "verse poem poetry 詩 诗 詩歌 诗歌 新詩 gedicht poème poesía"),
):  # fmt: skip
    for _word in _words.split():
        _NAMES[_word.replace("-", "")] = _role  # type: ignore[assignment]


def compact(name: str) -> str:
    """A style id or name lower-cased without spaces, hyphens and underscores."""
    return re.sub(r"[\s_\-]+", "", name.lower())


def role(p: Paragraph) -> tuple[Role, int]:
    """What a paragraph's style makes it, and the heading level (1–6) for headings."""
    for ref in p.styles:
        for key in (ref.id, ref.name):
            name = compact(key)
            if not name:
                continue
            if name in _NAMES:
                return _NAMES[name], 0
            match = _HEADING.fullmatch(name)
            if match:
                return "heading", min(int(match.group(1)), 6)
            if _TOC.fullmatch(name):
                return "toc", 0
    if p.outline is not None and p.outline < 9:
        return "heading", min(p.outline + 1, 6)
    return "body", 0
