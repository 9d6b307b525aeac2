"""Analyst interfaces: the HTTP API and web UI, briefings, watchlists, exports."""

from .api import create_app
from .brief import write_brief
from .export import FORMATS, export
from .graph import actor_graph, graph_json
from .watch import add_watch, check_watches, list_watches

__all__ = [
           "FORMATS",
           "actor_graph",
           "add_watch",
           "check_watches",
           "create_app",
           "export",
           "graph_json",
           "list_watches",
           "write_brief",
]
