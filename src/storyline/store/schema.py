"""Versioned schema migrations. Each entry moves the schema one version up.

The version lives in `PRAGMA user_version`, so any SQLite tool can read it.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # v1: documents, their extracted facts, the cross-document layer, watches.
    """
    CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        outlet TEXT, wire TEXT, published TEXT,
        published_inferred TEXT, published_inferred_reason TEXT,
        title TEXT, author TEXT, language TEXT, url TEXT,
        text TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        meta_json TEXT NOT NULL,
        removed_json TEXT NOT NULL,
        added_at TEXT NOT NULL,
        analysis_json TEXT,
        analysed_at TEXT,
        model TEXT
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_pending ON documents(analysed_at) WHERE analysed_at IS NULL;
    CREATE TABLE document_sources (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        source TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (doc_id, source)
    );
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='seq', tokenize='unicode61'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;

    CREATE TABLE entities (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        code TEXT,
        role TEXT
    );
    CREATE TABLE entity_mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        entity_key TEXT NOT NULL,
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX entity_mentions_key ON entity_mentions(entity_key, doc_id);
    CREATE INDEX entity_mentions_doc ON entity_mentions(doc_id);
    CREATE TABLE times (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        value_json TEXT,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE quotes (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        speaker TEXT,
        speaker_key TEXT,
        direct INTEGER NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker_key);
    CREATE TABLE events (
        doc_id TEXT NOT NULL REFERENCES documents(id),
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        subtype TEXT,
        actor TEXT, actor_key TEXT, target TEXT, target_key TEXT,
        item TEXT, quantity REAL,
        when_json TEXT, when_start TEXT, when_end TEXT,
        place TEXT,
        source TEXT, source_key TEXT,
        status TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (doc_id, event_id)
    );
    CREATE INDEX events_actor ON events(actor_key);
    CREATE INDEX events_target ON events(target_key);
    CREATE INDEX events_subtype ON events(subtype, when_start);

    CREATE TABLE stories (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        first_date TEXT,
        last_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        profile_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE story_documents (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        score REAL
    );
    CREATE INDEX story_documents_story ON story_documents(story_id);
    CREATE TABLE clusters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        story_id INTEGER REFERENCES stories(id),
        kind TEXT NOT NULL DEFAULT 'event',
        type TEXT, subtype TEXT,
        actor_key TEXT, target_key TEXT,
        when_start TEXT, when_end TEXT,
        json TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT NOT NULL
    );
    CREATE INDEX clusters_story ON clusters(story_id, when_start);
    CREATE INDEX clusters_match ON clusters(subtype, actor_key, target_key);
    CREATE TABLE cluster_members (
        cluster_id INTEGER NOT NULL REFERENCES clusters(id),
        doc_id TEXT NOT NULL REFERENCES documents(id),
        member TEXT NOT NULL,
        PRIMARY KEY (doc_id, member, cluster_id)
    );
    CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id);
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        spec_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_checked TEXT
    );
    """,
    # v2: reading one entity's latest facts without scanning the corpus (entity pages at
    # 100,000 documents): mentions of a key in insertion order (an index on the key alone
    # keeps rowid order), and events by their source, the one role that had no index.
    """
    CREATE INDEX entity_mentions_recent ON entity_mentions(entity_key);
    CREATE INDEX events_source ON events(source_key);
    """,
    # v3: linking one article without reading what grows with the corpus.
    # - text_vectors: each quote's sentence embedding, stored once per text and embedder
    #   (`embedder` = name/dimension, `text_hash` = blake2b-128 of the UTF-8 text, `vec` =
    #   float32 little-endian), so linking a new article embeds only its own quotes.
    # - clusters_span, clusters_span_target: a speaker's (or actor's) merged events and
    #   statement groups by the end of their time span, so the candidates near a date are a
    #   range, not every cluster of that actor; clusters_actor: the same in id order, for
    #   the latest ones when there is no date to narrow by; clusters_story_event: a story's
    #   merged events of one subtype (not all its statement groups too).
    # - entity_counts: how many documents name each entity (kept by save_analysis), so an
    #   entity's IDF is one lookup, not a count over its mentions.
    # - entities_code: the country entity of an actor code without a scan of the entities.
    """
    CREATE TABLE text_vectors (
        embedder TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vec BLOB NOT NULL,
        PRIMARY KEY (embedder, text_hash)
    ) WITHOUT ROWID;
    CREATE INDEX clusters_span ON clusters(subtype, actor_key, when_end);
    CREATE INDEX clusters_span_target ON clusters(subtype, actor_key, target_key, when_end);
    CREATE INDEX clusters_actor ON clusters(subtype, actor_key);
    CREATE INDEX clusters_story_event ON clusters(story_id, kind, subtype, when_end);
    CREATE INDEX entities_code ON entities(code);
    CREATE TABLE entity_counts (
        entity_key TEXT PRIMARY KEY,
        n_documents INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO entity_counts (entity_key, n_documents)
        SELECT entity_key, count(DISTINCT doc_id) FROM entity_mentions GROUP BY entity_key;
    """,
    # v4: finishing what an interrupted run left half done, and a bad document never
    # blocking the rest (docs/RELIABILITY.md).
    # - analysis_anchor: the date the analysis read relative times against; an analysis
    #   whose anchor is no longer the document's (an inferred date changed, and the run
    #   that changed it was killed before analysing again) is stale and done again.
    #   documents_inferred finds those among the (few) undated documents.
    # - failed_at, failed_reason: the analysis of this document failed (why, in words);
    #   it is stored and searchable but left out of analysis and linking until the same
    #   article is ingested again.
    # - link_queue: documents analysed and not linked yet (save_analysis adds them, the
    #   pipeline removes them once linked), so a re-run finds what a killed run left
    #   unlinked without scanning the documents.
    """
    ALTER TABLE documents ADD COLUMN analysis_anchor TEXT;
    ALTER TABLE documents ADD COLUMN failed_at TEXT;
    ALTER TABLE documents ADD COLUMN failed_reason TEXT;
    UPDATE documents SET analysis_anchor = coalesce(published, published_inferred)
        WHERE analysed_at IS NOT NULL;
    CREATE INDEX documents_inferred ON documents(published_inferred)
        WHERE published IS NULL AND published_inferred IS NOT NULL;
    CREATE TABLE link_queue (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id)
    ) WITHOUT ROWID;
    INSERT INTO link_queue (doc_id)
        SELECT d.id FROM documents d LEFT JOIN story_documents sd ON sd.doc_id = d.id
        WHERE d.analysed_at IS NOT NULL AND sd.doc_id IS NULL;
    """,
    # v5: the analyst's corrections, as records (docs/CORRECTIONS.md). Each is keyed by what
    # survives re-analysis (documents.id is the content hash; an entity's canonical key; an
    # event's or a quote's fingerprint, "<doc id>/<start>-<end>/<trigger>"), never by a row
    # number, and applied again after every extraction and linking run. `id` is a random
    # hex key, so corrections travel between stores; `old_value` / `new_value` are JSON.
    """
    CREATE TABLE corrections (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        field TEXT NOT NULL,
        doc_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT,
        author TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX corrections_doc ON corrections(doc_id);
    CREATE INDEX corrections_target ON corrections(kind, target, field);
    """,
    # v6: content words, so that stories tell apart articles that share names and style but
    # not subject (one agency's statements on different matters).
    # - word_counts: how many documents use each content word (storyline.lang.terms), kept
    #   by add_document, so a word's IDF is one lookup, as an entity's is.
    # - documents.words_counted: 1 once the document's words are in word_counts. The
    #   documents of a store made before v6 are counted right after this migration, in the
    #   same transaction (`WORD_BACKFILL`).
    """
    CREATE TABLE word_counts (
        word TEXT PRIMARY KEY,
        n_documents INTEGER NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE documents ADD COLUMN words_counted INTEGER;
    """,
    # v7: the words of a source that names nobody ("officials said ...", "according to a
    # source"), kept beside a quote that has no speaker, so that lists of quotes say whom
    # the outlet cites (the analysis JSON always had them). The quotes of a store made
    # before v7 get theirs from that JSON right after this migration (`QUOTE_SOURCE_BACKFILL`).
    """
    ALTER TABLE quotes ADD COLUMN source_text TEXT;
    ALTER TABLE quotes ADD COLUMN source_start INTEGER;
    ALTER TABLE quotes ADD COLUMN source_end INTEGER;
    """,
]

# After the migration to this version, count the words of the documents already stored
# (found by what it creates, so that merging another migration before it keeps it right).
WORD_BACKFILL = next(v for v, m in enumerate(MIGRATIONS, start=1)
                     if "CREATE TABLE word_counts" in m)

QUOTE_SOURCE_BACKFILL = next(v for v, m in enumerate(MIGRATIONS, start=1)
                             if "ADD COLUMN source_text" in m)

SCHEMA_VERSION = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Split a migration into statements (without the final `;`), keeping trigger bodies
    whole."""
    out: list[str] = []
    buf = ""
    for part in script.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip().rstrip(";").strip())
            buf = ""
    return out
