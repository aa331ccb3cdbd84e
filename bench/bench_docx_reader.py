"""Time ``read_docx`` on a generated 20,000-character Chinese essay (target: under 0.5 s).

The essay is written the way contest entries arrive: no styles, a centred title,
a ``——`` byline, ``一、`` and ``（一）`` heading lines, paragraphs indented with
full-width spaces, some bold and italic runs, a table. Run:

    .venv/bin/python bench/bench_docx_reader.py [--chars 20000] [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from essaypress.model.nodes import SourceRef
from essaypress.model.text import plain_blocks
from essaypress.readers.docx import read_docx

SENTENCES = (
    "清晨五點，窯火還沒熄，父親已經蹲在窯口添柴。",
    "我們沿著海堤走回村子，風從北邊吹來，帶著鹹味和遠處漁船的柴油味。",
    "那一年島上的學校只剩九個學生，老師卻一個也沒有少。",
    "她把信摺成三折，放進抽屜最裡面，說等到春天再寄。",
    "燈塔的日誌一頁一頁寫滿了天氣、風向和經過的船名。",
)


def essay_docx(target_chars: int) -> bytes:
    """A styles-free Chinese essay of about ``target_chars`` characters, as .docx bytes."""
    document = docx.Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("窯火與晨光").bold = True
    document.add_paragraph("—— 某某單位政治部 林曉雯")
    written, section, sub = 0, 0, 0
    numerals = "一二三四五六七八九十"
    while written < target_chars:
        if written // 2500 >= section:
            document.add_paragraph(f"{numerals[section % 10]}、第{section + 1}節")
            section, sub = section + 1, 0
        if written // 800 > sub + (section - 1) * 3:
            document.add_paragraph(f"（{numerals[sub % 10]}）小節")
            sub += 1
        para = document.add_paragraph("\u3000\u3000")
        for i in range(6):
            run = para.add_run(SENTENCES[(written + i) % len(SENTENCES)])
            run.bold = i == 2 and written % 3 == 0
            run.italic = i == 4 and written % 5 == 0
        written += sum(len(r.text) for r in para.runs)
    table = document.add_table(rows=3, cols=3)
    for row in table.rows:
        for cell in row.cells:
            cell.text = "窯數"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data = essay_docx(args.chars)
    source = SourceRef("bench.docx")
    essay = read_docx(data, source)  # warm-up (imports, caches)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        essay = read_docx(data, source)
        times.append(time.perf_counter() - start)
    chars = len(plain_blocks(essay.blocks))
    sys.stdout.write(
        f"read_docx: {chars} characters, {len(essay.blocks)} blocks, {len(data) // 1024} KB docx; "
        f"median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms "
        f"over {args.runs} runs (target < 500 ms)\n"
    )
    authors = ", ".join(f"{p.name} ({p.affiliation})" for p in essay.meta.authors)
    sys.stdout.write(f"title {essay.meta.title!r}, authors {authors}\n")


if __name__ == "__main__":
    main()
