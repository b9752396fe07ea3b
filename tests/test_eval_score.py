"""The scorers on small hand-made cases: perfect, empty and adversarial predictions."""

import math
import re
from pathlib import Path

import pytest

from digest.evals import score
from digest.evals.fixtures import Fixture, load
from digest.schema import Claim, Digest, LoadedSpan, Run, Source, Span, Summary, SummarySentence

GOLD = load(Path(__file__).parent / "data" / "fixtures" / "council.json")


def predict(claims, sources=(), loaded=(), summary=()) -> Digest:
    return Digest(
        article=GOLD.article,
        claims=list(claims),
        sources=list(sources),
        loaded_language=list(loaded),
        summary=Summary(sentences=[SummarySentence(text=t, claim_ids=ids) for t, ids in summary]),
        run=Run(model="test"),
    )


def perfect() -> Digest:
    claims = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(GOLD.claims, 1)]
    return predict(
        claims,
        GOLD.sources,
        GOLD.loaded_language,
        [
            ("The council voted 7-2 to close the bridge, Mayor Ana Ruiz said.", ["c1"]),
            ("A city report says the repairs allegedly cost $4 million.", ["c2"]),
        ],
    )


def metrics(counts):
    return {name: score.metric(name, [counts]) for name in score.METRICS}


def test_a_perfect_prediction_scores_one_everywhere():
    m = metrics(score.score_case(GOLD, perfect()))
    for name in (
        "claim_precision",
        "claim_recall",
        "claim_f1",
        "source_accuracy",
        "hedging_accuracy",
        "hedging_kappa",
        "cue_accuracy",
        "checkworthy_accuracy",
        "grounding_rate",
        "hedge_cue_precision",
        "hedge_cue_recall",
        "loaded_precision",
        "loaded_recall",
        "loaded_f1",
        "uncertain_precision",
        "uncertain_recall",
        "uncertain_f1",
        "summary_supported",
    ):
        assert m[name] == pytest.approx(1.0), name
    assert m["summary_unhedged"] == 0 and m["summary_loaded"] == 0
    assert m["neutral_flagged"] == 0
    assert m["summary_claims_cited"] == 2


def test_an_empty_prediction_recalls_nothing_and_has_no_precision():
    m = metrics(score.score_case(GOLD, predict([])))
    assert m["claim_recall"] == 0 and m["claim_f1"] == 0
    assert math.isnan(m["claim_precision"]) and math.isnan(m["source_accuracy"])
    assert m["loaded_recall"] == 0 and m["hedge_cue_recall"] == 0
    assert m["uncertain_recall"] == 0 and m["neutral_flagged"] == 0


def test_uncertain_sentences_and_false_flags_on_neutral_sentences():
    hedged = [c for c in GOLD.claims if c.hedging in ("hedged", "speculative")]
    assert hedged  # the council fixture has a hedged claim
    # every claim asserted: no uncertain sentence found
    flat = [c.model_copy(update={"hedging": "asserted"}) for c in GOLD.claims]
    m = metrics(score.score_case(GOLD, predict(flat)))
    assert m["uncertain_recall"] == 0 and math.isnan(m["uncertain_precision"])
    # a loaded flag on a sentence with no labelled loaded word is a false flag
    text = GOLD.article.text
    labelled = {s.start for s in GOLD.loaded_language}
    word = next(w for w in re_words(text) if not any(abs(w[0] - x) < 200 for x in labelled))
    flag = LoadedSpan(start=word[0], end=word[1], text=text[word[0] : word[1]])
    m = metrics(score.score_case(GOLD, predict(GOLD.claims, GOLD.sources, [flag])))
    assert m["neutral_flagged"] > 0 and m["loaded_precision"] == 0


def re_words(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{4,}", text)]


def test_a_claim_repeated_ten_times_matches_once():
    claim = perfect().claims[3]
    copies = [claim.model_copy(update={"id": f"c{i}"}) for i in range(10)]
    n = score.score_case(GOLD, predict(copies))
    assert (n.matched, n.predicted) == (1, 10)
    assert score.metric("claim_precision", [n]) == pytest.approx(0.1)


def test_a_claim_needs_both_its_evidence_and_its_words_to_match():
    claims = perfect().claims
    text = GOLD.article.text
    start = text.index("Council")
    headline = [Span(start=start, end=start + 31, text=text[start : start + 31])]
    # The vote claim grounded in the headline, which no gold claim cites.
    misplaced = claims[0].model_copy(update={"evidence": headline})
    # The 1932 sentence's evidence is right, but the text says something else.
    unrelated = claims[3].model_copy(update={"text": "Residents may protest the closure."})
    assert score.align([misplaced], GOLD.claims) == []
    assert score.align([unrelated], GOLD.claims) == []
    assert score.align([claims[3]], GOLD.claims) == [(0, 3)]


def test_levels_sources_and_cues_are_scored_on_matched_claims():
    claims = perfect().claims
    claims[1] = claims[1].model_copy(update={"hedging": "asserted", "cue": None, "source_ids": []})
    n = score.score_case(GOLD, predict(claims, GOLD.sources))
    assert n.matched == 4
    assert score.metric("hedging_accuracy", [n]) == pytest.approx(0.75)
    assert score.metric("source_accuracy", [n]) == pytest.approx(0.75)
    assert score.metric("cue_accuracy", [n]) == pytest.approx(0.5)  # 1 of the 2 cued claims
    assert ("hedged", "asserted") in n.levels
    assert score.confusion(n.levels)[1][3] == 1


def test_source_names_match_loosely_but_not_wrongly():
    assert score.same_sources(["police"], ["el paso police"])
    assert score.same_sources([], [])
    assert not score.same_sources(["tmz"], ["veritone"])
    assert not score.same_sources([], ["tmz"])
    assert score.same_sources(["dave lewis"], ["dave lewis", "dw"])
    assert not score.same_sources(["dave lewis", "reuters"], ["dave lewis"])


def test_summary_that_drops_a_hedge_or_repeats_loaded_words_is_counted():
    d = perfect()
    d.summary = Summary(
        sentences=[
            SummarySentence(text="The repairs cost $4 million.", claim_ids=["c2"]),
            SummarySentence(text="The SHOCKING closure angers residents.", claim_ids=["c3"]),
            SummarySentence(text="Nothing supports this.", claim_ids=["c99"]),
        ]
    )
    n = score.score_case(GOLD, d)
    assert n.summary_unhedged == 2  # c2 is hedged, c3 speculative: both stated as fact
    assert n.summary_loaded == 1
    assert n.summary_supported == 2 and n.summary_sentences == 3


def test_hedge_cues_are_scored_by_position_in_the_article():
    claims = perfect().claims
    claims[2] = claims[2].model_copy(update={"hedge_cues": []})  # misses "may"
    claims[3] = claims[3].model_copy(update={"hedge_cues": ["opened"]})  # not a hedge
    n = score.score_case(GOLD, predict(claims))
    assert (n.hedge_found, n.hedge_predicted, n.hedge_labelled) == (1, 2, 2)


def test_loaded_spans_match_by_overlap():
    text = GOLD.article.text
    start = text.index("SHOCKING")
    hit = LoadedSpan(start=start, end=start + 4, text=text[start : start + 4])
    miss = LoadedSpan(start=0, end=7, text=text[:7])
    n = score.score_case(GOLD, predict([], loaded=[hit, miss]))
    assert (n.loaded_found, n.loaded_predicted, n.loaded_labelled) == (1, 2, 1)


def test_ungrounded_evidence_lowers_the_grounding_rate():
    bad = (
        perfect()
        .claims[0]
        .model_copy(update={"evidence": [Span(start=0, end=5, text="Not the text")]})
    )
    n = score.score_case(GOLD, predict([bad]))
    assert score.metric("grounding_rate", [n]) == 0


def test_weighted_kappa():
    def kappa(pairs):
        return score.weighted_kappa(score.confusion(pairs))

    assert kappa([("hedged", "hedged"), ("asserted", "asserted")]) == 1.0
    # Agreement no better than chance gives 0.
    pairs = [("hedged", "hedged"), ("hedged", "asserted"), ("asserted", "hedged")]
    pairs.append(("asserted", "asserted"))
    assert kappa(pairs) == pytest.approx(0.0)
    # A near miss (hedged for speculative) costs less than a far one (asserted).
    near = [("speculative", "hedged"), ("asserted", "asserted"), ("hedged", "hedged")]
    far = [("speculative", "asserted"), ("asserted", "asserted"), ("hedged", "hedged")]
    assert kappa(near) > kappa(far)
    assert math.isnan(kappa([]))


def _counts(matched: int, gold: int = 10, predicted: int = 10) -> score.Counts:
    return score.Counts(matched=matched, gold=gold, predicted=predicted)


def test_bootstrap_interval_brackets_the_value_and_is_reproducible():
    cases = [_counts(m) for m in (2, 4, 5, 6, 8, 9, 3, 7)]
    e = score.estimate("claim_recall", cases)
    assert e.value == pytest.approx(0.55)
    assert e.low < e.value < e.high
    assert score.estimate("claim_recall", cases) == e
    assert math.isnan(score.estimate("claim_recall", cases[:1]).low)


def test_paired_difference_sees_a_consistent_gain():
    a = [_counts(m) for m in (2, 4, 5, 6, 3)]
    b = [_counts(m + 2) for m in (2, 4, 5, 6, 3)]
    d = score.difference("claim_recall", a, b)
    assert d.value == pytest.approx(0.2) and d.low > 0
    same = score.difference("claim_recall", a, a)
    assert (same.value, same.low, same.high) == (0, 0, 0)


def test_metrics_are_ratios_of_sums_over_articles():
    cases = [_counts(1, gold=2), _counts(3, gold=8)]
    assert score.metric("claim_recall", cases) == pytest.approx(0.4)


def test_a_fixture_uses_the_contract_models():
    assert isinstance(GOLD, Fixture)
    assert all(isinstance(c, Claim) for c in GOLD.claims)
    assert all(isinstance(s, Source) for s in GOLD.sources)


def test_an_interval_survives_resamples_where_a_ratio_is_undefined():
    # Only one article of five has loaded words: many resamples hold none of it.
    cases = [score.Counts(loaded_found=2, loaded_labelled=4)] + [score.Counts()] * 4
    e = score.estimate("loaded_recall", cases)
    assert e.value == pytest.approx(0.5) and e.low == e.high == pytest.approx(0.5)


def test_disputes_and_the_models_loaded_words_are_scored_on_their_own():
    gold = GOLD.model_copy(deep=True)
    gold.claims[1].disputed_by = ["s1"]  # the mayor contests the cost
    p = perfect()
    p.claims[1].disputed_by = ["s1"]
    p.claims[3].disputed_by = ["s2"]  # a dispute the labels do not hold
    text = GOLD.article.text
    start = text.index("SHOCKING")
    p.loaded_language = [
        LoadedSpan(start=start, end=start + 8, text="SHOCKING", found_by="model"),
        LoadedSpan(start=0, end=7, text=text[:7], found_by="model"),
    ]
    m = metrics(score.score_case(gold, p))
    assert (m["disputed_precision"], m["disputed_recall"]) == (0.5, 1.0)
    assert (m["loaded_model_precision"], m["loaded_model_recall"]) == (0.5, 1.0)
