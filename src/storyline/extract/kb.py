"""The knowledge base of actors: countries, international bodies, agencies, media, people.

Shipped as JSON in `storyline/data/` (countries.json, actors.json) and extendable by users:
`load_kb(["my_actors.json"])` or `STORYLINE_KB=a.json:b.json` merges more files over the
default (same format; a record with a known key updates it, list fields are merged).

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import MalformedInput

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

    def active(self, date: str | None) -> bool:
        """Whether the role was held on `date` (ISO); never true for an unknown date."""
        if not date:
            return False
        day = str(date)[:10]
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


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
    """All actors, indexed by key, by every surface form and by surname."""

    def __init__(self, actors: dict[str, Actor], generic: dict[str, GenericOrg]) -> None:
        self.actors = actors
        self.generic = generic
        self._index: dict[str, list[tuple[str, str]]] = {}
        self._folded: dict[str, list[tuple[str, str]]] = {}
        self._surnames: dict[str, list[str]] = {}
        self._generic_names: dict[str, str] = {}
        for actor in actors.values():
            for surface, kind in actor.names():
                self._add(surface, actor.key, kind)
            if actor.type == "PERSON":
                self._surnames.setdefault(person_surname(actor).lower(), []).append(actor.key)
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
        return key in self.actors

    def get(self, key: str) -> Actor | None:
        """The actor with this key (synthesises country-specific generic bodies)."""
        if key in self.actors:
            return self.actors[key]
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

    def lookup(self, text: str, *, fold_case: bool = False) -> list[Actor]:
        """Actors named `text` (case-sensitive unless `fold_case`), best kinds first."""
        order = {k: i for i, k in enumerate(NAME_KINDS)}
        hits = sorted(self.entries(text, fold_case=fold_case), key=lambda e: order[e[1]])
        seen: list[Actor] = []
        for actor, _ in hits:
            if actor not in seen:
                seen.append(actor)
        return seen

    def surfaces(self) -> Iterator[tuple[str, str, str]]:
        """(surface, key, kind) for the gazetteer matcher."""
        for norm, hits in self._index.items():
            for key, kind in hits:
                yield norm, key, kind

    def country(self, ref: str | None) -> Actor | None:
        """A country by ISO2/ISO3 code, name, official name or alias."""
        if not ref:
            return None
        if len(ref) in (2, 3) and ref.isupper():
            for actor in self.actors.values():
                if actor.key.startswith("country:") and ref in (actor.key[8:], actor.iso2):
                    return actor
        for actor in self.lookup(ref, fold_case=True):
            if actor.key.startswith("country:"):
                return actor
        return None

    def by_surname(self, surname: str) -> list[Actor]:
        """Known people with this family name."""
        return [self.actors[k] for k in self._surnames.get(surname.lower(), [])]

    def holders(self, category: str, country: str | None, date: str | None) -> list[Actor]:
        """People holding an office of `category` in `country` on `date` (none if no date)."""
        out = []
        for actor in self.actors.values():
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

    def generic_actor(self, g: GenericOrg, iso3: str | None) -> Actor:
        """The body `g` of country `iso3` ("Ministry of Foreign Affairs (South Korea)"), or the
        KB actor that stands for it there (the State Department for the USA)."""
        if iso3 and iso3 in g.overrides and g.overrides[iso3] in self.actors:
            return self.actors[g.overrides[iso3]]
        country = self.actors.get(f"country:{iso3}") if iso3 else None
        if country is None:
            return Actor(key=f"org:{slugify(g.name)}", name=g.name, type="ORG",
                         sector=g.sector, code=None)
        return Actor(key=f"org:{iso3.lower()}-{g.id}", name=f"{g.name} ({country.name})",
                     type="ORG", country=iso3, sector=g.sector, code=f"{iso3}{g.sector}")


def person_surname(actor: Actor) -> str:
    """Family name of a KB person: explicit, else the last word of the name."""
    return actor.surname or actor.name.split()[-1]


def slugify(text: str) -> str:
    """Lower-case ASCII-ish slug for keys: "Park Won-gon" -> "park-won-gon"."""
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t.replace("'", "").replace(".", "")).strip("-") or "x"


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


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
            "combining": c.get("combining", []), "context_aliases": c.get("context_aliases", [])}


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
                 context_aliases=list(rec.get("context_aliases", [])))


def _load_files(files: list[tuple[Any, str]]) -> KB:
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
    return KB({k: _actor(r) for k, r in records.items()}, generic)


@functools.lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> KB:
    base = resources.files("storyline") / "data"
    files: list[tuple[Any, str]] = [(base / "countries.json", "countries.json"),
                                    (base / "actors.json", "actors.json")]
    files += [(Path(p), p) for p in paths]
    return _load_files(files)


def load_kb(extra_paths: list[str] | None = None) -> KB:
    """The knowledge base: the shipped data, then the files in $STORYLINE_KB (':'-separated),
    then `extra_paths`, each merged over the ones before. Cached per set of files."""
    env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return _load(tuple(env) + tuple(extra_paths or ()))
