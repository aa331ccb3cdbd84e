"""``essaypress check``: one fixture per problem, each reported once at the right place."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from essaypress.cli import main
from essaypress.log import Diagnostic, collect
from essaypress.pipeline import build, check_sources
from tests.conftest import png_bytes

BODY = "清晨五點，窯火還沒熄，父親已經蹲在窯口添柴，我們誰也沒有說話。"


def md(title: str | None, body: str, author: str | None = "王小明", lang: str = "zh-Hant") -> str:
    head = ["---"]
    if title is not None:
        head.append(f"title: {title}")
    if author is not None:
        head.append(f"author: {author}")
    head += [f"lang: {lang}", "---", ""]
    return "\n".join(head) + body


def word_file(path: Path) -> None:
    """A .docx with a comment at paragraph 3 and a tracked insertion at paragraph 4."""
    d = docx.Document()
    d.add_paragraph("母親的縫紉機", style="Title")  # paragraph 1
    d.add_paragraph("作者：林曉雯")  # paragraph 2
    commented = d.add_paragraph(BODY)  # paragraph 3
    d.add_comment(commented.runs, text="這句再想想", author="編輯")
    changed = d.add_paragraph(BODY)  # paragraph 4
    ins = etree.SubElement(changed._p, qn("w:ins"))
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), "編輯")
    ins.set(qn("w:date"), "2026-01-01T00:00:00Z")
    run = etree.SubElement(ins, qn("w:r"))
    etree.SubElement(run, qn("w:t")).text = "又添了一把柴。"
    d.add_paragraph(BODY)
    d.save(str(path))


# code → (file, line or paragraph) where the fixture puts the problem
EXPECTED: dict[str, tuple[str, str]] = {
    "no-title": ("02-no-title.md", ""),
    "no-author": ("03-no-author.md", ""),
    "duplicate-title": ("04-duplicate.md", ""),
    "heading-skip": ("05-heading-skip.md", ":12"),
    "mixed-punctuation": ("06-mixed.md", ":8"),
    "stray-simplified": ("07-simplified.md", ":8"),
    "stray-traditional": ("08-traditional.md", ":8"),
    "unbalanced-quotes": ("09-quotes.md", ":8"),
    "unbalanced-brackets": ("10-brackets.md", ":8"),
    "image-low-dpi": ("11-image.md", ":8"),
    "empty-essay": ("12-empty.md", ""),
    "docx-comments": ("13-word.docx", ": paragraph 3"),
    "docx-tracked-changes": ("13-word.docx", ": paragraph 4"),
}


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    src = tmp_path / "sources"
    src.mkdir()
    files = {
        "01-clean.md": md("窯火", BODY + "\n\n# 一\n\n" + BODY + "\n\n## 二\n\n" + BODY + "\n"),
        "02-no-title.md": md(None, BODY + "\n\n" + BODY + "\n"),
        "03-no-author.md": md("縫紉機", BODY + "\n", author=None),
        "04-duplicate.md": md("窯火", BODY + "\n"),
        "05-heading-skip.md": md("燈塔", BODY + "\n\n# 一\n\n" + BODY + "\n\n### 三\n\n" + BODY),
        "06-mixed.md": md("季風", BODY + "\n\n北風來了,我們關窗。\n"),
        "07-simplified.md": md("最後一課", BODY + "\n\n这里是學校。\n"),
        "08-traditional.md": md("等待", "清晨五点。\n\n這里是学校。\n", lang="zh-Hans"),
        "09-quotes.md": md("船", BODY + "\n\n他說「你好。\n\n" + BODY + "\n"),
        "10-brackets.md": md("島", BODY + "\n\n他說（你好。\n"),
        "11-image.md": md("照片", BODY + "\n\n![窯](kiln.png)\n"),
        "12-empty.md": md("空白", ""),
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "kiln.png").write_bytes(png_bytes(120, 80))
    word_file(src / "13-word.docx")
    names = [*files, "13-word.docx"]
    toml = 'title = "問題"\ndate = "2026-11-01"\nessays = [' + ", ".join(f'"{n}"' for n in names)
    (src / "anthology.toml").write_text(toml + "]\n", encoding="utf-8")
    return src


def _found(src: Path) -> list[Diagnostic]:
    with collect() as found:
        check_sources(src)
    return found


def test_each_problem_is_reported_once_where_it_is(problems: Path) -> None:
    found = _found(problems)
    by_code: dict[str, list[str]] = {}
    for d in found:
        by_code.setdefault(d.code, []).append(d.location)
    assert {code: by_code.get(code) for code in EXPECTED} == {
        code: [file + where] for code, (file, where) in EXPECTED.items()
    }
    unexpected = {d.code for d in found} - set(EXPECTED)
    assert not unexpected, [str(d) for d in found if d.code in unexpected]
    assert all(d.severity in ("error", "warning", "info") for d in found)


def test_json_format_gives_line_or_paragraph(
    problems: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(problems), "--format", "json"])
    records = json.loads(capsys.readouterr().out)
    assert code == 0  # warnings only
    skip = next(r for r in records if r["code"] == "heading-skip")
    assert skip["file"] == "05-heading-skip.md" and skip["line"] == 12
    assert skip["severity"] == "warning" and "level" in skip["message"]
    comment = next(r for r in records if r["code"] == "docx-comments")
    assert comment["file"] == "13-word.docx" and comment["paragraph"] == 3
    empty = next(r for r in records if r["code"] == "empty-essay")
    assert empty == {
        "code": "empty-essay",
        "severity": "warning",
        "message": empty["message"],
        "file": "12-empty.md",
    }


def test_strict_fails_on_warnings_and_a_clean_folder_passes(
    problems: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(problems), "--strict"]) == 1
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.md").write_text(md("窯火", BODY + "\n"), encoding="utf-8")
    (clean / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nessays = ["a.md"]\n', encoding="utf-8"
    )
    assert main(["check", str(clean), "--strict"]) == 0
    assert "no problems found" in capsys.readouterr().err


def test_an_unreadable_essay_is_an_error_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    src = tmp_path / "s"
    src.mkdir()
    (src / "bad.docx").write_bytes(b"not a zip")
    (src / "b.md").write_text(md("窯火", "他說（你好。\n"), encoding="utf-8")
    (src / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nessays = ["bad.docx", "b.md"]\n', encoding="utf-8"
    )
    found = _found(src)
    errors = [d for d in found if d.severity == "error"]
    assert [d.location for d in errors] == ["bad.docx"]
    assert [d.code for d in found if d.severity == "warning"] == ["unbalanced-brackets"]
    assert main(["check", str(src)]) == 1


def test_build_prints_the_same_warnings(problems: Path, tmp_path: Path) -> None:
    with collect() as found:
        build(problems, tmp_path / "out", ("epub",))
    built = {(d.code, d.location) for d in found}
    checked = {(d.code, d.location) for d in _found(problems)}
    assert checked <= built


def test_docx_blocks_are_located_by_paragraph_number(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("窯火", style="Title")  # 1
    d.add_paragraph("作者：林曉雯")  # 2
    d.add_paragraph(BODY)  # 3
    d.add_heading("一", level=1)  # 4
    d.add_paragraph(BODY)  # 5
    d.add_heading("三", level=3)  # 6: skips a level
    d.add_paragraph("北風來了,我們關窗。")  # 7
    src = tmp_path / "s"
    src.mkdir()
    d.save(str(src / "w.docx"))
    (src / "anthology.toml").write_text(
        'title = "書"\ndate = "2026-11-01"\nessays = ["w.docx"]\n', encoding="utf-8"
    )
    found = {d.code: d.location for d in _found(src)}
    assert found == {
        "heading-skip": "w.docx: paragraph 6",
        "mixed-punctuation": "w.docx: paragraph 7",
    }
