"""Loaded wording: the article's judging or sensational words, their neutral alternatives,
and keeping them out of claims and the summary.

The cue pass finds the hand lexicon's words (``lexicons/loaded.tsv``) and the judging
words of licensed sentiment lexicons (``lexicons/judging.tsv``); :func:`settle` keeps the
latter only where the sentence's parse makes them an adjective or adverb outside quotation
marks ("a stunning reversal", not "Blake Lively"). A prompt may also ask the model for the
chunk's loaded words (extract@v4), which are placed in the text here. :func:`neutralize`
rewrites a claim or a summary sentence without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import cues as cue_pass
from . import roles
from . import sources as source_pass
from .schema import LoadedSpan
from .segment import Chunk, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Token

_JUDGING = frozenset({"ADJ", "ADV"})
#: A judging word that only qualifies another ("a stunning reversal", "deeply moving") can
#: be dropped; one that carries the predicate ("the result was stunning") cannot.
_DROPPABLE = frozenset({"amod", "advmod"})


def settle(cues: list[cue_pass.Cue], sentences: list[Sentence]) -> list[cue_pass.Cue]:
    """The cues without the judging words that judge nothing where they stand: not an
    adjective or adverb in the parse, or the speaker's words inside quotation marks."""
    at = {s.number: s for s in sentences}
    words = set(cue_pass.judging())
    return [
        c
        for c in cues
        if c.kind != "loaded"
        or c.text.lower() not in words
        or _judges(at[c.sentence].text, c.start - at[c.sentence].start)
    ]


def _judges(sentence: str, offset: int) -> bool:
    if any(a <= offset < b for a, b in cue_pass.quoted(sentence)):
        return False
    token = next((t for t in roles.parse(sentence) if t.idx == offset), None)
    if token is None or (token.i > 0 and token.is_title):
        return False  # a capital inside the sentence makes a name: "Blake Lively"
    return token.pos_ in _JUDGING


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
    sentence = _drop_judging(sentence, quotes)
    return sentence[0].upper() + sentence[1:] if sentence else sentence


def _drop_judging(sentence: str, quotes: bool) -> str:
    """``sentence`` without the judging words that only qualify another word, each with the
    words that qualify it in turn ("most striking") and its link to a coordinated one
    ("detailed and joyous"); "a"/"an" before the next word is set right."""
    if not cue_pass.find(sentence, cue_pass.judging()):
        return sentence  # no parse needed
    words = set(cue_pass.judging())
    quoted = cue_pass.quoted(sentence) if quotes else []
    cuts = [
        _span(t)
        for t in roles.parse(sentence)
        if t.lower_ in words
        and t.pos_ in _JUDGING
        and t.dep_ in _DROPPABLE | {"conj"}
        and (t.dep_ != "conj" or t.head.dep_ in _DROPPABLE)
        and not any(a <= t.idx < b for a, b in quoted)
    ]
    for a, b in sorted(cuts, reverse=True):
        rest = sentence[b:].lstrip(" ")
        head = sentence[:a]
        if head and not head[-1].isspace() and rest[:1].isalnum():
            head += " "
        if rest and (m := re.search(r"\b(an?)(\s+)$", head, re.IGNORECASE)):
            article = "an" if rest[0].lower() in "aeiou" else "a"
            head = head[: m.start(1)] + _case(article, m[1]) + m[2]
        sentence = head + rest
    return re.sub(r"^[\s,]+", "", sentence)


def _span(token: Token) -> tuple[int, int]:
    """Where ``token`` and the adverbs before it that qualify it stand; for a coordinated
    word ("joyous and painful", "joyous, painful"), from the conjunction or comma before
    it."""
    first = token
    for c in token.children:
        if c.dep_ == "advmod" and c.i < token.i:
            first = min(first, c, key=lambda t: t.i)
    doc = token.doc
    if token.dep_ == "conj" and first.i > 0 and doc[first.i - 1].dep_ in ("cc", "punct"):
        first = doc[first.i - 1]
        if first.i > 0 and doc[first.i - 1].text == ",":
            first = doc[first.i - 1]
    elif first.i > 1 and doc[first.i - 1].text == "," and doc[first.i - 2].dep_ == "amod":
        first = doc[first.i - 1]
    elif (
        token.i + 2 < len(doc) and doc[token.i + 1].text == "," and doc[token.i + 2].dep_ == "amod"
    ):
        return first.idx, doc[token.i + 1].idx + 1
    return first.idx, token.idx + len(token.text)


def _case(word: str, like: str) -> str:
    return word.capitalize() if like[0].isupper() else word


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
