"""Time the search with and without alias widening (and its total count) on a synthetic
store of N short documents (built once under $TMPDIR, no network, no model).

    PYTHONPATH=src .venv/bin/python scripts/bench_search_aliases.py [N=20000]
"""

import os
import random
import sys
import tempfile
import time

from storyline.records import DocMeta, Document, document_id
from storyline.serve.search import expand, search_page
from storyline.store import Store

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
random.seed(7)
words = [
    "talks",
    "missile",
    "launch",
    "border",
    "ferry",
    "harbour",
    "minister",
    "said",
    "on",
    "Monday",
    "officials",
    "shells",
    "artillery",
    "troops",
    "summit",
    "weapons",
    "deal",
    "trade",
    "port",
    "ship",
    "drill",
    "sanctions",
]
names = ["North Korea", "DPRK", "Pyongyang", "South Korea", "Russia", "Moscow", "the United States"]
path = os.path.join(tempfile.gettempdir(), f"storyline-search-bench-{N}.db")
if not os.path.exists(path):
    with Store.open(path) as store:
        for i in range(N):
            text = f"{random.choice(names)} " + " ".join(random.choices(words, k=60)) + f" n{i}."
            store.add_document(
                Document(
                    id=document_id(text),
                    source=f"{i}.txt",
                    text=text,
                    raw_text=text,
                    meta=DocMeta(outlet="X", published="2024-01-01"),
                )
            )
expand("warm up DPRK")
with Store.open(path, readonly=True) as store:
    for q in ["DPRK", "DPRK missile", "North Korea summit", "ferry harbour"]:
        for aliases in (False, True):
            t = time.perf_counter()
            for _ in range(5):
                r = search_page(store, q, 20, 0, aliases=aliases)
            dt = (time.perf_counter() - t) / 5
            print(
                f"{N} docs  q={q!r:24} aliases={aliases!s:5}  total={r['total']:6}  {dt * 1000:7.1f} ms"
            )
