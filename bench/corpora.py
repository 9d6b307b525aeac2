"""Readers of the real corpora in ../shared/corpora (KCNA JSON, Reuters SGML, BBC text).

Nothing from these corpora is copied into the repository: the benchmark reads them at run
time and writes its working copies (JSON Lines of the sampled records) to a temporary
folder, so the timed run goes through Storyline's own ingest (`read_inputs`).
"""

from __future__ import annotations

import csv
import html
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"
KCNA_FILE = "kcna-news/kcna_headlines_2024-11-11.json"
REUTERS_DIR = "reuters21578"
BBC_DIR = "bbc-news"


class CorporaMissing(RuntimeError):
    """The shared corpora are not where the benchmark looks for them."""


@dataclass
class Item:
    """One sampled article: a JSON record (KCNA, Reuters) or a text file (BBC)."""

    corpus: str
    key: str  # stable identifier within its corpus
    record: dict[str, Any] | None = None
    path: Path | None = None

    def text(self) -> str:
        """The article body as the corpus holds it (for word counts and truncation)."""
        if self.path is not None:
            return self.path.read_text("utf-8", errors="replace")
        assert self.record is not None
        return str(self.record.get("story_text") or self.record.get("text") or "")


def available(root: Path = CORPORA) -> bool:
    """True when the three corpora the benchmark reads are present."""
    return ((root / KCNA_FILE).is_file() and (root / REUTERS_DIR).is_dir()
            and (root / BBC_DIR).is_dir())


def _require(root: Path) -> None:
    if not available(root):
        raise CorporaMissing(f"the corpora are not in {root} (set STORYLINE_SHARED to the "
                             "folder that holds corpora/)")


# -- KCNA ------------------------------------------------------------------------------------
def kcna_records(root: Path = CORPORA) -> Iterator[Item]:
    """KCNA articles with full text, as their JSON records (dates in epoch milliseconds)."""
    data = json.loads((root / KCNA_FILE).read_text("utf-8"))
    seen: set[str] = set()
    for n, rec in enumerate(data):
        text = rec.get("story_text")
        if not isinstance(text, str) or not text.strip():
            continue
        key = str(rec.get("link") or n)
        if key in seen:  # the snapshot holds a few items twice
            continue
        seen.add(key)
        yield Item("kcna", key, record=dict(rec))


# -- Reuters-21578 ---------------------------------------------------------------------------
_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TAG = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL) for name in ("DATE", "TITLE", "BODY")}
_ENDMARK = re.compile(r"\s*(Reuter|REUTER)?\s*(&#3;)?\s*$")


def _reflow(body: str) -> str:
    """Newswire hard wraps joined: a paragraph starts with an indented line."""
    body = html.unescape(_ENDMARK.sub("", body))
    paras = re.split(r"\n(?=\s{2,}\S)", body)
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip())
                       for p in paras if p.strip())


def _reuters_date(value: str) -> str | None:
    """ISO day of a Reuters timestamp (" 3-MAR-1987 09:18:21.26")."""
    try:
        return datetime.strptime(value.split()[0], "%d-%b-%Y").date().isoformat()
    except (ValueError, IndexError):
        return None


def reuters_records(root: Path = CORPORA, files: int | None = None) -> Iterator[Item]:
    """Reuters stories that have a body, as records {title, text, date, agency}."""
    paths = sorted((root / REUTERS_DIR).glob("reut2-*.sgm"))
    for path in paths[:files] if files else paths:
        raw = path.read_text("latin-1")
        for m in _STORY.finditer(raw):
            attrs, inner = m.group(1), m.group(2)
            body = _TAG["BODY"].search(inner)
            if not body:
                continue
            text = _reflow(body.group(1))
            if len(text.split()) < 30:  # one-line price flashes are not articles
                continue
            title = _TAG["TITLE"].search(inner)
            date = _TAG["DATE"].search(inner)
            newid = _NEWID.search(attrs)
            yield Item("reuters", newid.group(1) if newid else f"{path.name}:{m.start()}",
                       record={"title": html.unescape(title.group(1)).title() if title else None,
                               "text": text, "date": _reuters_date(date.group(1)) if date
                               else None, "agency": "Reuters"})


# -- BBC -------------------------------------------------------------------------------------
def bbc_files(root: Path = CORPORA) -> Iterator[Item]:
    """BBC articles, one text file each (headline, blank line, paragraphs; no dates)."""
    for path in sorted((root / BBC_DIR).glob("*/*.txt")):
        yield Item("bbc", f"{path.parent.name}/{path.name}", path=path)


# -- Timeline17 (long articles) ---------------------------------------------------------------
T17_DIR = "timeline17-dev"
TOOLS = SHARED / "tools"


def t17_records(root: Path = CORPORA) -> Iterator[Item]:
    """Timeline17 dev articles (long: about 800 words on average), as JSON records {text,
    date}; the texts are tokenised in the corpus and lightly detokenised by the shared
    tools' own `detok` (as scripts/eval_t17.py feeds them to the system)."""
    sys.path.insert(0, str(TOOLS))
    from t17_make_jsonl import detok  # the corpus's own reader, kept with the corpus

    csv.field_size_limit(10**9)
    for path in sorted((root / T17_DIR / "articles").glob("*.articles.csv")):
        with path.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                yield Item("t17", f"{path.name.split('.')[0]}/{i}",
                           record={"text": detok(row["text"]), "date": row["date"].strip()})


# -- samples ---------------------------------------------------------------------------------
def corpus_sample(items: Iterator[Item], n: int, seed: int = 0) -> list[Item]:
    """`n` items of one corpus, drawn reproducibly (seeded)."""
    pool = list(items)
    return [pool[i] for i in random.Random(seed).sample(range(len(pool)), min(n, len(pool)))]


def mixed_sample(n: int, seed: int = 0, root: Path = CORPORA,
                 skip: int = 0) -> list[Item]:
    """`n` articles, a third from each corpus, drawn reproducibly (seeded), interleaved.

    `skip` leaves out the first `skip` of each corpus's draw, so two samples with the same
    seed and different `skip` do not overlap (held-out articles for the scale test).
    """
    _require(root)
    rng = random.Random(seed)
    pools = [list(kcna_records(root)), list(reuters_records(root, files=4)),
             list(bbc_files(root))]
    share = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]
    picks: list[list[Item]] = []
    for pool, k in zip(pools, share):
        order = rng.sample(range(len(pool)), min(len(pool), skip + k))
        picks.append([pool[i] for i in order[skip:skip + k]])
    out: list[Item] = []
    for i in range(max(share)):
        out.extend(p[i] for p in picks if i < len(p))
    return out


def truncate(text: str, limit: int) -> str:
    """The first paragraphs of a text, up to about `limit` characters (whole paragraphs,
    at least one)."""
    out: list[str] = []
    size = 0
    for para in re.split(r"\n\s*\n|\n", text):
        if not para.strip():
            continue
        if out and size + len(para) > limit:
            break
        out.append(para.strip())
        size += len(para)
    return "\n\n".join(out)


def write_inputs(items: list[Item], folder: Path, *, limit: int | None = None) -> list[str]:
    """Working copies for Storyline's ingest: one JSON Lines file per record corpus, the
    BBC text files as they are (copied only when `limit` truncates them). Returns the input
    paths in the sample's order of corpora."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs: list[str] = []
    groups: dict[str, list[Item]] = {}
    for it in items:
        groups.setdefault(it.corpus, []).append(it)
    for corpus, group in groups.items():
        if corpus == "bbc":
            for it in group:
                assert it.path is not None
                if limit is None:
                    inputs.append(str(it.path))
                    continue
                dest = folder / "bbc" / it.key.replace("/", "_")
                dest.parent.mkdir(parents=True, exist_ok=True)
                lines = it.text().split("\n", 1)
                dest.write_text(lines[0] + "\n\n" + truncate(lines[-1], limit) + "\n", "utf-8")
                inputs.append(str(dest))
            continue
        dest = folder / f"{corpus}.jsonl"
        with dest.open("w", encoding="utf-8") as fh:
            for it in group:
                rec = dict(it.record or {})
                field = "story_text" if "story_text" in rec else "text"
                if limit is not None:
                    rec[field] = truncate(str(rec[field]), limit)
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        inputs.append(str(dest))
    return inputs


def word_count(text: str) -> int:
    return len(text.split())
