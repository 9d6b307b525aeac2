"""The fourth real-news key (tests/keys/realnews4.gold.json): valid, and scored.

21 articles (10 KCNA of July and September 2024, 7 Reuters-21578 of March-April 1987, 4 BBC
News of 2004-05) that the system had never been run on when the key was annotated, by hand
and before any run (tests/keys/README.md). It was the held-out key for three sessions; since
2026-12-07 (fourth session), when realnews5 was annotated and set aside in its place, it is a
development key like the first three: its miss groups were worked on. The texts stay in
../shared; tests/keys/materialize.py --key realnews4 writes them. Without ../shared only the
key's own consistency is checked.
"""

from __future__ import annotations

from realnews_support import KEYS, KeySuite, located

from storyline.eval.keyfile import load_key

EARLIER = ("realnews", "realnews2", "realnews3")

# First measured 2026-12-07, the first time the system saw these articles (`scripts/eval_table.py
# --only realnews4` on main's code at 2672449, after the key was committed): published 1.0,
# entities F1 0.901 (P 0.890, R 0.913), times 0.945 (52 of 55), quotes F1 0.899 (P 0.939, R
# 0.861), speakers 0.710 (22 of 31), events F1 0.203 (P 0.364, R 0.140: 8 of 57 key events, 22
# predicted), event source 0.625 (5 of those 8), links F1 0.619 (same_story 0.921, same_event
# 0.059). Floors are those minus about 0.03, rounded down; they only go up. Event source has no
# floor: over 8 matched pairs one pair moves it by 0.125, so a floor would test luck.
# Raised 2026-12-07 (fourth session, once realnews5 was set aside): events F1 0.225 -> 0.500,
# links 0.619 -> 0.762 (same_event 0.059 -> 0.524); events and links floors those minus
# about 0.03.
FLOORS = {
    ("published", "accuracy"): 0.97,
    ("entities", "f1"): 0.87,
    ("times", "accuracy"): 0.91,
    ("quotes", "f1"): 0.86,
    ("quotes", "speaker_accuracy"): 0.68,
    ("events", "f1"): 0.47,
    ("links", "f1"): 0.73,
}


class TestRealnews4(KeySuite):
    NAME = "realnews4"
    DOCUMENTS = 21
    FLOORS = FLOORS

    def test_no_article_of_the_earlier_keys(self, key: dict) -> None:
        mine = located("realnews4.sources.json")
        files = {d["file"] for d in key["documents"]}
        for earlier in EARLIER:
            assert not mine & located(f"{earlier}.sources.json"), earlier
            assert not files & {d["file"] for d in load_key(KEYS / f"{earlier}.gold.json")["documents"]}

    def test_ids_unique_and_link_members_exist(self, key: dict) -> None:
        super().test_ids_unique_and_link_members_exist(key)
        assert {link["kind"] for link in key["links"]} == {"same_event", "same_story"}
