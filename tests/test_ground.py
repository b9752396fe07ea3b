from digest.ground import Draft, dedupe, ground, support
from digest.segment import sentences
from helpers import FOUR_SENTENCES as TEXT

SENTS = sentences(TEXT)


def draft(text: str, numbers: list[int], source: str = "", level: str = "asserted") -> Draft:
    return Draft(text, tuple(numbers), source, level)


def test_support_counts_content_words():
    assert support("A judge dismissed the $400 million countersuit", SENTS[2].text) == 1.0
    assert support("Taylor Swift wrote a song", SENTS[2].text) == 0.0


def test_a_claim_citing_the_right_sentence_is_kept():
    g = ground(draft("A federal judge dismissed Baldoni's countersuit.", [3]), tuple(SENTS))
    assert g is not None and g.numbers == (3,) and g.recited is None


def test_a_wrong_sentence_number_is_recited_to_the_sentence_that_says_it():
    g = ground(
        draft("A federal judge dismissed Baldoni's $400 million countersuit.", [1]), tuple(SENTS)
    )
    assert g is not None and g.numbers == (3,)
    assert g.recited == ((1,), 3)


def test_a_claim_no_sentence_supports_is_not_grounded():
    assert ground(draft("Taylor Swift released a new album in Paris.", [2]), tuple(SENTS)) is None
    assert ground(draft("The judge ruled.", [99]), tuple(SENTS)) is None


def test_dedupe_merges_restatements_and_keeps_the_less_certain_level():
    first = draft("A federal judge dismissed Baldoni's countersuit.", [3])
    kept, merged = dedupe(
        [
            first,
            draft("A federal judge dismissed Baldoni's countersuit", [3, 4], level="hedged"),
            draft("The recording was sent at 2 a.m.", [2]),
        ]
    )
    assert merged == 1
    assert [k.text for k in kept] == [
        "A federal judge dismissed Baldoni's countersuit.",
        "The recording was sent at 2 a.m.",
    ]
    assert kept[0].level == "hedged" and kept[0].numbers == (3, 4)
    assert first.level == "asserted" and first.numbers == (3,)  # the input is not changed


def test_claims_that_differ_in_their_numbers_are_two_claims_not_one():
    kept, merged = dedupe(
        [
            draft("The death toll rose to 12 on Monday.", [1]),
            draft("The death toll rose to 15 on Monday.", [2]),
            draft("Officials said the death toll rose to 12 on Monday.", [3]),
            draft("Officials counted 1,200 votes.", [4]),
            draft("Officials counted 1200 votes.", [4]),
        ]
    )
    assert [k.text for k in kept] == [
        "The death toll rose to 12 on Monday.",
        "The death toll rose to 15 on Monday.",
        "Officials counted 1,200 votes.",
    ]
    assert merged == 2 and kept[0].numbers == (1, 3)
