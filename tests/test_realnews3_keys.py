"""The third real-news development key (tests/keys/realnews3.gold.json): valid, and scored.

20 articles (10 KCNA of October 2024, 8 Reuters-21578 of March 1987, 2 BBC News of January
2005) that the system had never been run on when the key was annotated, by hand and before
any run (tests/keys/README.md). The texts stay in ../shared; tests/keys/materialize.py --key
realnews3 writes them. Without ../shared only the key's own consistency is checked.
"""

from __future__ import annotations

from realnews_support import KEYS, KeySuite, located

from storyline.eval.keyfile import load_key

# First measured 2026-12-07, the first time the system saw these articles (`storyline eval`
# on the materialised files, after the key was committed): published 1.0, entities F1 0.833
# (P 0.766, R 0.913), times 0.985 (65 of 66), quotes F1 0.871, speakers 0.545 (24 of 44),
# events F1 0.090 (P 0.238, R 0.056: 5 of 90 key events matched), event source 0.0 (none of
# those 5), links F1 0.535 (same_story 0.993, same_quote 0.800, same_event 0.020,
# contradiction 0). Floors are those minus about 0.03, rounded down; they only go up. Event
# source has no floor yet: at 0.0 over 5 pairs a floor could not fail; give it one once it
# is measured above 0.
# Entities raised 2026-12-07 from the measured 0.887 after the entity work on the first two
# keys (this key held out: none of its articles was looked at for it). Speakers raised
# 2026-12-07 from the measured 0.591 (attribution's third pass), events from 0.123 (the
# events and general-coder passes on the first two keys; this key held out again). Event
# source is 1 of 7 matched pairs (0.143): still no floor, as one pair would break it.
# Events raised 2026-12-07 after quoted-title statements, wrongs committed, joint acts and
# unaimed deployments (this key now dev data): events F1 0.271 (P 0.571, R 0.178: 16 of 90),
# event source 6 of 16 (its first floor leaves one pair of room), links 0.569. Raised again
# after the third pass (docs/EVALUATION.md): events F1 0.341 (P 0.636, R 0.233: 21 of 90),
# event source 13 of 21, links 0.584.
# Raised 2026-12-07 (second session) from the measured events F1 0.469, event source 0.667,
# links 0.600. Raised 2026-12-07 (third session) from speakers 0.614 and events F1 0.484
# (a dateline never speaks; clerical titles).
FLOORS = {
    ("published", "accuracy"): 0.97,
    ("entities", "f1"): 0.86,
    ("times", "accuracy"): 0.95,
    ("quotes", "f1"): 0.84,
    ("quotes", "speaker_accuracy"): 0.59,
    ("events", "f1"): 0.46,
    ("events.attributes", "source"): 0.63,
    ("links", "f1"): 0.57,
}


class TestRealnews3(KeySuite):
    NAME = "realnews3"
    DOCUMENTS = 20
    FLOORS = FLOORS

    def test_no_article_of_the_earlier_keys(self, key: dict) -> None:
        mine = located("realnews3.sources.json")
        assert not mine & located("realnews.sources.json")
        assert not mine & located("realnews2.sources.json")
        files = {d["file"] for d in key["documents"]}
        for earlier in ("realnews.gold.json", "realnews2.gold.json"):
            assert not files & {d["file"] for d in load_key(KEYS / earlier)["documents"]}

    def test_ids_unique_and_link_members_exist(self, key: dict) -> None:
        super().test_ids_unique_and_link_members_exist(key)
        assert {link["kind"] for link in key["links"]} == {
            "same_event", "same_story", "contradiction", "same_quote"}
