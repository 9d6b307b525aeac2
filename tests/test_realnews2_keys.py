"""The second real-news development key (tests/keys/realnews2.gold.json): valid, and scored.

19 articles (KCNA 2024, Reuters-21578, BBC News) that nobody had tuned on when the key was
annotated, by hand and before the system was run on them (tests/keys/README.md). The texts
stay in ../shared; tests/keys/materialize.py --key realnews2 writes them. Without ../shared
only the key's own consistency is checked.
"""

from __future__ import annotations

from realnews_support import KEYS, KeySuite, located

from storyline.eval.keyfile import load_key

# First measured 2026-12-07, the first time the system saw these articles (`storyline eval`
# on the materialised files, after the key was committed): published 1.0, entities F1 0.878,
# times 0.943, quotes F1 0.773, speakers 0.912, events F1 0.145 (P 0.30, R 0.096: 9 of 94
# key events matched), event source 0.444 (4 of those 9), links F1 0.286 (same_story 0.710;
# same_event, contradiction and same_quote 0). Floors are those minus about 0.03, rounded
# down; they only go up. Quotes raised 2026-12-07 from the measured quotes F1 0.868,
# speakers 0.972; events, event source and links at the end of that day from events F1
# 0.189, event source 0.917 (11 of 12 matched pairs: the floor leaves one pair of room),
# links 0.338 (the outlet is now written "BBC News", as both keys write it). Links raised
# 2026-12-07 from the measured 0.356 (same_story P 0.917: one house's series asks content
# words to agree). Entities raised 2026-12-07 from the measured 0.917 (tests/keys/README.md,
# "Entities by error group"). Events raised 2026-12-07 after the statement's parties and the
# state's own voice: events F1 0.286 (P 0.487, R 0.202), event source 16 of 19 (the KCNA
# commentaries' accusations give the state as source where this key writes the agency: the
# floor stays), event when 14 of 19. Events and links raised 2026-12-07 after quoted-title
# statements, wrongs committed, joint acts and unaimed deployments: events F1 0.333 (P 0.523,
# R 0.245), event source 19 of 23, event when 17 of 23; links 0.524 (same_event 0.279).
# Raised 2026-12-07 (second session) from the measured events F1 0.423, event source 0.867,
# links 0.535.
FLOORS = {
    ("published", "accuracy"): 0.97,
    ("entities", "f1"): 0.89,
    ("times", "accuracy"): 0.91,
    ("quotes", "f1"): 0.83,
    ("quotes", "speaker_accuracy"): 0.94,
    ("events", "f1"): 0.39,
    ("events.attributes", "source"): 0.83,  # over matched pairs only: 16 of 19 (was 11 of 12)
    ("events.attributes", "when"): 0.71,  # over matched pairs: 14 of 19
    ("links", "f1"): 0.50,
}


class TestRealnews2(KeySuite):
    NAME = "realnews2"
    DOCUMENTS = 19
    FLOORS = FLOORS

    def test_no_article_of_the_first_key(self, key: dict) -> None:
        assert not located("realnews.sources.json") & located("realnews2.sources.json")
        first = {d["file"] for d in load_key(KEYS / "realnews.gold.json")["documents"]}
        assert not first & {d["file"] for d in key["documents"]}

    def test_ids_unique_and_link_members_exist(self, key: dict) -> None:
        super().test_ids_unique_and_link_members_exist(key)
        assert {link["kind"] for link in key["links"]} == {
            "same_event", "same_story", "contradiction", "same_quote"}
