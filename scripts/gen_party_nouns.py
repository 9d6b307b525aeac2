#!/usr/bin/env python3
"""Generate the English pack's `party_nouns.wordnet.json`: the common nouns whose most
frequent sense in WordNet 3.0 names a person or a social group ("soldier", "refugee",
"supporter", "coalition", "militia"), the words a party can be called by when it has no name.
Nouns whose first sense is an artefact, a document, an amount or a substance ("fighter" as
an aircraft is WordNet's second sense of "fighter": it stays a party word) are not in it.

    python scripts/gen_party_nouns.py [--wordnet /usr/share/wordnet] [-o PATH]

WordNet's database files come with Debian's `wordnet-base` package (apt-get install
wordnet-base); the list it writes is kept in the package with WordNet's licence.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "storyline" / "lang" / "en" / "party_nouns.wordnet.json"
PERSON_LEXFILE = 18  # noun.person
# vehicles and weapons (hyponyms of conveyance, craft, vessel, weapon), food and
# quantities: a thing, whatever the Phoenix agents dictionary files it
# under ("warship"); a building stays its institution ("the embassy hosted")
THING_ROOTS = ("conveyance", "vehicle", "craft", "vessel", "weapon", "weaponry")
THING_LEXFILES = (13, 23)
AGENTS = ROOT / "src" / "storyline" / "lang" / "en" / "agents.phoenix.json"
GROUP_ROOTS = ("social_group",)  # its hyponyms: organisations, armies, parties, crowds


def _synsets(path: Path) -> dict[int, tuple[int, list[int], list[str], bool]]:
    """offset -> (lexicographer file, hypernym offsets, words, an instance: a named one)
    from data.noun."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split(" | ")[0].split()
        offset, lexfile, n_words = int(f[0]), int(f[1]), int(f[3], 16)
        words = [f[4 + 2 * i].lower() for i in range(n_words)]
        k = 4 + 2 * n_words
        n_ptr = int(f[k])
        ptrs = [(f[k + 1 + 4 * i], int(f[k + 2 + 4 * i])) for i in range(n_ptr)]
        hyper = [o for sym, o in ptrs if sym in ("@", "@i")]
        out[offset] = (lexfile, hyper, words, any(sym == "@i" for sym, _ in ptrs))
    return out


def _first_senses(wordnet: Path) -> dict[str, int]:
    """lemma -> the synset offset of its most frequent sense, from index.noun."""
    out = {}
    for line in (wordnet / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        if int(f[2]):
            out[f[0].replace("_", " ")] = int(f[4 + int(f[3]) + 2])
    return out


def agent_things(wordnet: Path) -> list[str]:
    """The Phoenix agents' words (singular as written there) whose most frequent WordNet
    sense is a thing: weapons and vehicles the dictionary codes as military actors."""
    syn = _synsets(wordnet / "data.noun")
    first = _first_senses(wordnet)
    roots = {o for o, (_, _, words, _) in syn.items() if words and words[0] in THING_ROOTS}
    memo: dict[int, bool] = {}

    def instrument(o: int, depth: int = 0) -> bool:
        if o in roots:
            return True
        if o not in memo:
            memo[o] = depth < 30 and any(instrument(h, depth + 1) for h in syn[o][1] if h in syn)
        return memo[o]

    agents = json.loads(AGENTS.read_text(encoding="utf-8"))["words"]
    return sorted(w for w in agents if w in first and first[w] in syn and (
        syn[first[w]][0] in THING_LEXFILES or instrument(first[w])))


def party_words(wordnet: Path) -> list[str]:
    syn = _synsets(wordnet / "data.noun")
    roots = {o for o, (_, _, words, _) in syn.items() if any(w in GROUP_ROOTS for w in words)}
    memo: dict[int, bool] = {}

    def group(o: int, depth: int = 0) -> bool:
        if o in roots:
            return True
        if o not in memo:
            memo[o] = depth < 30 and any(group(h, depth + 1) for h in syn[o][1] if h in syn)
        return memo[o]

    words = []
    for line in (wordnet / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        lemma, n_senses, n_ptr = f[0], int(f[2]), int(f[3])
        first = int(f[4 + n_ptr + 2])  # synset offsets follow, most frequent sense first
        if n_senses and first in syn and not syn[first][3] and (
                syn[first][0] == PERSON_LEXFILE or group(first)):
            if lemma.isalpha() or "_" in lemma:
                words.append(lemma.replace("_", " "))
    return sorted(set(words))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    a = ap.parse_args()
    words = party_words(a.wordnet)
    data = {
        "_about": "Common nouns whose most frequent WordNet 3.0 sense is a person (noun.person) "
                  "or a social group (hyponyms of social_group): the words a party is called "
                  "by when it has no name; agent_things: the Phoenix agents' words whose most "
                  "frequent sense is a thing (a vehicle or weapon; food, a quantity: "
                  "'warship'), no party. Read by the general "
                  "event coder (cameo.is_party).",
        "_generated_by": "scripts/gen_party_nouns.py from WordNet 3.0 (Debian wordnet-base)",
        "_license": "WordNet 3.0 license (Princeton University): permission to use, copy, "
                    "modify and distribute for any purpose, with this notice (NOTICE). "
                    "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.",
        "words": words,
        "agent_things": agent_things(a.wordnet),
    }
    a.out.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {a.out}")


if __name__ == "__main__":
    main()
