import re
from pathlib import Path

import digest
from digest.cues import hints, inventory
from digest.cues import scan as scan_words
from digest.loaded import neutralize
from digest.reading import cues as scan
from digest.segment import sentences


def kinds(text: str, kind: str) -> list[str]:
    return [c.text for c in scan(sentences(text)) if c.kind == kind]


def test_hedges_are_found_with_offsets():
    text = "The recording, allegedly from Baldoni, may be authentic."
    found = [c for c in scan(sentences(text)) if c.kind == "hedge"]
    assert [c.text for c in found] == ["allegedly", "may"]
    assert all(text[c.start : c.end] == c.text for c in found)


def test_suspicion_and_hearsay_are_hedges_and_maintaining_is_attribution():
    text = "A suspected gas leak is thought to have caused it. Labour maintains it paid."
    assert kinds(text, "hedge") == ["suspected", "is thought to"]
    assert kinds(text, "attribution") == ["maintains"]


def test_may_the_month_is_not_a_hedge():
    assert kinds("The audio is dated May 2023 and was sent in May.", "hedge") == []
    assert kinds("May the trial start soon? It may.", "hedge") == ["May", "may"]


def test_attribution_and_phrases():
    text = "Backlist sales dipped 40%, per NPD BookScan, according to the report."
    assert kinds(text, "attribution") == ["per", "according to"]


def test_speculation_and_loaded_words_with_neutral_alternatives():
    text = "A nanny-cam leak has fuelled split rumours after the BOMB recording SHATTERS her story."
    assert "rumours" in kinds(text, "speculative")
    loaded = {c.text: c.neutral for c in scan(sentences(text)) if c.kind == "loaded"}
    assert loaded == {"SHATTERS": "contradicts"}
    # "bomb" is news, not judgment: a car bomb stays a car bomb
    assert kinds("A car bomb hit the base.", "loaded") == []


def test_words_inside_words_do_not_match():
    assert kinds("The bomber was perhaps mayoral.", "loaded") == []
    assert kinds("Mayhem followed.", "hedge") == []


def test_quotes_and_hints_for_the_prompt():
    sents = sentences("“We fell short,” Baldoni adds, reportedly at 2 a.m.")
    cues = scan(sents)
    assert [c.text for c in cues if c.kind == "quote"] == ["“We fell short,”"]
    assert hints(sents[0], cues) == "adds (attribution); reportedly (doubt)"


def test_a_negated_hedge_is_not_a_hedge():
    text = "The payment was not allegedly made: it never apparently happened, bank records show."
    assert kinds(text, "hedge") == []
    assert kinds("The payment may not have been made.", "hedge") == ["may"]


def test_a_quote_of_several_sentences_stays_one_sentence_with_its_speaker():
    text = "“It was chaos. We ran for the exits,” Hale said. The mall reopened."
    sents = sentences(text)
    assert sents[0].text == "“It was chaos. We ran for the exits,” Hale said."
    cues = scan(sents)
    assert [c.text for c in cues if c.kind == "quote"] == ["“It was chaos. We ran for the exits,”"]
    assert hints(sents[0], cues) == "said (attribution)"


def test_doubt_words_count_only_where_the_sentence_makes_them_doubt():
    assert kinds("He could not be reached for comment.", "hedge") == []
    assert kinds("The deal could collapse.", "hedge") == ["could"]
    assert kinds("The suspect was arrested on Monday.", "hedge") == []
    assert kinds("Police suspect the driver was drunk.", "hedge") == ["suspect"]
    assert kinds("She believes in God.", "hedge") == []
    assert kinds("The fire was set, police believe.", "hedge") == ["believe"]


def test_conditions_predictions_and_open_questions_are_speculative():
    assert kinds("If convicted, he faces ten years in prison.", "speculative") == ["If"]
    assert kinds("Reporters asked if he would run again.", "speculative") == []
    assert kinds("The storm is expected to reach land on Friday.", "speculative") == ["expected"]
    text = "Officials are investigating whether the fire was set."
    assert kinds(text, "speculative") == ["investigating whether"]


def test_the_prompt_hints_keep_the_vocabulary_the_prompt_was_measured_with():
    sents = sentences("Analysts believe the rate will rise if prices fall, officials said.")
    assert kinds(sents[0].text, "hedge") == ["believe"]
    measured = scan_words(sents, inventory("v1"))
    assert hints(sents[0], measured) == "said (attribution)"


def test_the_doubt_inventory_names_a_level_a_class_and_a_defined_source_for_every_cue():
    raw = (Path(digest.__file__).parent / "lexicons" / "uncertainty.tsv").read_text("utf-8")
    defined = set(re.findall(r"^# - (\w+):", raw, re.MULTILINE))
    rows = [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 100 and {"DESIGN", "H05", "P01", "B99", "Q85", "H75"} <= defined
    for cue, level, pos, family, sources in rows:
        assert level in ("hedged", "speculative"), cue
        assert pos == "-" or set(pos.split()) <= {"AUX", "ADV", "ADJ", "VERB", "NOUN", "SCONJ"}
        assert family and set(sources.split()) <= defined, cue


def test_judging_words_from_the_sentiment_lexicons_are_loaded_where_they_judge():
    assert kinds("It was an absurd plan, and the result was absurd.", "loaded") == [
        "absurd",
        "absurd",
    ]
    assert kinds("The minister called the plan “absurd” on Monday.", "loaded") == []
    assert kinds("He was found guilty of fraud by the court.", "loaded") == []
    assert kinds("The actor Blake Lively attended.", "loaded") == []
    assert neutralize("It was an absurd plan.") == "It was a plan."
    assert neutralize("It was a painful, joyous film.") == "It was a joyous film."
    assert neutralize("The result was absurd.") == "The result was absurd."
