"""Language packs: everything that is specific to one language lives in one folder.

    storyline/lang/<code>/pack.json      which model parses it, its name, its script
    storyline/lang/<code>/<kind>.json    one file per kind of knowledge (speech verbs,
                                         hedge cues, month names, header patterns, ...)
    storyline/lang/xx/                   the defaults every pack falls back on

A stage never keeps its own word list: it asks the pack of the document's language
(`get_pack(code)`), and the pack reads `<kind>.json` once, falling back to `xx/` when the
language has no file of that kind. Adding a language is adding a folder (docs/LANGUAGES.md).
Generated files carry a `_generated_by` and a `_license` key; they are never edited by hand.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ModelError

ROOT = Path(__file__).resolve().parent
DEFAULT = "xx"

__all__ = ["LanguagePack", "available", "get_pack", "joins_words", "pack_for", "unspaced"]


@dataclass(frozen=True)
class LanguagePack:
    """One language's knowledge, read lazily from its folder (falling back on `xx/`)."""

    code: str
    name: str
    models: tuple[str, ...] = ()
    script: str = "Latn"
    settings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def folder(self) -> Path:
        return ROOT / self.code

    @property
    def has_parser(self) -> bool:
        """True when a dependency parser is configured for this language."""
        return bool(self.models)

    def path(self, kind: str) -> Path | None:
        """The file of `kind` for this language, else the default's, else None."""
        for folder in (self.folder, ROOT / DEFAULT):
            p = folder / f"{kind}.json"
            if p.is_file():
                return p
        return None

    def data(self, kind: str, default: Any = None) -> Any:
        """The parsed `<kind>.json` (metadata keys starting with `_` removed)."""
        value = _read(self.code, kind)
        return default if value is None else value

    def words(self, kind: str) -> frozenset[str]:
        """A word list kind as a lower-cased set (a list, or a dict's keys)."""
        value = self.data(kind, [])
        if isinstance(value, dict):
            value = value.get("words", list(value))
        return frozenset(str(w).lower() for w in value)


@functools.lru_cache(maxsize=512)
def _read(code: str, kind: str) -> Any:
    pack = get_pack(code)
    p = pack.path(kind)
    if p is None:
        return None
    try:
        value = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"language pack {code!r}: cannot read {p.name}: {exc}") from exc
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if not k.startswith("_")}
    return value


def available() -> list[str]:
    """The language codes that have a pack (not the `xx` defaults)."""
    return sorted(p.name for p in ROOT.iterdir()
                  if (p / "pack.json").is_file() and p.name != DEFAULT)


@functools.lru_cache(maxsize=64)
def get_pack(code: str | None) -> LanguagePack:
    """The pack for a language code ('en', 'fr', 'zh-Hans' -> 'zh'); `xx` when none."""
    base = (code or DEFAULT).lower().replace("_", "-").split("-")[0]
    folder = ROOT / base
    if not (folder / "pack.json").is_file():
        folder, base = ROOT / DEFAULT, DEFAULT
    try:
        meta = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"language pack {base!r}: bad pack.json: {exc}") from exc
    return LanguagePack(code=base, name=meta.get("name", base),
                        models=tuple(meta.get("models", ())), script=meta.get("script", "Latn"),
                        settings={k: v for k, v in meta.items()
                                  if k not in ("name", "models", "script")})


def pack_for(language: str | None) -> LanguagePack:
    """Alias of `get_pack` for a document's detected or given language."""
    return get_pack(language)


# Scripts whose words are not parted by spaces (Han, kana), and Hangul, which parts words by
# spaces but joins particles to them ("22일에"): neither has a word boundary between letters.
_UNSPACED = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
             (0xFF66, 0xFF9F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))


def unspaced(ch: str) -> bool:
    """A character of a script written without spaces between words (Chinese, Japanese)."""
    o = ord(ch)
    return any(a <= o <= b for a, b in _UNSPACED)


def joins_words(ch: str) -> bool:
    """A character after which a word may go on with no boundary: unspaced, or Hangul."""
    o = ord(ch)
    return unspaced(ch) or any(a <= o <= b for a, b in _HANGUL)
