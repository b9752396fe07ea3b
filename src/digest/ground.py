"""Grounding and de-duplication: pure functions over drafts and sentences.

The model cites sentence numbers; code checks that the cited sentences really carry the
claim's words, and re-cites a claim to the sentence of its chunk that does when the model
pointed at the wrong one. Offsets are computed from the sentences when the claim is built
(:mod:`digest.claims`), never taken from the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from .schema import CERTAINTY
from .segment import Sentence

#: Share of a claim's content words that its evidence must contain.
MIN_SUPPORT = 0.5
#: Share needed to re-cite a claim to another sentence of its chunk without asking again.
RECITE_SUPPORT = 0.7
#: rapidfuzz token_set_ratio above which two claims are the same claim.
SAME_CLAIM = 90

_WORD = re.compile(r"[\w$%]+(?:[.,]\d+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "him",
        "them",
        "who",
        "whom",
        "which",
        "what",
        "has",
        "have",
        "had",
        "not",
        "no",
        "than",
        "then",
        "so",
        "also",
        "into",
        "over",
        "after",
        "before",
        "about",
        "said",
        "says",
        "say",
        "according",
        "per",
        "would",
        "could",
        "will",
        "may",
        "might",
        "can",
        "did",
        "does",
        "do",
    ]
)


@dataclass(frozen=True)
class Draft:
    """A claim as the model gave it, before ids, offsets and checks."""

    text: str
    numbers: tuple[int, ...]
    source: str
    #: The model's level, or None when code reads it off the cues (extract@v4 and later).
    level: str | None
    #: When grounding moved it: the sentence numbers the model cited and the one that says it.
    recited: tuple[tuple[int, ...], int] | None = None


def _stem(word: str) -> str:
    return word[:6]


def content_words(text: str) -> set[str]:
    words = (w.lower().strip(".,") for w in _WORD.findall(text.replace("’", "'")))
    return {_stem(w) for w in words if w and w not in _STOP and (len(w) > 2 or w.isdigit())}


def support(claim: str, evidence: str) -> float:
    """Share of the claim's content words that stand in the evidence (1.0 for no words)."""
    wanted = content_words(claim)
    if not wanted:
        return 1.0
    return len(wanted & content_words(evidence)) / len(wanted)


def ground(draft: Draft, chunk: tuple[Sentence, ...]) -> Draft | None:
    """Return the draft citing sentences that support it, or None if none of the chunk does."""
    by_number = {s.number: s for s in chunk}
    cited = tuple(n for n in dict.fromkeys(draft.numbers) if n in by_number)
    if cited and support(draft.text, " ".join(by_number[n].text for n in cited)) >= MIN_SUPPORT:
        return replace(draft, numbers=cited)
    best = max(chunk, key=lambda s: support(draft.text, s.text))
    if support(draft.text, best.text) >= RECITE_SUPPORT:
        return replace(draft, numbers=(best.number,), recited=(draft.numbers, best.number))
    return None


def less_certain(a: str, b: str) -> str:
    return a if CERTAINTY[a] <= CERTAINTY[b] else b


def same_claim(a: str, b: str) -> bool:
    """Whether two claims state the same thing: nearly the same words, and the same
    numbers ("the death toll rose to 12" and "... to 15" are two claims, a conflict)."""
    return fuzz.token_set_ratio(a.lower(), b.lower()) >= SAME_CLAIM and numbers(a) == numbers(b)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def dedupe(drafts: list[Draft]) -> tuple[list[Draft], int]:
    """Merge drafts that state the same thing; keep the first wording and the less certain
    level, and the union of their sentences. Returns the kept drafts and how many merged."""
    kept: list[Draft] = []
    lowered: list[str] = []  # the kept texts as same_claim compares them
    merged = 0
    for d in drafts:
        # same_claim against every kept draft at once (rapidfuzz's C loop): the first twin
        twin = None
        if kept:
            scores = process.cdist(
                [d.text.lower()], lowered, scorer=fuzz.token_set_ratio, score_cutoff=SAME_CLAIM
            )[0]
            mine = numbers(d.text)
            twin = next(
                (
                    i
                    for i, score in enumerate(scores)
                    if score >= SAME_CLAIM and numbers(kept[i].text) == mine
                ),
                None,
            )
        if twin is None:
            kept.append(d)
            lowered.append(d.text.lower())
            continue
        merged += 1
        k = kept[twin]
        kept[twin] = replace(
            k,
            numbers=tuple(sorted(set(k.numbers) | set(d.numbers))[:4]),
            level=less_certain(k.level, d.level) if k.level and d.level else k.level,
            source=k.source or d.source,
        )
    return kept, merged


#: Share of a headline claim's content words a body sentence needs to say it too.
HEADLINE_IN_BODY = 0.6


def with_body(drafts: list[Draft], sentences: Sequence[Sentence], title: str | None) -> list[Draft]:
    """Drafts grounded in the headline alone, given the body sentence that says the same
    (most of their words) as further evidence: the labelling rules make a headline an extra
    span of the body's claim, and the body says it more plainly."""
    if not title:
        return drafts
    heads = {s.number for s in sentences if s.text.strip() == title.strip()}
    body = [s for s in sentences if s.number not in heads]
    out = []
    for d in drafts:
        if body and set(d.numbers) <= heads:
            best = max(body, key=lambda s: (support(d.text, s.text), -s.number))
            if support(d.text, best.text) >= HEADLINE_IN_BODY:
                d = replace(d, numbers=(*d.numbers, best.number))
        out.append(d)
    return out
