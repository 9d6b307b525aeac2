"""Re-create the article files of a real-news development key from ../shared.

A key (realnews.gold.json ... realnews7.gold.json) was annotated on exactly these files; the
texts stay in ../shared and never enter the repository. NAME.sources.json says where each
text of key NAME comes from:

- kcna: an item of corpora/kcna-news/kcna_headlines_2024-11-11.json, found by link and
  date_str (the first such item, where the corpus holds two under one link and date); written
  as headline, a blank line, story_text.
- reuters: a <REUTERS> element of corpora/reuters21578/<file>, found by NEWID; written as
  the title, a blank line, then the dateline and body with each paragraph's wrapped lines
  joined by single spaces (paragraphs begin with an indented line in the SGML) and the
  closing "Reuter" signature dropped (the corpus's end marker, not article text).
- bbc: corpora/bbc-news/<path> as it is (headline, blank line, paragraphs).

Each NAME.txt gets a NAME.meta.json sidecar with the outlet and, where the corpus gives
one, the publication date (README.md, "Metadata").

    python tests/keys/materialize.py OUTDIR [--shared ../shared] [--key realnews2]
"""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_KEY = "realnews"
DEFAULT_SHARED = HERE.parents[2] / "shared"


def _kcna(shared: Path, locator: dict, cache: dict) -> str:
    if "kcna" not in cache:
        path = shared / "corpora" / "kcna-news" / "kcna_headlines_2024-11-11.json"
        cache["kcna"] = json.loads(path.read_text("utf-8"))
    for item in cache["kcna"]:
        if item.get("link") == locator["link"] and item.get("date_str") == locator["date_str"]:
            return f"{item['headline'].strip()}\n\n{item['story_text'].strip()}\n"
    raise LookupError(f"KCNA item not found: {locator}")


def _reuters(shared: Path, locator: dict, cache: dict) -> str:
    name = locator["file"]
    if name not in cache:
        cache[name] = (shared / "corpora" / "reuters21578" / name).read_text("latin-1")
    newid = re.escape(str(locator["newid"]))
    match = re.search(rf'<REUTERS[^>]*NEWID="{newid}">(.*?)</REUTERS>', cache[name], re.DOTALL)
    if match is None:
        raise LookupError(f"Reuters NEWID not found: {locator}")
    element = match.group(1)
    title = html.unescape(re.search(r"<TITLE>(.*?)</TITLE>", element, re.DOTALL).group(1)).strip()
    dateline = html.unescape(re.search(r"<DATELINE>(.*?)</DATELINE>", element, re.DOTALL).group(1))
    body = html.unescape(re.search(r"<BODY>(.*?)</BODY>", element, re.DOTALL).group(1))
    paragraphs: list[list[str]] = [[dateline.strip()]]  # the body's first line follows
    for line in body.replace("\x03", "").split("\n"):
        if not line.strip():
            continue
        if line[:1].isspace():
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    if paragraphs[-1] and paragraphs[-1][-1].lower() == "reuter":
        paragraphs[-1].pop()
    text = "\n\n".join(" ".join(p) for p in paragraphs if p)
    return f"{title}\n\n{text}\n"


def _bbc(shared: Path, locator: dict, cache: dict) -> str:
    path = shared / "corpora" / "bbc-news" / locator["path"]
    return path.read_bytes().decode("utf-8", errors="replace")


READERS = {"kcna": _kcna, "reuters": _reuters, "bbc": _bbc}


def sources(key: str = DEFAULT_KEY) -> list[dict]:
    """The documents of key `key` (tests/keys/KEY.gold.json) and where their texts come from."""
    return json.loads((HERE / f"{key}.sources.json").read_text("utf-8"))


def materialize(outdir: Path, shared: Path = DEFAULT_SHARED, key: str = DEFAULT_KEY) -> Path:
    """Write every document of key `key` (and its sidecar) into `outdir`; returns `outdir`."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    cache: dict = {}
    for src in sources(key):
        text = READERS[src["corpus"]](Path(shared), src["locator"], cache)
        (outdir / src["file"]).write_text(text, "utf-8")
        meta = {"outlet": src["outlet"]}
        if src.get("published"):
            meta["published"] = src["published"]
        stem = src["file"].rsplit(".", 1)[0]
        (outdir / f"{stem}.meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    return outdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--key", default=DEFAULT_KEY,
                        help="which key: realnews, realnews2, realnews3, realnews4, realnews5, realnews6, realnews7")
    args = parser.parse_args()
    print(materialize(args.outdir, args.shared, args.key))


if __name__ == "__main__":
    main()
