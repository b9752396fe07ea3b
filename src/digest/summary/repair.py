"""What is done with a summary that still fails the check after the re-ask: re-cite, reword,
leave out, and, when too little is left, write sentences from the claims by code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from .. import cues as cue_pass
from .. import roles, segment
from ..answers import SummaryAnswer, XSentence
from ..ground import same_claim, support
from ..loaded import neutralize
from ..schema import Claim, Issue, IssueCode, SummarySentence
from ..segment import Sentence
from .check import names, sentence_problems

#: rapidfuzz token set ratio above which a summary sentence carries a claim's words.
RECITE_SIMILARITY = 80
#: Share of a cited claim's content words a summary sentence needs to restate it.
RESTATES = 0.4
SUMMARY_SENTENCE_CHARS = XSentence.model_fields["text"].metadata[-1].max_length
#: Share of a claim's content words its evidence must hold for code to state it as is.
OWN_WORDS = 0.8
#: The longest evidence that may stand as a summary sentence of its own (a news lead
#: often runs to 300 characters and is the densest sentence of the article).
EVIDENCE_CHARS = 320


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


def from_claims(
    claims: list[Claim],
    sources: dict[str, str],
    wanted: int,
    kept: list[SummarySentence],
    loaded: tuple[str, ...] = (),
) -> list[SummarySentence]:
    """Up to ``wanted`` summary sentences written by code, one per claim, in the order of
    ``claims`` (the caller's ranking), none repeating ``kept``: each claim stated as the
    article does ("According to NPD BookScan, ..."), or, when that wording loses its doubt
    or source, as its evidence says it. Each passes the same checks as the model's."""
    out: list[SummarySentence] = []
    used = {i for k in kept for i in k.claim_ids}
    by_id = {c.id: c for c in claims}
    for c in claims:
        if len(out) >= wanted:
            break
        if c.id in used:
            continue
        for text in _wordings(c, sources):
            candidate = XSentence(text=text, claims=[c.id])
            if not sentence_problems(candidate, by_id, sources, loaded) and not any(
                same_claim(text, k.text) for k in kept + out
            ):
                out.append(SummarySentence(text=text, claim_ids=[c.id]))
                break
    return out


def from_sentences(
    claims: list[Claim],
    ranked: list[Claim],
    sources: dict[str, str],
    wanted: int,
    loaded: tuple[str, ...] = (),
    title: str = "",
    plain: bool = True,
) -> list[SummarySentence]:
    """Up to ``wanted`` summary sentences picked by code: for each claim in ``ranked``
    order, the article sentence it rests on (loaded words replaced), citing every claim
    that sentence carries (the body's, never the headline); when that sentence fails the
    checks (too long, a loaded word left, a source named only in the sentence before),
    the claim in its own words. A sentence picked this way is whole and grounded word for
    word. An article that is not ``plain`` (tabloid copy) gives only the claims' words."""
    out: list[SummarySentence] = []
    by_id = {c.id: c for c in claims}
    for c in ranked:
        if len(out) >= wanted:
            break
        body = [e for e in c.evidence if e.text.strip() != title.strip()]
        if any(c.id in k.claim_ids for k in out) or not body:
            continue
        where = body[0]
        text = _full_stop(neutralize(where.text.strip()))
        ids = [o.id for o in claims if any(e.start == where.start for e in o.evidence)]
        candidate = XSentence(text=text[:SUMMARY_SENTENCE_CHARS], claims=ids[:3])
        if (
            plain
            and len(text) <= EVIDENCE_CHARS
            and not _shouts(text)
            and not _leans_back(text)
            and not sentence_problems(candidate, by_id, sources, loaded)
        ):
            out.append(SummarySentence(text=text, claim_ids=ids))
        else:
            out += from_claims([c], sources, 1, out, loaded)
    return out


#: Words that open a sentence leaning on the one before ("It also stated ...").
_BACK = re.compile(r"^(?:it|he|she|they|this|these|those|his|her|its|their|him|them)\b", re.I)


#: Loaded words of the lexicon a sentence, on average, above which an article's own
#: sentences are not used as summary sentences (on the development fixtures: the demo's
#: tabloid copy has 0.74, none of the 19 Wikinews reports more than 0.10).
TABLOID = 0.3


def plain(sentences: Sequence[Sentence]) -> bool:
    """Whether the article is written plainly enough for its sentences to be summary
    sentences (few loaded words of the lexicon a sentence)."""
    terms = tuple(cue_pass.loaded_lexicon())
    found = sum(len(cue_pass.find(s.text, terms)) for s in sentences)
    return not sentences or found / len(sentences) < TABLOID


def _leans_back(text: str) -> bool:
    """Whether a sentence opens with a word that points to the one before it: picked
    alone, the reader does not know who "he" is."""
    return bool(_BACK.match(text.lstrip("“\"'‘ ")))


def _shouts(text: str) -> bool:
    """Tabloid tone that no lexicon lists: an exclamation, or a word of four letters or
    more in capitals ("BOMB", "FIRST") that is not an acronym given in brackets ("(NIAID)")."""
    return "!" in text or bool(re.search(r"(?<![(\w])[A-Z]{4,}\b(?!\))", text))


def _wordings(claim: Claim, sources: dict[str, str]) -> list[str]:
    """The claim's text (attributed to its source when it does not say who says it), then
    its evidence as the article words it; neither when it shouts, and not the claim's text
    when it holds words its evidence does not (a summary states only what the article
    says; a small model's claim may hold less)."""
    evidence = _full_stop(" ".join(e.text.strip() for e in claim.evidence))
    text = _tidy(claim.text)
    own = [text] if support(text, evidence) >= OWN_WORDS else []
    named = [sources[i] for i in claim.source_ids if i in sources]
    if claim.hedging == "attributed" and named and not (names(text, named[0]) or says(text)):
        # "According to Baldoni, Baldoni's voice begins: ..." reads badly: a claim that
        # names its source without saying so is left to the check
        if not roles.starts_with_name(text):
            text = text[0].lower() + text[1:]
        own = [f"According to {named[0]}, {text}"] if own else []
    return [
        t
        for t in (*own, evidence)
        if 3 <= len(t) <= EVIDENCE_CHARS and not _shouts(t) and not _leans_back(t)
    ]


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
