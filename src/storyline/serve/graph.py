"""The actor graph: who did what to whom, from the merged events of a story.

Nodes are entities (by key, else by name); an edge actor -> target carries the event
subtypes with their counts and the ids of the merged events behind it. Attributes are kept
scalar (strings and numbers) so that GraphML and GEXF can hold them as they are.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from ..store import Store
from .shapes import story_events


def _node_id(key: str | None, name: str | None) -> str | None:
    return key or (f"name:{name}" if name else None)


def _entity_rows(store: Store, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = store.conn.execute(f"SELECT key, name, type, code FROM entities WHERE key IN ({marks})",
                              keys).fetchall()
    return {r["key"]: dict(r) for r in rows}


def actor_graph(store: Store, story_id: int | None = None) -> nx.DiGraph:
    """A DiGraph of the story's actors (every story when `story_id` is None)."""
    events = story_events(store, story_id)
    graph = nx.DiGraph()
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[str, str] = {}
    for ev in events:
        src = _node_id(ev["actor_key"], ev["actor"])
        dst = _node_id(ev["target_key"], ev["target"])
        for node, name in ((src, ev["actor"]), (dst, ev["target"])):
            if node:
                names.setdefault(node, name or node)
        if not (src and dst) or src == dst:
            continue
        edge = edges.setdefault((src, dst), {"subtypes": Counter(), "clusters": []})
        edge["subtypes"][ev["subtype"] or ev["type"] or "event"] += 1
        if ev["cluster_id"] is not None:
            edge["clusters"].append(ev["cluster_id"])
    known = _entity_rows(store, [n for n in names if not n.startswith("name:")])
    for node, name in names.items():
        row = known.get(node, {})
        graph.add_node(node, label=row.get("name") or name, type=row.get("type") or "",
                       code=row.get("code") or "")
    for (src, dst), edge in edges.items():
        subtypes = sorted(edge["subtypes"].items(), key=lambda kv: (-kv[1], kv[0]))
        graph.add_edge(
            src, dst, weight=sum(edge["subtypes"].values()),
            label=", ".join(f"{s.replace('_', ' ')}" + (f" ×{n}" if n > 1 else "")
                            for s, n in subtypes),
            subtypes=";".join(f"{s}:{n}" for s, n in subtypes),
            clusters=",".join(str(c) for c in sorted(set(edge["clusters"]))))
    return graph


def graph_json(graph: nx.DiGraph) -> dict[str, Any]:
    """The graph as plain JSON for the API and the UI (subtypes and cluster ids unpacked)."""
    nodes = [{"id": n, **attrs, "degree": graph.degree(n)} for n, attrs in graph.nodes(data=True)]
    edges = []
    for src, dst, attrs in graph.edges(data=True):
        subtypes = {}
        for part in filter(None, attrs["subtypes"].split(";")):
            name, _, count = part.rpartition(":")
            subtypes[name] = int(count)
        edges.append({"source": src, "target": dst, "label": attrs["label"],
                      "weight": attrs["weight"], "subtypes": subtypes,
                      "clusters": [int(c) for c in filter(None, attrs["clusters"].split(","))]})
    return {"nodes": nodes, "edges": edges}
