"""Per-document extraction: spaCy components over one `Doc`.

Each stage is a component registered in `factories.py`; results live on `Doc` extension
attributes prefixed `sl_`, registered once in `register_extensions()`:

    doc._.sl_published  str | None      anchor date (ISO) set before the pipeline runs
    doc._.sl_outlet     str | None      the outlet, the source of claims in its own voice
    doc._.sl_doc_id     str | None
    doc._.sl_entities   list[Entity]    canonical entities with their mentions
    doc._.sl_times      list[TimeMention]
    doc._.sl_quotes     list[Quote]
    doc._.sl_events     list[Event]     events with their claim (source, status, denials)

Every record carries character offsets into `doc.text`.
"""

from __future__ import annotations

from spacy.tokens import Doc

EXTENSIONS: dict[str, object] = {
    "sl_published": None,
    "sl_outlet": None,
    "sl_doc_id": None,
    "sl_entities": None,
    "sl_times": None,
    "sl_quotes": None,
    "sl_events": None,
}


def register_extensions() -> None:
    """Register the `sl_` extensions once (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
