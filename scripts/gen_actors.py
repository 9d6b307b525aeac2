"""Generate the English pack's actor lexicon from the Phoenix (PETRARCH2) dictionaries.

    python scripts/gen_actors.py [DICT_DIR]     (default ../shared/resources/event-dictionaries)

Reads Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,
Phoenix.MilNonState.actors.txt and Phoenix.agents.txt (TABARI/PETRARCH2 format: an entry
line, `+` synonym lines, `[CODE start-end]` dated roles, `_` for spaces, `#` comments) and
writes, never to be edited by hand:

    src/storyline/lang/en/actors.phoenix.json   countries (names, places), people, bodies
    src/storyline/lang/en/agents.phoenix.json   agent words -> CAMEO sector codes

What is kept, and why (the package stays small and every entry can help on today's news):
- a country's synonyms are split at its capital (countries.json): the forms before it are
  names of the country, the capital and everything after it are places in the country
  (cities, regions, rivers), which feed the place hierarchy, never the country's names;
- people only where a dated role runs on or after 1990 (older office-holders are rarely
  the actors of a story we read, and they are half of the file); only their full names
  (two words or more, no title word), the title words in front of their names become the
  title of their dated government roles when they name one office only;
- an open-ended role (`>080508`) is known only up to the dictionary's date (`known_to`);
- undated "elite" roles ([RUSELI]) are dropped: they would make a person active at any date;
- international bodies and armed non-state groups with every name of two characters or more.
The project's own entries (src/storyline/data/actors.json) layer on top at load time and win
on conflict (kb.py).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from storyline.extract.kb import role_category  # one definition of an office

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "storyline" / "lang" / "en"
COUNTRIES = ROOT / "src" / "storyline" / "data" / "countries.json"
LICENSE = ("MIT License. Copyright (c) 2014 Open Event Data Alliance. Generated from the Phoenix "
           "dictionaries of openeventdata/petrarch2 (petrarch2/data/dictionaries, commit 676801c); "
           "the MIT permission notice is in NOTICE.")
SINCE = "1990-01-01"
# Countries file header: "Generated at: Thu Jan 30 16:06:18 2014"; International ends later.
KNOWN_TO = {"Phoenix.Countries.actors.txt": "2014-01-30",
            "Phoenix.International.actors.txt": "2015-12-31",
            "Phoenix.MilNonState.actors.txt": "2015-12-31"}
_PARTICLES = {"al", "bin", "ibn", "de", "da", "del", "della", "der", "des", "di", "do", "dos",
              "du", "el", "la", "le", "van", "von", "y", "of", "the", "and", "for", "on", "in"}


# ---- the dictionary format ------------------------------------------------------------------

def _words(raw: str) -> str:
    """`VLADIMIR_V._PUTIN_` -> `VLADIMIR V. PUTIN`."""
    return " ".join(raw.replace("_", " ").split())


def _date(text: str) -> str | None:
    """PETRARCH dates: YYMMDD (two-digit years up to 20 are 20xx) or YYYYMMDD."""
    text = text.strip()
    if not text.isdigit():
        return None
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 20 else 1900 + yy
        md = text[2:]
    elif len(text) == 8:
        year, md = int(text[:4]), text[4:]
    else:
        return None
    mm, dd = min(max(int(md[:2]), 1), 12), min(max(int(md[2:]), 1), 28 if md[:2] == "02" else 30)
    return f"{year:04d}-{mm:02d}-{dd:02d}"


def _role(body: str, known_to: str) -> dict | None:
    """`RUSGOV 991231-080507`, `RUSGOV >080508`, `RUSGOV <990101`, `IGOUNO`."""
    parts = body.split()
    if not parts:
        return None
    role: dict = {"code": parts[0].lstrip("~")}
    if len(parts) > 1:
        span = parts[1]
        if span.startswith(">"):
            role["from"], role["known_to"] = _date(span[1:]), known_to
        elif span.startswith("<"):
            role["to"] = _date(span[1:])
        elif "-" in span:
            a, b = span.split("-", 1)
            role["from"], role["to"] = _date(a), _date(b)
    return role


def parse(path: Path) -> list[dict]:
    """Entries: {'name', 'synonyms', 'roles', 'person' (CountryInfo leader), 'line'}."""
    known_to = KNOWN_TO.get(path.name, "2015-12-31")
    entries: list[dict] = []
    cur: dict | None = None
    blank_since = True
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        comment = line.split("#", 1)[1] if "#" in line else ""
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            blank_since = blank_since or not line.strip() or line.lstrip().startswith("#")
            continue
        codes = re.findall(r"\[([^\]]*)\]", body)
        text = re.sub(r"\[[^\]]*\]", "", body)
        text = re.sub(r"\{[^}]*\}", "", text).strip()
        stripped = body.lstrip()
        if stripped.startswith("["):
            if cur is not None:
                cur["roles"] += [r for r in (_role(c, known_to) for c in codes) if r]
            continue
        if stripped.startswith("+"):
            if cur is not None:
                cur["synonyms"] += [_words(s) for s in text.split("+") if _words(s)]
            continue
        cur = {"name": _words(text), "synonyms": [], "line": n, "after_blank": blank_since,
               "person": "CountryInfo" in comment,
               "roles": [r for r in (_role(c, known_to) for c in codes) if r]}
        entries.append(cur)
        blank_since = False
    return _join_codeless(entries)


def _join_codeless(entries: list[dict]) -> list[dict]:
    """An entry without a code takes the codes of the next one when that one names the same
    person (DMITRY_MEDVEDEV_ then DMITR_MEDVEDEV_ [RUSGOV ...]); else it is dropped."""
    out: list[dict] = []
    pending: list[dict] = []
    for e in entries:
        if not e["roles"]:
            pending.append(e)
            continue
        last = e["name"].split()[-1] if e["name"] else ""
        for p in pending:
            if p["name"].split() and p["name"].split()[-1] == last and not e["after_blank"]:
                e["synonyms"] = [p["name"], *p["synonyms"], *e["synonyms"]]
        pending = []
        out.append(e)
    return out


# ---- names ------------------------------------------------------------------------------------

def nice(upper: str) -> str:
    """`BAN KI-MOON` -> `Ban Ki-moon`, `AL-QAEDA IN IRAQ` -> `al-Qaeda in Iraq`: a readable
    form of a capitalised name (lookups fold case, so this only shows)."""
    out = []
    for i, word in enumerate(upper.split()):
        low = word.lower()
        if i and low in _PARTICLES:
            out.append(low)
            continue
        if re.fullmatch(r"(?:[A-Z]\.){2,}|[B-DF-HJ-NP-TV-Z]{2,6}", word):
            out.append(word)  # an acronym: U.N., DPRK
            continue
        pieces = low.split("-")
        pieces = [p[:1].upper() + p[1:] if p not in _PARTICLES or not j else p
                  for j, p in enumerate(pieces)]
        # "Ki-moon", "Jong-un": a romanised Korean given name keeps the second syllable small
        if len(pieces) == 2 and len(pieces[0]) <= 4 and len(pieces[1]) <= 4 and i:
            pieces[1] = pieces[1].lower()
        out.append("-".join(pieces).replace("'S", "'s"))
    return " ".join(out)


def slugify(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t.replace("'", "").replace(".", "")).strip("-") or "x"


def agent_words(path: Path) -> dict[str, str]:
    """Agent phrase (lower case, spaces) -> sector code(s), with the `!SET!` substitutions."""
    subs: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].strip()
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if m:
            subs[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        m = re.match(r"^([^\[]+?)\s*(?:\{[^}]*\}\s*)?\[~?([A-Z]+)\]", body)
        if not m:
            continue
        forms = [m.group(1).strip()]
        for key, values in subs.items():
            forms = [f.replace(key, v) for f in forms for v in (values if key in f else [""])] \
                if any(key in f for f in forms) else forms
        for f in forms:
            phrase = " ".join(f.replace("_", " ").split()).lower()
            if phrase and "!" not in phrase:
                out.setdefault(phrase, m.group(2))
    return out


def _is_title_word(word: str, agents: dict[str, str]) -> bool:
    """An agent word, or the first word of an agent phrase ("SECRETARY" of "secretary of
    state")."""
    low = word.lower()
    if not _HEADS:
        _HEADS.update(k.split()[0] for k in agents if " " in k)
    return low in agents or low in _HEADS or low.replace("-", " ") in agents or all(
        p in agents or p in _HEADS for p in low.split("-"))


_HEADS: set[str] = set()


def _strip_title(words: list[str], agents: dict[str, str]) -> tuple[list[str], list[str]]:
    """(title words, name words) of `SECRETARY-GENERAL BAN KI-MOON`."""
    i = 0
    while i < len(words) - 2 and _is_title_word(words[i], agents):
        i += 1
    return words[:i], words[i:]


_NOT_A_NAME = {"of", "for", "to", "the", "and", "in", "on", "with", "at"}


def _person_name(words: list[str], agents: dict[str, str]) -> bool:
    """Two to five words, none a title word, an abbreviation or a preposition."""
    return 2 <= len(words) <= 5 and not any(
        w.lower() in _NOT_A_NAME or _is_title_word(w, agents) or
        (w.endswith(".") and len(w) > 2) for w in words)


def _title_of(synonym: str, name_words: set[str], adjectives: set[str],
              agents: dict[str, str]) -> str | None:
    """The words in front of the person's name in a synonym, without a nationality
    (`RUSSIAN PRESIDENT VLADIMIR PUTIN` -> `PRESIDENT`); None when none."""
    words = synonym.split()
    i = 0
    while i < len(words) and words[i] not in name_words:
        i += 1
    prefix = [w for w in words[:i] if w.lower() not in adjectives]
    if not prefix or i == len(words) or not any(_is_title_word(w, agents) for w in prefix):
        return None  # no words in front, or another spelling of the given name
    return " ".join(prefix)


# ---- the generated lexicon --------------------------------------------------------------------

def build(src: Path) -> tuple[dict, dict]:
    countries = json.loads(COUNTRIES.read_text(encoding="utf-8"))["countries"]
    by_iso = {c["iso3"]: c for c in countries}
    agents = agent_words(src / "Phoenix.agents.txt")
    adjectives = {d.lower() for c in countries for d in c.get("demonyms", [])} | {"us", "u.s."}
    out_countries: dict[str, dict] = {}
    actors: list[dict] = []
    keys: set[str] = set()
    dropped = {"person": 0, "body": 0, "no_name": 0}

    people: dict[str, dict] = {}
    bodies: dict[tuple[str, str | None], dict] = {}

    def fold(name: str) -> str:
        return " ".join(name.lower().replace("-", " ").split())

    def add(rec: dict) -> None:
        if rec["key"].startswith("person:"):  # one person listed twice (by country, by IGO): one record
            forms = [fold(n) for n in [rec["name"], *rec.get("aliases", [])]]
            same = next((people[f] for f in forms if f in people and people[f].get(
                "country") in (rec.get("country"), None)), None)
            if same is not None:
                for a in [rec["name"], *rec.get("aliases", [])]:
                    if a != same["name"] and a not in same.setdefault("aliases", []):
                        same["aliases"].append(a)
                same["roles"] += [r for r in rec["roles"] if r not in same["roles"]]
                return
            for f in forms:
                people.setdefault(f, rec)
        else:  # one body listed twice (under two headings) with one code: one record
            same = bodies.get((fold(rec["name"]), rec.get("code")))
            if same is not None:
                for a in [rec["name"], *rec.get("aliases", [])]:
                    if a != same["name"] and a not in same.setdefault("aliases", []):
                        same["aliases"].append(a)
                return
            bodies[(fold(rec["name"]), rec.get("code"))] = rec
        base = rec["key"]
        n = 2
        while rec["key"] in keys:  # two people of one name: distinct keys, same names
            rec["key"] = f"{base}-{n}"
            n += 1
        keys.add(rec["key"])
        actors.append(rec)

    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt"):
        for e in parse(src / fname):
            codes = [r["code"] for r in e["roles"]]
            if not e["name"]:
                dropped["no_name"] += 1
                continue
            # a country: one bare ISO3 code known to countries.json
            if len(codes) == 1 and codes[0] in by_iso and "from" not in e["roles"][0]:
                _country(e, by_iso[codes[0]], out_countries)
                continue
            rec = _actor(e, fname, agents, adjectives)
            if rec is None:
                dropped["person" if e["person"] else "body"] += 1
                continue
            add(rec)
    lexicon = {
        "_generated_by": "scripts/gen_actors.py from " + ", ".join(KNOWN_TO) + " (read "
                         "../shared/resources/event-dictionaries/SOURCE.md)",
        "_license": LICENSE,
        "_doc": "Actors of the Phoenix dictionaries: `countries` maps ISO3 to the names of the "
                "country and the places in it (capital first); `actors` are people (dated roles: "
                "CAMEO code, from, to, known_to for an open end, title where the dictionary's "
                "synonyms name one office), bodies and armed groups (key prefix person:/org:; country and "
                "sector are read from the CAMEO code). Loaded under the project's "
                "own actors, which win on conflict (storyline.extract.kb).",
        "_dropped": dropped,
        "countries": out_countries,
        "actors": [_finish(a) for a in actors],
    }
    agents_file = {
        "_generated_by": "scripts/gen_actors.py from Phoenix.agents.txt",
        "_license": LICENSE,
        "_doc": "Agent words (lower case) -> CAMEO sector code(s) of the person or body they name.",
        "words": dict(sorted(agents.items())),
    }
    return lexicon, agents_file


def _country(e: dict, c: dict, out: dict) -> None:
    forms = [e["name"], *e["synonyms"]]
    capital = (c.get("capital") or "").upper()
    cut = next((i for i, f in enumerate(forms) if capital and f == capital), None)
    names = forms if cut is None else forms[:cut]
    places = [] if cut is None else forms[cut:]
    rec = out.setdefault(c["iso3"], {"names": [], "places": []})
    for f in names:
        if len(f) > 2 and nice(f) not in rec["names"] and "(" not in f and "," not in f:
            rec["names"].append(nice(f))
    for f in places:
        if len(f) > 2 and nice(f) not in rec["places"] and "(" not in f:
            rec["places"].append(nice(f))


def _actor(e: dict, fname: str, agents: dict, adjectives: set[str]) -> dict | None:
    roles = [r for r in e["roles"] if "from" in r or "to" in r]
    first = e["roles"][0]["code"]
    _, name_words = _strip_title(e["name"].split(), agents)
    person = e["person"] or bool(roles and fname != "Phoenix.MilNonState.actors.txt"
                                 and _person_name(name_words, agents))
    name = e["name"]
    if person:
        return _person(e, roles, first, agents, adjectives)
    if first[:3] == "MNC":
        return None  # companies: the parser's NER names them; they are half the bodies
    names = [nice(n) for n in [name, *e["synonyms"]] if len(n) > 1]
    rec: dict = {"key": "org:" + slugify(names[0]), "name": names[0]}
    if len(names) > 1:
        rec["aliases"] = list(dict.fromkeys(n for n in names[1:] if n != names[0]))
    rec.update(_codes(first))
    if roles:
        rec["roles"] = [{k: v for k, v in r.items() if v} for r in roles]
    return rec


def _finish(rec: dict) -> dict:
    if "roles" in rec:
        rec["roles"] = [_role_text(r) for r in rec["roles"]]
    return rec


def _chunks(code: str) -> list[str]:
    """A CAMEO code's three-letter parts after the first (GBRFLKELI -> FLK, ELI)."""
    return [code[i:i + 3] for i in range(3, len(code), 3)]


def _person(e: dict, roles: list[dict], first: str, agents: dict,
            adjectives: set[str]) -> dict | None:
    roles = [r for r in roles if "ELI" not in _chunks(r["code"])]  # out of office: no role
    if not any((r.get("to") or r.get("known_to") or "9999") >= SINCE for r in roles):
        return None
    _, name_words = _strip_title(e["name"].split(), agents)
    names = [name_words] if _person_name(name_words, agents) else []
    titles: set[str] = set()
    for syn in e["synonyms"]:
        words = syn.split()
        t = _title_of(syn, set(name_words), adjectives, agents)
        if t:
            titles.add(t)
        elif _person_name(words, agents) and words not in names:
            names.append(words)
    if not names:
        return None
    name = nice(" ".join(names[0]))
    categories = {role_category(nice(t)) for t in titles} - {None}
    title = next(nice(t) for t in sorted(titles) if role_category(nice(t))) \
        if len(categories) == 1 else None
    out_roles = []
    for r in roles:
        role = {k: v for k, v in r.items() if v}
        if title and r["code"][3:] == "GOV":  # the office itself, not a ministry's sector
            role["title"] = title
        out_roles.append(role)
    rec: dict = {"key": "person:" + slugify(name), "name": name}
    aliases = list(dict.fromkeys(nice(" ".join(w)) for w in names[1:]))
    if aliases:
        rec["aliases"] = [a for a in aliases if a != name]
    code = next((r["code"] for r in roles if r["code"][3:6] in ("GOV", "MIL")),
                roles[0]["code"] if roles else first)
    rec.update(_codes(code))
    rec["roles"] = out_roles
    return rec


def _codes(code: str) -> dict:
    """The CAMEO code; its country (ISO3) and sector are read from it at load time."""
    return {"code": code}


def _role_text(r: dict) -> str:
    """One role as `CODE FROM TO [TITLE]`: `-` for a date the dictionary does not give,
    `~DATE` for an open end known up to DATE (`USAGOV 2013-02-01 ~2014-01-30 Secretary of
    State`)."""
    end = r.get("to") or (f"~{r['known_to']}" if r.get("known_to") else "-")
    text = f"{r['code']} {r.get('from') or '-'} {end}"
    return f"{text} {r['title']}" if r.get("title") else text


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "resources" / \
        "event-dictionaries"
    lexicon, agents = build(src)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("actors.phoenix.json", lexicon), ("agents.phoenix.json", agents)):
        path = OUT / name
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # one record a line: compact, yet reviewable line by line
        text = text.replace(',{"key"', ',\n{"key"').replace('"actors":[', '"actors":[\n')
        path.write_text(text + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.2f} MB")
    n_people = sum(a["key"].startswith("person:") for a in lexicon["actors"])
    print(f"{len(lexicon['countries'])} countries, {n_people} people, "
          f"{len(lexicon['actors']) - n_people} bodies, {len(agents['words'])} agent words; "
          f"dropped {lexicon['_dropped']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
