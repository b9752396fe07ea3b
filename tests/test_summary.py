"""The summary a reader sees first: chosen by code, whole, both sides, roles kept."""

import json
from pathlib import Path

from typer.testing import CliRunner

from digest import Digester, roles
from digest.cli import app
from digest.evals import score
from digest.evals.fixtures import load_all
from digest.schema import Claim, Span
from digest.statements import whole
from digest.summary import rank
from helpers import facts_of as facts
from helpers import spied

runner = CliRunner()

DISPUTE = (
    "Toll in dispute\n\n"
    "A car bomb hit a military base in Maidan Shahr on Monday. "
    "Officials said twelve people were killed in the attack. "
    "The Taliban said 190 people were killed. "
    "The base trains members of the security service. "
    "The city lies in the centre of the province. "
    "Officials denied that 190 people were killed."
)


def test_a_fact_cut_off_by_the_answer_limit_becomes_a_whole_statement():
    sentence = (
        "Crews worked through the night on Tuesday to secure the damaged crane, and engineers "
        "fitted a second cable to prevent the line from snapping in a storm."
    )
    cut = sentence[:148].rstrip()  # what a 150-character grammar leaves of a longer fact
    assert cut.endswith(("in a", "in")) or not cut.endswith(".")
    fixed = whole(cut, [sentence])
    assert fixed in (
        sentence,
        "Crews worked through the night on Tuesday to secure the damaged crane",
    )
    assert not fixed.endswith((" a", " in", ","))
    # a whole fact is left alone
    assert (
        whole("Engineers fitted a second cable.", [sentence]) == "Engineers fitted a second cable."
    )


def test_a_long_fact_the_model_cut_off_is_stated_whole_in_the_digest():
    text = (
        "Crane secured\n\n"
        "Crews worked through the night on Tuesday to secure the damaged crane near the "
        "harbour, and engineers fitted a second steel cable to prevent the line from snapping "
        "in a storm that forecasters expect on Friday."
    )
    cut = text.split("\n\n")[1][:150].rstrip()
    model, _ = spied([facts(2, s2=[cut])])
    d = Digester(model, chunk_words=500).run(text)
    assert d.claims and all(
        not c.text.rstrip(".").endswith((" a", " in", " the")) for c in d.claims
    )
    assert "claim.shortened" in [i.code for i in d.issues]
    assert all(s.text.endswith(".") for s in d.summary.sentences)


def test_a_summary_sentence_that_swaps_who_praised_whom_is_caught():
    claim = Claim(
        id="c1",
        text="Baldoni praises Lively's edits.",
        evidence=[Span(start=0, end=10, text="He praises her edits.")],
    )
    swapped = "According to Baldoni, Lively praises Baldoni's edits for making the film more fun."
    assert roles.inverted(swapped, [claim.text]) == [("lively", "praise", "baldoni")]
    assert roles.inverted("Baldoni praised Lively's edits on Tuesday.", [claim.text]) == []
    # the passive keeps the roles: not a swap
    assert roles.inverted("Lively was praised by Baldoni.", ["Baldoni praised Lively."]) == []


def test_a_claim_that_swaps_the_roles_of_its_sentence_is_left_out():
    text = "Praise\n\nBaldoni praised Lively for her edits on Tuesday. The film opened in May."
    model, _ = spied([facts(3, s2=["Lively praised Baldoni for his edits on Tuesday."])])
    d = Digester(model, chunk_words=500).run(text)
    assert not any("Lively praised Baldoni" in c.text for c in d.claims)
    assert "claim.inverted" in [i.code for i in d.issues]


def test_a_disputed_figure_brings_the_other_side_into_the_summary():
    model, _ = spied(
        [
            facts(
                7,
                s2=["A car bomb hit a military base in Maidan Shahr on Monday."],
                s3=["Twelve people were killed in the attack."],
                s4=["190 people were killed in the attack."],
                s5=["The base trains members of the security service."],
                s6=["The city lies in the centre of the province."],
                s7=["Officials denied that 190 people were killed."],
            )
        ]
    )
    d = Digester(model, chunk_words=500, summary_sentences=2).run(DISPUTE)
    disputed = [c for c in d.claims if c.disputed_by]
    assert disputed, [c.model_dump() for c in d.claims]
    cited = {i for s in d.summary.sentences for i in s.claim_ids}
    assert {c.id for c in disputed} & cited, d.summary
    for c in disputed:
        if c.id in cited:
            assert any(set(o.source_ids) & set(c.disputed_by) for o in d.claims if o.id in cited)


def test_the_summary_length_follows_the_article_or_the_option():
    assert rank.sentences_for(300) == 3
    assert rank.sentences_for(3000) > rank.sentences_for(900) >= rank.sentences_for(300)
    assert rank.sentences_for(20000) == 6
    fixture = load_all(Path("evals/fixtures"))[0]
    text = fixture.article.text
    one = Digester("fake", summary_sentences=1).run(text)
    assert len(one.summary.sentences) == 1
    result = runner.invoke(app, ["run", "-", "-m", "fake", "-q", "--summary-sentences", "0"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_pick_mode_asks_the_model_nothing_for_the_summary_and_cites_whole_sentences():
    fixture = load_all(Path("evals/fixtures"))[0]
    model, spy = spied()
    d = Digester(model, summary_mode="pick").run(fixture.article.text)
    assert d.run.summary_mode == "pick" and "summary" not in d.run.prompts
    assert d.run.llm_calls == spy.calls  # extraction only
    assert d.summary.sentences and d.check() == []
    for s in d.summary.sentences:
        assert s.text.endswith((".", '"', "”")) and s.claim_ids


def test_the_summary_mode_option_is_checked_and_written_into_the_run(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Bridge\n\nThe council voted 7-2 on Monday to repair the bridge.\n")
    bad = runner.invoke(app, ["run", str(article), "-m", "fake", "-q", "--summary-mode", "x"])
    assert bad.exit_code == 2 and "use auto, pick or write" in bad.output
    good = runner.invoke(
        app, ["run", str(article), "-m", "fake", "-q", "--summary-mode", "write", "-f", "json"]
    )
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["run"]["summary_mode"] == "write"


def test_the_scorer_measures_key_claims_rouge_and_lead3_alike():
    fixture = next(f for f in load_all(Path("evals/fixtures")) if f.summary)
    lead = score.lead3(fixture.article.text)
    assert len(lead) == 3 and fixture.article.title not in lead[0]
    n = score.Counts()
    score.against_reference(n, fixture, [fixture.summary.reference], lead)
    # the reference covers its own key claims best and scores ROUGE 1 against itself
    assert n.rouge1 > 0.99 and n.key_covered >= n.lead_key_covered
    assert n.key_claims == len(fixture.summary.key_claims)
    empty = score.Counts()
    score.against_reference(empty, fixture, [], lead)
    assert empty.key_covered == 0 and empty.rouge1 == 0


def test_a_fact_of_the_headline_rests_on_the_body_sentence_that_says_it_too():
    text = (
        "Council votes to repair the old bridge\n\n"
        "The city council voted on Monday to repair the old bridge over the river. "
        "Work starts in June."
    )
    model, _ = spied([facts(3, s1=["The council votes to repair the old bridge."])])
    d = Digester(model, chunk_words=500, summary_mode="pick").run(text)
    [claim] = d.claims
    assert [e.text for e in claim.evidence] == [
        "Council votes to repair the old bridge",
        "The city council voted on Monday to repair the old bridge over the river.",
    ]
    # the summary states the body's sentence, not the headline
    assert d.summary.sentences[0].text == claim.evidence[1].text


def test_a_bad_summary_mode_or_length_is_refused_by_the_library_and_every_command(tmp_path):
    import pytest

    from digest import InputError

    with pytest.raises(InputError, match="summary mode 'Pick'"):
        Digester("fake", summary_mode="Pick")
    with pytest.raises(InputError, match="summary sentences must be 1 to 10"):
        Digester("fake", summary_sentences=0)
    article = tmp_path / "a.txt"
    article.write_text("Bridge\n\nThe council voted 7-2 on Monday to repair the bridge.\n")
    for args in (
        ["batch", str(article), "--out", str(tmp_path / "o.jsonl"), "--summary-mode", "x"],
        ["eval", "run", "-m", "fake", "--summary-mode", "x", "-o", str(tmp_path / "e.json")],
        ["run", str(article), "-m", "fake", "--summary-sentences", "11"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 8
    assert not (tmp_path / "o.jsonl").exists() or not (tmp_path / "o.jsonl").read_text()


def test_a_tabloid_article_is_summed_up_in_the_claims_words_not_its_own():
    text = (
        "Feud\n\n"
        "The BOMBSHELL memo SHATTERS the seismic feud, insiders say. "
        "The explosive clip was a bombshell for the blistering feud. "
        "The council voted 7-2 on Monday in a seismic, explosive move."
    )
    model, _ = spied([facts(4, s4=["The council voted 7-2 on Monday."])])
    d = Digester(model, chunk_words=500, summary_mode="pick").run(text)
    assert [s.text for s in d.summary.sentences] == ["The council voted 7-2 on Monday."]


def test_a_sentence_that_leans_on_the_one_before_gives_way_to_the_claims_words():
    text = (
        "Bridge to close\n\n"
        "The city council met on Monday to discuss the old bridge. "
        "It voted 7-2 to close the bridge in June."
    )
    model, _ = spied(
        [
            facts(
                3,
                s2=["The city council met on Monday to discuss the old bridge."],
                s3=["The council voted 7-2 to close the bridge in June."],
            )
        ]
    )
    d = Digester(model, chunk_words=500, summary_mode="pick").run(text)
    texts = [s.text for s in d.summary.sentences]
    # "It voted ..." alone would not say who voted: the claim says it
    assert texts == [
        "The city council met on Monday to discuss the old bridge.",
        "The council voted 7-2 to close the bridge in June.",
    ]


def test_a_parser_whose_files_do_not_match_the_pinned_hash_is_refused_in_one_line(monkeypatch):
    article = "Bridge\n\nThe council voted 7-2 on Monday to repair the bridge.\n"
    monkeypatch.setattr(roles, "SHA256", "0" * 64)
    roles.pipeline.cache_clear()
    roles.parse.cache_clear()  # as in a fresh process: nothing parsed yet
    try:
        result = runner.invoke(app, ["run", "-", "-m", "fake", "-q"], input=article)
    finally:
        monkeypatch.undo()
        roles.pipeline.cache_clear()
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "does not match its pinned sha256" in result.output
