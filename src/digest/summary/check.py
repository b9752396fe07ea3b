"""The summary check: what one summary sentence does wrong, as sentences the model can be
told ("... states a hedged claim as fact: keep its doubt word").

A sentence must cite claims that exist, keep the doubt of a hedged claim and the source of
an attributed one, lend no source to a claim that lacks it, use no loaded word, and name
no one that no claim names.
"""

from __future__ import annotations

import re

from .. import cues as cue_pass
from .. import roles
from ..answers import SummaryAnswer, XSentence
from ..ground import content_words
from ..schema import Claim


def summary_problems(
    answer: SummaryAnswer,
    claims: dict[str, Claim],
    sources: dict[str, str] | None = None,
    loaded: tuple[str, ...] = (),
) -> list[str]:
    """What every sentence does wrong; ``loaded`` adds the article's own loaded words (the
    ones the model found) to the lexicon's."""
    return [p for s in answer.sentences for p in sentence_problems(s, claims, sources, loaded)]


def sentence_problems(
    s: XSentence,
    claims: dict[str, Claim],
    sources: dict[str, str] | None = None,
    loaded: tuple[str, ...] = (),
) -> list[str]:
    """What one summary sentence does wrong: uncited or unknown claims, lost doubt or
    source, a lent source, loaded words, strangers."""
    sources = sources or {}
    problems = []
    if unknown := [i for i in s.claims if i not in claims]:
        problems.append(f'"{s.text}" cites unknown claim ids {unknown}')
    cited = [claims[i] for i in s.claims if i in claims]
    if not cited:
        return [*problems, f'"{s.text}" cites no claim: every sentence must cite its claims']
    strangers = _strangers(s.text, claims, sources)
    # one problem, one report: a speaker that is a stranger or a known source is said so
    lent = _lent(s.text, cited, sources) or (
        [] if strangers else _lent_speaker(s.text, cited, sources)
    )
    return [
        *problems,
        *_certainty(s.text, cited, sources),
        *_swapped(s.text, cited),
        *lent,
        *_loaded(s.text, loaded),
        *strangers,
    ]


def _certainty(text: str, cited: list[Claim], sources: dict[str, str]) -> list[str]:
    """A hedged or speculative claim keeps a doubt word: an attribution alone is not enough
    ("TMZ says the clip is a voice note" has lost the "allegedly" of "the clip, allegedly a
    voice note"). An attributed claim names its source ("NPD BookScan") and says that the
    source says it; a claim with no source needs an attribution or a doubt word."""
    has_hedge = bool(cue_pass.contains_any(text, cue_pass.doubt_terms()))
    if {c.hedging for c in cited} & {"hedged", "speculative"} and not has_hedge:
        return [f'"{text}" states a hedged claim as fact: keep its doubt word']
    has_attribution = bool(cue_pass.contains_any(text, cue_pass.lexicon("attribution.txt")))
    for claim in (c for c in cited if c.hedging == "attributed"):
        named = [sources[i] for i in claim.source_ids if i in sources]
        if named and not any(names(text, n) for n in named):
            return [f'"{text}" drops the source: say that {named[0]} says it']
        if not (has_attribution or has_hedge):
            # "Lively praises Baldoni's edits" names Baldoni but not as the one who says it
            if named:
                return [f'"{text}" does not say that {named[0]} says it']
            return [f'"{text}" drops the source: say who says it']
    return []


def _swapped(text: str, cited: list[Claim]) -> list[str]:
    """Names that play the other part than in the cited claims and their evidence ("Lively
    praises Baldoni's edits" where Baldoni praised hers)."""
    said = [c.text for c in cited] + [e.text for c in cited for e in c.evidence]
    if swapped := roles.inverted(text, said):
        a, verb, b = swapped[0]
        return [f'"{text}" swaps who does what: in the claims, {b} does "{verb}" to {a}']
    return []


def _lent(text: str, cited: list[Claim], sources: dict[str, str]) -> list[str]:
    """A source named as the sayer ("according to TMZ") that none of the cited claims has."""
    own = {sources[i] for c in cited for i in c.source_ids if i in sources}
    foreign = [n for n in sources.values() if n not in own and names_fully(text, n)]
    if foreign:
        return [f'"{text}" names {foreign[0]} as a source, but the claims it cites do not']
    return []


_SPEECH = re.compile(r"\b(?:said|says|told|stated|reported|claimed|added|announced)\b", re.I)
_ACCORDING = re.compile(
    r"\b(?:according to|per)\s+(?!\d)((?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,3})", re.I
)
_PASSIVE = frozenset(["was", "were", "been", "be", "is", "are", "being", "has", "have", "had"])
_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "these", "those"]
)


def speakers(text: str) -> list[str]:
    """Who a sentence says says it: the words after "according to" or "per", and up to
    three words before a speech verb in its clause ("council president said"), adverbs
    and a passive ("were reported") left out."""
    found = [m.group(1) for m in _ACCORDING.finditer(text)]
    for m in _SPEECH.finditer(text):
        before = re.split(r"[,;:.!?“”\"()]", text[: m.start()])[-1].split()[-3:]
        if before and before[-1].lower() not in _PASSIVE:
            found.append(" ".join(w for w in before if not w.lower().endswith("ly")))
    return [f for f in found if f]


def _lent_speaker(text: str, cited: list[Claim], sources: dict[str, str]) -> list[str]:
    """A speaker or role the sentence gives that neither the cited claims, their evidence
    nor their sources name ("..., council president said" for a claim no one is named
    saying): lowercase roles escape the stranger check, so they are checked here."""
    known = content_words(
        " ".join(
            [c.text for c in cited]
            + [e.text for c in cited for e in c.evidence]
            + [sources[i] for c in cited for i in c.source_ids if i in sources]
        )
    )
    for speaker in speakers(text):
        words = {w for w in content_words(speaker) if w not in _PRONOUNS}
        if words - known:
            return [f'"{text}" gives it a speaker ({speaker}) that the claims it cites do not']
    return []


def _loaded(text: str, loaded: tuple[str, ...]) -> list[str]:
    if found := cue_pass.contains_any(text, (*cue_pass.loaded_lexicon(), *loaded)):
        return [f'"{text}" uses loaded words {found}: use plain words']
    return []


def _strangers(text: str, claims: dict[str, Claim], sources: dict[str, str]) -> list[str]:
    """Capitalised words after a sentence's first that no claim, evidence or source holds:
    a small model lends names from the prompt's worked example ("fire chief Tom Hale")."""
    said = " ".join(
        [*sources.values(), *(c.text for c in claims.values())]
        + [e.text for c in claims.values() for e in c.evidence]
    )
    known = set(re.findall(r"\w+", said.lower()))
    words = [w for w in re.findall(r"(?<![\w'’])\w+", text)[1:] if w[0].isupper()]
    if strangers := [w for w in dict.fromkeys(words) if w.lower() not in known]:
        return [f'"{text}" names {" ".join(strangers)}, whom no claim names']
    return []


def names(sentence: str, source: str) -> bool:
    """Whether a summary sentence names a source: any of its words of three letters or more
    ("Hoover" for "Colleen Hoover", "TMZ"), apostrophes and case ignored."""
    words = set(re.findall(r"[a-z0-9]{3,}", sentence.lower().replace("’", "'")))
    return any(w in words for w in re.findall(r"[a-z0-9]{3,}", source.lower().replace("’", "'")))


def names_fully(sentence: str, source: str) -> bool:
    """Whether the sentence attributes something to ``source`` by its whole name ("according
    to TMZ", "TMZ reported"); a source that is also the subject of a claim ("Baldoni") is
    named in many sentences that do not attribute to it, so only a cue next to it counts."""
    name = re.escape(source.strip())
    cue = r"(?:according to|per|said|says|told|reported|reports)"
    return bool(
        re.search(rf"{cue}\s+(?:the\s+)?{name}\b|\b{name}\s+{cue}", sentence, re.IGNORECASE)
    )
