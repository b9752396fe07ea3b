"""Doubt where it stands: which of the cue pass's hedge and rumour words qualify a claim in
their sentence, read off the sentence's parse (:func:`digest.roles.parse`).

The inventory (``lexicons/uncertainty.tsv``, built from published hedging and modality
research, sources named there) lists words; whether a word is a cue depends on its
sentence, and a longer list cannot tell:

- its part of speech must be the entry's: "suspect" the verb hedges, "the suspect" does
  not; "May" the month is no modal;
- "could" and "would" with a negation are inability or refusal ("could not be reached",
  "would not comment"), not doubt; "may not" and "might not" still doubt;
- a belief verb doubts a clause it governs ("police believe the fire was set", "is
  believed to have fled"), not an object ("believe in God", "think of a name");
- "if" and "unless" make a condition only as the marker of an adverbial clause ("if
  convicted, he faces ..."); "asked if he would run" is a question, no condition.
"""

from __future__ import annotations

from . import roles
from .cues import Cue, doubts
from .segment import Sentence

_NEGATABLE = frozenset({"could", "would"})
#: What a belief verb governs when it doubts a clause, and how it hangs in a sentence
#: whose clause comes first ("The fire was set, police believe").
_CLAUSE = frozenset({"ccomp", "xcomp", "advcl"})
_ASIDE = frozenset({"parataxis"})


def settle(cues: list[Cue], sentences: list[Sentence]) -> list[Cue]:
    """The cues without the doubt words that do not qualify a claim where they stand."""
    at = {s.number: s for s in sentences}
    entries = doubts()
    return [
        c
        for c in cues
        if c.kind not in ("hedge", "speculative")
        or c.text.lower() not in entries
        or _qualifies(c, at[c.sentence])
    ]


def _qualifies(cue: Cue, sentence: Sentence) -> bool:
    entry = doubts()[cue.text.lower()]
    if not entry.pos:
        return True  # a phrase ("sources say", "investigating whether") says it as written
    offset = cue.start - sentence.start
    token = next((t for t in roles.parse(sentence.text) if t.idx == offset), None)
    if token is None:
        return True  # the parser split the word otherwise: keep what the words say
    if token.pos_ not in entry.pos:
        return False
    if entry.family == "modal" and token.lower_ in _NEGATABLE:
        return not any(c.dep_ == "neg" for c in token.head.children)
    if entry.family == "belief":
        return token.dep_ in _ASIDE or any(c.dep_ in _CLAUSE for c in token.children)
    if entry.family == "condition":
        return token.dep_ == "mark" and token.head.dep_ == "advcl"
    return True
