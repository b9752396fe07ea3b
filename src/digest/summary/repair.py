"""What is done with a summary that still fails the check after the re-ask: re-cite, reword,
leave out, and, when too little is left, write sentences from the claims by code.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .. import cues as cue_pass
from .. import segment
from ..answers import SummaryAnswer, XSentence
from ..ground import same_claim, support
from ..loaded import neutralize
from ..schema import Claim, Issue, IssueCode, SummarySentence
from .check import sentence_problems

#: rapidfuzz token set ratio above which a summary sentence carries a claim's words.
RECITE_SIMILARITY = 80
#: Share of a cited claim's content words a summary sentence needs to restate it.
RESTATES = 0.4
SUMMARY_SENTENCE_CHARS = XSentence.model_fields["text"].metadata[-1].max_length


def repair(
    answer: SummaryAnswer,
    claims: dict[str, Claim],
    sources: dict[str, str],
    loaded: tuple[str, ...] = (),
) -> tuple[list[XSentence], list[Issue]]:
    """The last resort after the re-ask: a sentence citing the wrong claims is re-cited to
    the ones it carries, loaded words are replaced by their neutral alternative or dropped
    (see :func:`~digest.loaded.neutralize`), and a sentence that restates none of its
    claims, or still drops a hedge or a source, or keeps a loaded word, is left out.
    Returns the kept sentences and an issue for each change."""
    kept: list[XSentence] = []
    issues: list[Issue] = []

    def note(code: IssueCode, message: str) -> None:
        issues.append(Issue(code=code, message=f"summary: {message}"))

    for s in answer.sentences:
        if not _carries(s, claims) and (found := _recite(s.text, claims)):
            note("summary.recited", f'"{s.text}" cited {s.claims}; re-cited to {found}')
            s = s.model_copy(update={"claims": found})
        if not any(support(claims[i].text, s.text) >= RESTATES for i in s.claims if i in claims):
            note(
                "summary.sentence_dropped", f'sentence left out: "{s.text}" says none of {s.claims}'
            )
            continue
        fixed = s.model_copy(update={"text": neutralize(s.text)})
        if fixed.text != s.text:
            note("summary.reworded", f'loaded words replaced in "{s.text}"')
        if problems := sentence_problems(fixed, claims, sources, loaded):
            for p in problems:
                note("summary.sentence_dropped", f"sentence left out: {p}")
        else:
            kept.append(fixed)
    return kept, issues


def _recite(sentence: str, claims: dict[str, Claim]) -> list[str]:
    """The claims (at most three) whose words a summary sentence carries, for a sentence
    that cites no known claim id (small models cite "tmz" or a name instead)."""
    scored = [(fuzz.token_set_ratio(sentence, c.text), cid) for cid, c in claims.items()]
    return [cid for score, cid in sorted(scored, reverse=True)[:3] if score >= RECITE_SIMILARITY]


def _carries(s: XSentence, claims: dict[str, Claim]) -> bool:
    """Whether a summary sentence carries the words of a claim it cites (small models cite
    the id of the line next to the one they restate)."""
    return any(
        fuzz.token_set_ratio(s.text, claims[i].text) >= RECITE_SIMILARITY
        for i in s.claims
        if i in claims
    )


#: Words that start a claim and are lower case after "According to X," (names stay).
_LOWER = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "his",
        "her",
        "their",
        "some",
        "many",
        "several",
    ]
)


def from_claims(
    claims: list[Claim],
    sources: dict[str, str],
    wanted: int,
    kept: list[SummarySentence],
    loaded: tuple[str, ...] = (),
) -> list[SummarySentence]:
    """Up to ``wanted`` summary sentences written by code, one per claim, for when the
    model's sentences failed the checks: checkable claims of the body first, each stated
    as the article does ("According to NPD BookScan, ..."); hedged claims only when their
    text keeps the doubt word, speculative ones never. Each passes the same checks."""
    out: list[SummarySentence] = []
    used = {i for k in kept for i in k.claim_ids}
    by_id = {c.id: c for c in claims}
    for c in sorted(claims, key=lambda c: not c.checkworthy):
        if len(out) == wanted:
            break
        if c.id in used or c.hedging == "speculative":
            continue
        text = _tidy(c.text)
        named = [sources[i] for i in c.source_ids if i in sources]
        if c.hedging == "attributed" and named and not (text.startswith(named[0]) or says(text)):
            first, _, rest = text.partition(" ")
            if first.lower() in _LOWER:
                first = first.lower()
            text = f"According to {named[0]}, {first} {rest}"
        candidate = XSentence(text=text, claims=[c.id])
        if sentence_problems(candidate, by_id, sources, loaded) or any(
            same_claim(text, k.text) for k in kept + out
        ):
            continue
        out.append(SummarySentence(text=text, claim_ids=[c.id]))
    return sorted(out, key=lambda s: claims.index(by_id[s.claim_ids[0]]))


#: A claim's loose ends: sentence numbers the model echoed ("5-6: "), and a tail cut off
#: by the answer's length limit ("..., and", "both alive and dead,").
_ECHO = re.compile(r"^\d+(?:\s*[-–]\s*\d+)?:\s*")
_CUT = re.compile(r"(?:[\s,;:]+(?:and|or|but|with|of|to|by|the|a|an|as|in|on))*[\s,;:.]*$", re.I)


def says(text: str) -> bool:
    """Whether a claim already says who says it: an attribution word of the lexicon, or the
    present tense of one of its past forms ("describes" for "described")."""
    verbs = cue_pass.lexicon("attribution.txt")
    if cue_pass.contains_any(text, verbs):
        return True
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w.endswith("s")]
    return any(w[:-1] + "d" in verbs or w[:-1] + "ed" in verbs for w in words)


def _tidy(text: str) -> str:
    """A claim's text as a summary sentence: loose ends trimmed, one full stop."""
    return _full_stop(_CUT.sub("", _ECHO.sub("", text.strip())))


_ENDS = (".", "!", "?", "”", '"', "'", "’")


def whole(text: str) -> str:
    """The text without a last sentence cut off by the answer's length limit (small models
    pack several sentences into one), ending with a full stop."""
    parts = segment.sentences(text)
    cut = len(text) >= SUMMARY_SENTENCE_CHARS * 0.9 or not parts[-1].text.endswith(_ENDS)
    if len(parts) > 1 and cut:
        text = text[: parts[-2].end].rstrip()
    return _full_stop(text)


def _full_stop(text: str) -> str:
    return text if text.endswith(_ENDS) else text + "."
