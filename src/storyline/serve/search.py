"""Search as the CLI and the API give it: the store's full-text search, with each actor the
query names widened to every name the knowledge base knows it by ("DPRK" finds the articles
that say "North Korea", and those that say "Северная Корея"), paged, with a total.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .. import lang
from ..extract.kb import KB, Actor, load_kb
from ..store import Store
from ..store import queries as sq
from ..store.db import SEARCH_WINDOW, check_query

# The kinds of name an actor is searched by: its own names, not what stands for it (a
# capital for its government, a demonym) nor generic words.
_OWN_NAMES = ("name", "official", "alias", "abbrev")
MAX_NGRAM = 5      # the longest run of query words looked up as one name
MAX_ALIASES = 60   # the most phrases one name is widened to


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _other_languages() -> list[str]:
    return [code for code in lang.available() if code != "en"]


def _stands_for(kb: KB, actor: Actor, name: str) -> bool:
    """Whether `name` only stands for the actor (its capital, its people) in English."""
    kinds = {kind for a, kind in kb.entries(name) if a.key == actor.key}
    return bool(kinds) and not kinds & set(_OWN_NAMES)


def _own_names(kb: KB, actor: Actor) -> list[str]:
    """Every name of the actor: its own names, then its names in each language pack (but
    those that English uses for what stands for it, as "Pyongyang")."""
    names = [actor.name, actor.official or "", *actor.aliases, *actor.abbrevs]
    for code in _other_languages():
        names += [n for n in kb.names_in(code).get(actor.key, [])
                  if not _stands_for(kb, actor, n)]
    return list(dict.fromkeys(n for n in names if n and len(n.strip()) > 1))


def _named(kb: KB, words: str) -> Actor | None:
    """The project's own actor (never a generated one) that `words` names by one of its own
    names, in any language; case is folded only for words longer than three letters
    ("us" is no "US")."""
    fold = len(words) > 3
    for code in (None, *_other_languages()):
        for actor in kb.lookup(words, code, fold_case=fold):
            if kb.is_generated(actor.key):
                continue
            names = {n if not fold else _folded(n) for n in _own_names(kb, actor)}
            if (_folded(words) if fold else words) in names:
                return actor
    return None


@lru_cache(maxsize=256)
def _expand_cached(kb: KB, query: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    words = query.replace('"', " ").split()
    groups: list[tuple[str, ...]] = []
    keys: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_NGRAM, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            actor = _named(kb, phrase)
            if actor is not None:
                names = _own_names(kb, actor)
                groups.append(tuple(dict.fromkeys([phrase, *names]))[:MAX_ALIASES])
                keys.append(actor.key)
                i += n
                break
        else:
            groups.append((words[i],))
            i += 1
    return tuple(groups), tuple(dict.fromkeys(keys))


def expand(query: str) -> tuple[list[list[str]], list[str]]:
    """The query as groups of phrases (one group per word, or per run of words naming a
    known actor, then holding every name of that actor) and the keys of the actors named."""
    check_query(query)
    groups, keys = _expand_cached(load_kb(), query)  # per KB: $STORYLINE_KB may change it
    return [list(g) for g in groups], list(keys)


def search_page(store: Store, q: str, limit: int = 20, offset: int = 0,
                aliases: bool = True) -> dict[str, Any]:
    """One page of documents matching `q` (aliases widened unless `aliases` is False), the
    total that match, the entities whose names match, and what the query was widened to."""
    groups, keys = expand(q) if aliases else (None, [])
    docs = store.search(q, limit, offset, groups=groups)
    total = store.count_search(q, groups=groups)
    result = sq.page(docs, min(total, SEARCH_WINDOW), offset, limit, "documents")
    result.update({"total": total, "ranked": min(total, SEARCH_WINDOW),
                   "expanded": [g for g in groups or [] if len(g) > 1],
                   "entities": _entities(store, q, keys)})
    return result


def _entities(store: Store, q: str, keys: list[str]) -> list[dict[str, Any]]:
    """The entities named by the query's actors first, then those whose names match it."""
    found = sq.list_entities(store, q, 20)
    have = {e["key"] for e in found}
    named = [e for k in keys if k not in have for e in sq.entities_by_key(store, [k])]
    return (named + found)[:20]
