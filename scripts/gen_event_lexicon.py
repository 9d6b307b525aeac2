#!/usr/bin/env python3
"""Generate the event coder's lexicon from the public PETRARCH2 / PLOVER dictionaries.

    python scripts/gen_event_lexicon.py [DICT_DIR]

DICT_DIR defaults to ../shared/resources/event-dictionaries. Reads

- CAMEO.2.0.txt (PETRARCH2 verb dictionary, MIT): synonym sets (`&CLASS` then `+WORD`
  lines), verb blocks (`--- NAME [code] ---`, then verb lines `WORD {forms} [code]` where
  `+A_B` is a multi-word verb, then patterns `- pre * post (PREP words) [code] # verb`);
- CAMEO2PLOVER-2021.txt (PLOVER crosswalk, CC BY-SA 4.0): `code: TYPE, mode, context`.

and writes two data files that are never edited by hand:

- src/storyline/lang/en/events.cameo.json (MIT, with the dictionary's copyright line):
  verbs (lemma or "lemma particle" -> default CAMEO code and its block), patterns per
  block (object words, prepositional phrases, noun classes -> code), noun classes;
- src/storyline/lang/xx/plover.cameo2plover.json (CC BY-SA 4.0): CAMEO code -> PLOVER
  type, mode and context, as the crosswalk gives them.

The 2016 PLOVER naming used in event records (and the gold-standard sentences) is the
hand-kept table src/storyline/lang/xx/plover.naming.json, read by the coder, not here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "resources" / "event-dictionaries"
OUT_EN = ROOT / "src" / "storyline" / "lang" / "en" / "events.cameo.json"
OUT_XX = ROOT / "src" / "storyline" / "lang" / "xx" / "plover.cameo2plover.json"

CODE = re.compile(r"\[([0-9A-Za-z-]*):?([0-9A-Za-z-]*)\]")
# (four headers close without a space: "---  DELAY   [120]---  ---")
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s*---")


def _code(raw: str) -> tuple[str | None, bool]:
    """`[042:043]` -> ("042", False); `[:190]` -> ("190", True: the roles are swapped);
    `[---]` -> (None, False): the words code no event."""
    m = CODE.search(raw)
    if m is None:
        return None, False
    first, second = m.group(1), m.group(2)
    if first and first != "---":
        return first, False
    if not first and second and second != "---":
        return second, True
    return None, False


def _word(raw: str) -> str:
    """A dictionary word as the coder compares it: lower case, `_` joins, no trailing `_`."""
    return raw.strip().rstrip("_").replace("_", " ").lower()


def read_classes(lines: list[str]) -> dict[str, list[str]]:
    """`&CLASS` synonym sets and their `+WORD` members."""
    classes: dict[str, list[str]] = {}
    current = None
    for line in lines:
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text.startswith("&"):
            current = text.strip().rstrip("_").lower()
            classes[current] = []
        elif text.startswith("+") and current:
            w = _word(text[1:].split("{")[0])
            if w and w not in classes[current]:
                classes[current].append(w)
    return classes


def _pattern(body: str) -> dict[str, object] | None:
    """`pre * post (PREP words) ...` -> {"pre": [...], "post": [...], "preps": [[p, [...]]]}.
    `{A B}` groups a phrase; `&CLASS` names a class; `$`, `+`, `%` (actor slots) and `^`
    (a skipped noun phrase: "* SUMMIT (IN ^)" is a summit in some place) are dropped;
    `A/B` (alternatives: "(IN BOMBING/EXPLOSION)") is kept as written, the coder reads it."""
    if "*" not in body:
        return None
    pre_raw, post_raw = body.split("*", 1)
    preps: list[list[object]] = []
    for group in re.findall(r"\(([^)]*)\)", post_raw):
        parts = [p for p in group.replace("{", " ").replace("}", " ").split()
                 if p not in ("$", "+", "%", "^")]
        if parts:
            preps.append([_word(parts[0]), [_word(p) for p in parts[1:]]])
    post_raw = re.sub(r"\([^)]*\)", " ", post_raw)

    def words(raw: str) -> list[str]:
        # (a stray parenthesis, "* ATTACK ^) (ON ^)", belongs to no word)
        parts = [p.strip("()") for p in raw.replace("{", " ").replace("}", " ").split()]
        return [_word(p) for p in parts if p not in ("$", "+", "%", "-", "^") and _word(p)]

    out: dict[str, object] = {"post": words(post_raw)}
    if words(pre_raw):
        out["pre"] = words(pre_raw)
    if preps:
        out["preps"] = preps
    return out


def read_verbs(lines: list[str]) -> tuple[dict[str, dict], dict[str, list], dict[str, str]]:
    """Verb blocks: each verb's default code, each block's patterns, irregular forms."""
    verbs: dict[str, dict[str, object]] = {}
    forms: dict[str, str] = {}
    patterns: dict[str, list[dict[str, object]]] = {}
    block = None
    block_code: str | None = None
    for line in lines:
        if line.startswith("######## TRANSFORMATIONS"):
            break
        m = HEADER.match(line)
        if m:
            block = m.group(1).lower()
            block_code, _ = _code(f"[{m.group(2)}]")
            patterns.setdefault(block, [])
            continue
        text = line.split("#", 1)[0].rstrip()
        if block is None or not text.strip():
            continue
        if text.startswith("-"):
            code, reverse = _code(text)
            pat = _pattern(CODE.sub(" ", text[1:]))
            if pat is None:
                continue
            pat["code"] = code
            if reverse:
                pat["reverse"] = True
            named = _comment_verbs(line)
            if named and not pat["post"] and not pat.get("pre") and not any(
                    words for _, words in pat.get("preps", [])):
                # a preposition alone is its named verb's phrasal sense ("BREAK * (WITH)":
                # broke with), not one its block's synonyms share ("beat X with Y")
                pat["verbs"] = named
            if pat not in patterns[block]:
                patterns[block].append(pat)
            continue
        head = text.lstrip("+").split("{")[0]
        if "{" in text:  # irregular forms: each names the verb of the line
            for form in text[text.index("{") + 1: text.index("}") if "}" in text else None
                             ].split():
                f = _word(form.lstrip("+"))
                if f and f.replace(" ", "").isalpha() and f != _word(CODE.sub(" ", head)):
                    forms.setdefault(f, _word(CODE.sub(" ", head)))
        raw_code = text[text.index("}") + 1:] if "}" in text else head
        own, _ = _code(raw_code) if "[" in raw_code else (block_code, False)
        lemma = _word(CODE.sub(" ", head))
        if not lemma or " " in lemma and len(lemma.split()) > 3:
            continue
        # a verb listed in several blocks takes the first code given and every block's
        # patterns; a code written on the verb's own line comes before one its block gives
        # ("BEAT" in DESTROY [190], then "BEAT {BEATS ...} [182]": 182)
        explicit = "[" in raw_code and own is not None
        entry = verbs.setdefault(lemma, {"code": own, "blocks": [], "_own": explicit})
        if entry["code"] is None or explicit and not entry["_own"]:
            entry["code"], entry["_own"] = own, explicit
        if block not in entry["blocks"]:
            entry["blocks"].append(block)
    for entry in verbs.values():
        del entry["_own"]
    return verbs, patterns, forms


def phrasal_patterns(verbs: dict[str, dict], patterns: dict[str, list]) -> int:
    """A phrasal verb filed with its synonyms in a block of its own ("+BUILD_UP" in STRENGTHEN)
    takes the patterns its head verb's blocks spell with its particle ("BUILD * UP FORCES"
    [154]), the particle dropped, into that block: what it does to its object, its synonyms
    do ("strengthened its forces", "built up its forces": 154). A pattern left with a
    preposition alone ("WALK * OUT (OF SUMMIT)" [164]) stays the phrasal verb's own sense
    (`verbs`); one left with nothing is its default code. Returns how many were added."""
    added = 0
    for key, entry in sorted(verbs.items()):
        head, _, particle = key.partition(" ")
        if not particle or " " in particle or head not in verbs:
            continue
        for source in verbs[head]["blocks"]:
            for pat in list(patterns.get(source, [])):
                post = list(pat.get("post", []))
                if not post or post[0] != particle or pat.get("verbs"):
                    continue
                new = {k: v for k, v in pat.items() if k != "post"}
                new = {"post": post[1:], **new}
                if not new["post"] and not new.get("pre") and not any(
                        w for _, w in new.get("preps", [])):
                    continue  # the particle alone: the phrasal verb's own default
                if not new["post"] and not new.get("pre"):
                    new["verbs"] = [key]  # "walk out of the summit": not "go of the summit"
                for block in entry["blocks"]:
                    if block != source and new not in patterns.setdefault(block, []):
                        patterns[block].append(dict(new))
                        added += 1
    return added


def _comment_verbs(line: str) -> list[str]:
    """The verbs a pattern line's comment names ("# FORGE , SET_UP" -> forge, set up)."""
    if "#" not in line:
        return []
    return [w for w in (_word(p) for p in line.split("#", 1)[1].split(","))
            if w and all(part.isalpha() for part in w.split())]


def read_crosswalk(path: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{3,4}):\s*(.*)$", text)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        parts += [""] * (3 - len(parts))
        if m.group(1) not in out:
            out[m.group(1)] = {"type": parts[0], "mode": parts[1], "context": parts[2]}
    return out


def copyright_line(text: str) -> str:
    for line in text.splitlines():
        if "Copyright" in line:
            return line.lstrip("# ").strip()
    return ""


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    verb_text = (src / "CAMEO.2.0.txt").read_text(encoding="latin-1")
    lines = verb_text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("####### VERB PATTERNS"))
    classes = read_classes(lines[:start])
    verbs, patterns, forms = read_verbs(lines[start:])
    phrasal = phrasal_patterns(verbs, patterns)
    en = {
        "_about": "CAMEO verb lexicon for the event coder: verb lemma (or 'lemma particle') -> "
                  "default CAMEO code and the blocks whose patterns refine it; forms: irregular form -> verb; patterns: object "
                  "words ('post'), subject words ('pre'), prepositional phrases ('preps'), "
                  "'&class' names a noun class; code null: the words code no event.",
        "_generated_by": "scripts/gen_event_lexicon.py from PETRARCH2 CAMEO.2.0.txt "
                         "(openeventdata/petrarch2, commit 676801c)",
        "_license": "MIT",
        "_copyright": copyright_line(verb_text),
        "verbs": dict(sorted(verbs.items())),
        "forms": dict(sorted(forms.items())),
        "patterns": {k: v for k, v in sorted(patterns.items()) if v},
        "classes": dict(sorted(classes.items())),
    }
    walk = read_crosswalk(src / "CAMEO2PLOVER-2021.txt")
    xx = {
        "_about": "CAMEO code -> PLOVER 2021 type, mode, context (the PLOVER crosswalk as "
                  "published). This file is licensed CC BY-SA 4.0, unlike the MIT code that "
                  "reads it.",
        "_generated_by": "scripts/gen_event_lexicon.py from CAMEO2PLOVER-2021.txt "
                         "(openeventdata/PLOVER, commit 5e0c24f)",
        "_license": "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); "
                    "Copyright Open Event Data Alliance, PLOVER manual draft 0.8 (2021)",
        "codes": walk,
    }
    for path, data in ((OUT_EN, en), (OUT_XX, xx)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(verbs)} verbs, {sum(map(len, patterns.values()))} patterns "
          f"({phrasal} of phrasal verbs from their head verb's blocks), "
          f"{len(classes)} classes, {len(walk)} crosswalk codes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
