"""The real-news development key (tests/keys/realnews.gold.json): valid, and scored.

The key's 32 articles (KCNA 2024, Reuters-21578, BBC News) stay in ../shared; the key
holds only our answers and tests/keys/materialize.py writes the texts the key was
annotated on. Without ../shared only the key's own consistency is checked.
"""

from __future__ import annotations

from realnews_support import KeySuite

# First measured 2026-12-06 (`storyline eval` on the materialised files, before any work on
# these articles): published 1.0, entities F1 0.867, times 0.802, quotes F1 0.744, speakers
# 0.656, events F1 0.065 (source 0.364 over 11 matched), links F1 0.355. Floors are those
# minus about 0.03, rounded down; they only go up. Raised 2026-12-07 from the measured
# entities 0.885, quotes F1 0.785, speakers 0.677, events F1 0.242, links 0.359.
# Event source is the one floor that went down (see its line). Quotes raised 2026-12-07
# from the measured quotes F1 0.795, speakers 0.871 (issued press statements' titles,
# document makers, subjects outside the quote, "he" for the body a spokesman spoke for).
# Raised 2026-12-07 again after the party conventions of docs/EVALUATION.md ("Who the
# parties are"): events F1 0.440 (P 0.833, R 0.299), event source 19 of 35 matched, links 0.411.
# Entities raised 2026-12-07 from the measured 0.943 (nationality words, KCNA headline words,
# short names of bodies in titles: tests/keys/README.md, "Entities by error group").
# Links raised 2026-12-07 from the measured 0.515 (same_story P 0.547, R 0.829: one agency's
# press statements on different subjects mostly no longer form one story; docs/EVALUATION.md).
# Events raised 2026-12-07 after the statement's parties and the state's own voice
# (docs/EVALUATION.md, "Real-news events: the error groups"): events F1 0.485 (P 0.833,
# R 0.342), event source 28 of 40, event when 34 of 40; 0.494 with the lead rules of main.
# Raised 2026-12-07 after quoted-title statements, wrongs committed, joint acts and unaimed
# deployments (tests/test_events_statements.py): events F1 0.500 (P 0.824, R 0.359), event
# source 34 of 42, event when 36 of 42.
# Raised again 2026-12-07 (second session) from the measured events F1 0.533, event source
# 0.822, links 0.536 (warnings, stances, demands; precision pass; undated statements).
# Raised 2026-12-07 (third session) from times 0.970 (spans of days, the New Year and the
# Lunar New Year) and events F1 0.541.
FLOORS = {
    ("published", "accuracy"): 0.97,
    ("entities", "f1"): 0.92,
    ("times", "accuracy"): 0.94,
    ("quotes", "f1"): 0.76,
    ("quotes", "speaker_accuracy"): 0.84,
    ("events", "f1"): 0.52,
    # over matched pairs only: 4 of 12 at first, 5 of 18 since more events match (the new
    # ones include KCNA authors' own voice, and "BBC News" sources the store writes "BBC");
    # 19 of 35 after the party conventions; 28 of 40 after the statement's parties
    ("events.attributes", "source"): 0.79,  # 34 of 42
    ("events.attributes", "when"): 0.82,  # over matched pairs: 34 of 40
    ("links", "f1"): 0.50,
}


class TestRealnews(KeySuite):
    NAME = "realnews"
    DOCUMENTS = 32
    FLOORS = FLOORS
