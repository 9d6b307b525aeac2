"""Clean stage: turn a RawDocument into a Document (metadata from header lines, noise cut)."""

from storyline.clean.header import HeaderScan, scan_header
from storyline.clean.pipeline import clean_document, removed_counts

__all__ = ["HeaderScan", "clean_document", "removed_counts", "scan_header"]
