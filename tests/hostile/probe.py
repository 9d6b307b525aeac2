"""The reliability probe behind the before/after table of docs/RELIABILITY.md.

    git archive <commit> src | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old/src .venv/bin/python tests/hostile/probe.py      # before
    PYTHONPATH=src .venv/bin/python tests/hostile/probe.py               # after

It ingests the hostile corpus one input at a time (counting tracebacks) and as one folder,
checks the SSRF address classes, sends six hostile requests to the in-process API, lets
two processes create one store eight times, and kills `ingest examples` at three points
before re-running it (counting documents left in no story). Servers: none but the
in-process ASGI client; no network.
"""
import ipaddress
import logging
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

logging.disable(logging.CRITICAL)
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests'))
from hostile.make_corpus import MAX_BYTES, MAX_CHARS, build

import storyline

print("storyline from", storyline.__file__)
from storyline.pipeline import process_inputs
from storyline.settings import Settings
from storyline.store import Store

tmp = Path(tempfile.mkdtemp())
folder = tmp / "c"
expect = build(folder)
settings = Settings.load(max_bytes=MAX_BYTES, fetch_timeout=2.0)
try:
    settings = Settings.load(max_bytes=MAX_BYTES, max_chars=MAX_CHARS, fetch_timeout=2.0)
except TypeError:
    pass
tracebacks = []
store = Store.open(tmp / "p.db")
entries = sorted(os.listdir(os.fsencode(folder)))
for name in entries:
    p = os.path.join(os.fsencode(folder), name)
    if name.endswith(b".meta.json") or name.startswith(b"."): continue
    try:
        process_inputs([os.fsdecode(p)], store, settings, analyse=False)
    except Exception as exc:  # noqa: BLE001 - counting what escapes is the point
        tracebacks.append((os.fsdecode(name)[:40], type(exc).__name__))
# whole-folder read: how many good inputs are stored
try:
    s2 = Store.open(tmp / "f.db"); r = process_inputs([str(folder)], s2, settings, analyse=False)
    folder_ok = s2.count_documents()
except Exception as exc:  # noqa: BLE001 - counting what escapes is the point
    folder_ok = f"traceback {type(exc).__name__}"
n_ok = sum(1 for v in expect.values() if v == "ok")
print("corpus inputs:", len(expect), "expected ok:", n_ok)
print("tracebacks (one input at a time):", len(tracebacks), tracebacks)
print("documents stored from the folder in one run:", folder_ok)
folder_texts = "" if isinstance(folder_ok, str) else "\n".join(r[0] for r in s2.conn.execute("select text from documents"))
print("outside-folder content stored from the folder:", "outside" in folder_texts or "root:" in folder_texts)
from storyline.ingest import urls

addrs = ["100.64.0.1","100.100.100.200","2002:7f00:1::1","2001:0:4136:e378::1","64:ff9b::7f00:1","::ffff:100.64.0.1"]
print("SSRF addresses not blocked:", [a for a in addrs if not urls._blocked(ipaddress.ip_address(a))])
# API
from _fixtures_story import build_store
from fastapi.testclient import TestClient

from storyline.serve import create_app

db = str(tmp / "api.db"); build_store(db)
c = TestClient(create_app(db), raise_server_exceptions=False)
bad = ["/api/search?q=%00", "/api/search?q=a%00b", "/api/search?q=" + "a"*60000, "/api/entities?q=" + "b"*60000, "/static/app.js%00.png", "/api/documents/" + "a"*60000]
print("HTTP 500 from client input:", sum(c.get(u).status_code >= 500 for u in bad), "of", len(bad))
print("foreign Host answered:", c.get("/api/stories", headers={"Host": "evil.example"}).status_code == 200, "(default app; serve limits it)")
# concurrent creation
src = os.environ.get("PYTHONPATH", str(ROOT / "src"))
code = """
import sys
from storyline.records import Document, DocMeta
from storyline.store import Store
path, n = sys.argv[1], sys.argv[2]
with Store.open(path) as store:
    for i in range(5):
        t = f"Writer {n} article {i}."
        store.add_document(Document(id=f"d{n}-{i}", source=f"{n}-{i}.txt", text=t, meta=DocMeta(), raw_text=t))
"""
fails = 0
for trial in range(8):
    path = tmp / f"n{trial}.db"
    ps = [subprocess.Popen([sys.executable, "-c", code, str(path), str(n)], env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}, stderr=subprocess.PIPE) for n in range(2)]
    outs = [p.communicate()[1] for p in ps]
    fails += any(p.returncode for p in ps)
print("two writers creating one store: failed trials", fails, "of 8")
# kill -9 during ingest, re-run
import test_reliability_kill as t

t.ENV["PYTHONPATH"] = src
for name, sql in t.KILL_POINTS:
    k = tmp / f"k-{name.replace(' ', '-')}.db"
    killed = t._kill_when(k, sql, random.Random(3))
    p = t._ingest(k)
    p.communicate()
    c = sqlite3.connect(k)
    n = c.execute("select count(*) from documents").fetchone()[0]
    orphan = c.execute("select count(*) from documents d left join story_documents s "
                       "on s.doc_id = d.id where s.doc_id is null").fetchone()[0]
    print(f"kill {name}: killed={killed} re-run rc={p.returncode} documents={n} "
          f"in no story={orphan}")
shutil.rmtree(tmp, ignore_errors=True)
