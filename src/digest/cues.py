"""The deterministic cue pass: quotes, attribution cues, hedge cues and loaded wording.

Every cue carries character offsets into the article. The lexicons are data files in
``lexicons/`` (each documents its provenance); this module only matches them.
"""

from __future__ import annotations

import re
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


def _lines(name: str) -> list[str]:
    raw = resources.files("digest").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@cache
def lexicon(name: str) -> tuple[str, ...]:
    return tuple(line.strip().lower() for line in _lines(name))


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
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)  # longest phrase wins
    alternation = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
    return re.compile(rf"(?<![\w’'])(?:{alternation})(?![\w’'])", re.IGNORECASE)


def find(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Offsets of every whole-word occurrence of ``terms`` in ``text``."""
    return [(m.start(), m.end()) for m in _pattern(terms).finditer(text)]


def _is_month(sentence: str, start: int) -> bool:
    return any(m.start() == start for m in _MONTH_MAY.finditer(sentence))


def scan(sentences: list[Sentence]) -> list[Cue]:
    """All cues of the article, in text order."""
    cues: list[Cue] = []
    loaded = loaded_lexicon()
    for s in sentences:
        for kind, name in (
            ("speculative", "speculative.txt"),
            ("hedge", "hedges.txt"),
            ("attribution", "attribution.txt"),
        ):
            for a, b in find(s.text, lexicon(name)):
                word = s.text[a:b]
                if word.lower() == "may" and _is_month(s.text, a):
                    continue
                if kind != "attribution" and _NEGATED.search(s.text[:a]):
                    continue  # "not allegedly": the text denies the doubt
                if kind == "attribution" and _PASSIVE.search(s.text[:a]):
                    continue  # "what we've been told" hands the statement to nobody
                cues.append(Cue(kind, s.start + a, s.start + b, word, s.number))  # type: ignore[arg-type]
        for a, b in find(s.text, tuple(loaded)):
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
