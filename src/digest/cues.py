"""The deterministic cue pass: quotes, attribution cues, hedge cues and loaded wording.

Every cue carries character offsets into the article. The lexicons are data files in
``lexicons/`` (each documents its provenance); this module only matches them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from .segment import Sentence

Kind = Literal["hedge", "speculative", "attribution", "loaded", "quote"]
_QUOTE = re.compile(r"“[^”]+”|\"[^\"\n]+\"")
# "May" is a month when capitalised mid-sentence or followed by a day or year.
_NEGATED = re.compile(r"\b(?:not|never|no longer|n[’']t)\s+$", re.IGNORECASE)
_MONTH_MAY = re.compile(r"May(?=\s+\d)|(?<=\S\s)May\b")
_PASSIVE = re.compile(r"\b(?:been|being)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    kind: Kind
    start: int
    end: int
    text: str
    sentence: int
    neutral: str | None = None


@dataclass(frozen=True)
class Doubt:
    """An entry of the doubt inventory (``lexicons/uncertainty.tsv``)."""

    level: Literal["hedged", "speculative"]
    #: spaCy coarse tags the cue's first word must carry; empty for a phrase.
    pos: frozenset[str]
    #: modal, adverb, adjective, appearance, belief, hearsay, rumour, prediction, ...
    family: str


@dataclass(frozen=True)
class Inventory:
    """The words the cue pass matches, by kind."""

    hedge: tuple[str, ...]
    speculative: tuple[str, ...]
    attribution: tuple[str, ...]


def _lines(*path: str) -> list[str]:
    raw = resources.files("digest").joinpath("lexicons", *path).read_text(encoding="utf-8")
    return [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@cache
def lexicon(*path: str) -> tuple[str, ...]:
    return tuple(line.strip().lower() for line in _lines(*path))


@cache
def doubts() -> dict[str, Doubt]:
    """The doubt inventory: cue (lower case) -> its entry."""
    out = {}
    for line in _lines("uncertainty.tsv"):
        cue, level, pos, family, _sources = line.split("\t")
        tags = frozenset() if pos == "-" else frozenset(pos.split())
        out[cue.lower()] = Doubt(level, tags, family)  # type: ignore[arg-type]
    return out


@cache
def inventory(hints: str | None = None) -> Inventory:
    """Today's inventory, or with ``hints`` ("v1") the frozen vocabulary ``hints-v1/`` that
    the extraction prompts were measured with: their hints must not move when the
    inventory grows, or every recorded call would change."""
    if hints:
        folder = f"hints-{hints}"
        return Inventory(
            lexicon(folder, "hedges.txt"),
            lexicon(folder, "speculative.txt"),
            lexicon(folder, "attribution.txt"),
        )
    by_level = {"hedged": [], "speculative": []}  # type: dict[str, list[str]]
    for cue, entry in doubts().items():
        by_level[entry.level].append(cue)
    return Inventory(
        tuple(by_level["hedged"]), tuple(by_level["speculative"]), lexicon("attribution.txt")
    )


def doubt_terms() -> tuple[str, ...]:
    """Every hedge and rumour word of today's inventory."""
    return tuple(doubts())


@cache
def loaded_lexicon() -> dict[str, str | None]:
    """Loaded term -> its neutral alternative, "" when the term can simply be dropped,
    None when it has none."""
    out: dict[str, str | None] = {}
    for line in _lines("loaded.tsv"):
        term, _, neutral = line.partition("\t")
        neutral = neutral.strip()
        out[term.strip().lower()] = None if neutral == "-" else neutral
    return out


@cache
def judging() -> tuple[str, ...]:
    """Words that judge, from licensed sentiment lexicons (``lexicons/judging.tsv``, built by
    ``scripts/judging_lexicon.py``), beyond the hand lexicon: loaded only where the parse
    makes them an adjective or adverb outside quotation marks (:func:`digest.loaded.settle`)."""
    words = {line.split("\t")[0].lower() for line in _lines("judging.tsv")}
    return tuple(sorted(words - set(loaded_lexicon())))


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)  # longest phrase wins
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
    return re.compile(rf"(?<![\w’'])(?:{alternation})(?![\w’'])", re.IGNORECASE)


def find(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Offsets of every whole-word occurrence of ``terms`` in ``text``."""
    return [(m.start(), m.end()) for m in _pattern(terms).finditer(text)]


def _is_month(sentence: str, start: int) -> bool:
    return any(m.start() == start for m in _MONTH_MAY.finditer(sentence))


def scan(sentences: Sequence[Sentence], words: Inventory | None = None) -> list[Cue]:
    """All cues of the article, in text order, found by the words alone (:mod:`digest.doubt`
    then reads which doubt words are cues where they stand)."""
    cues: list[Cue] = []
    loaded = loaded_lexicon()
    words = words or inventory()
    for s in sentences:
        for kind, terms in (
            ("speculative", words.speculative),
            ("hedge", words.hedge),
            ("attribution", words.attribution),
        ):
            for a, b in find(s.text, terms):
                word = s.text[a:b]
                if word.lower() == "may" and _is_month(s.text, a):
                    continue
                if kind != "attribution" and _NEGATED.search(s.text[:a]):
                    continue  # "not allegedly": the text denies the doubt
                if kind == "attribution" and _PASSIVE.search(s.text[:a]):
                    continue  # "what we've been told" hands the statement to nobody
                cues.append(Cue(kind, s.start + a, s.start + b, word, s.number))  # type: ignore[arg-type]
        for a, b in find(s.text, (*loaded, *judging())):
            word = s.text[a:b]
            key = re.sub(r"\s+", " ", word.lower())
            neutral = loaded.get(key) or None
            cues.append(Cue("loaded", s.start + a, s.start + b, word, s.number, neutral))
        for m in _QUOTE.finditer(s.text):
            cues.append(Cue("quote", s.start + m.start(), s.start + m.end(), m.group(), s.number))
    return sorted(cues, key=lambda c: (c.start, c.kind))


_QUOTED = re.compile(r"“[^”]*”?|\"[^\"\n]*\"?")


def quoted(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` inside quotation marks, a quotation still open at the end included
    (a quote may run on into the next sentence). Wider than the cue pass's closed
    quotations on purpose: those decide the extraction hints, which must not move."""
    return [m.span() for m in _QUOTED.finditer(text)]


def in_quotes(cue: Cue, cues: list[Cue]) -> bool:
    return any(q.kind == "quote" and q.start <= cue.start and cue.end <= q.end for q in cues)


def hints(sentence: Sentence, cues: list[Cue]) -> str:
    """Short cue hints for the extraction prompt ("" when there are none): the attribution,
    doubt and rumour words outside quotes, each with what it is, e.g.
    "allegedly (doubt); per (attribution)". Labels never look like a source name."""
    mine = [c for c in cues if c.sentence == sentence.number and not in_quotes(c, cues)]
    labels = {"attribution": "attribution", "hedge": "doubt", "speculative": "rumour"}
    seen: dict[str, str] = {}
    for c in mine:
        if c.kind in labels:
            seen.setdefault(c.text.lower(), labels[c.kind])
    return "; ".join(f"{word} ({label})" for word, label in seen.items())


def contains_any(text: str, terms: tuple[str, ...]) -> list[str]:
    return [text[a:b] for a, b in find(text, terms)]


def english_share(text: str) -> float:
    """The share of the text's words that are common English function words: about a
    third in English news, a few per cent in other languages."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    common = set(lexicon("english.txt"))
    return sum(w in common for w in words) / len(words) if words else 1.0
