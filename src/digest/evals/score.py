"""Scorers: pure functions from a gold fixture and a predicted digest to counts and metrics.

A case is scored into :class:`Counts` (numerators and denominators, never ratios), so
metrics over many articles are ratios of sums, and a bootstrap over articles resamples
whole cases. Claims are aligned one to one by evidence overlap first and text similarity
second (:func:`align`, an optimal assignment).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, Field
from rapidfuzz import fuzz, utils
from rouge_score import rouge_scorer
from scipy.optimize import linear_sum_assignment

from .. import cues, roles, segment
from ..ground import support
from ..schema import CERTAINTY, Claim, Digest, Source, Span
from ..sources import norm
from .fixtures import Fixture

LEVELS = ["speculative", "hedged", "attributed", "asserted"]
#: A predicted claim matches a gold one only if their evidence overlaps this much (share of
#: the shorter span set) and their texts are this similar (rapidfuzz token set ratio, which
#: is lenient on purpose: a claim that copies its whole sentence still matches one of the
#: facts labelled in it; two claims of one sentence that share a subject may also match).
MIN_OVERLAP = 0.5
MIN_SIMILARITY = 60.0


class Counts(BaseModel):
    """What one case contributes to every metric."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    source_ok: int = 0
    level_ok: int = 0
    cue_ok: int = 0
    cue_labelled: int = 0
    checkworthy_ok: int = 0
    spans: int = 0
    spans_grounded: int = 0
    hedge_found: int = 0
    hedge_predicted: int = 0
    hedge_labelled: int = 0
    loaded_found: int = 0
    loaded_predicted: int = 0
    loaded_labelled: int = 0
    #: Sentences carrying a hedged or speculative claim: found, predicted, labelled.
    uncertain_found: int = 0
    uncertain_predicted: int = 0
    uncertain_labelled: int = 0
    #: Sentences with no labelled loaded word, and those of them digest flags.
    neutral_sentences: int = 0
    neutral_flagged: int = 0
    #: The part of loaded_found / loaded_predicted that the model found (not the lexicon).
    loaded_model_found: int = 0
    loaded_model_predicted: int = 0
    disputed_found: int = 0
    disputed_predicted: int = 0
    disputed_labelled: int = 0
    summary_sentences: int = 0
    summary_supported: int = 0
    summary_claims_cited: int = 0
    summary_unhedged: int = 0
    summary_loaded: int = 0
    #: Summary sentences whose names swap who does what against the claims they cite.
    summary_inverted: int = 0
    summary_words: int = 0
    #: Against the fixture's reference summary and key claims (cases that have them), for
    #: digest's summary and for LEAD-3 (the article's first three sentences).
    references: int = 0
    key_claims: int = 0
    key_covered: int = 0
    lead_key_covered: int = 0
    rouge1: float = 0.0
    rouge2: float = 0.0
    rougeL: float = 0.0
    lead_rouge1: float = 0.0
    lead_rouge2: float = 0.0
    lead_rougeL: float = 0.0
    #: Cases whose key claims hold a dispute, and those whose summary covers both sides.
    disputes: int = 0
    both_sides: int = 0
    lead_both_sides: int = 0
    warnings: int = 0
    #: (gold level, predicted level) of every matched claim.
    levels: list[tuple[str, str]] = Field(default_factory=list)


# ---------------------------------------------------------------- alignment


def _chars(spans: Sequence[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def overlap(a: Sequence[Span], b: Sequence[Span]) -> float:
    """Shared characters as a share of the smaller evidence (1.0 when one holds the other)."""
    ca, cb = _chars(a), _chars(b)
    if not ca or not cb:
        return 0.0
    return len(ca & cb) / min(len(ca), len(cb))


def similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def align(predicted: Sequence[Claim], gold: Sequence[Claim]) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs (predicted index, gold index) of claims that match."""
    if not predicted or not gold:
        return []
    gain = np.zeros((len(predicted), len(gold)))
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            ov = overlap(p.evidence, g.evidence)
            if ov >= MIN_OVERLAP:
                sim = similarity(p.text, g.text)
                if sim >= MIN_SIMILARITY:
                    gain[i, j] = 10 * ov + sim / 100  # evidence first, text second
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if gain[i, j] > 0]


# ---------------------------------------------------------------- per-field agreement


def _names(ids: Sequence[str], sources: Sequence[Source]) -> list[str]:
    by_id = {s.id: s.name for s in sources}
    return [norm(by_id[i]) for i in ids if i in by_id]


def _same_name(a: str, b: str) -> bool:
    return a == b or fuzz.token_set_ratio(a, b) >= 90


def same_sources(predicted: Sequence[str], gold: Sequence[str]) -> bool:
    """The prediction names who asserts the claim: both say the outlet's own voice (no
    source), or every predicted name is one of the gold ones ("police" matches "El Paso
    police"; a claim labelled with a speaker and the outlet relaying them accepts either)."""
    if not predicted or not gold:
        return not predicted and not gold
    return all(any(_same_name(p, g) for g in gold) for p in predicted)


def _cue(c: str | None) -> str:
    return " ".join((c or "").lower().split())


def hedge_positions(claims: Sequence[Claim]) -> set[int]:
    """Article offsets of the hedge cues the claims name, found in their evidence."""
    found = set()
    for c in claims:
        words = tuple(w.lower() for w in c.hedge_cues if w.strip())
        if not words:
            continue
        for e in c.evidence:
            found |= {e.start + a for a, _ in cues.find(e.text, words)}
    return found


def _loaded_matches(predicted: Sequence[Span], gold: Sequence[Span]) -> int:
    """Gold loaded spans that a predicted span overlaps (each predicted span counts once)."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in used and p.start < g.end and g.start < p.end:
                used.add(i)
                hits += 1
                break
    return hits


def _carries_doubt(sentence: str, names: Sequence[str]) -> bool:
    """The sentence keeps a hedge, a rumour word, an attribution cue or a source's name."""
    if cues.find(sentence, cues.doubt_terms() + cues.lexicon("attribution.txt")):
        return True
    words = norm(sentence)
    return any(n and n in words for n in names)


def score_case(fixture: Fixture, digest: Digest) -> Counts:
    """Score one predicted digest against its gold fixture."""
    text = fixture.article.text
    gold, predicted = fixture.claims, digest.claims
    pairs = align(predicted, gold)
    n = Counts(gold=len(gold), predicted=len(predicted), matched=len(pairs))
    n.warnings = len(digest.warnings)
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        n.source_ok += same_sources(
            _names(p.source_ids, digest.sources), _names(g.source_ids, fixture.sources)
        )
        n.level_ok += p.hedging == g.hedging
        n.levels.append((g.hedging, p.hedging))
        if g.cue or p.cue:
            n.cue_labelled += 1
            n.cue_ok += _cue(p.cue) == _cue(g.cue)
        n.checkworthy_ok += p.checkworthy == g.checkworthy
        named = _names(g.disputed_by, fixture.sources)
        n.disputed_found += sum(
            any(_same_name(x, y) for y in named) for x in _names(p.disputed_by, digest.sources)
        )
    n.disputed_predicted = sum(len(c.disputed_by) for c in predicted)
    n.disputed_labelled = sum(len(c.disputed_by) for c in gold)
    spans = [e for c in predicted for e in c.evidence]
    n.spans = len(spans)
    n.spans_grounded = sum(text[e.start : e.end] == e.text for e in spans)

    found, labelled = hedge_positions(predicted), hedge_positions(gold)
    n.hedge_found, n.hedge_predicted, n.hedge_labelled = (
        len(found & labelled),
        len(found),
        len(labelled),
    )
    n.loaded_predicted, n.loaded_labelled = (
        len(digest.loaded_language),
        len(fixture.loaded_language),
    )
    n.loaded_found = _loaded_matches(digest.loaded_language, fixture.loaded_language)
    by_model = [s for s in digest.loaded_language if s.found_by == "model"]
    n.loaded_model_predicted = len(by_model)
    n.loaded_model_found = _loaded_matches(by_model, fixture.loaded_language)

    _score_sentences(n, text, gold, predicted, fixture.loaded_language, digest.loaded_language)
    _score_summary(n, fixture, digest, dict(pairs))
    if fixture.summary is not None:
        summary = [x.text for x in digest.summary.sentences]
        against_reference(n, fixture, summary, lead3(text))
    return n


#: Share of a key claim's content words that one summary sentence must carry to cover it.
COVERS = 0.5


def lead3(text: str) -> list[str]:
    """The article's first three sentences after its title line: the floor a summary must
    beat."""
    title = segment.guess_title(text)
    body = text.lstrip()[len(title) :] if title else text
    return [s.text for s in segment.sentences(body)[:3]]


def covered(claim: Claim, summary: Sequence[str]) -> bool:
    return any(support(claim.text, s) >= COVERS for s in summary)


@cache
def _rouge() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def against_reference(n: Counts, fixture: Fixture, summary: list[str], lead: list[str]) -> None:
    """Key-claim coverage, ROUGE F1 against the reference and both sides of a dispute, for
    the summary and for LEAD-3; the same text-based rules for both."""
    assert fixture.summary is not None
    by_id = {c.id: c for c in fixture.claims}
    keys = [by_id[k] for k in fixture.summary.key_claims]
    n.references = 1
    n.key_claims = len(keys)
    n.key_covered = sum(covered(k, summary) for k in keys)
    n.lead_key_covered = sum(covered(k, lead) for k in keys)
    for prefix, text in (("", summary), ("lead_", lead)):
        scores = _rouge().score(fixture.summary.reference, " ".join(text))
        for name, value in scores.items():
            setattr(n, prefix + name, value.fmeasure)
    sides = [
        (k, [o for o in keys if set(o.source_ids) & set(k.disputed_by)])
        for k in keys
        if k.disputed_by
    ]
    sides = [(k, others) for k, others in sides if others]
    if sides:
        n.disputes = 1
        for field, text in (("both_sides", summary), ("lead_both_sides", lead)):
            setattr(
                n,
                field,
                int(
                    all(
                        covered(k, text) and any(covered(o, text) for o in others)
                        for k, others in sides
                    )
                ),
            )


def _uncertain(claims: Sequence[Claim], starts: list[int]) -> set[int]:
    """The sentences (by start offset) whose text carries a hedged or speculative claim."""
    out = set()
    for c in claims:
        if c.hedging in ("hedged", "speculative"):
            out |= {_sentence_of(e.start, starts) for e in c.evidence}
    return out


def _sentence_of(offset: int, starts: list[int]) -> int:
    return starts[max(0, bisect_right(starts, offset) - 1)]


def _score_sentences(
    n: Counts,
    text: str,
    gold: Sequence[Claim],
    predicted: Sequence[Claim],
    gold_loaded: Sequence[Span],
    loaded: Sequence[Span],
) -> None:
    """Sentence-level uncertainty (a sentence is uncertain when it carries a hedged or
    speculative claim) and the share of sentences with no labelled loaded word that
    digest flags anyway."""
    starts = [s.start for s in segment.sentences(text)]
    if not starts:
        return
    found, labelled = _uncertain(predicted, starts), _uncertain(gold, starts)
    n.uncertain_found = len(found & labelled)
    n.uncertain_predicted, n.uncertain_labelled = len(found), len(labelled)
    loaded_in = {_sentence_of(s.start, starts) for s in gold_loaded}
    flagged = {_sentence_of(s.start, starts) for s in loaded}
    neutral = set(starts) - loaded_in
    n.neutral_sentences = len(neutral)
    n.neutral_flagged = len(neutral & flagged)


def _score_summary(n: Counts, fixture: Fixture, digest: Digest, to_gold: dict[int, int]) -> None:
    index = {c.id: i for i, c in enumerate(digest.claims)}
    loaded = {s.text.lower() for s in fixture.loaded_language} | set(cues.loaded_lexicon())
    cited_gold: set[int] = set()
    for sentence in digest.summary.sentences:
        n.summary_sentences += 1
        golds = [to_gold.get(index.get(cid, -1)) for cid in sentence.claim_ids]
        if sentence.claim_ids and all(g is not None for g in golds):
            n.summary_supported += 1
        cited_gold |= {g for g in golds if g is not None}
        for g in golds:
            if g is None:
                continue
            claim = fixture.claims[g]
            if CERTAINTY[claim.hedging] < CERTAINTY["asserted"]:
                names = _names(claim.source_ids, fixture.sources)
                if not _carries_doubt(sentence.text, names):
                    n.summary_unhedged += 1
                    break
        n.summary_words += len(sentence.text.split())
        cited = [digest.claims[index[c]] for c in sentence.claim_ids if c in index]
        said = [c.text for c in cited] + [e.text for c in cited for e in c.evidence]
        n.summary_inverted += bool(roles.inverted(sentence.text, said))
        lowered = sentence.text.lower()
        n.summary_loaded += sum(
            1 for term in loaded if cues.find(lowered, (term,)) and len(term) > 2
        )
    n.summary_claims_cited = len(cited_gold)


# ---------------------------------------------------------------- metrics


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def confusion(pairs: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Rows: gold level, columns: predicted level, in :data:`LEVELS` order."""
    matrix = [[0] * len(LEVELS) for _ in LEVELS]
    for g, p in pairs:
        matrix[LEVELS.index(g)][LEVELS.index(p)] += 1
    return matrix


def weighted_kappa(matrix: Any) -> float:
    """Cohen's kappa with linear weights over the ordered levels (1 = full agreement),
    from a confusion matrix (rows gold, columns predicted)."""
    observed = np.asarray(matrix, dtype=float)
    if observed.sum() == 0:
        return float("nan")
    k = len(LEVELS)
    observed = observed / observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    weights = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    disagreement = (weights * expected).sum()
    if disagreement == 0:
        return 1.0 if (weights * observed).sum() == 0 else float("nan")
    return float(1 - (weights * observed).sum() / disagreement)


_FIELDS = [name for name in Counts.model_fields if name != "levels"]


class Totals:
    """The summed counts of some cases (``t.matched`` ...), their confusion matrix, and how
    many cases they are."""

    def __init__(self, sums: np.ndarray, matrix: np.ndarray, cases: int) -> None:
        self._sums = dict(zip(_FIELDS, sums.tolist(), strict=True))
        self.confusion = matrix
        self.cases = cases

    def __getattr__(self, name: str) -> float:
        try:
            return self._sums[name]
        except KeyError:
            raise AttributeError(name) from None


class Cases:
    """Cases as arrays, so that a bootstrap resample is an index and a sum."""

    def __init__(self, cases: Sequence[Counts]) -> None:
        n = len(cases)
        self.n = n
        self.values = np.array([[getattr(c, f) for f in _FIELDS] for c in cases], float)
        self.values = self.values.reshape(n, len(_FIELDS))
        matrices = [confusion(c.levels) for c in cases]
        self.matrices = np.array(matrices, float).reshape(n, len(LEVELS), len(LEVELS))

    def totals(self, idx: Any = slice(None)) -> Totals:
        values = self.values[idx]
        return Totals(values.sum(axis=0), self.matrices[idx].sum(axis=0), len(values))


def _per_article(field: str) -> Callable[[Totals], float]:
    return _share(field, "cases")


def _f1(found: str, predicted: str, labelled: str) -> Callable[[Totals], float]:
    return lambda t: _ratio(2 * getattr(t, found), getattr(t, predicted) + getattr(t, labelled))


def _share(num: str, den: str) -> Callable[[Totals], float]:
    """A ratio of two summed counts ("matched" of "predicted")."""
    return lambda t: _ratio(getattr(t, num), getattr(t, den))


Metric = Callable[[Totals], float]

#: name -> (function of the summed counts, higher is better)
METRICS: dict[str, tuple[Metric, bool]] = {
    "claim_precision": (_share("matched", "predicted"), True),
    "claim_recall": (_share("matched", "gold"), True),
    "claim_f1": (_f1("matched", "predicted", "gold"), True),
    "source_accuracy": (_share("source_ok", "matched"), True),
    "hedging_accuracy": (_share("level_ok", "matched"), True),
    "hedging_kappa": (lambda t: weighted_kappa(t.confusion), True),
    "cue_accuracy": (_share("cue_ok", "cue_labelled"), True),
    "checkworthy_accuracy": (_share("checkworthy_ok", "matched"), True),
    "grounding_rate": (_share("spans_grounded", "spans"), True),
    "hedge_cue_precision": (_share("hedge_found", "hedge_predicted"), True),
    "hedge_cue_recall": (_share("hedge_found", "hedge_labelled"), True),
    "loaded_precision": (_share("loaded_found", "loaded_predicted"), True),
    "loaded_recall": (_share("loaded_found", "loaded_labelled"), True),
    "uncertain_precision": (_share("uncertain_found", "uncertain_predicted"), True),
    "uncertain_recall": (_share("uncertain_found", "uncertain_labelled"), True),
    "uncertain_f1": (_f1("uncertain_found", "uncertain_predicted", "uncertain_labelled"), True),
    "loaded_f1": (_f1("loaded_found", "loaded_predicted", "loaded_labelled"), True),
    "neutral_flagged": (_share("neutral_flagged", "neutral_sentences"), False),
    "loaded_model_precision": (
        _share("loaded_model_found", "loaded_model_predicted"),
        True,
    ),
    "loaded_model_recall": (_share("loaded_model_found", "loaded_labelled"), True),
    "disputed_precision": (_share("disputed_found", "disputed_predicted"), True),
    "disputed_recall": (_share("disputed_found", "disputed_labelled"), True),
    "summary_supported": (_share("summary_supported", "summary_sentences"), True),
    "summary_claims_cited": (_per_article("summary_claims_cited"), True),
    "summary_unhedged": (_per_article("summary_unhedged"), False),
    "summary_loaded": (_per_article("summary_loaded"), False),
    "summary_inverted": (_per_article("summary_inverted"), False),
    "summary_words": (_per_article("summary_words"), False),
    "key_coverage": (_share("key_covered", "key_claims"), True),
    "rouge1": (_share("rouge1", "references"), True),
    "rouge2": (_share("rouge2", "references"), True),
    "rougeL": (_share("rougeL", "references"), True),
    "both_sides": (_share("both_sides", "disputes"), True),
    "lead3_key_coverage": (_share("lead_key_covered", "key_claims"), True),
    "lead3_rouge1": (_share("lead_rouge1", "references"), True),
    "lead3_rouge2": (_share("lead_rouge2", "references"), True),
    "lead3_rougeL": (_share("lead_rougeL", "references"), True),
    "lead3_both_sides": (_share("lead_both_sides", "disputes"), True),
    # the summary against LEAD-3 on the same articles: its interval is a paired one
    "key_coverage_vs_lead3": (
        lambda t: _ratio(t.key_covered - t.lead_key_covered, t.key_claims),
        True,
    ),
    "rouge1_vs_lead3": (lambda t: _ratio(t.rouge1 - t.lead_rouge1, t.references), True),
    "warnings": (_per_article("warnings"), False),
}
#: The metrics CI gates on.
HEADLINE = [
    "claim_f1",
    "source_accuracy",
    "hedging_accuracy",
    "grounding_rate",
    "summary_supported",
    "summary_unhedged",
    "summary_inverted",
    "key_coverage",
    "rouge1",
]


def metric(name: str, cases: Sequence[Counts] | Cases) -> float:
    table = cases if isinstance(cases, Cases) else Cases(cases)
    return float(METRICS[name][0](table.totals()))


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float | None]:
        """JSON-ready: an undefined figure (nothing to count) is null."""
        return {k: None if math.isnan(v) else v for k, v in vars(self).items()}


def _interval(stat: Callable[[Any], float], n: int, resamples: int) -> tuple[float, float]:
    """95% percentile bootstrap over cases, seeded so a run always gets the same interval.

    Written out rather than scipy.stats.bootstrap because a resample can leave a ratio
    undefined (no article with a loaded word drawn): such resamples are skipped, not
    allowed to turn the whole interval into NaN."""
    if n < 2:
        return float("nan"), float("nan")
    draws = np.random.default_rng(0).integers(0, n, size=(resamples, n))
    values = np.array([stat(idx) for idx in draws])
    if np.isnan(values).all():
        return float("nan"), float("nan")
    low, high = np.nanpercentile(values, [2.5, 97.5])
    return float(low), float(high)


def estimate(name: str, cases: Sequence[Counts], resamples: int = 2000) -> Estimate:
    """A metric over the cases with its 95% bootstrap interval (articles resampled)."""
    fn, table = METRICS[name][0], Cases(cases)
    low, high = _interval(lambda idx: fn(table.totals(idx)), table.n, resamples)
    return Estimate(fn(table.totals()), low, high)


def difference(
    name: str, a: Sequence[Counts], b: Sequence[Counts], resamples: int = 2000
) -> Estimate:
    """B minus A on the same articles (paired), with its 95% bootstrap interval."""
    fn, ta, tb = METRICS[name][0], Cases(a), Cases(b)

    def stat(idx: Any) -> float:
        return fn(tb.totals(idx)) - fn(ta.totals(idx))

    low, high = _interval(stat, ta.n, resamples)
    return Estimate(stat(slice(None)), low, high)
