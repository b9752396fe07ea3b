"""The cue pass of an article: the lexicons' words (:func:`digest.cues.scan`), kept where
the sentence's parse says they are cues (:func:`digest.doubt.settle` for doubt words,
:func:`digest.loaded.settle` for judging words)."""

from __future__ import annotations

from . import doubt, loaded
from .cues import Cue, scan
from .segment import Sentence


def cues(sentences: list[Sentence]) -> list[Cue]:
    """Every cue of the article, in text order."""
    return loaded.settle(doubt.settle(scan(sentences), sentences), sentences)
