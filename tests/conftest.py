"""Shared fixtures: one canonical anthology that uses every node type, the default layout."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest
from PIL import Image as PILImage

from essaypress.layouts import load_layout
from essaypress.model.nodes import (
    Anthology,
    Attr,
    BlockQuote,
    BookMeta,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Essay,
    Figure,
    Heading,
    HorizontalRule,
    Image,
    LineBlock,
    LineBreak,
    Link,
    Meta,
    Note,
    OrderedList,
    Para,
    Part,
    Person,
    Resource,
    SmallCaps,
    SoftBreak,
    Span,
    Str,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    TableRow,
    Underline,
)
from essaypress.options import Layout, WriterOptions

REPO = Path(__file__).resolve().parent.parent


def png_bytes(width: int = 120, height: int = 80) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


def _cell(text: str, **kw: int) -> TableCell:
    return TableCell((Para((Str(text),)),), **kw)  # type: ignore[arg-type]


def make_anthology() -> Anthology:
    """A small anthology in Traditional Chinese and English using every node type."""
    img = Resource("img/kiln.png", "image/png", png_bytes())
    zh = Essay(
        Meta(
            title=(Str("窯火與晨光"),),
            subtitle=(Str("記一次返鄉"),),
            authors=(Person("林曉雯", "某某單位政治部"),),
            lang="zh-Hant",
        ),
        (
            Para(
                (
                    Str("清晨五點，" * 8),
                    Strong((Str("「窯火」"),)),
                    Str("還沒熄。"),
                    Note((Para((Str("窯火：燒製陶器的火。"),)),)),
                    Str("父親說，火要守一夜。"),
                )
            ),
            Heading(1, (Str("一、返鄉"),)),
            Para(
                (
                    Str("我們沿著溪走，"),
                    Emph((Str("強調"),)),
                    Str("水聲很遠。" * 20),
                    Note((Para((Str("溪名已不可考。"),)),)),
                )
            ),
            BlockQuote((Para((Str("「山在那裡，人就在那裡。」"),)),)),
            Heading(2, (Str("（一）窯"),)),
            Figure(Image("img/kiln.png", alt="老窯的側面"), (Str("圖一　老窯"),)),
            BulletList(((Para((Str("陶土"),)),), (Para((Str("柴薪"),)),))),
            OrderedList(((Para((Str("揉土"),)),), (Para((Str("拉坯"),)),)), start=3),
            Table(
                (TableRow((_cell("年份"), _cell("窯數"))),),
                (
                    TableRow((_cell("一九八〇"), _cell("十二"))),
                    TableRow((_cell("合計", colspan=2),)),
                ),
                caption=(Str("表一　窯數"),),
            ),
            LineBlock(((Str("山是靜的"),), (Str("火是醒的"),))),
            HorizontalRule(),
            Para((Str("全文完。"),)),
        ),
        id="kiln",
        resources=(img,),
    )
    en = Essay(
        Meta(
            title=(Str("On Reading "), Emph((Str("Walden"),))),
            authors=(Person("Ada Lane", "Office of Records"),),
            lang="en",
        ),
        (
            Para(
                (
                    Str("Thoreau went to the woods"),
                    SoftBreak(),
                    Str("to live deliberately."),
                    Note((Para((Str("Walden, 1854."),)),)),
                )
            ),
            Heading(1, (Str("Small things"),), Attr("small-things")),
            Para(
                (
                    Underline((Str("under"),)),
                    Str(" "),
                    Strikeout((Str("struck"),)),
                    Str(" "),
                    Superscript((Str("sup"),)),
                    Str(" "),
                    Subscript((Str("sub"),)),
                    Str(" "),
                    SmallCaps((Str("Caps"),)),
                    Str(" "),
                    Code("x = 1"),
                    LineBreak(),
                    Link((Str("a link"),), "https://example.org/"),
                    Str(" "),
                    Span((Str("a span"),), Attr(classes=("aside",))),
                )
            ),
            CodeBlock("print('hello')"),
        ),
        id="walden",
    )
    preface = Essay(
        Meta(title=(Str("編者的話"),), authors=(Person("編輯委員會"),)),
        (Para((Str("本書收錄徵文得獎作品。"),)),),
        id="preface",
    )
    meta = BookMeta(
        title="山與火：散文選集",
        subtitle="第一屆徵文得獎作品",
        editors=(Person("陳編輯"),),
        publisher="某某出版社",
        date="2026-01-01",
        lang="zh-Hant",
        identifier="urn:uuid:0d5c5a38-0000-4000-8000-000000000001",
        description="徵文得獎散文",
    )
    return Anthology(
        meta,
        (preface,),
        (Part((Str("第一輯"),), (zh,), "part-1"), Part((Str("第二輯"),), (en,), "part-2")),
    )


@pytest.fixture
def anthology() -> Anthology:
    return make_anthology()


@pytest.fixture
def layout() -> Layout:
    return load_layout("booklet-a5")


@pytest.fixture
def writer_options(layout: Layout) -> WriterOptions:
    return WriterOptions(layout=layout, date="2026-01-01")


@pytest.fixture
def corpus() -> Path:
    """The shared real-world corpus (``ESSAYPRESS_CORPUS``, default ``../shared/corpus``)."""
    path = Path(os.environ.get("ESSAYPRESS_CORPUS", REPO.parent / "shared" / "corpus"))
    if not path.is_dir():
        pytest.skip(f"corpus not found at {path}; set ESSAYPRESS_CORPUS")
    return path


def need_tool(name: str, why: str = "") -> str:
    """The path of an external program a test needs.

    Missing, the test is skipped — unless ``ESSAYPRESS_REQUIRE_TOOLS`` is set
    (``make test`` sets it), where a missing program is a failure, so a green
    run never hides a missing install step.
    """
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed{f' ({why})' if why else ''}; `make test` installs it")
    return path


def missing(message: str) -> NoReturn:
    """Skip the test for want of something ``make test`` installs — fail under ``make test``
    (``ESSAYPRESS_REQUIRE_TOOLS``), where it cannot be missing."""
    if os.environ.get("ESSAYPRESS_REQUIRE_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)


def ctrl_c_answered() -> None:
    """``preexec_fn`` for a child the test will send Ctrl-C (SIGINT): hear it, as in a terminal.

    A command started in the background by a non-interactive shell (``cmd &``, as CI
    scripts and nohup do) inherits SIGINT *ignored*, and Python keeps it ignored — so
    without this a Ctrl-C test passes in a terminal and fails in such a run.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


CORPUS_ANTHOLOGY = """\
title = "三十篇"
subtitle = "語料庫選讀"
editors = ["編者"]
publisher = "測試出版社"
date = "2026-01-01"
language = "zh-Hant"
edition = "初版"
{meta}
[[parts]]
title = "閑情偶寄"
essays = {hant}

[[parts]]
title = "魯迅"
essays = {hans}

[[parts]]
title = "Essays in English"
essays = {en}
{tables}"""


def corpus_anthology(corpus: Path, sources: Path, *, meta: str = "", tables: str = "") -> Path:
    """An anthology of 30 corpus essays in ``sources``: 7 Traditional Chinese, 11 Simplified
    Chinese and 12 English, in three parts. ``meta``: more top-level keys of anthology.toml;
    ``tables``: more tables after the parts."""
    chosen = {}
    (sources / "essays").mkdir(parents=True)
    for key, folder, lang, count in (
        ("hant", "zh", "zh-Hant", 7),
        ("hans", "zh", "zh-Hans", 11),
        ("en", "en", "en", 12),
    ):
        files = [
            p
            for p in sorted((corpus / "essays" / folder).glob("*.md"))
            if f"language: {lang}\n" in p.read_text(encoding="utf-8")
        ][:count]
        assert len(files) == count, f"the corpus has {count} {lang} essays"
        for f in files:
            shutil.copy(f, sources / "essays" / f.name)
        chosen[key] = "[" + ", ".join(f'"essays/{f.name}"' for f in files) + "]"
    text = CORPUS_ANTHOLOGY.format(meta=meta, tables=tables, **chosen)
    (sources / "anthology.toml").write_text(text, encoding="utf-8")
    return sources
