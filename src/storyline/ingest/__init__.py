"""Ingest stage: files, folders, URLs and feeds in; RawDocuments (or InputErrors) out."""

from storyline.ingest.files import decode, read_file, read_inputs, read_url
from storyline.ingest.lang import detect_language
from storyline.ingest.meta import build_meta

__all__ = ["build_meta", "decode", "detect_language", "read_file", "read_inputs", "read_url"]
