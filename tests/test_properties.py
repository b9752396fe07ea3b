"""Properties that hold for any text: offsets always cut out exactly what they name."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import Digester
from digest.ground import Draft, ground
from digest.segment import chunk, sentences

WORDS = st.sampled_from(
    [
        "The",
        "mayor",
        "said",
        "Mr.",
        "U.S.",
        "7-2",
        "$5,000",
        "“Yes.”",
        '"No."',
        "allegedly",
        "Dr.",
        "e.g.",
        "...",
        "?",
        "!",
        "(a)",
        "café",
        "résumé",
        "—",
        "BOMB",
        "{{ x }}",
        "<|im_end|>",
    ]
)
SEPARATORS = st.sampled_from([" ", " ", " ", ". ", "\n", "\n\n", "  ", "\t", ", "])
TEXTS = st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=60).map(
    lambda pairs: "".join(w + s for w, s in pairs)
) | st.text(min_size=1, max_size=300)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_every_sentence_cuts_out_exactly_its_text_in_order_without_overlap(text):
    found = sentences(text)
    end = 0
    for n, s in enumerate(found, start=1):
        assert s.number == n
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= end
        end = s.end
    assert all(c.sentences for c in chunk(found, 40))
    assert [s for c in chunk(found, 40) for s in c.sentences] == found


@SETTINGS
@given(TEXTS, st.lists(st.integers(min_value=-3, max_value=80), min_size=1, max_size=4))
def test_grounding_cites_only_sentences_of_its_chunk(text, numbers):
    found = sentences(text)
    if not found:
        return
    part = tuple(found[:5])
    claim = " ".join(s.text for s in found[:2])
    grounded = ground(Draft(claim, tuple(numbers), "", None), part)
    if grounded is not None:
        assert set(grounded.numbers) <= {s.number for s in part}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_every_digest_keeps_the_contract_for_any_text(text):
    if not text.strip() or "\x00" in text:
        return
    d = Digester("fake", chunk_words=60).run(text)
    assert d.check() == []
    for c in d.claims:
        for e in c.evidence:
            assert 0 <= e.start <= e.end <= len(text) and text[e.start : e.end] == e.text
