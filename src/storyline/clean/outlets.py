"""The registry of wire agencies and outlets (data/outlets.json), looked up by any alias."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Outlet:
    name: str  # canonical name
    wire: bool  # a news agency whose copy others reprint
    state: str | None = None  # ISO code of the state whose organ it is (speaks for it)


def _key(name: str) -> str:
    return re.sub(r"[\s.]+", " ", name).strip().lower()


@lru_cache(maxsize=1)
def _entries() -> tuple[dict, ...]:
    """The registry's entries as written in data/outlets.json (the one reader of it)."""
    path = resources.files("storyline").joinpath("data", "outlets.json")
    return tuple(json.loads(path.read_text("utf-8"))["entries"])


def wire_names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical name, aliases) of every wire agency."""
    return tuple((e["name"], tuple(e.get("aliases", []))) for e in _entries() if e.get("wire"))


@lru_cache(maxsize=1)
def _registry() -> dict[str, Outlet]:
    table: dict[str, Outlet] = {}
    by_name: dict[str, Outlet] = {}
    for entry in _entries():
        outlet = by_name[entry["name"]] = Outlet(entry["name"], bool(entry.get("wire")),
                                                    entry.get("state"))
        for alias in [entry["name"], *entry.get("aliases", [])]:
            table.setdefault(_key(alias), outlet)
    # The names outlets go by in other languages ("ТАСС", "연합뉴스"), from the language packs.
    from storyline.lang import available, get_pack

    for code in available():
        for name, aliases in (get_pack(code).data("outlets.names", {}) or {}).items():
            known = by_name.get(name)
            if known is not None:
                for alias in aliases:
                    table.setdefault(_key(alias), known)
    return table


def lookup(name: str | None) -> Outlet | None:
    """The known outlet or wire called `name` (any alias, case-insensitive), else None."""
    if not name:
        return None
    return _registry().get(_key(name))


def canonical_outlet(name: str | None) -> str | None:
    """The canonical name of a known outlet, or `name` itself (trimmed) when unknown."""
    if name is None:
        return None
    found = lookup(name)
    return found.name if found else (name.strip() or None)


def leading_outlet(words: Sequence[str], max_words: int = 5) -> Outlet | None:
    """The known outlet named by the longest run of leading `words` ("VOA Pentagon ...")."""
    for n in range(min(max_words, len(words)), 0, -1):
        found = lookup(" ".join(words[:n]))
        if found:
            return found
    return None
