"""What moved: the item of an event, its words (to type it), its text and its count.

"1,000 containers of military equipment" -> head "equipment" (through the measure noun),
words for typing, text "military equipment", count 1,000 ("more than" kept as qualifier).
"""

from __future__ import annotations

from spacy.tokens import Token

from .arguments import prep_objects
from .quantities import Quantity, parse_quantity, quantity_of

# Nouns that measure or package an item: the item itself is their "of" object
# ("a large amount of munitions", "1,000 containers of equipment").
MEASURE_NOUNS = frozenset([
    "amount", "amounts", "number", "numbers", "lot", "lots", "batch", "batches", "consignment",
    "consignments", "container", "containers", "shipment", "shipments", "load", "loads",
    "cargo", "quantity", "quantities", "stockpile", "stockpiles", "ton", "tons", "tonne",
    "tonnes", "barrel", "barrels", "piece", "pieces", "kind", "kinds", "type", "types", "range",
    "supply", "supplies", "stock", "stocks", "set", "sets", "package", "packages", "dozens",
    "hundreds", "thousands", "millions", "tens",
])
VAGUE_COUNTS = frozenset({"dozens", "hundreds", "thousands", "millions", "tens"})


def item_head(tok: Token) -> Token:
    """The noun that names what moved: through measure nouns ("amount of munitions")."""
    cur = tok
    for _ in range(3):
        if cur.lemma_.lower() in MEASURE_NOUNS or cur.lower_ in MEASURE_NOUNS:
            objs = prep_objects(cur, "of")
            if objs:
                cur = objs[0]
                continue
        break
    return cur


def item_words(tok: Token) -> list[str]:
    """Words that type an item, most telling first: the head, its conjuncts and "of"
    objects, then compounds, then adjectives ("technical advice": advice, technical)."""
    head = item_head(tok)
    heads = [head, tok] + [c for c in head.children if c.dep_ == "conj"]
    heads += prep_objects(tok, "of") + prep_objects(head, "of", "for")
    words = [h.lemma_.lower() for h in heads] + [h.lower_ for h in heads]
    for h in heads:  # hyphenated words split by the tokenizer: "know-how", "ship-to-ship"
        if h.i >= 2 and h.doc[h.i - 1].text == "-":
            words.insert(0, h.doc[h.i - 2: h.i + 1].text.lower())
    mods = [c for h in heads for c in h.children if c.dep_ in ("compound", "nmod")]
    words += [m.lemma_.lower() for m in mods] + [m.lower_ for m in mods]
    adjs = [c for h in heads for c in h.children if c.dep_ == "amod"]
    words += [a.lemma_.lower() for a in adjs] + [a.lower_ for a in adjs]
    return words


def head_words(tok: Token) -> list[str]:
    """The words of a noun phrase's own head: the noun, its conjuncts and modifiers (not
    what an "of" phrase adds: "the effectiveness of its missiles" is not a missile)."""
    heads = [tok] + [c for c in tok.children if c.dep_ == "conj"]
    mods = [c for h in heads for c in h.children if c.dep_ in ("compound", "amod", "nmod")]
    return [t.lemma_.lower() for t in heads + mods] + [t.lower_ for t in heads + mods]


def item_text(tok: Token) -> str:
    """The item as written, without determiners and counts ("artillery shells")."""
    head = item_head(tok)
    toks = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "punct", "appos")
            or t.text == "-" and not t.whitespace_]
    keep = []
    for t in sorted(toks, key=lambda t: t.i):
        if t.i < head.i and t.dep_ in ("det", "nummod", "quantmod", "poss", "case", "predet"):
            continue
        if t.i < head.i and (t.like_num or t.head.dep_ in ("nummod", "quantmod")):
            continue
        if t.i > head.i and t.dep_ == "prep" and t.lower_ not in ("of",):
            break
        keep.append(t)
    while keep and (keep[0].is_punct or keep[0].lower_ in ("and", "of")):
        keep.pop(0)
    return "".join(t.text_with_ws for t in keep).strip() or head.text


def item_quantity(tok: Token) -> Quantity | None:
    """The count of the item or of its container ("1,000 containers of munitions")."""
    if tok.lower_ in VAGUE_COUNTS and prep_objects(tok, "of"):
        return parse_quantity(tok.text)  # "thousands of drones": at least a thousand
    q = quantity_of(tok)
    if q is None and item_head(tok) is not tok:
        q = quantity_of(item_head(tok))
    return q
