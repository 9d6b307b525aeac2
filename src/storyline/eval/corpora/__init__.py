"""Runners that score Storyline stages on public research corpora (TempEval-3, ...)."""
