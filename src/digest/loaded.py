"""Loaded wording: the article's judging or sensational words, their neutral alternatives,
and keeping them out of claims and the summary.

The cue pass finds the lexicon's words (:mod:`digest.cues`, ``lexicons/loaded.tsv``); a
prompt may also ask the model for the chunk's loaded words (extract@v4), which are placed
in the text here. :func:`neutralize` rewrites a claim or a summary sentence without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import cues as cue_pass
from . import sources as source_pass
from .schema import LoadedSpan
from .segment import Chunk


def neutralize(sentence: str, quotes: bool = False) -> str:
    """Replace every loaded lexicon term that has a neutral alternative with it, and drop
    the ones that judge without informing ("seismic"); terms with no neutral word stay.
    With ``quotes``, words inside quotation marks are the speaker's and stay too."""
    lexicon = cue_pass.loaded_lexicon()
    quoted = cue_pass.quoted(sentence) if quotes else []
    for a, b in reversed(cue_pass.find(sentence, tuple(lexicon))):
        neutral = lexicon[re.sub(r"\s+", " ", sentence[a:b].lower())]
        if neutral is None or any(q <= a < r for q, r in quoted):
            continue
        if neutral == "":
            b += len(sentence[b:]) - len(sentence[b:].lstrip(" "))  # and the space after
        elif a == 0:
            neutral = neutral[0].upper() + neutral[1:]
        sentence = sentence[:a] + neutral + sentence[b:]
    return sentence[0].upper() + sentence[1:] if sentence else sentence


def model_loaded(words: list[str], chunk: Chunk) -> list[LoadedSpan]:
    """Spans of the chunk for the loaded words the model named: each word as written, at
    its first whole-word occurrence in the chunk. A word the chunk does not hold, a name
    ("Blake Lively": capitalised words that are not all capitals), a number, or a cue word
    is no loaded wording and is skipped."""
    spans = []
    for word in dict.fromkeys(w.strip(" .,;:!?'’") for w in words):
        tokens = word.split()
        if (
            not tokens
            or len(tokens) > 4
            or any(ch.isdigit() for ch in word)
            or (all(t[:1].isupper() for t in tokens) and not word.isupper())
            or source_pass.is_cue_word(word)
        ):
            continue
        for s in chunk.sentences:
            if hits := cue_pass.find(s.text, (word.lower(),)):
                a, b = hits[0]
                spans.append(
                    LoadedSpan(
                        start=s.start + a, end=s.start + b, text=s.text[a:b], found_by="model"
                    )
                )
                break
    return spans


def spans(
    cues: list[cue_pass.Cue], spotted: list[LoadedSpan], names: Iterable[str]
) -> list[LoadedSpan]:
    """The article's loaded wording: the lexicon's spans, with their neutral words, then the
    model's spans that overlap none of them, in text order. A source's name the model took
    for loaded wording ("GLAAD") is a name, not a judgment."""
    named = {source_pass.norm(n) for n in names}
    lexicon = [
        LoadedSpan(start=c.start, end=c.end, text=c.text, neutral=c.neutral)
        for c in cues
        if c.kind == "loaded"
    ]
    taken = [(s.start, s.end) for s in lexicon]
    extra = []
    for s in spotted:
        if source_pass.norm(s.text) in named:
            continue
        if all(s.end <= a or b <= s.start for a, b in taken):
            extra.append(s)
            taken.append((s.start, s.end))
    return sorted(lexicon + extra, key=lambda s: s.start)


def words_of_model(found: list[LoadedSpan]) -> tuple[str, ...]:
    """The model's loaded words (lower case), which the summary must avoid like the
    lexicon's."""
    return tuple({s.text.lower() for s in found if s.found_by == "model"})
