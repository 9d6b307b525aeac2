"""Numbers in any language: digits grouped by spaces, dots or commas ("13 000", "13.000",
"13,000"), decimals, and the pack's multiplier words after them ("13 тысяч", "1,5 млн",
"1만3000", "1万3000", "3천"; `lang/<code>/numbers.json`)."""

from __future__ import annotations

import functools
import re

from ..lang import get_pack

__all__ = ["find_numbers"]

_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)"
_PLAIN = r"\d+(?:[.,]\d+)?"


@functools.lru_cache(maxsize=32)
def _rules(code: str) -> tuple[re.Pattern[str], dict[str, float], bool]:
    pack = get_pack(code)
    mult = {str(k): float(v) for k, v in
            ((pack.data("numbers", {}) or {}).get("multipliers") or {}).items()}
    alt = "|".join(re.escape(w) for w in sorted(mult, key=len, reverse=True)) or "(?!x)x"
    chained = pack.script in ("Hang", "Hani", "Jpan")  # 1만3000, 1万3千
    if chained:
        rx = rf"(?<![\d.,])(?:{_PLAIN}\s*(?:{alt}))+(?:\s*\d+)?|(?<![\d.,])(?:{_GROUPED}|{_PLAIN})"
    else:
        rx = (rf"(?<![\d.,])(?:{_GROUPED}|{_PLAIN})(?:\s*(?:{alt})(?![\w]))?")
    return re.compile(rx), mult, chained


def _plain(num: str) -> float:
    """'13 000', '13.000', '13,000' -> 13000; '1,5' -> 1.5; '2.5' -> 2.5."""
    compact = re.sub(r"[ \u00a0\u202f]", "", num)
    if re.fullmatch(_GROUPED.replace("(?!\\d)", ""), num) and not re.fullmatch(
            r"\d+[.,]\d{1,2}", compact):
        return float(re.sub(r"[.,]", "", compact))
    return float(compact.replace(",", "."))


def _value(text: str, mult: dict[str, float], chained: bool) -> float | None:
    parts = re.findall(rf"({_GROUPED}|{_PLAIN})\s*(" + "|".join(
        re.escape(w) for w in sorted(mult, key=len, reverse=True)) + ")?" if mult else
        rf"({_GROUPED}|{_PLAIN})()", text)
    if not parts:
        return None
    total = 0.0
    for num, word in parts:
        try:
            n = _plain(num)
        except ValueError:
            return None
        total += n * mult.get(word, 1.0) if word else n
        if not chained:
            break
    return total


def find_numbers(text: str, code: str, start: int = 0,
                 end: int | None = None) -> list[tuple[int, int, float]]:
    """(start, end, value) of each number in text[start:end], in text order."""
    rx, mult, chained = _rules(code)
    out = []
    for m in rx.finditer(text, start, len(text) if end is None else end):
        value = _value(m.group(0), mult, chained)
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out
