"""A hostile act that a state's official says another party did is that state's accusation
of the doer (`events._reported_wrongs`, the English pack's `reported_wrong`)."""

from __future__ import annotations


def _accusations(events):
    return [(e.actor, e.target) for e in events if e.subtype == "accusation"]


def test_an_official_reporting_an_attack_accuses_the_attacker(events_of):
    events = events_of("Japan's defence minister said on Monday that Chinese ships had "
                       "rammed a Japanese patrol boat near the islands.")
    assert ("Japan", "China") in _accusations(events)
    acc = next(e for e in events if e.subtype == "accusation")
    assert acc.when == "2024-03-11"  # the day it was said, not the day of the ramming


def test_one_accusation_a_doer_in_a_document(events_of):
    events = events_of("Japan's defence minister said Chinese ships had rammed a Japanese "
                       "patrol boat. He said Chinese ships had also seized two fishing boats.")
    assert _accusations(events).count(("Japan", "China")) == 1


def test_a_planned_act_or_the_outlets_own_report_accuses_nobody(events_of):
    assert not _accusations(events_of(
        "Japan's defence minister said Japanese ships would ram any Chinese boat that enters."))
    assert not _accusations(events_of(
        "Chinese ships rammed a Japanese patrol boat near the islands on Sunday."))


def test_told_the_council_that_is_no_object_of_the_act(events_of):
    """The parse makes the "that" opening the reported clause an object of its verb too;
    the object after the verb is the target."""
    events = events_of("Japan's ambassador told the council that China is trying to strangle "
                       "the Philippines.")
    assert ("China", "Philippines") in [(e.actor, e.target) for e in events
                                        if e.type == "ASSAULT"]
    assert ("Japan", "China") in _accusations(events)


def test_western_nations_are_one_party(events_of):
    events = events_of("Japan's ambassador told the council that Western nations are trying "
                       "to strangle the Philippines.")
    assert ("Japan", "Western countries") in _accusations(events)
