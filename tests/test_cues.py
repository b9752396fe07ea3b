from digest.cues import hints, scan
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
