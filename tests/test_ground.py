from digest.cues import scan
from digest.ground import Draft, dedupe, finish, ground, mark_disputes, support
from digest.schema import Claim, Span
from digest.segment import sentences

TEXT = (
    "Lively's attorneys said the audio was cherry-picked. "
    "The recording was allegedly sent at 2 a.m. by Baldoni. "
    "A federal judge dismissed Baldoni's $400 million countersuit. "
    "Will the audio vindicate him?"
)
SENTS = sentences(TEXT)
BY_NUMBER = {s.number: s for s in SENTS}
CUES = scan(SENTS)


def draft(text: str, numbers: list[int], source: str = "", level: str = "asserted") -> Draft:
    return Draft(text, numbers, source, level)


def test_support_counts_content_words():
    assert support("A judge dismissed the $400 million countersuit", SENTS[2].text) == 1.0
    assert support("Taylor Swift wrote a song", SENTS[2].text) == 0.0


def test_a_claim_citing_the_right_sentence_is_kept():
    g = ground(draft("A federal judge dismissed Baldoni's countersuit.", [3]), tuple(SENTS))
    assert g is not None and g.numbers == [3] and g.notes == []


def test_a_wrong_sentence_number_is_recited_to_the_sentence_that_says_it():
    g = ground(
        draft("A federal judge dismissed Baldoni's $400 million countersuit.", [1]), tuple(SENTS)
    )
    assert g is not None and g.numbers == [3]
    assert "re-cited" in g.notes[0]


def test_a_claim_no_sentence_supports_is_not_grounded():
    assert ground(draft("Taylor Swift released a new album in Paris.", [2]), tuple(SENTS)) is None
    assert ground(draft("The judge ruled.", [99]), tuple(SENTS)) is None


def test_asserted_with_a_hedge_in_the_evidence_becomes_hedged_with_a_note():
    claim, notes = finish(draft("Baldoni sent the recording at 2 a.m.", [2]), "c1", BY_NUMBER, CUES)
    assert claim.hedging == "hedged"
    assert claim.hedge_cues == ["allegedly"]
    assert claim.evidence[0].text == SENTS[1].text
    assert TEXT[claim.evidence[0].start : claim.evidence[0].end] == claim.evidence[0].text
    assert "corrected to hedged" in notes[0]


def test_a_named_source_makes_an_asserted_claim_attributed_with_its_cue():
    claim, notes = finish(
        draft("The audio was cherry-picked.", [1], source="Lively's attorneys"),
        "c2",
        BY_NUMBER,
        CUES,
    )
    assert claim.hedging == "attributed"
    assert claim.cue == "said"
    assert notes == ['level asserted corrected to attributed: "Lively\'s attorneys" says it']


def test_a_question_is_speculative_and_not_checkworthy():
    claim, _ = finish(draft("The audio could vindicate Baldoni.", [4]), "c3", BY_NUMBER, CUES)
    assert claim.hedging == "speculative"
    assert claim.checkworthy is False


def test_a_less_certain_label_from_the_model_is_kept():
    claim, notes = finish(
        draft("The judge dismissed it.", [3], level="hedged"), "c4", BY_NUMBER, CUES
    )
    assert claim.hedging == "hedged" and notes == []


def test_dedupe_merges_restatements_and_keeps_the_less_certain_level():
    kept, merged = dedupe(
        [
            draft("A federal judge dismissed Baldoni's countersuit.", [3]),
            draft("A federal judge dismissed Baldoni's countersuit", [3], level="hedged"),
            draft("The recording was sent at 2 a.m.", [2]),
        ]
    )
    assert merged == 1
    assert [k.text for k in kept] == [
        "A federal judge dismissed Baldoni's countersuit.",
        "The recording was sent at 2 a.m.",
    ]
    assert kept[0].level == "hedged"


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
    mark_disputes(claims, by_number)
    assert [c.disputed_by for c in claims] == [["s2"], [], []]
