"""The knowledge base of actors: countries, international bodies, agencies, media, people.

Three layers, the first winning on conflict:
1. the project's own actors, shipped as JSON in `storyline/data/` (countries.json,
   actors.json) and extendable by users: `load_kb(["my_actors.json"])` or
   `STORYLINE_KB=a.json:b.json` merges more files over the default (same format; a record
   with a known key updates it, list fields are merged), with the hand-kept places of
   `lang/xx/places.json` (regions, sites, and what contains what);
2. the actors generated from the Phoenix dictionaries (`lang/en/actors.phoenix.json`, made
   by scripts/gen_actors.py): ~17,000 office-holders with dated roles to ~2015, ~4,000
   bodies and armed groups, spellings of countries and the places in each. Read on the
   first question only it can answer, looked up by folded name (`weak_lookup`), never
   scanned for in a text;
3. names by language (`lang/<code>/actors.names.json`, {key: [names]}):
   `lookup(name, lang)`, `names_in(lang)`.
Places nest (`parent`, `contains`): Vladivostok is in Primorsky Krai, in the Russian Far
East, in Russia; a capital stands for its country.

Every actor has a stable key ("country:PRK", "org:un-security-council",
"person:antony-blinken"), a type (PERSON, ORG, GPE, LOC, FAC), a country (ISO3), a sector
(GOV, MIL, INT, IGO, MED, EDU, BUS, LEG, JUD, PTY, REB) and a PLOVER/CAMEO-style code
(country + sector: "KORINT", "USAGOV"). People carry dated roles, so "the top U.S. diplomat"
can be resolved for a document's date.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MalformedInput
from ..lang import get_pack

ENV_VAR = "STORYLINE_KB"

# Name kinds. A match of kind "demonym"/"people" is a NORP form of a country; "metonym" is a
# capital or seat of government standing for the country; "context" needs the document to
# name the required country too; "combining" ("Russo-") needs a hyphen after it.
NAME_KINDS = ("name", "alias", "abbrev", "official", "metonym", "demonym", "people",
              "combining", "context")


@dataclass
class Role:
    """A dated office: `start`/`end` are ISO dates, `end` None while in office."""

    title: str
    country: str | None = None
    start: str | None = None
    end: str | None = None
    category: str | None = None
    leader: bool = False
    known_to: str | None = None  # an open end known only up to this date (a dictionary's)
    code: str | None = None  # the CAMEO code of the office (USAGOV, IGOUNO)

    def active(self, date: str | None) -> bool:
        """Whether the role was held on `date` (ISO); never true for an unknown date."""
        if not date:
            return False
        day = str(date)[:10]
        return (self.start is None or self.start <= day) and (
            self.end is None or day < self.end) and (self.known_to is None or day <= self.known_to)


@dataclass
class Actor:
    """One known actor and every name it goes by."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    abbrevs: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    roles: list[Role] = field(default_factory=list)
    surname: str | None = None
    official: str | None = None
    iso2: str | None = None
    demonyms: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    combining: list[str] = field(default_factory=list)
    context_aliases: list[dict[str, Any]] = field(default_factory=list)
    until: str | None = None  # a state that no longer exists: its last day ("1991-12-25")
    seat: list[str] = field(default_factory=list)  # the names of its seat of government,
    # which stand for it (not for the member state they now name) in a text dated up to `until`

    def names(self) -> Iterator[tuple[str, str]]:
        """(surface, kind) for every form the actor can be named by."""
        yield self.name, "name"
        if self.official:
            yield self.official, "official"
        for a in self.aliases:
            yield a, "alias"
        for a in self.abbrevs:
            yield a, "abbrev"
        for a in self.metonyms:
            yield a, "metonym"
        for a in self.demonyms:
            yield a, "demonym"
        for a in self.people:
            yield a, "people"
        for a in self.combining:
            yield a, "combining"
        for c in self.context_aliases:
            yield c["alias"], "context"

    def role_at(self, date: str | None) -> Role | None:
        """The role held on `date`; None when the date is unknown (never a guess)."""
        active = [r for r in self.roles if r.active(date)]
        return active[0] if active else None


@dataclass
class GenericOrg:
    """A body every state has (a foreign ministry); the country comes from the text."""

    id: str
    name: str
    names: list[str]
    sector: str = "GOV"
    category: str | None = None
    abbrevs: list[str] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)
    # Only the countries in `overrides` have such a body the text can mean ("South Korean
    # intelligence" is its one intelligence service; "U.S. intelligence" is many agencies).
    known_only: bool = False


# ---- role titles ------------------------------------------------------------------------------

_NOT_THE_OFFICE = re.compile(r"\b(deputy|vice|assistant|under|former|ex|acting|first deputy|"
                             r"second deputy|junior|shadow|late)\b", re.IGNORECASE)
_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("spokesperson", re.compile(r"\b(spokes(person|man|woman)|press secretary|spokesperson)\b")),
    ("national_security_adviser", re.compile(r"\bnational security advis[eo]r\b|"
                                             r"\bdirector of national security\b")),
    ("foreign_minister", re.compile(
        r"^(secretary of state|foreign (minister|secretary)|minister (of|for) foreign affairs|"
        r"foreign affairs minister|minister of external affairs|external affairs minister|"
        r"(top|chief) diplomat)$")),
    ("defense_minister", re.compile(
        r"^(secretary of (defen[cs]e|war)|(defen[cs]e|war) (secretary|minister|chief)|"
        r"minister (of|for) (national )?defen[cs]e|(national )?defen[cs]e minister)$")),
    ("leader", re.compile(r"^(supreme leader|leader)$")),
    ("head_of_government", re.compile(r"^(prime minister|premier|chancellor)$")),
    ("head_of_state", re.compile(r"^president$")),
)


def role_category(title: str | None) -> str | None:
    """The kind of office a title names: foreign_minister, defense_minister, head_of_state,
    head_of_government, leader, national_security_adviser, spokesperson; None otherwise."""
    if not title:
        return None
    t = " ".join(title.replace("’", "'").lower().split())
    if _NOT_THE_OFFICE.search(t):
        return None
    for name, rx in _CATEGORIES[:2]:
        if rx.search(t):
            return name
    for name, rx in _CATEGORIES[2:]:
        if rx.match(t):
            return name
    return None


# ---- the knowledge base -----------------------------------------------------------------------

class KB:
    """All actors, indexed by key, by every surface form and by surname.

    The project's own actors (data/*.json, user files) are the strong layer: every name of
    theirs is matched in texts. The actors generated from the Phoenix dictionaries
    (lang/en/actors.phoenix.json) are the weak layer: looked up by name (a name spaCy found,
    a name asked for), never scanned for, and the strong layer wins on conflict."""

    def __init__(self, actors: dict[str, Actor], generic: dict[str, GenericOrg],
                 parents: dict[str, str] | None = None, layered: bool = False) -> None:
        self.actors = actors
        self.generic = generic
        self._index: dict[str, list[tuple[str, str]]] = {}
        self._folded: dict[str, list[tuple[str, str]]] = {}
        self._surnames: dict[str, list[str]] = {}
        self._generic_names: dict[str, str] = {}
        # The generated layer (Phoenix people, bodies, places, spellings of countries), read
        # on the first question it can answer: looked up by folded name, never scanned for.
        self._layered = layered
        self._weak: dict[str, list[tuple[str, str]]] | None = None
        self._raw: dict[str, dict[str, Any]] = {}
        self._generated: set[str] = set()
        self._weak_surnames: dict[str, list[str]] | None = None
        self._parent = parents or {}
        self._by_code: dict[str, Actor] = {}
        self._seats: dict[str, Actor] | None = None
        self._holders: dict[str | None, list[str]] | None = None
        self._lang_names: dict[str, dict[str, list[str]]] = {}
        bare: list[tuple[str, str, str]] = []
        for actor in actors.values():
            for surface, kind in actor.names():
                self._add(surface, actor.key, kind)
                if kind in ("name", "official", "alias"):  # not a context's "The South"
                    bare.extend((form, actor.key, kind) for form in _without_the(surface))
            if actor.type == "PERSON":
                self._surnames.setdefault(person_surname(actor).lower(), []).append(actor.key)
            if actor.key.startswith("country:"):
                self._by_code[actor.key[8:]] = actor
                if actor.iso2:
                    self._by_code.setdefault(actor.iso2, actor)
        for form, key, kind in bare:  # "Guardian" for "The Guardian", unless a name is that
            if _norm(form) not in self._index:
                self._add(form, key, kind)
        for g in generic.values():
            for n in g.names + g.abbrevs:
                self._generic_names[_norm(n)] = g.id

    def _add(self, surface: str, key: str, kind: str) -> None:
        entry = (key, kind)
        bucket = self._index.setdefault(_norm(surface), [])
        if entry not in bucket:
            bucket.append(entry)
        if kind not in ("abbrev", "combining"):
            folded = self._folded.setdefault(_norm(surface).lower(), [])
            if entry not in folded:
                folded.append(entry)

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def get(self, key: str) -> Actor | None:
        """The actor with this key (synthesises country-specific generic bodies; builds a
        generated-layer actor the first time it is asked for)."""
        if key in self.actors:
            return self.actors[key]
        if self._layered and key[:4] in ("pers", "org:", "gpe:", "loc:"):
            self._layer()
            rec = self._raw.pop(key, None)
            if rec is not None:
                self.actors[key] = actor = _layer_actor(rec, self._by_code)
                return actor
        m = re.match(r"^org:([a-z]{3})-(.+)$", key)
        if m and m.group(2) in self.generic:
            return self.generic_actor(self.generic[m.group(2)], m.group(1).upper())
        return None

    def entries(self, text: str, *, fold_case: bool = False) -> list[tuple[Actor, str]]:
        """(actor, kind) for every actor named exactly `text`."""
        hits = self._index.get(_norm(text), [])
        if not hits and fold_case:
            hits = self._folded.get(_norm(text).lower(), [])
        return [(self.actors[k], kind) for k, kind in hits]

    def lookup(self, text: str, lang: str | None = None, *,
               fold_case: bool = False) -> list[Actor]:
        """Actors named `text` (case-sensitive unless `fold_case`), best kinds first; then the
        names of language `lang` (lang/<lang>/actors.names.json, case-folded); then, when
        nothing else matched, the generated dictionaries' names (case-folded)."""
        order = {k: i for i, k in enumerate(NAME_KINDS)}
        hits = sorted(self.entries(text, fold_case=fold_case), key=lambda e: order[e[1]])
        seen: list[Actor] = []
        for actor, _ in hits:
            if actor not in seen:
                seen.append(actor)
        if lang and not lang.lower().startswith("en"):
            for key in self.language_index(lang).get(_fold(text), []):
                found = self.get(key)
                if found is not None and found not in seen:
                    seen.append(found)
        if not seen:
            seen = self.weak_lookup(text)
        return seen

    def seat_of(self, text: str, published: str | None) -> Actor | None:
        """The state that no longer exists whose seat of government `text` named on the day
        `published` ("Moscow", "the Kremlin" up to 1991-12-25: the Soviet Union; countries.json
        `until` and `seat`); None on a later day, with no date, or for any other name."""
        if not published:
            return None
        if self._seats is None:  # (case folded: a dateline's "MOSCOW" too)
            self._seats = {name.lower(): a for a in self.actors.values() if a.until
                           for name in a.seat}
        actor = self._seats.get(text.lower())
        return actor if actor is not None and published[:10] <= actor.until else None

    def weak_lookup(self, text: str) -> list[Actor]:
        """Actors of the generated layer named `text` (case, hyphens and accents folded)."""
        out: list[Actor] = []
        if not self._layered:
            return out
        for key, kind in self._layer().get(_fold(text), []):
            if kind == "within":
                continue  # a place inside that actor's, not its name
            actor = self.get(key)
            if actor is not None and actor not in out:
                out.append(actor)
        return out

    def _layer(self) -> dict[str, list[tuple[str, str]]]:
        """The generated layer's name index, read on first use."""
        if self._weak is None:
            self._weak = {}
            _phoenix(self, self._weak, self._raw)
            self._generated = set(self._raw)
        return self._weak

    def is_generated(self, key: str) -> bool:
        """Whether `key` is an actor of the generated layer (not the project's own)."""
        return key in self._generated

    def names_in(self, lang: str) -> dict[str, list[str]]:
        """{KB key: [names in language `lang`]} from lang/<lang>/actors.names.json (empty
        when the language has no such file); only keys the KB knows."""
        code = (lang or "").lower().replace("_", "-").split("-")[0]
        if code not in self._lang_names:
            raw = _language_file(code)
            self._lang_names[code] = {k: [str(n) for n in v] for k, v in raw.items()
                                      if isinstance(v, list) and self.get(k) is not None}
        return self._lang_names[code]

    def language_index(self, lang: str) -> dict[str, list[str]]:
        """Folded name in language `lang` -> KB keys (built once per language)."""
        code = "@" + (lang or "").lower().split("-")[0]
        if code not in self._lang_names:
            index: dict[str, list[str]] = {}
            for key, names in self.names_in(lang).items():
                for n in names:
                    bucket = index.setdefault(_fold(n), [])
                    if key not in bucket:
                        bucket.append(key)
            self._lang_names[code] = index  # type: ignore[assignment]
        return self._lang_names[code]  # type: ignore[return-value]

    # ---- places -------------------------------------------------------------------------------

    def parent(self, key: str) -> str | None:
        """The key of the place (or country) that contains `key`, if known."""
        if key in self._parent:
            return self._parent[key]
        actor = self.get(key)
        if actor is not None and actor.country and not key.startswith("country:") \
                and actor.type in ("GPE", "LOC", "FAC"):
            return f"country:{actor.country}"
        return None

    def place_key(self, ref: str) -> str | None:
        """The key of a place named or keyed `ref` ("Seoul" -> "country:KOR" through the
        capital's metonym; "Vladivostok" -> "gpe:vladivostok")."""
        if ":" in ref and self.get(ref) is not None:
            return ref
        for actor in self.lookup(ref, fold_case=True):
            if actor.type in ("GPE", "LOC", "FAC") or actor.key.startswith("country:"):
                return actor.key
        return None

    def contains(self, outer: str, inner: str) -> bool:
        """Whether the place `outer` contains (or is) the place `inner`: keys or names.
        Vladivostok is in the Russian Far East, which is in Russia; Seoul (the capital,
        standing for the country) is in South Korea. Unknown places contain nothing."""
        a, b = self.place_key(outer), self.place_key(inner)
        if a is None or b is None:
            return False
        seen: set[str] = set()
        while b is not None and b not in seen:
            if a == b:
                return True
            seen.add(b)
            b = self.parent(b)
        return False

    def surfaces(self) -> Iterator[tuple[str, str, str]]:
        """(surface, key, kind) for the gazetteer matcher."""
        for norm, hits in self._index.items():
            for key, kind in hits:
                yield norm, key, kind

    def country(self, ref: str | None) -> Actor | None:
        """A country by ISO2/ISO3 code, name, official name or alias."""
        if not ref:
            return None
        if len(ref) in (2, 3) and ref.isupper() and ref in self._by_code:
            return self._by_code[ref]
        for actor in self.lookup(ref, fold_case=True):
            if actor.key.startswith("country:"):
                return actor
        return None

    def by_surname(self, surname: str) -> list[Actor]:
        """Known people with this family name."""
        keys = self._surnames.get(surname.lower(), [])
        if self._layered:
            if self._weak_surnames is None:
                self._layer()
                self._weak_surnames = {}
                for k, rec in self._raw.items():
                    if k.startswith("person:"):
                        self._weak_surnames.setdefault(rec["name"].split()[-1].lower(),
                                                       []).append(k)
            keys = keys + self._weak_surnames.get(surname.lower(), [])
        return [a for a in (self.get(k) for k in keys) if a is not None]

    def holders(self, category: str, country: str | None, date: str | None) -> list[Actor]:
        """People holding an office of `category` in `country` on `date` (none if no date)."""
        if self._holders is None:
            index: dict[str | None, list[str]] = {}
            for actor in self.actors.values():
                for c in {r.country for r in actor.roles}:
                    index.setdefault(c, []).append(actor.key)
            if self._layered:
                self._layer()
                for k, rec in self._raw.items():
                    for c in {r[:3] for r in rec.get("roles", ())}:
                        index.setdefault(c if f"country:{c}" in self.actors else None,
                                         []).append(k)
            self._holders = index  # type: ignore[assignment]
        out = []
        for actor in (self.get(k) for k in self._holders.get(country, [])):  # type: ignore
            if actor is None:
                continue
            for role in actor.roles:
                if role.country == country and role.active(date) and (
                        role.category == category or (category == "leader" and role.leader)):
                    out.append(actor)
                    break
        return out

    def generic_org(self, text: str) -> GenericOrg | None:
        """The generic body named by `text` ("foreign ministry"), if any."""
        gid = self._generic_names.get(_norm(text))
        return self.generic.get(gid) if gid else None

    def body(self, key: str) -> Actor | None:
        """The actor of a key `generic_actor` makes ("org:rus-foreign-ministry"), read back
        from the key; None for any other key."""
        head, _, rest = key.partition(":")
        iso, _, gid = rest.partition("-")
        g = self.generic.get(gid) if head == "org" else None
        if g is None or f"country:{iso.upper()}" not in self.actors:
            return None
        actor = self.generic_actor(g, iso.upper())
        return actor if actor.key == key else None

    def generic_actor(self, g: GenericOrg, iso3: str | None) -> Actor:
        """The body `g` of country `iso3` ("Ministry of Foreign Affairs (South Korea)"), or the
        KB actor that stands for it there (the State Department for the USA)."""
        if iso3 and iso3 in g.overrides and g.overrides[iso3] in self.actors:
            return self.actors[g.overrides[iso3]]
        country = self.actors.get(f"country:{iso3}") if iso3 else None
        if country is None or not iso3:
            return Actor(key=f"org:{slugify(g.name)}", name=g.name, type="ORG",
                         sector=g.sector, code=None)
        return Actor(key=f"org:{iso3.lower()}-{g.id}", name=f"{g.name} ({country.name})",
                     type="ORG", country=iso3, sector=g.sector, code=f"{iso3}{g.sector}")


def agent_sector(phrase: str, lang: str = "en") -> str | None:
    """The CAMEO sector code(s) an agent word or phrase names ("troops" -> "MIL",
    "foreign minister" -> "GOV", "rebels" -> "REB"), from the pack's generated
    `agents.phoenix.json`; a regular plural is read as its singular; None when unknown."""
    words = (get_pack(lang).data("agents.phoenix", {}) or {}).get("words", {})
    key = " ".join(phrase.lower().split())
    for form in (key, key[:-1] if key.endswith("s") else None,
                 key[:-2] if key.endswith("es") else None):
        if form and form in words:
            return str(words[form])
    return None


def person_surname(actor: Actor) -> str:
    """Family name of a KB person: explicit, else the last word of the name."""
    return actor.surname or actor.name.split()[-1]


def slugify(text: str) -> str:
    """Lower-case ASCII-ish slug for keys: "Park Won-gon" -> "park-won-gon"."""
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t.replace("'", "").replace(".", "")).strip("-") or "x"


def _without_the(surface: str) -> tuple[str, ...]:
    """A name that opens with the English article ("The Guardian", "The Hague") without it,
    as text names it ("the Guardian's photographer": the parser leaves the article out);
    indexed after every other name, and only where no name has that form."""
    words = surface.split(None, 1)
    if len(words) == 2 and words[0] == "The" and words[1][:1].isupper():
        return (words[1],)
    return ()


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _fold(text: str) -> str:
    """The folded form of a name for the generated and per-language indexes: lower case,
    hyphens as spaces, no full stops, Latin accents removed ("Ban Ki-moon" = "BAN KI MOON",
    "George W Bush" = "George W. Bush", "Etats-Unis" = "États-Unis"); other scripts keep
    their letters."""
    t = text.replace("’", "'").replace("-", " ").replace("‐", " ").replace(".", "").lower()
    if not t.isascii():  # drop accents on Latin letters only (not a kana's voicing mark)
        out: list[str] = []
        for ch in unicodedata.normalize("NFD", t):
            if not (unicodedata.combining(ch) and out and out[-1].isascii()):
                out.append(ch)
        t = unicodedata.normalize("NFC", "".join(out))
    return " ".join(t.split())


def _language_file(code: str) -> dict[str, Any]:
    """lang/<code>/actors.names.json of a language that has a pack, else {}."""
    pack = get_pack(code)
    if pack.code != code or code == "en":
        return {}
    data = pack.data("actors.names", {}) or {}
    if isinstance(data.get("names"), dict):
        data = data["names"]
    return data if isinstance(data, dict) else {}


# ---- loading ------------------------------------------------------------------------------------

def _read(path: Path | Any, source: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MalformedInput(f"cannot read the knowledge base file: {exc}", source=source) from exc
    if not isinstance(data, dict):
        raise MalformedInput("a knowledge base file must hold a JSON object", source=source)
    return data


def _country_record(c: dict[str, Any]) -> dict[str, Any]:
    iso3 = c["iso3"]
    return {"key": f"country:{iso3}", "name": c["name"], "type": "GPE", "country": iso3,
            "code": iso3, "iso2": c.get("iso2"), "official": c.get("official"),
            "aliases": c.get("aliases", []), "demonyms": c.get("demonyms", []),
            "people": c.get("people", []), "metonyms": c.get("metonyms", []),
            "combining": c.get("combining", []), "context_aliases": c.get("context_aliases", []),
            "until": c.get("until"), "seat": c.get("seat", [])}


_LIST_FIELDS = ("aliases", "abbrevs", "demonyms", "people", "metonyms", "combining",
                "context_aliases", "roles")


def _merge(records: dict[str, dict[str, Any]], rec: dict[str, Any], source: str) -> None:
    if "key" not in rec or "name" not in rec and rec.get("key") not in records:
        raise MalformedInput(f"an actor needs 'key' and 'name': {rec!r:.120}", source=source)
    old = records.get(rec["key"])
    if old is None or rec.get("replace"):
        records[rec["key"]] = dict(rec)
        return
    for k, v in rec.items():
        if k in _LIST_FIELDS and isinstance(v, list):
            old[k] = old.get(k, []) + [x for x in v if x not in old.get(k, [])]
        else:
            old[k] = v


def _actor(rec: dict[str, Any]) -> Actor:
    roles = []
    for r in rec.get("roles", []):
        title = r.get("title", "")
        roles.append(Role(title=title, country=r.get("country"), start=r.get("from"),
                          end=r.get("to"), category=r.get("category") or role_category(title),
                          leader=bool(r.get("leader"))))
    sector = rec.get("sector")
    country = rec.get("country")
    code = rec.get("code") or (f"{country or ''}{sector or ''}" or None)
    typ = rec.get("type", "ORG")
    if typ == "PERSON" and not rec.get("code"):
        code = f"{country or ''}{sector or ''}" or None
    return Actor(key=rec["key"], name=rec["name"], type=typ, aliases=list(rec.get("aliases", [])),
                 abbrevs=list(rec.get("abbrevs", [])), country=country, sector=sector, code=code,
                 roles=roles, surname=rec.get("surname"), official=rec.get("official"),
                 iso2=rec.get("iso2"), demonyms=list(rec.get("demonyms", [])),
                 people=list(rec.get("people", [])), metonyms=list(rec.get("metonyms", [])),
                 combining=list(rec.get("combining", [])),
                 context_aliases=list(rec.get("context_aliases", [])),
                 until=rec.get("until"), seat=list(rec.get("seat", [])))


def _load_files(files: list[tuple[Any, str]], layered: bool = False) -> KB:
    records: dict[str, dict[str, Any]] = {}
    generic: dict[str, GenericOrg] = {}
    for path, source in files:
        data = _read(path, source)
        for c in data.get("countries", []):
            if "iso3" not in c:
                raise MalformedInput(f"a country needs 'iso3': {c!r:.120}", source=source)
            rec = _country_record(c) if "name" in c else {"key": f"country:{c['iso3']}", **{
                k: v for k, v in c.items() if k != "iso3"}}
            _merge(records, rec, source)
        for a in data.get("actors", []):
            _merge(records, a, source)
        for g in data.get("generic_orgs", []):
            generic[g["id"]] = GenericOrg(id=g["id"], name=g["name"], names=g.get("names", []),
                                          sector=g.get("sector", "GOV"), category=g.get("category"),
                                          abbrevs=g.get("abbrevs", []),
                                          overrides=g.get("overrides", {}),
                                          known_only=bool(g.get("known_only")))
    if not layered:
        return KB({k: _actor(r) for k, r in records.items()}, generic)
    parents = _places(records)
    return KB({k: _actor(r) for k, r in records.items()}, generic, parents=parents, layered=True)


# ---- the layers of the language packs ---------------------------------------------------------

PHOENIX = "actors.phoenix"  # lang/en/actors.phoenix.json, made by scripts/gen_actors.py
PLACES = "places"  # lang/xx/places.json, hand-kept: regions, cities, sites and what holds them


def _places(records: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Merge the hand-kept places into `records`; return child key -> containing key."""
    data = get_pack("xx").data(PLACES, {}) or {}
    parents: dict[str, str] = {}
    for p in data.get("places", []):
        key = p["key"]
        if "name" in p:
            rec = {k: v for k, v in p.items() if k not in ("in",)}
            rec.setdefault("type", key.split(":")[0].upper() if ":" in key else "GPE")
            _merge(records, rec, PLACES)
        outer = p.get("in")
        if outer:
            parents[key] = outer if ":" in outer else f"country:{outer}"
            if key in records and not records[key].get("country"):
                records[key]["country"] = _country_of(outer, records, parents)
    return parents


def _country_of(ref: str, records: dict[str, dict[str, Any]], parents: dict[str, str]
                ) -> str | None:
    seen: set[str] = set()
    key: str | None = ref if ":" in ref else f"country:{ref}"
    while key and key not in seen:
        if key.startswith("country:"):
            return key[8:]
        seen.add(key)
        key = parents.get(key) or (f"country:{records[key]['country']}"
                                   if key in records and records[key].get("country") else None)
    return None


def _phoenix(kb: KB, weak: dict[str, list[tuple[str, str]]],
             raw: dict[str, dict[str, Any]]) -> None:
    """Read the generated Phoenix layer under `kb`'s actors (which win on conflict): country
    spellings, places in each country, people with dated roles, bodies. Fills the name
    index `weak` and `raw` (key -> record, made into an Actor when first asked for)."""
    data = get_pack("en").data(PHOENIX, {}) or {}
    actors = kb.actors
    strong: dict[str, str] = {}
    people: dict[tuple[str | None, str, str], str] = {}
    for actor in actors.values():
        for surface, _ in actor.names():
            for form in (surface, *_without_the(surface)):
                strong.setdefault(_fold(form), actor.key)
        if actor.type == "PERSON":
            first = actor.name.split()[0][:1].lower()
            people[(actor.country, person_surname(actor).lower(), first)] = actor.key

    bare: list[tuple[str, str, str]] = []

    def add(surface: str, key: str, kind: str) -> None:
        folded = _fold_clean(surface)
        bucket = weak.get(folded)
        if bucket is None:
            weak[folded] = [(key, kind)]
        elif (key, kind) not in bucket:
            bucket.append((key, kind))
        bare.extend((form, key, kind) for form in _without_the(surface))

    feature_words = {w.lower() for w in (get_pack("xx").data(PLACES, {}) or {}).get(
        "feature_words", [])}
    for iso3, c in data.get("countries", {}).items():
        country = f"country:{iso3}"
        if country not in actors:
            continue
        for n in c.get("names", []):
            if _fold_clean(n) not in strong:
                add(n, country, "alias")
        for n in c.get("places", []):
            folded = _fold_clean(n)
            if folded in strong:
                continue  # a project place, or a capital standing for its country
            key = ("loc:" if feature_words & set(folded.split()) else "gpe:") + slugify(n)
            if key in actors or key in raw:
                continue
            raw[key] = {"key": key, "name": n, "code": iso3, "place": True}
            kb._parent.setdefault(key, country)
            add(n, key, "name")
    for rec in data.get("actors", []):
        key, name = rec["key"], rec["name"]
        names = [name, *rec.get("aliases", ())]
        known = next((strong[f] for n in names for f in map(_fold_clean, (n, *_without_the(n)))
                      if f in strong), None)
        if known is None and key[0] == "p":
            code = rec.get("code") or ""
            known = people.get((code[:3], name.rsplit(" ", 1)[-1].lower(), name[:1].lower()))
        if known is not None:  # the project's own actor: its record wins, the spellings help
            # (of a place short of a country, the dictionary's other names are mostly places
            # in it that it codes as the same actor: "Rafah" under Gaza; not the place itself)
            kind = "within" if known.startswith(("loc:", "gpe:")) else "alias"
            for n in names:
                if _fold_clean(n) not in strong:
                    add(n, known, kind)
            continue
        if key in actors or key in raw:
            continue
        raw[key] = rec
        add(name, key, "name")
        for n in names[1:]:
            add(n, key, "alias")
    for form, key, kind in list(bare):  # noqa: PERF101 - add() extends bare ("Guardian" for
        # "The Guardian", unless a name is that)
        folded = _fold_clean(form)
        if folded not in weak and folded not in strong:
            add(form, key, kind)


def _fold_clean(text: str) -> str:
    """`_fold` for the generated names, which are already spaced one by one."""
    if text.isascii() and "." not in text and "  " not in text:
        return text.lower().replace("-", " ")
    return _fold(text)


def _code_parts(code: str | None, by_code: dict[str, Actor]) -> tuple[str | None, str | None]:
    """A CAMEO code's country (ISO3, when it starts with a known one) and sector."""
    if not code:
        return None, None
    if code[:3] in by_code and len(code[:3]) == 3:
        return code[:3], code[3:6] or None
    return None, code[:3]


def _layer_actor(rec: dict[str, Any], by_code: dict[str, Actor]) -> Actor:
    """An Actor of the generated layer from its compact record."""
    iso3, sector = _code_parts(rec.get("code"), by_code)
    if rec.get("place"):
        typ = "LOC" if rec["key"].startswith("loc:") else "GPE"
        return Actor(key=rec["key"], name=rec["name"], type=typ, country=iso3, code=iso3)
    roles = []
    for text in rec.get("roles", ()):
        parts = text.split(" ", 3)
        code, start, end = parts[0], parts[1], parts[2]
        title = parts[3] if len(parts) > 3 else ""
        country, _ = _code_parts(code, by_code)
        roles.append(Role(title=title, country=country or iso3,
                          start=None if start == "-" else start,
                          end=None if end == "-" or end.startswith("~") else end,
                          known_to=end[1:] if end.startswith("~") else None,
                          category=role_category(title), code=code))
    typ = "PERSON" if rec["key"].startswith("person:") else "ORG"
    return Actor(key=rec["key"], name=rec["name"], type=typ, aliases=list(rec.get("aliases", [])),
                 country=iso3, sector=sector, code=rec.get("code"), roles=roles)


@functools.lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> KB:
    base = resources.files("storyline") / "data"
    files: list[tuple[Any, str]] = [(base / "countries.json", "countries.json"),
                                    (base / "actors.json", "actors.json")]
    files += [(Path(p), p) for p in paths]
    return _load_files(files, layered=True)


def load_kb(extra_paths: list[str] | None = None) -> KB:
    """The knowledge base: the shipped data, then the files in $STORYLINE_KB (':'-separated),
    then `extra_paths`, each merged over the ones before. Cached per set of files."""
    env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return _load(tuple(env) + tuple(extra_paths or ()))
