"""The store: an embedded SQLite file by default."""

from .db import Store

__all__ = ["Store"]
