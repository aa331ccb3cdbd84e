"""Turn characters of the Symbol and Wingdings fonts into the Unicode characters they draw.

Word stores ``w:sym`` (and text runs in those fonts) as codes in the font's own
encoding, often moved into the private-use area at U+F000. Wingdings codes
without a faithful Unicode character map to nothing.
"""

from __future__ import annotations

SYMBOL: dict[int, str] = {
    **dict(zip(range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ", strict=True)),
    **dict(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ", strict=True)),
    **dict(zip(b"\"$'*-@\\^", "∀∃∋∗−≅∴⊥", strict=True)),
    **dict(zip(range(0xA3, 0xBD), "≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…", strict=True)),
    **dict(zip(range(0xC4, 0xE0), "⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓", strict=True)),
    0xA1: "ϒ", 0xA2: "′", 0xE0: "◊", 0xE1: "〈", 0xE5: "∑", 0xF1: "〉", 0xF2: "∫",
}  # fmt: skip

# The Wingdings characters Unicode has (bullets, boxes, checks, arrows, hands, digits).
WINGDINGS: dict[int, str] = {
    0x21: "✏", 0x22: "✂", 0x23: "✁", 0x28: "☎", 0x29: "✆", 0x2A: "✉", 0x36: "⌛",
    0x37: "⌨", 0x3E: "✇", 0x3F: "✍", 0x41: "✌", 0x42: "👌", 0x43: "👍", 0x44: "👎",
    0x45: "☜", 0x46: "☞", 0x47: "☝", 0x48: "☟", 0x4A: "☺", 0x4B: "😐", 0x4C: "☹",
    0x4D: "💣", 0x4E: "☠", 0x4F: "⚐", 0x50: "⚑", 0x51: "✈", 0x52: "☼", 0x54: "❄",
    0x55: "✞", 0x56: "✞", 0x58: "✠", 0x59: "✡", 0x5A: "☪", 0x5B: "☯", 0x5C: "ॐ",
    0x5D: "☸", **dict(zip(range(0x5E, 0x6A), "♈♉♊♋♌♍♎♏♐♑♒♓", strict=True)),
    0x6A: "&", 0x6B: "&", 0x6C: "●", 0x6D: "❍", 0x6E: "■", 0x6F: "□", 0x70: "◻",
    0x71: "❑", 0x72: "❒", 0x73: "⬧", 0x74: "⧫", 0x75: "◆", 0x76: "❖", 0x77: "⬥",
    0x78: "⌧", 0x7A: "⌘", 0x7B: "❀", 0x7C: "✿", 0x7D: "❝", 0x7E: "❞", 0x80: "⓪",
    **dict(zip(range(0x81, 0x8B), "①②③④⑤⑥⑦⑧⑨⑩", strict=True)), 0x8B: "⓿",
    **dict(zip(range(0x8C, 0x96), "❶❷❸❹❺❻❼❽❾❿", strict=True)),
    0x9E: "·", 0x9F: "•", 0xA0: "▪", 0xA1: "○", 0xA2: "⭕", 0xA4: "◉", 0xA5: "◎",
    0xA7: "▪", 0xA8: "◻", 0xAA: "✦", 0xAB: "★", 0xAC: "✶", 0xAD: "✴", 0xAE: "✹",
    0xAF: "✵", 0xB1: "⌖", 0xB2: "⟡", 0xB3: "⌑", 0xB5: "✪", 0xB6: "✰",
    0xD5: "⌫", 0xD6: "⌦", 0xD8: "➢", 0xDF: "⇦", 0xE0: "⇨", 0xE1: "⇧", 0xE2: "⇩",
    0xE8: "➔", 0xEF: "⇦", 0xF0: "⇨", 0xF1: "⇧", 0xF2: "⇩", 0xF3: "⬄", 0xF4: "⇳",
    0xFB: "✗", 0xFC: "✓", 0xFD: "☒", 0xFE: "☑",
}  # fmt: skip

CHECKBOX = {True: "☒", False: "☐"}
_BOXES = frozenset("☐☑☒✓✗✔✘⌧□■")


def is_box(text: str) -> bool:
    """Whether text is one checkbox glyph."""
    return len(text.strip()) == 1 and text.strip() in _BOXES


def symbol_font(font: str) -> dict[int, str] | None:
    """The map of a symbol font by name, or None for an ordinary font."""
    font = font.strip().lower()
    if font == "symbol":
        return SYMBOL
    if font.startswith(("wingdings", "webdings")):
        return WINGDINGS if font in ("wingdings", "wingdings 1") else {}
    return None


def decode(code: int, font: str) -> str:
    """The character ``code`` draws in ``font`` ("" when Unicode has none)."""
    table = symbol_font(font)
    if 0xF000 <= code <= 0xF0FF and table is not None:
        code -= 0xF000
    if table is not None:
        return table.get(code, "")
    if 0xF000 <= code <= 0xF0FF:
        return ""  # a private-use code of a font we do not know
    return chr(code) if 0x20 <= code < 0xD800 or 0xE000 <= code <= 0x10FFFF else ""


def decode_text(text: str, font: str) -> str:
    """A run's text typed in a symbol font, as the characters it shows."""
    if symbol_font(font) is None:
        return text
    return "".join(decode(ord(ch), font) if ord(ch) > 0x20 else ch for ch in text)
