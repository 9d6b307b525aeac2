"""Stories: articles about one developing situation grouped; others kept apart."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from link_support import add_article

from storyline.errors import NotFound
from storyline.link import HashEmbedder, queries, update_links
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def arms(**kw):
    ev = {"subtype": "arms_transfer", "actor": "BLR", "target": "RUS", "item": "tanks"}
    ev.update(kw)
    return ev


def visit(**kw):
    ev = {"type": "CONSULT", "subtype": "visit", "actor": "ROSA", "target": "BLR"}
    ev.update(kw)
    return ev


def situation(store: Store) -> list[str]:
    """Three reports over three days: tank deliveries and an envoy's visit to Minsk."""
    a = add_article(
        store, "Belarus sent about 300 tanks to Russia in April, border officials said. "
               "Envoy Rosa Alvarez will travel to Minsk on Monday to raise the deliveries.",
        outlet="Baltic Courier", published="2024-05-10", title="Belarus tanks roll east",
        entities=["BLR", "RUS", "ROSA", "USA"],
        events=[arms(quantity=300.0, when="2024-04",
                     evidence="Belarus sent about 300 tanks to Russia in April"),
                visit(status="planned", when="2024-05-13", when_text="on Monday",
                      evidence="Rosa Alvarez will travel to Minsk on Monday")])
    b = add_article(
        store, "Rosa Alvarez arrived in Minsk on Monday and pressed Belarus over the 300 "
               "tanks it shipped to Russia in April, Washington said.",
        outlet="Vistula Daily", published="2024-05-13", title="Envoy presses Minsk",
        entities=["BLR", "RUS", "ROSA", "USA"],
        events=[visit(when="2024-05-13", when_text="on Monday",
                      evidence="Rosa Alvarez arrived in Minsk on Monday"),
                arms(quantity=300.0, when="2024-04",
                     evidence="the 300 tanks it shipped to Russia in April")])
    c = add_article(
        store, "After meeting Rosa Alvarez, officials in Minsk denied that any tanks had "
               "left Belarus for Russia this spring.", outlet="Minsk Review",
        published="2024-05-14", title="Minsk denies tank deliveries",
        entities=["BLR", "RUS", "ROSA"],
        events=[arms(when=["2024-03", "2024-05"], evidence="any tanks had left Belarus for "
                                                           "Russia this spring"),
                {"id": "e2", "type": "REJECT", "subtype": "denial", "actor": "BLR",
                 "target": "e1", "evidence": "officials in Minsk denied"}])
    return [a, b, c]


def test_reports_of_one_situation_form_one_story(store):
    a, b, c = situation(store)
    report = update_links(store, [a, b, c], embedder=HashEmbedder())
    sid = queries.story_for_document(store, a)
    assert sid is not None
    assert queries.story_for_document(store, b) == sid == queries.story_for_document(store, c)
    assert report.stories_created == [sid]
    story = queries.get_story(store, sid)
    assert [d["id"] for d in story["documents"]] == [a, b, c]
    assert story["first_date"] == "2024-05-10" and story["last_date"] == "2024-05-14"
    assert story["n_events"] == 2
    assert "Belarus" in story["title"] and "arms transfer" in story["title"]
    assert "Rosa Alvarez visit" in story["title"]
    listed = queries.list_stories(store)
    assert listed == [{"id": sid, "title": story["title"], "first_date": "2024-05-10",
                       "last_date": "2024-05-14", "n_documents": 3, "n_events": 2}]


def test_timeline_orders_merged_events_and_shows_their_reports(store):
    ids = situation(store)
    update_links(store, ids, embedder=HashEmbedder())
    sid = queries.story_for_document(store, ids[0])
    items = queries.timeline(store, sid)
    assert [i["subtype"] for i in items] == ["arms_transfer", "visit"]  # April, then May 13
    tanks = items[0]
    assert tanks["n_documents"] == 3 and tanks["when"] == "2024-04"
    assert [d["doc_id"] for d in tanks["denials"]] == [ids[2]]
    assert all({"doc_id", "start", "end", "evidence", "outlet"} <= set(m)
               for m in tanks["mentions"])
    claims = queries.claims(store, sid)
    assert {c["cluster_id"] for c in claims} == {i["cluster_id"] for i in items}
    assert all(c["reporting_outlets"] for c in claims)
    with pytest.raises(NotFound):
        queries.get_story(store, 999)


def test_an_other_situation_in_the_same_week_is_another_story(store):
    ids = situation(store)
    other = add_article(
        store, "Brazil shipped two million tonnes of wheat to Argentina in April, traders in "
               "Buenos Aires said, as drought cut the local harvest.",
        outlet="Farm Wire", published="2024-05-12", title="Wheat flows south",
        entities=["BRAZIL", "ARG"],
        events=[{"type": "COOPERATE", "subtype": "trade", "actor": "BRAZIL", "target": "ARG",
                 "item": "wheat", "quantity": 2e6, "when": "2024-04",
                 "evidence": "Brazil shipped two million tonnes of wheat to Argentina"}])
    update_links(store, ids + [other], embedder=HashEmbedder())
    assert queries.story_for_document(store, other) != queries.story_for_document(store, ids[0])


def test_same_actors_months_later_without_shared_events_is_another_story(store):
    ids = situation(store)
    later = add_article(
        store, "Belarus and Russia began joint military drills near Brest on Tuesday, with "
               "tanks from both armies taking part, the defence ministry in Minsk said.",
        outlet="Baltic Courier", published="2024-10-15", title="Drills near Brest",
        entities=["BLR", "RUS"],
        events=[{"type": "MOBILIZE", "subtype": "military_exercise", "actor": "BLR",
                 "target": "RUS", "when": "2024-10-15",
                 "evidence": "Belarus and Russia began joint military drills"}])
    update_links(store, ids + [later], embedder=HashEmbedder())
    assert queries.story_for_document(store, later) != queries.story_for_document(store, ids[0])


def test_undated_article_joins_only_through_shared_events(store):
    ids = situation(store)
    # the same names, no date, no event the story reports: kept apart
    loose = add_article(
        store, "Rosa Alvarez has long argued that Belarus and Russia should face the same "
               "export controls, a profile of the envoy notes.", outlet="Capitol Weekly",
        title="The envoy's long game", entities=["ROSA", "BLR", "RUS"])
    # no date, but it reports the visit and the tanks: it belongs to the story
    close = add_article(
        store, "Rosa Alvarez is in Minsk on Monday to press Belarus over some 300 tanks sent "
               "to Russia in April.", outlet="Delta Chronicle", title="Envoy in Minsk",
        entities=["ROSA", "BLR", "RUS"],
        events=[visit(when_text="on Monday", evidence="Rosa Alvarez is in Minsk on Monday"),
                arms(quantity=300.0, when_text="in April",
                     evidence="some 300 tanks sent to Russia in April")])
    update_links(store, ids + [loose, close], embedder=HashEmbedder())
    sid = queries.story_for_document(store, ids[0])
    assert queries.story_for_document(store, loose) != sid
    assert queries.story_for_document(store, close) == sid
    # and the visit it shares dates it: "on Monday" is the 13th, reported as present
    assert store.get_document(close).published_inferred == "2024-05-13"


def test_undated_articles_on_one_subject_join_through_its_own_words(store):
    """With no date and no event the extraction found, the words of the subject (a grain
    corridor, its convoys and silos) stand in for the date; the same names on another
    subject do not."""
    texts = [
        "Wheat convoys rolled again through the Brest grain corridor, Belarus said, as "
        "Russia reopened its silos to the wheat trucks queuing at the corridor.",
        "The Brest grain corridor is open: Russia and Belarus let the first wheat convoys "
        "reach the silos, and trucks of wheat queued along the corridor.",
        "Belarus and Russia staged a chess festival in Minsk, where young players from "
        "both countries met grandmasters over a weekend of blitz games.",
    ]
    ids = [add_article(store, t, outlet="Baltic Courier", entities=["BLR", "RUS"])
           for t in texts]
    update_links(store, ids, embedder=HashEmbedder())
    story = [queries.story_for_document(store, d) for d in ids]
    assert story[0] == story[1]
    assert story[2] != story[0]


PEOPLE = [["ROSA", "USA"], ["ROSA", "LEE"], ["ROSA", "USA"], ["ROSA", "VOLKOV"],
          ["ROSA", "USA"], ["LEE", "USA"], ["ROSA", "USA"], ["VOLKOV", "USA"], ["ROSA", "USA"],
          ["ROSA", "LEE"], ["VOLKOV", "USA"], ["LEE", "VOLKOV"]]
LINES = [
    "{a} flew in for a first round with {b} on the convoys leaving Belarus.",
    "Negotiators for {a} and {b} traded drafts about rail cargo from Belarus overnight.",
    "A second session between {a} and {b} stalled over customs seals in Belarus.",
    "{a} told reporters that {b} had accepted monitors at Belarus depots.",
    "Inspectors backed by {a} and {b} counted wagons at a Belarus junction.",
    "{a} and {b} argued about whether Belarus had paused shipments in spring.",
    "Late-night meetings of {a} with {b} produced a memo on Belarus freight.",
    "{b} rejected a proposal from {a} to cap deliveries through Belarus.",
    "A fragile understanding between {a} and {b} on Belarus transit held into summer.",
    "{a} warned {b} that the Belarus accord could still collapse.",
    "Aides to {a} briefed {b} on satellite images of Belarus sidings.",
    "{a} and {b} signed the final Belarus freight protocol in a quiet ceremony.",
]


def test_a_story_that_runs_for_months_holds_together(store):
    """Fortnightly reports over four months, each naming a few of the story's people and
    places: a long story's names are those its articles keep using, not those every one of
    them uses, so the later reports join it; a report on another subject still does not."""
    people = PEOPLE
    names = {"ROSA": "Rosa Alvarez", "USA": "Washington", "VOLKOV": "Ivan Volkov",
             "RUS": "Moscow", "LEE": "Lee Min-ho"}
    ids = []
    for i, pair in enumerate(people):
        day = (dt.date(2024, 1, 3) + dt.timedelta(days=14 * i)).isoformat()
        a, b = (names[p] for p in pair)
        ids.append(add_article(
            store, LINES[i].format(a=a, b=b),
            outlet=["Baltic Courier", "Vistula Daily", "Minsk Review"][i % 3],
            published=day, title=f"Minsk talks, round {i + 1}",
            entities=["BLR", *pair]))
    other = add_article(
        store, "Brazil shipped two million tonnes of wheat to Argentina, traders in Buenos "
               "Aires said, as drought cut the local harvest.", outlet="Farm Wire",
        published="2024-03-05", title="Wheat flows south", entities=["BRAZIL", "ARG"])
    update_links(store, ids + [other], embedder=HashEmbedder())
    sids = [queries.story_for_document(store, d) for d in ids]
    assert len(set(sids)) == 1, sids
    assert queries.story_for_document(store, other) != sids[0]


def test_a_growing_story_keeps_its_names(store):
    """A name a third of a story's articles use is the story's, however many articles the
    story has gathered: the fit of a report naming it does not fall as the story grows (it
    did when a name counted by the share of all the story's articles); a name that one
    article of a large story used once still counts for little."""
    import numpy as np

    from storyline.link.common import LinkContext
    from storyline.link.stories import DocProfile, score_story

    ctx = LinkContext(store, HashEmbedder())
    prof = DocProfile("d", dt.date(2024, 5, 1), {"person:a": 2, "place:b": 1, "org:c": 1},
                      {"person:a": 2.0, "place:b": 2.0, "org:c": 2.0}, np.zeros(8))

    def fit(n_documents: int, counts: dict[str, int]) -> float:
        row = {"first_date": "2024-01-01", "last_date": "2024-04-28",
               "profile": {"n_documents": n_documents, "entity_keys": counts}}
        return score_story(ctx, prof, row, 0.0)[1]["entities"]

    grown = [fit(n, {"person:a": n // 3, "place:b": n // 3, "org:x": n, "org:y": n})
             for n in (9, 12, 39, 120)]
    assert grown[0] == grown[1] == grown[2] == grown[3] > 0.6
    assert fit(40, {"person:a": 1, "org:x": 35, "org:y": 30, "place:z": 20}) < 0.4


def test_a_name_the_story_owns_counts_however_common_it_is(store):
    """In a store that follows one subject, the subject's name is in nearly every document,
    so its IDF says little; but when nearly every document naming it is in one story, a
    report naming it (with a kidnapped reporter's and a paper's names no other document
    has) still belongs with that story. The same name spread over many stories is no such
    evidence."""
    import numpy as np

    from storyline.link.common import LinkContext
    from storyline.link.stories import DocProfile, score_story

    ctx = LinkContext(store, HashEmbedder())
    prof = DocProfile("d", dt.date(2024, 5, 1),
                      {"country:x": 3, "person:new": 2, "org:new": 1},
                      {"country:x": 0.2, "person:new": 3.0, "org:new": 3.0}, np.zeros(8))
    row = {"first_date": "2024-01-01", "last_date": "2024-06-30",
           "profile": {"n_documents": 20, "entity_keys": {"country:x": 20, "org:y": 12}}}

    def entities(named_by: int) -> float:
        ctx.df.update({"country:x": named_by, "person:new": 1, "org:new": 1})
        return score_story(ctx, prof, row, 0.0, events_known=False)[1]["entities"]

    assert entities(21) > 0.4  # the document and the story's 20 articles
    assert entities(61) < 0.3  # 40 more, in other stories


def _thread(store, doc_ids):
    """A story of its own for `doc_ids`, as a batch linked oldest first can leave a
    story's early reports: returns its id."""
    from storyline.link import stories as S
    from storyline.link.common import LinkContext
    from storyline.records import Analysis
    from storyline.store.db import now

    ctx = LinkContext(store, HashEmbedder())
    with store.write(serial=True):
        for d in doc_ids:
            ctx.conn.execute("DELETE FROM story_documents WHERE doc_id=?", (d,))
        sid = int(ctx.conn.execute(
            "INSERT INTO stories (title, first_date, last_date, created_at, updated_at, "
            "profile_json) VALUES ('(untitled)', NULL, NULL, ?, ?, '{}')",
            (now(), now())).lastrowid)
        for d in doc_ids:
            S.add_document(ctx, sid, S.doc_profile(ctx, d, store.get_analysis(d) or Analysis()),
                           1.0)
    return sid


def test_a_thread_that_started_alone_joins_the_story_it_follows(store):
    """Two reports of the tank deliveries left in a story of their own (as when a batch
    reached them before the story had grown) fold into the story they fit, whole; two
    reports on another subject stay apart."""
    from storyline.link import stories as S
    from storyline.link.common import LinkContext

    ids = situation(store)
    extra = [add_article(
        store, f"Officials in Minsk said on day {i} that the 300 tanks had crossed into "
               "Russia, and Rosa Alvarez pressed Belarus again.",
        outlet="Baltic Courier", published=f"2024-05-1{i}", title="Tanks crossed, Minsk says",
        entities=["BLR", "RUS", "ROSA"]) for i in (5, 6)]
    wheat = [add_article(
        store, f"Brazil shipped wheat to Argentina again on day {i}, traders in Buenos Aires "
               "said, as drought cut the harvest.", outlet="Farm Wire",
        published=f"2024-05-1{i}", title="Wheat flows south", entities=["BRAZIL", "ARG"])
        for i in (5, 6)]
    update_links(store, ids + extra + wheat, embedder=HashEmbedder())
    main = queries.story_for_document(store, ids[0])
    assert {queries.story_for_document(store, d) for d in ids + extra} == {main}
    thread, other = _thread(store, extra), _thread(store, wheat)
    ctx = LinkContext(store, HashEmbedder())
    with store.write(serial=True):
        folded = S.merge_small_stories(ctx, [thread, other])
    assert folded == {thread: main}
    assert {queries.story_for_document(store, d) for d in extra} == {main}
    assert {queries.story_for_document(store, d) for d in wheat} == {other} != {main}
    assert store.conn.execute("SELECT 1 FROM stories WHERE id=?", (thread,)).fetchone() is None


# Invented reports naming the same three parties: six episodes of one long conflict (each
# about something else: a bridge, an election, a hospital ...), four on an inquiry into it,
# and four statements of a tight series on another subject (balloons and leaflets).
WAR = [
    ("Troops fought insurgents near Minsk on Monday; a bridge was blown up and the fighting "
     "closed the highway, Alvarez said, as Russia watched."),
    ("Voters queued at polling stations around Minsk while troops guarded ballot boxes and "
     "the fighting paused for the election, Alvarez said; Russia sent observers."),
    ("A hospital outside Minsk ran short of blood after the fighting; surgeons worked through "
     "the night while troops held the road, Alvarez said of Russia's help."),
    ("Troops searched farms for hidden weapons near Minsk, and the fighting flared by the "
     "river crossing at dusk, Alvarez told reporters; Russia denied arming anyone."),
    ("Insurgents ambushed a convoy of fuel trucks west of Minsk; troops returned fire and the "
     "fighting lasted hours, Alvarez said, blaming Russia."),
    ("Engineers restored electricity in Minsk while troops patrolled markets, weeks after the "
     "fighting wrecked the grid, Alvarez said; Russia paid for cables."),
]
INQUIRY = [
    ("Lawyers defended sending troops into the fighting around Minsk before an inquiry, "
     "Alvarez said; Russia called the hearings theatre."),
    ("The inquiry heard that commanders asked for more troops as the fighting spread beyond "
     "Minsk, Alvarez said; Russia was not invited to testify."),
    ("Witnesses told the inquiry the troops lacked armoured vehicles when the fighting began "
     "near Minsk, Alvarez said, and Russia mocked the findings."),
    ("The inquiry's report faulted planners for underestimating the fighting once troops "
     "reached Minsk, Alvarez said; Russia welcomed the criticism."),
]
LEAFLETS = [
    ("Balloons carrying leaflets and rubbish drifted from Russia over Minsk on Tuesday; "
     "Alvarez said the leaflets and balloons must stop."),
    ("More balloons with leaflets landed near Minsk on Friday, Alvarez said, and rubbish "
     "from the balloons littered farms; Russia denied sending leaflets."),
    ("Alvarez said the leaflets dropped by balloons over Minsk insult the public, and that "
     "balloons from Russia will be shot down with their rubbish."),
    ("Police in Minsk collected leaflets and burst balloons full of rubbish, Alvarez said, "
     "after Russia's balloons crossed again."),
]


def _reports(store, texts, days, what):
    return [add_article(store, t, outlet=f"{what} Courier {i}", published=f"2024-05-{d:02d}",
                        title=f"{what} report {i}", entities=["BLR", "RUS", "ROSA"])
            for i, (t, d) in enumerate(zip(texts, days))]


def test_a_larger_thread_folds_only_where_its_words_read_like_the_story(store):
    """A long subject's story is loose in its words: each report tells another episode. A
    thread of more than SMALL_STORY reports (an inquiry into the conflict) reads as close
    to it as its episodes read to each other and folds into it whole; a tight series on
    another subject that names the same parties (and would fit the story on names and
    leads) stays apart."""
    from storyline.link import stories as S
    from storyline.link.common import LinkContext
    from storyline.records import Analysis

    war = _reports(store, WAR, range(1, 7), "War")
    inquiry = _reports(store, INQUIRY, range(7, 11), "Inquiry")
    leaflets = _reports(store, LEAFLETS, range(3, 7), "Leaflet")
    assert len(inquiry) > S.SMALL_STORY
    ctx = LinkContext(store, HashEmbedder())
    assert S.thread_words_agree(ctx, inquiry, war)
    assert not S.thread_words_agree(ctx, leaflets, war)
    main, thread, other = _thread(store, war), _thread(store, inquiry), _thread(store, leaflets)
    ctx = LinkContext(store, HashEmbedder())

    def profs(docs):
        return [S.doc_profile(ctx, d, store.get_analysis(d) or Analysis()) for d in docs]

    # on names and leads alone both would fold (the words hold the series apart)
    assert S.thread_fit(ctx, profs(inquiry), main) >= S.JOIN_THRESHOLD
    assert S.thread_fit(ctx, profs(leaflets), main) >= S.JOIN_THRESHOLD
    with store.write(serial=True):
        folded = S.merge_small_stories(ctx, [thread, other])
    assert folded == {thread: main}
    assert {queries.story_for_document(store, d) for d in war + inquiry} == {main}
    assert {queries.story_for_document(store, d) for d in leaflets} == {other}


def test_without_event_evidence_names_and_text_carry_the_fit(store):
    """A document none of whose claims merges with any event (most long articles on a
    developing story) is judged on its names and text alone: the events part is no
    evidence either way, so the same names and text fit better than when its claims
    merge elsewhere (events 0), and the parts keep their proportions."""
    import numpy as np

    from storyline.link.common import LinkContext
    from storyline.link.stories import (
        JOIN_THRESHOLD,
        W_ENTITIES,
        W_TEXT,
        DocProfile,
        part_weights,
        score_story,
    )

    assert part_weights(True)[1] > 0 and part_weights(False)[1] == 0.0
    assert sum(part_weights(False)) == pytest.approx(1.0)
    ents, _, text = part_weights(False)
    assert ents / text == pytest.approx(W_ENTITIES / W_TEXT)
    ctx = LinkContext(store, HashEmbedder())
    prof = DocProfile("d", dt.date(2024, 5, 1), {"person:a": 1, "org:c": 2},
                      {"person:a": 2.0, "org:c": 2.0}, np.zeros(8))
    row = {"first_date": "2024-04-20", "last_date": "2024-04-28",
           "profile": {"n_documents": 6, "entity_keys": {"person:a": 2, "org:q": 6}}}
    with_events, parts = score_story(ctx, prof, row, 0.0, events_known=True)
    alone, parts_alone = score_story(ctx, prof, row, 0.0, events_known=False)
    assert parts == parts_alone | {"score": parts["score"]}
    assert with_events < JOIN_THRESHOLD <= alone
    assert alone == pytest.approx(with_events / (W_ENTITIES + W_TEXT))


def test_members_folded_late_give_the_sum_of_folding_each_when_it_joined(store):
    """A story keeps the members whose lead vectors no score needed yet (`vec_pending`);
    folding them later, in order, gives the sum that folding each on joining gave."""
    from storyline.link.common import LinkContext, vectors
    from storyline.link.stories import _fold, doc_text_for_embedding, vec_sum

    a, b, c = situation(store)
    ctx = LinkContext(store, HashEmbedder())
    texts = [doc_text_for_embedding(ctx, d) for d in (a, b, c)]
    vecs = vectors(ctx, texts)
    eager = _fold(_fold(_fold(None, vecs[texts[0]]), vecs[texts[1]]), vecs[texts[2]])
    assert vec_sum(ctx, None, {"vec_pending": [a, b, c]}) == eager
    partly = {"vec_sum": _fold(None, vecs[texts[0]]), "vec_pending": [b, c]}
    assert vec_sum(ctx, None, partly) == eager and "vec_pending" not in partly


def test_an_undated_article_without_events_is_not_embedded(store):
    """No story can reach the join threshold for it (no shared event, no content word in
    common), so its lead is embedded only when a later score needs its story's centroid."""
    from test_link_quotes import CountingEmbedder

    from storyline.link.common import LinkContext
    from storyline.link.stories import doc_text_for_embedding

    a = add_article(store, "Pyongyang and Moscow talked about the railway bridge.",
                    entities=["PRK", "RUS"])
    b = add_article(store, "Moscow and Pyongyang signed a fisheries accord.",
                    entities=["PRK", "RUS"])
    emb = CountingEmbedder()
    update_links(store, [a, b], embedder=emb)
    ctx = LinkContext(store, emb)
    assert not {doc_text_for_embedding(ctx, d) for d in (a, b)} & set(emb.texts)


def test_an_undated_report_goes_to_the_episode_its_words_tell(store):
    """Two episodes of one long story, a year apart, with the same parties and one kind of
    event (the envoy in Minsk). An undated report of her visit, with no time for it, merges
    with both visits, names every party of both and is headed like the earlier one: its
    names, lead and merged claim fit either episode; its words (the grain corridor) tell
    which one."""
    chess = [("Rosa Alvarez arrived in Minsk, where Belarus, Russia and the United States "
              "discussed a chess festival for young players.", "2023-05-10"),
             ("Rosa Alvarez arrived in Minsk: Belarus, Russia and the United States planned "
              "a chess festival of blitz games.", "2023-05-11")]
    grain = [("Rosa Alvarez came to Minsk as wheat convoys rolled through the Brest grain "
              "corridor to the reopened silos of Belarus and Russia.", "2024-05-10"),
             ("Rosa Alvarez came to Minsk; the Brest grain corridor carried wheat convoys to "
              "the silos again, Russia told the United States.", "2024-05-11")]
    ids = [add_article(store, text, outlet="Baltic Courier", published=day,
                       entities=["ROSA", "BLR", "RUS", "USA"],
                       events=[visit(evidence=text[:text.index("Minsk") + 5], when=day)])
           for text, day in chess + grain]
    report = add_article(
        store, "Rosa Alvarez came to Minsk with envoys of the United States and Russia as "
               "wheat convoys crossed the Brest grain corridor to the silos.",
        outlet="Delta Chronicle", entities=["ROSA", "BLR", "RUS", "USA"],
        title="Rosa Alvarez arrived in Minsk, where Belarus, Russia and the United States met",
        events=[visit(evidence="Rosa Alvarez came to Minsk")])
    update_links(store, ids + [report], embedder=HashEmbedder())
    grain_story = queries.story_for_document(store, ids[2])
    assert queries.story_for_document(store, ids[3]) == grain_story
    assert queries.story_for_document(store, ids[0]) != grain_story
    assert queries.story_for_document(store, report) == grain_story


def test_words_choose_an_episode_only_relative_to_the_other_candidates():
    """Undated, words weigh each candidate story against the best-agreeing one, never
    against a fixed bar: two reports of one event in one language may share few words (a
    Chinese report in simplified and one in traditional characters), and the only story
    that can be compared keeps its names and lead whole."""
    from storyline.link.stories import EPISODE_FLOOR, episode_factor

    assert episode_factor(0.02, 0.02) == 1.0  # the best (or only) candidate, however low
    assert episode_factor(None, 0.3) == 1.0  # no member in the document's language
    assert episode_factor(0.1, None) == 1.0
    assert episode_factor(0.0, 0.12) == EPISODE_FLOOR
    assert EPISODE_FLOOR < episode_factor(0.054, 0.124) < 1.0


def _wheat(store: Store, days: tuple[int, ...]) -> list[str]:
    return [add_article(
        store, f"Brazil shipped wheat to Argentina again on day {i}, traders in Buenos Aires "
               "said, as drought cut the harvest.", outlet="Farm Wire",
        published=f"2024-05-{i}", title="Wheat flows south", entities=["BRAZIL", "ARG"])
        for i in days]


def test_a_report_that_joined_another_subject_early_moves_once_its_own_has_grown(
        store, monkeypatch):
    """A report can land in the story of another subject (as the first balloon statement
    of an agency's series joined its other statements, before the balloon story existed;
    here the linker is made to put the last wheat report with the tanks): once the batch
    is linked, each member of a larger story is judged again as if it were not in it, and
    the report moves to the story of its subject."""
    from storyline.link import stories as S

    ids = situation(store)
    wheat = _wheat(store, (15, 16, 17))
    real = S.assign_story
    forced: list[str] = []

    def early(ctx, prof, proposals):
        # the first time the last wheat report is linked, it lands in the tank story
        if prof.doc_id == wheat[-1] and not forced:
            forced.append(prof.doc_id)
            return queries.story_for_document(store, ids[0]), False, S.JOIN_THRESHOLD
        return real(ctx, prof, proposals)

    monkeypatch.setattr(S, "assign_story", early)
    update_links(store, ids + wheat, embedder=HashEmbedder())
    assert forced == [wheat[-1]]
    story = queries.story_for_document
    tanks = {story(store, d) for d in ids}
    assert len(tanks) == 1
    assert {story(store, d) for d in wheat} == {story(store, wheat[1])}
    assert story(store, wheat[-1]) not in tanks


def test_members_that_fit_their_story_stay_when_judged_without_themselves(store):
    """The settling pass moves no report of a story that holds together: judged without
    itself, each tank report still fits the tank story best, each wheat report the wheat
    story."""
    from storyline.link import events as E
    from storyline.link import stories as S
    from storyline.link.common import LinkContext
    from storyline.records import Analysis

    ids = situation(store)
    wheat = _wheat(store, (15, 16, 17))
    update_links(store, ids + wheat, embedder=HashEmbedder())
    ctx = LinkContext(store, HashEmbedder())
    for d in ids + wheat:
        analysis = store.get_analysis(d) or Analysis()
        prof = S.doc_profile(ctx, d, analysis)
        proposals = E.propose(ctx, d, [ev.as_dict() for ev in analysis.events],
                              S.entity_candidates(ctx, prof))
        assert not S.fits_elsewhere(ctx, queries.story_for_document(store, d), prof, proposals)


def test_a_story_judged_without_a_member_is_the_story_rebuilt_without_it(store):
    """`profile_without` (read, nothing written) gives what rebuilding the story from its
    other members gives: names, lead vectors, content words, houses and dates."""
    from storyline.link import stories as S
    from storyline.link.common import LinkContext
    from storyline.records import Analysis

    ids = situation(store)
    update_links(store, ids, embedder=HashEmbedder())
    sid = queries.story_for_document(store, ids[0])
    ctx = LinkContext(store, HashEmbedder())
    for gone in (ids[0], ids[2]):  # the first day, then the last
        prof = S.doc_profile(ctx, gone, store.get_analysis(gone) or Analysis())
        S.doc_words(ctx, prof)
        stored = store.conn.execute("SELECT * FROM stories WHERE id=?", (sid,)).fetchone()
        row = S.profile_without(ctx, sid, prof)
        # judging writes nothing
        assert dict(store.conn.execute("SELECT * FROM stories WHERE id=?",
                                       (sid,)).fetchone()) == dict(stored)
        with store.write(serial=True):
            S.rebuild_profile(ctx, sid, [d for d in ids if d != gone])
        rebuilt = store.conn.execute("SELECT first_date, last_date, profile_json FROM stories "
                                     "WHERE id=?", (sid,)).fetchone()
        p, q = row["profile"], json.loads(rebuilt["profile_json"])
        assert (row["first_date"], row["last_date"]) == (rebuilt["first_date"],
                                                         rebuilt["last_date"])
        assert p["entity_keys"] == q["entity_keys"] and p["n_documents"] == q["n_documents"] == 2
        assert p.get("houses") == q.get("houses")
        assert np.allclose(S.vec_sum(ctx, None, p), q["vec_sum"], atol=1e-4)
        for lang, entry in q["words"].items():
            got = p["words"][lang]
            assert got["n"] == entry["n"]
            assert set(got["sum"]) == set(entry["sum"])
            assert all(abs(got["sum"][w] - x) < 1e-3 for w, x in entry["sum"].items())
        with store.write(serial=True):
            S.rebuild_profile(ctx, sid, ids)
