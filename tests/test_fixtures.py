"""Every committed eval fixture keeps the labelling rules that code can check."""

from pathlib import Path

import pytest

from digest.evals.fixtures import load, problems
from digest.schema import CERTAINTY

FIXTURES = sorted((Path(__file__).parents[1] / "evals" / "fixtures").glob("*.json"))
ARTICLES = Path(__file__).parents[1] / "examples"


def test_there_are_at_least_twenty_fixtures_covering_every_kind_of_article():
    assert len(FIXTURES) >= 20
    tags = {t for p in FIXTURES for t in load(p).tags}
    assert {"heavily-sourced", "loaded", "plain"} <= tags
    assert any(p.stem == "leaked-audio-lively-baldoni" for p in FIXTURES)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_is_consistent(path):
    fixture = load(path)
    assert fixture.id == path.stem
    assert problems(fixture) == []
    assert fixture.attribution.strip()
    assert len(fixture.claims) >= 10  # labelled completely, not sampled
    for claim in fixture.claims:
        assert claim.hedging in CERTAINTY
        assert claim.text.strip()


def test_the_demo_fixture_holds_the_demo_article():
    demo = load(next(p for p in FIXTURES if p.stem == "leaked-audio-lively-baldoni"))
    text = (ARTICLES / "leaked-audio-lively-baldoni.txt").read_text(encoding="utf-8")
    assert demo.article.text == text
