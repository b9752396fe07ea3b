from digest.claims import build, disputes, speaker
from digest.cues import scan
from digest.ground import Draft
from digest.schema import Claim, Span
from digest.segment import sentences
from helpers import FOUR_SENTENCES as TEXT

SENTS = sentences(TEXT)
BY_NUMBER = {s.number: s for s in SENTS}
CUES = scan(SENTS)


def draft(text: str, numbers: list[int], source: str = "", level: str | None = "asserted"):
    return Draft(text, tuple(numbers), source, level)


def built(d: Draft, cid: str = "c1"):
    """The claim of a draft whose speaker is the one code finds, and every note."""
    source, found = speaker(d, BY_NUMBER)
    claim, notes = build(d, cid, source, "s1" if source else None, BY_NUMBER, CUES)
    return claim, [*found, *notes]


def test_asserted_with_a_hedge_in_the_evidence_becomes_hedged_with_a_note():
    claim, notes = built(draft("Baldoni sent the recording at 2 a.m.", [2]))
    assert claim.hedging == "hedged"
    assert claim.hedge_cues == ["allegedly"]
    assert claim.evidence[0].text == SENTS[1].text
    assert TEXT[claim.evidence[0].start : claim.evidence[0].end] == claim.evidence[0].text
    assert notes == [
        (
            "claim.level_corrected",
            "level asserted corrected to hedged: the evidence says ['allegedly']",
        )
    ]


def test_a_named_source_makes_an_asserted_claim_attributed_with_its_cue():
    claim, notes = built(draft("The audio was cherry-picked.", [1], source="Lively's attorneys"))
    assert claim.hedging == "attributed"
    assert claim.cue == "said" and claim.source_ids == ["s1"]
    assert notes == [
        (
            "claim.level_corrected",
            'level asserted corrected to attributed: "Lively\'s attorneys" says it',
        )
    ]


def test_without_a_model_level_code_reads_it_and_notes_nothing():
    claim, notes = built(draft("The audio was cherry-picked.", [1], level=None))
    assert (claim.hedging, claim.cue, claim.source_ids, notes) == (
        "attributed",
        "said",
        ["s1"],
        [],
    )


def test_a_question_is_speculative_and_not_checkworthy():
    claim, _ = built(draft("The audio could vindicate Baldoni.", [4]), "c3")
    assert claim.hedging == "speculative"
    assert claim.checkworthy is False


def test_a_less_certain_label_from_the_model_is_kept():
    claim, notes = built(draft("The judge dismissed it.", [3], level="hedged"), "c4")
    assert claim.hedging == "hedged" and notes == []


def test_a_denial_disputes_the_claims_whose_words_its_sentence_carries():
    text = (
        "The mall's drains had been blocked for weeks, residents said. "
        "Keystone Holdings denied that the mall's drains had been blocked. "
        "The mall opened in 1998."
    )
    by_number = {s.number: s for s in sentences(text)}

    def claim(cid, n, sources):
        s = by_number[n]
        return Claim(
            id=cid,
            text=s.text,
            source_ids=sources,
            hedging="attributed" if sources else "asserted",
            evidence=[Span(start=s.start, end=s.end, text=s.text)],
        )

    claims = [claim("c1", 1, ["s1"]), claim("c2", 2, ["s2"]), claim("c3", 3, [])]
    marked = disputes(claims, by_number)
    assert [c.disputed_by for c in marked] == [["s2"], [], []]
    assert claims[0].disputed_by == []  # the input is not changed
