"""The event lexicon: trigger lemmas -> frame, and frame + item class -> subtype -> PLOVER type.

The data lives in `storyline/data/event_lexicon.json` so that a user can extend it (add a
verb, a noun, an item word) without touching code; `load_lexicon(path)` reads another file.
Every reader goes through `load_lexicon` (the linker's item classes and happening nouns
too); the general coder's lexicon is in the English pack.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Token

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "event_lexicon.json"


@dataclass(frozen=True)
class Trigger:
    """A token that evokes an event frame, with the lexicon entry's constraints."""

    token: Token
    frame: str
    nominal: bool
    entry: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def reverse(self) -> bool:
        """True when the subject receives ("Russia received advice from X")."""
        return bool(self.entry.get("reverse"))


@dataclass
class Lexicon:
    """Typed access to the lexicon data."""

    types: dict[str, str]
    item_classes: dict[str, frozenset[str]]
    frames: dict[str, dict[str, Any]]
    verbs: dict[str, dict[str, Any]]
    nouns: dict[str, dict[str, Any]]
    multiword: dict[str, str]
    light_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    judgements: frozenset[str]
    meeting_objects_excluded: frozenset[str]
    launch_context: frozenset[str] = frozenset()
    guest_first: frozenset[str] = frozenset()
    standing: dict[str, frozenset[str]] = field(default_factory=dict)
    event_measures: frozenset[str] = frozenset()
    goers: frozenset[str] = frozenset()
    senders: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        return cls(
            types=dict(data["types"]),
            item_classes={k: frozenset(w.lower() for w in v)
                          for k, v in data["item_classes"].items()},
            frames=dict(data["frames"]),
            verbs={k.lower(): v for k, v in data["verbs"].items()},
            nouns={k.lower(): v for k, v in data["nouns"].items()},
            multiword={k.lower(): v for k, v in data.get("multiword", {}).items()},
            light_verbs=frozenset(data.get("light_verbs", [])),
            claim_nouns=frozenset(data.get("claim_nouns", [])),
            judgements=frozenset(data.get("judgements", [])),
            meeting_objects_excluded=frozenset(data.get("meeting_objects_excluded", [])),
            launch_context=frozenset(data.get("launch_context", [])),
            standing={k: frozenset(w.lower() for w in v)
                      for k, v in data.get("standing", {}).items()},
            guest_first=frozenset(data.get("guest_first", [])),
            event_measures=frozenset(data.get("event_measures", [])),
            goers=frozenset(data.get("goers", [])),
            senders=frozenset(data.get("senders", [])),
        )

    # --- triggers -------------------------------------------------------------------------

    def trigger(self, token: Token) -> Trigger | None:
        """The frame `token` evokes as a verb or a noun, or None."""
        lemma = token.lemma_.lower()
        text = token.lower_
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and token.tag_ == "VBG"):
            entry = self.verbs.get(lemma) or self.verbs.get(text)
            if entry and token.pos_ != "AUX":
                return Trigger(token, entry["frame"], False, entry)
            return None
        if token.pos_ in ("NOUN", "PROPN"):
            entry = self.nouns.get(text) or self.nouns.get(lemma)
            if entry:
                return Trigger(token, entry["frame"], True, entry)
        return None

    @functools.cached_property
    def trigger_words(self) -> frozenset[str]:
        """Every verb and noun with an entry: a token whose lemma and form are both outside
        this set evokes no frame (see `trigger`)."""
        return frozenset(self.verbs) | frozenset(self.nouns)

    @functools.cached_property
    def multiword_ends(self) -> tuple[str, ...]:
        """The last words of the fixed phrases: a noun that ends otherwise ends none."""
        # (the parser splits "test-fire" at its hyphens: the last piece is what ends it)
        return tuple(sorted({re.split(r"[\s-]+", k)[-1] for k in self.multiword if k.split()}))

    def multiword_frame(self, text: str) -> str | None:
        """The frame of a fixed phrase ("ship-to-ship transfer"), if listed."""
        return self.multiword.get(text.lower())

    # --- items and subtypes ---------------------------------------------------------------

    def classes_of(self, words: list[str]) -> list[str]:
        """Item classes named by `words` (lemmas or lower-cased forms), in lexicon order."""
        found = []
        bag = {w.lower() for w in words}
        for name, members in self.item_classes.items():
            if bag & members:
                found.append(name)
        return found

    def in_class(self, word: str, name: str) -> bool:
        return word.lower() in self.item_classes.get(name, frozenset())

    def subtype(self, frame: str, item_words: list[str]) -> str | None:
        """The subtype of `frame` for an item made of `item_words` (None: cannot tell)."""
        spec = self.frames.get(frame, {})
        by_item: dict[str, str] = spec.get("by_item", {})
        if by_item and item_words:
            # The head noun decides first ("containers of munitions": the head is generic, so
            # fall through to the modifiers), then the rest in order.
            for word in item_words:
                for cls in self.classes_of([word]):
                    if cls in by_item:
                        return by_item[cls]
        return spec.get("default")

    def type_of(self, subtype: str | None) -> str | None:
        return self.types.get(subtype) if subtype else None

    def is_dyadic(self, frame: str) -> bool:
        return bool(self.frames.get(frame, {}).get("dyadic"))

    def is_symmetric(self, frame: str) -> bool:
        return bool(self.frames.get(frame, {}).get("symmetric"))


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon from `path`, or the packaged `event_lexicon.json` (cached)."""
    if path:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    else:
        data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    return Lexicon.from_dict(data)
