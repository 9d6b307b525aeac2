"""Generate `src/storyline/lang/<code>/dates.json` from dateparser's locale data (CLDR).

    .venv/bin/python scripts/make_lang_dates.py [CODE ...]

For each language: the forms of the month names (-> 1..12), of the weekday names (-> 0..6,
Monday 0) and of the relative words for days, months and years ("hier" -> day -1, "지난달"
-> month -1, "今年" -> year 0). Abbreviations too short to be told from ordinary words
(Latin and Cyrillic forms under three letters, single CJK characters) are left out. The
hand-kept words (cue words, date units of the CJK scripts) are in `times.json` beside it,
never here: this file is rewritten by the script and never edited by hand.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

LANG = Path(__file__).resolve().parent.parent / "src" / "storyline" / "lang"
CODES = ("fr", "ru", "ko", "ja", "zh", "de", "es", "uk")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RELATIVE = {"day": {"2 day ago": -2, "1 day ago": -1, "0 day ago": 0, "in 1 day": 1,
                    "in 2 day": 2},
            "month": {"1 month ago": -1, "0 month ago": 0, "in 1 month": 1},
            "year": {"1 year ago": -1, "0 year ago": 0, "in 1 year": 1}}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _keep(form: str) -> bool:
    form = form.strip()
    if not form or form.startswith("("):
        return False
    if _CJK.search(form):
        return len(form) >= 2
    return len(form.rstrip(".")) >= 3


def generate(code: str) -> dict[str, object]:
    """The dates table of one language."""
    info = importlib.import_module(f"dateparser.data.date_translation_data.{code}").info
    months = {f.lower().rstrip("."): i + 1 for i, m in enumerate(MONTHS)
              for f in info.get(m, []) if _keep(f)}
    weekdays = {f.lower().rstrip("."): i for i, d in enumerate(WEEKDAYS)
                for f in info.get(d, []) if _keep(f)}
    rel = info.get("relative-type", {})
    relative = {unit: {f.lower(): off for key, off in table.items()
                       for f in rel.get(key, []) if _keep(f)}
                for unit, table in RELATIVE.items()}
    return {"_about": "month, weekday and relative date words of this language",
            "_generated_by": "scripts/make_lang_dates.py from dateparser's "
                             "date_translation_data (CLDR)",
            "_license": "dateparser BSD-3-Clause; CLDR data Unicode License v3",
            "months": months, "weekdays": weekdays, "relative": relative}


def main(argv: list[str]) -> int:
    for code in argv or CODES:
        folder = LANG / code
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / "dates.json"
        out.write_text(json.dumps(generate(code), ensure_ascii=False, indent=1) + "\n",
                       encoding="utf-8")
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
