"""Scoring the system against an answer key: `storyline eval`.

    key = load_key(path)                      # KeyFormatError if it breaks the format
    scores = score(key, CorpusPrediction(files={...}, links=PredictedLinks(...)), built)
    console.print(render_table(scores))

The matching rules are in storyline.eval.scorer's docstring.
"""

from storyline.eval.keyfile import load_key, validate_key
from storyline.eval.report import render_table
from storyline.eval.scorer import STAGES, infer_built, score
from storyline.eval.types import LINK_KINDS, CorpusPrediction, FilePrediction, PredictedLinks

__all__ = [
           "LINK_KINDS",
           "STAGES",
           "CorpusPrediction",
           "FilePrediction",
           "PredictedLinks",
           "infer_built",
           "load_key",
           "render_table",
           "score",
           "validate_key",
]
