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
    "sl_text": None,  # doc.text, kept by `doc_text` (spaCy rebuilds it on every access)
}

# The user_data key under which spaCy keeps the `sl_text` extension's value.
_TEXT_KEY = ("._.", "sl_text", None, None)


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy's `Doc.text` joins every token on each
    access, which made per-candidate helpers cost O(tokens) each time."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def register_extensions() -> None:
    """Register the `sl_` extensions once (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
