"""Turn a count and a seed into a synthetic anthology project of Markdown essays for timing runs.

    .venv/bin/python bench/make_corpus.py OUTDIR N [--lang zh|en] [--paras K] [--seed S]

writes ``OUTDIR/anthology.toml`` and ``OUTDIR/essays/001.md`` … Each essay has
YAML front matter (title, author, affiliation), a section heading every third
of its K paragraphs, one block quote and one footnote. The text is random but
has the character mix of real prose: Chinese with full-width punctuation and
corner quotes, or English words. With the defaults, 100 Chinese essays are
about 200,000 characters, some 500 A5 pages. The generator is deterministic
and the first N essays of a larger corpus are the essays of the smaller one
(same seed), so 100 and 400 essays compare like for like.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HANZI = (
    "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能"
    "下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量"
    "都兩體制機當使點從業本去把性好應開它合還因由其些然前外天四日那社事平形相全表間樣與關各重新"
    "線內數正心反你明看原又麼利比或但質氣第向道此變條只沒結解問意建月公無系很情者最立代想已通並"
    "提直題程展五果料象員位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計"
    "別她手角期根論運農指幾九區強放決西被做必先回則任取據處府研窯燈塔船海風雨島港漁霧燈光"
)
CLAUSE_END = "，，，、；："
SENTENCE_END = "。。。！？"
_WORD_TEXT = (
    "the of and to in that is was he for it with as his on be at by had not are but from or "
    "have an they which one you were her all she there would their we him been has when who "
    "will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most "
    "made after also did many before must through back years where much your way well down "
    "should because each just those people how too little state good very make world still "
    "own see men work long get here between both life being under never day same another "
    "know while last might us great old year off come since against go came right used take "
    "three harbour kiln lighthouse boat island wind rain mother letter"
)
WORDS = _WORD_TEXT.split()


class Writer:
    """Random prose in one language, from one seeded generator."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.r, self.lang = rng, lang

    def hanzi(self, lo: int, hi: int) -> str:
        return "".join(self.r.choice(HANZI) for _ in range(self.r.randint(lo, hi)))

    def words(self, n: int) -> list[str]:
        return [self.r.choice(WORDS) for _ in range(n)]

    def sentence(self) -> str:
        if self.lang == "zh":
            clauses = [self.hanzi(4, 14) for _ in range(self.r.randint(2, 4))]
            body = "".join(c + self.r.choice(CLAUSE_END) for c in clauses[:-1]) + clauses[-1]
            if self.r.random() < 0.2:
                body = f"「{body}」"
            return body + self.r.choice(SENTENCE_END)
        words = self.words(self.r.randint(8, 24))
        words[0] = words[0].capitalize()
        if len(words) > 12:
            words[len(words) // 2] += ","
        return " ".join(words) + self.r.choice("..?")

    def paragraph(self) -> str:
        glue = "" if self.lang == "zh" else " "
        return glue.join(self.sentence() for _ in range(self.r.randint(3, 7)))

    def title(self, lo: int, hi: int) -> str:
        if self.lang == "zh":
            return self.hanzi(lo, hi)
        return " ".join(self.words(self.r.randint(2, 5))).title()


def essay(w: Writer, number: int, paras: int) -> str:
    """One essay as Markdown with front matter."""
    zh = w.lang == "zh"
    author = w.hanzi(3, 3) if zh else f"{w.r.choice(WORDS).title()} {w.r.choice(WORDS).title()}son"
    affiliation = f"第{number}部門" if zh else f"Department {number}"
    lines = ["---", f'title: "{w.title(4, 9)}"', f'author: "{author}"']
    lines += [f'affiliation: "{affiliation}"', "---", ""]
    every = max(1, paras // 3)
    for p in range(paras):
        if p % every == 0:
            lines += [f"## {w.title(5, 10)}", ""]
        if p == 2:
            lines += ["> " + w.sentence(), ""]
        lines += [w.paragraph() + ("[^1]" if p == 1 else ""), ""]
    lines += ["[^1]: " + w.sentence(), ""]
    return "\n".join(lines)


def make_project(out: Path, n: int, *, lang: str = "zh", paras: int = 12, seed: int = 1) -> Path:
    """Write ``n`` essays and an ``anthology.toml`` listing them into ``out``; return ``out``."""
    w = Writer(random.Random(seed), lang)
    folder = out / "essays"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(1, n + 1):
        name = f"{i:03d}.md"
        (folder / name).write_text(essay(w, i, paras), encoding="utf-8")
        names.append(f'"essays/{name}"')
    title = "基準散文集" if lang == "zh" else "Benchmark Essays"
    listing = ",\n  ".join(names)
    language = "zh-Hant" if lang == "zh" else "en"
    (out / "anthology.toml").write_text(
        f'title = "{title}"\neditors = ["編者"]\ndate = "2026-01-01"\nlanguage = "{language}"\n'
        f'[[parts]]\ntitle = ""\nessays = [\n  {listing},\n]\n',
        encoding="utf-8",
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--paras", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    make_project(a.outdir, a.n, lang=a.lang, paras=a.paras, seed=a.seed)


if __name__ == "__main__":
    main()
