import asyncio
import json

import pytest

from digest import Digester, InputError, adigest, digest, fake_model
from digest.pipeline import _says

#: The scripted answers below are in the shape of the prompts that ask the model for
#: sources and levels (extract@v1-v3); extract@v4 and v5 have tests of their own.
V3 = "extract@v3"

ARTICLE = (
    "Judge dismisses countersuit\n\n"
    "A federal judge dismissed Baldoni's $400 million countersuit on Monday. "
    "The recording was allegedly sent at 2 a.m., per TMZ.\n\n"
    "Lively's attorneys said the audio was cherry-picked. "
    "Split rumours have followed the couple for a year."
)


def claim(text, sentences, source="", level="asserted"):
    return {"text": text, "sentences": sentences, "source": source, "level": level}


def summary(*sentences):
    return {"sentences": [{"text": t, "claims": ids} for t, ids in sentences]}


def test_claims_are_grounded_typed_and_cited_by_the_summary():
    model = fake_model(
        [
            {
                "claims": [
                    claim("A federal judge dismissed Baldoni's $400 million countersuit.", [2]),
                    claim("The recording was sent at 2 a.m.", [3], "TMZ", "attributed"),
                    claim("The audio was cherry-picked.", [4], "Lively's attorneys", "attributed"),
                    claim("Split rumours have followed the couple.", [5], "", "speculative"),
                ]
            },
            summary(
                ("A federal judge dismissed the countersuit.", ["c1"]),
                ("TMZ reported the recording was allegedly sent at 2 a.m.", ["c2"]),
                ("Lively's attorneys said the audio was cherry-picked.", ["c3"]),
            ),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.check() == []
    assert [c.hedging for c in d.claims] == ["asserted", "hedged", "attributed", "speculative"]
    assert d.claims[1].hedge_cues == ["allegedly"]
    assert d.claims[1].cue == "per"
    assert d.claims[2].cue == "said"
    names = {s.id: (s.name, s.kind) for s in d.sources}
    assert [names[c.source_ids[0]] for c in d.claims[1:3]] == [
        ("TMZ", "outlet"),
        ("Lively's attorneys", "organization"),
    ]
    assert d.claims[0].evidence[0].text == (
        "A federal judge dismissed Baldoni's $400 million countersuit on Monday."
    )
    assert d.summary.sentences[1].claim_ids == ["c2"]
    assert not any(w.startswith("summary:") for w in d.warnings)
    assert d.article.title == "Judge dismisses countersuit"
    assert d.run.llm_calls == 2
    assert any("c2: level attributed corrected to hedged" in w for w in d.warnings)


def test_an_ungrounded_claim_is_reasked_once_then_dropped_with_a_warning():
    bad = claim("Taylor Swift released a new album in Paris.", [2])
    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed the countersuit.", [2]), bad]},
            {"claims": [bad]},  # the re-ask does not fix it
            summary(("A federal judge dismissed the countersuit.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert [c.text for c in d.claims] == ["A federal judge dismissed the countersuit."]
    assert d.run.llm_calls == 3
    assert any("dropped claim" in w and "Taylor Swift" in w for w in d.warnings)


def test_a_reask_that_fixes_the_citation_keeps_the_claim():
    wrong = claim("Lively's attorneys called the audio cherry-picked.", [2], "Lively's attorneys")
    model = fake_model(
        [
            {"claims": [claim("The audio is fake news about nothing at all.", [2])]},
            {"claims": [wrong | {"sentences": [4]}]},
            summary(("Lively's attorneys said the audio was cherry-picked.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert [c.evidence[0].text for c in d.claims] == [
        "Lively's attorneys said the audio was cherry-picked."
    ]


def test_usage_is_summed_over_every_attempt_including_schema_reasks():
    model = fake_model(
        [
            "not json at all",  # schema failure: instructor re-asks
            {"claims": [claim("A federal judge dismissed the countersuit.", [2])]},
            summary(("A federal judge dismissed the countersuit.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.run.llm_calls == 3
    assert d.run.input_tokens == model.usage.input_tokens > 0
    assert d.run.output_tokens == model.usage.output_tokens > 0


def test_a_summary_that_drops_a_hedge_is_reasked_and_what_still_fails_is_reported():
    model = fake_model(
        [
            {"claims": [claim("The recording was sent at 2 a.m.", [3], "TMZ", "hedged")]},
            summary(("The BOMBSHELL recording was sent at 2 a.m.", ["c1"])),
            summary(("The recording was sent at 2 a.m.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.run.llm_calls == 3
    # Still stated as fact after the re-ask: left out of the summary, and said so.
    assert any(
        "sentence left out" in w and "states a hedged claim as fact" in w for w in d.warnings
    )
    assert d.summary.text == "" and d.summary.sentences == []


def test_braces_and_dollars_in_the_article_are_sent_verbatim():
    text = "Template {{ name }} and ${title} stayed literal, the engineer said {{."
    seen = []

    def answer(messages):
        seen.append(messages[-1]["content"])
        return {"1": ["The template name stayed literal."]}

    d = digest(text, model=fake_model([answer]))
    assert "[1] Template {{ name }} and ${title} stayed literal, the engineer said {{." in seen[0]
    assert d.claims[0].evidence[0].text == text


def test_a_failing_chunk_is_skipped_with_a_warning_and_the_rest_is_kept():
    # chunk 1 (the title) gets two invalid answers; the later chunks get the fake's own answers
    d = Digester(fake_model(["nope", "nope"]), extract_prompt=V3, chunk_words=20).run(ARTICLE)
    assert d.run.complete is False
    assert any("chunk 1 (sentences 1-1) skipped" in w for w in d.warnings)
    assert len(d.claims) == 4
    assert d.claims[0].evidence[0].text.startswith("A federal judge")


def test_empty_and_binary_articles_are_input_errors():
    with pytest.raises(InputError, match="empty"):
        digest("  \n ", model="fake")
    with pytest.raises(InputError, match="binary"):
        digest("abc\x00def", model="fake")


def test_the_async_form_gives_the_same_digest():
    sync = digest(ARTICLE, model="fake")
    result = asyncio.run(adigest(ARTICLE, model="fake"))
    assert result.model_dump(exclude={"run"}) == sync.model_dump(exclude={"run"})


def test_concurrent_async_runs_on_one_digester_keep_their_own_usage():
    digester = Digester("fake")

    async def both():
        return await asyncio.gather(digester.arun(ARTICLE), digester.arun(ARTICLE + " More."))

    a, b = asyncio.run(both())
    assert a.run.llm_calls + b.run.llm_calls == digester.llm.usage.calls
    assert a.run.input_tokens + b.run.input_tokens == digester.llm.usage.input_tokens


def test_the_json_round_trips_and_says_which_model_and_prompts_made_it(demo_text):
    d = digest(demo_text, model="fake", url="https://example.org/a")
    again = type(d).model_validate(json.loads(d.model_dump_json()))
    assert again == d
    assert d.schema_version == "1"
    assert d.article.text == demo_text and len(d.article.sha256) == 64
    assert d.run.model == "fake"
    assert d.run.prompts == {"extract": "extract@v5", "summary": "summary@v3"}
    assert set(d.run.prompt_sha256) == {"extract", "summary"}
    assert d.check() == []
    assert len({c.text for c in d.claims}) == len(d.claims)
    assert any(x.text == "BOMB" and x.neutral == "recording" for x in d.loaded_language)


def test_sources_the_evidence_does_not_name_are_replaced_by_the_one_it_names():
    model = fake_model(
        [
            {
                "claims": [
                    # TMZ is named in another paragraph, not near sentence 4
                    claim("The audio was cherry-picked by someone.", [4], "TMZ", "attributed"),
                    claim(
                        "Split rumours have followed the couple for a year.",
                        [5],
                        "Split rumours have followed the couple for a year.",
                        "speculative",
                    ),
                    claim("A judge dismisses the countersuit", [1], "said", "attributed"),
                    claim("Related Posts", [2], "", "asserted"),  # too short to stand alone
                ]
            },
            summary(("Split rumours have followed the couple for a year.", ["c3"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert [c.text for c in d.claims] == [
        "A judge dismisses the countersuit",
        "The audio was cherry-picked by someone.",
        "Split rumours have followed the couple for a year.",
    ]
    # Sentence 4 says "Lively's attorneys said": that is the source, not TMZ.
    assert [s.name for s in d.sources] == ["Lively's attorneys"]
    assert [c.source_ids for c in d.claims] == [[], ["s1"], []]
    assert any('"TMZ" removed: it is not named near the evidence' in w for w in d.warnings)
    assert any('source "Lively\'s attorneys" taken from the evidence' in w for w in d.warnings)
    assert any("removed: it is not a name" in w for w in d.warnings)
    assert any('"said" removed: it is only a cue word' in w for w in d.warnings)
    assert d.claims[1].hedging == "attributed" and d.claims[1].cue == "said"


def test_a_summary_sentence_must_name_the_source_of_an_attributed_claim():
    model = fake_model(
        [
            {
                "claims": [
                    claim("The audio was cherry-picked.", [4], "Lively's attorneys", "attributed")
                ]
            },
            summary(("The audio was cherry-picked, critics said.", ["c1"])),
            summary(("Lively’s attorneys said the audio was cherry-picked.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.run.llm_calls == 3  # the first summary was re-asked: "critics" is not the source
    assert d.summary.text == "Lively’s attorneys said the audio was cherry-picked."
    assert not any(w.startswith("summary:") for w in d.warnings)


def test_a_summary_shorter_than_three_sentences_is_reasked_when_there_are_claims_enough():
    model = fake_model(
        [
            {
                "claims": [
                    claim("A federal judge dismissed Baldoni's countersuit.", [2]),
                    claim("The recording was sent at 2 a.m.", [3], "TMZ", "hedged"),
                    claim("Split rumours have followed the couple.", [5], "", "speculative"),
                ]
            },
            summary(("A federal judge dismissed Baldoni's countersuit.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.run.llm_calls == 3  # one sentence fails the schema; the re-ask writes three
    assert len(d.summary.sentences) == 3


def test_a_source_named_by_per_in_the_evidence_is_taken_when_the_model_gives_none():
    model = fake_model(
        [
            {"claims": [claim("The recording was allegedly sent at 2 a.m.", [3], "", "asserted")]},
            summary(("TMZ says the recording was allegedly sent at 2 a.m.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert [s.name for s in d.sources] == ["TMZ"]
    assert d.claims[0].source_ids == ["s1"] and d.claims[0].hedging == "hedged"
    assert any('source "TMZ" taken from the evidence' in w for w in d.warnings)


def test_a_repeated_summary_sentence_is_dropped_with_a_warning():
    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed Baldoni's countersuit.", [2])]},
            summary(
                ("A federal judge dismissed Baldoni's countersuit on Monday.", ["c1"]),
                ("A federal judge dismissed Baldoni's countersuit on Monday!", ["c1"]),
            ),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.summary.text == "A federal judge dismissed Baldoni's countersuit on Monday."
    assert any("dropped a repeated sentence" in w for w in d.warnings)


def test_a_source_runs_on_to_the_next_sentence_of_its_paragraph_only():
    text = (
        "Storm hits coast\n\n"
        "Mayor Ana Ruiz said the storm destroyed 40 homes. It also cut power to 9,000 people.\n\n"
        "Schools will reopen on Friday."
    )
    model = fake_model(
        [
            {
                "claims": [
                    claim("The storm destroyed 40 homes in the town.", [2], "Mayor Ana Ruiz"),
                    claim("The storm cut power to 9,000 people.", [3], "Mayor Ana Ruiz"),
                    claim("Schools will reopen on Friday.", [4], "Mayor Ana Ruiz"),
                ]
            },
            summary(("Mayor Ana Ruiz said the storm destroyed 40 homes.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(text)
    assert [c.source_ids for c in d.claims] == [["s1"], ["s1"], []]
    assert any('"Mayor Ana Ruiz" removed: it is not named near' in w for w in d.warnings)


def test_loaded_words_left_after_the_reask_are_replaced_by_their_neutral_alternative():
    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed the countersuit on Monday.", [2])]},
            summary(("A judge SHATTERS the countersuit on Monday.", ["c1"])),
            summary(("A judge SHATTERS the countersuit on Monday.", ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.summary.text == "A judge contradicts the countersuit on Monday."
    assert any("loaded words replaced" in w for w in d.warnings)


def test_a_quote_spanning_sentences_is_its_speakers_and_a_headline_hedge_stays_there():
    text = (
        "Mayor allegedly took bribes\n\n"
        "“The council saw the ledger. It showed $5,000 in payments,” auditor Jane Roe said. "
        "The mayor took office in 2019."
    )
    model = fake_model(
        [
            {
                "claims": [
                    claim("The mayor took bribes while in office.", [1]),
                    claim("The council saw the ledger of payments.", [2]),
                    claim("The ledger showed $5,000 in payments.", [3]),
                    claim("The mayor took office in 2019.", [4]),
                ]
            },
            summary(("Auditor Jane Roe said the ledger showed $5,000 in payments.", ["c3"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(text)
    levels = [c.hedging for c in d.claims]
    assert levels == ["hedged", "attributed", "attributed", "asserted"]
    assert [s.name for s in d.sources] == ["Jane Roe"]
    assert d.claims[1].source_ids == d.claims[2].source_ids == ["s1"]
    assert d.claims[0].hedge_cues == ["allegedly"] and d.claims[3].hedge_cues == []


def test_neutralize_replaces_drops_or_keeps_loaded_words_as_the_lexicon_says():
    from digest.pipeline import neutralize

    assert neutralize("Seismic audio SHATTERS her story.") == "Audio contradicts her story."
    assert neutralize("It shows remorse, not predatory aggression.") == (
        "It shows remorse, not aggression."
    )
    assert neutralize("Fans call it a hoax.") == "Fans call it a hoax."  # no neutral word
    assert neutralize("The gaffe of the shock jock was a debacle.") == (
        "The remark of the radio host was a failure."
    )
    # a quotation is the speaker's words: it keeps them
    assert neutralize("Owens called the seismic audio “a seismic shift.”", quotes=True) == (
        "Owens called the audio “a seismic shift.”"
    )


def test_a_claim_that_repeats_the_articles_loaded_words_is_neutralized_with_a_warning():
    text = "Audio row\n\nLively's attorneys fired back in a blistering statement on Tuesday."
    facts = {"1": [], "2": ["Lively's attorneys fired back in a blistering statement."]}
    d = Digester(fake_model([facts]), extract_prompt="extract@v5", chunk_words=500).run(text)
    assert d.claims[0].text == "Lively's attorneys responded in a statement."
    assert "c1: loaded words replaced in \"Lively's attorneys fired back in a blistering" in (
        "\n".join(d.warnings)
    )


def test_a_summary_sentence_cut_off_by_the_length_limit_loses_its_broken_tail():
    packed = "A federal judge dismissed the countersuit on Monday. The recording was sent at 2 a.m."
    packed += " and then" * 60
    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed the countersuit on Monday.", [2])]},
            summary((packed[:400], ["c1"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.summary.text == "A federal judge dismissed the countersuit on Monday."


def test_a_summary_sentence_citing_no_known_id_is_recited_to_the_claims_it_carries():
    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed Baldoni's countersuit on Monday.", [2])]},
            summary(("A federal judge dismissed Baldoni's countersuit on Monday.", ["tmz"])),
            summary(("A federal judge dismissed Baldoni's countersuit on Monday.", ["tmz"])),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.summary.sentences[0].claim_ids == ["c1"]
    assert any("re-cited to ['c1']" in w for w in d.warnings)


def test_with_extract_v4_the_model_writes_facts_and_code_reads_source_and_level():
    model = fake_model(
        [
            {
                "1": [],
                "2": ["A federal judge dismissed Baldoni's countersuit."],
                "3": ["The recording was allegedly sent at 2 a.m."],
                "4": ["The audio was cherry-picked."],
                "5": ["The couple faces split rumours."],
                "loaded": ["cherry-picked", "Lively", "nowhere"],
            },
            summary(
                ("A federal judge dismissed the countersuit.", ["c1"]),
                ("TMZ reported the recording was allegedly sent at 2 a.m.", ["c2"]),
                ("Lively's attorneys said the audio was cherry-picked.", ["c3"]),
            ),
        ]
    )
    d = Digester(model, extract_prompt="extract@v4", chunk_words=500).run(ARTICLE)
    assert d.check() == []
    assert [c.hedging for c in d.claims] == ["asserted", "hedged", "attributed", "speculative"]
    names = {s.id: s.name for s in d.sources}
    assert [[names[i] for i in c.source_ids] for c in d.claims] == [
        [],
        ["TMZ"],
        ["Lively's attorneys"],
        [],
    ]
    assert [c.cue for c in d.claims] == [None, "per", "said", None]
    # the model's loaded word is found in the text; a name and an absent word are not
    spotted = [s for s in d.loaded_language if s.found_by == "model"]
    assert [(s.text, ARTICLE[s.start : s.end]) for s in spotted] == [("cherry-picked",) * 2]
    # ... and kept out of the summary like the lexicon's words
    assert "cherry-picked" not in d.summary.text
    assert any("uses loaded words ['cherry-picked']" in w for w in d.warnings)
    # levels and sources read off the evidence are the code's own call, not corrections
    assert not any("corrected" in w or "taken from" in w for w in d.warnings)
    assert d.run.prompts["extract"] == "extract@v4"


def test_a_prompt_sets_the_chunk_size_for_small_models_only():
    assert Digester("fake", extract_prompt="extract@v4").chunk_words == 150
    assert Digester("fake", extract_prompt="extract@v3").chunk_words == 220
    api = fake_model()
    api.small, api.chunk_words = False, 1500
    assert Digester(api, extract_prompt="extract@v4").chunk_words == 1500
    assert Digester("fake", extract_prompt="extract@v4", chunk_words=90).chunk_words == 90


def test_a_summary_sentence_that_lends_a_claim_a_source_it_lacks_is_reasked_then_left_out():
    model = fake_model(
        [
            {
                "claims": [
                    claim("A federal judge dismissed Baldoni's countersuit.", [2]),
                    claim("The recording was sent at 2 a.m.", [3], "TMZ", "attributed"),
                ]
            },
            summary(
                ("A federal judge dismissed the countersuit, according to TMZ.", ["c1"]),
                ("TMZ says the recording was allegedly sent at 2 a.m.", ["c2"]),
            ),
            summary(
                ("A federal judge dismissed the countersuit, TMZ reported.", ["c1"]),
                ("TMZ says the recording was allegedly sent at 2 a.m.", ["c2"]),
            ),
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert d.run.llm_calls == 3
    assert [s.claim_ids for s in d.summary.sentences] == [["c2"]]
    assert any("names TMZ as a source, but the claims it cites do not" in w for w in d.warnings)


def test_a_summary_sentence_citing_the_wrong_claim_is_recited_to_the_one_it_restates():
    wrong = (
        ("A federal judge dismissed Baldoni's countersuit on Monday.", ["c2"]),
        ("Rumours of a split have followed the couple for a year.", ["c2"]),
    )
    model = fake_model(
        [
            {
                "claims": [
                    claim("A federal judge dismissed Baldoni's countersuit on Monday.", [2]),
                    claim("Split rumours have followed the couple.", [5], "", "speculative"),
                ]
            },
            summary(*wrong),
            summary(*wrong),  # the re-ask: c2 is speculative, the first sentence has no doubt
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"], ["c2"]]
    assert any("cited ['c2']; re-cited to ['c1']" in w for w in d.warnings)


def test_extract_v5_asks_the_model_for_facts_only_and_the_lexicon_finds_loaded_words():
    messages = []

    def facts(sent):
        messages.append(sent)
        facts = {str(n): [] for n in range(1, 7)}
        return {**facts, "2": ["A federal judge dismissed Baldoni's countersuit."]}

    d = Digester(fake_model([facts]), extract_prompt="extract@v5", chunk_words=500).run(
        ARTICLE + " It was a BOMBSHELL."
    )
    assert "loaded" not in messages[0][0]["content"]  # the system part does not ask for them
    assert [s.text for s in d.loaded_language] == ["BOMBSHELL"]
    assert {s.found_by for s in d.loaded_language} == {"lexicon"}
    assert d.claims[0].text == "A federal judge dismissed Baldoni's countersuit."


def with_failing_summaries(*claims):
    """The digest of ARTICLE when the model's summary, asked twice, restates none of the
    claims it cites (the 1.5B model copied the prompt's worked example)."""
    copied = summary(*[("Fire crews rescued 14 people from the mall.", ["c1"])] * 3)
    model = fake_model([{"claims": list(claims)}, copied, copied])
    return Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)


def test_when_the_models_summary_fails_twice_code_writes_it_from_the_claims():
    d = with_failing_summaries(
        claim("A federal judge dismissed Baldoni's countersuit on Monday.", [2]),
        claim("The recording was allegedly sent at 2 a.m.", [3], "TMZ", "hedged"),
        claim("The audio was cherry-picked.", [4], "Lively's attorneys", "attributed"),
        claim("Split rumours have followed the couple.", [5], "", "speculative"),
    )
    assert [s.text for s in d.summary.sentences] == [
        "A federal judge dismissed Baldoni's countersuit on Monday.",
        "The recording was allegedly sent at 2 a.m.",
        "According to Lively's attorneys, the audio was cherry-picked.",
    ]
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"], ["c2"], ["c3"]]
    assert any("says none of ['c1']" in w for w in d.warnings)
    assert any("3 sentence(s) written by code from the claims" in w for w in d.warnings)


def test_code_written_summary_sentences_read_as_sentences():
    d = with_failing_summaries(
        claim("A federal judge dismissed Baldoni's countersuit on Monday, and", [2]),
        claim("3: The recording was allegedly sent at 2 a.m.,", [3], "TMZ", "hedged"),
        claim(
            "Lively's attorneys said the audio was cherry-picked.",
            [4],
            "Lively's attorneys",
            "attributed",
        ),
    )
    assert [s.text for s in d.summary.sentences] == [
        "A federal judge dismissed Baldoni's countersuit on Monday.",
        "The recording was allegedly sent at 2 a.m.",
        "Lively's attorneys said the audio was cherry-picked.",
    ]


def test_a_summary_sentence_naming_someone_the_article_never_names_is_reasked_then_left_out():
    # The 1.5B model once lent the prompt example's fire chief to the demo's claims.
    stranger = ("A federal judge dismissed the countersuit, fire chief Tom Hale said.", ["c1"])
    plain = ("A federal judge dismissed Baldoni's countersuit on Monday.", ["c1"])
    reasked = []

    def again(messages):
        reasked.append(messages[-1]["content"])
        return summary(stranger, plain)

    model = fake_model(
        [
            {"claims": [claim("A federal judge dismissed Baldoni's countersuit on Monday.", [2])]},
            summary(stranger, plain),
            again,
        ]
    )
    d = Digester(model, extract_prompt=V3, chunk_words=500).run(ARTICLE)
    assert "names Tom Hale, whom no claim names" in reasked[0]
    assert [s.text for s in d.summary.sentences] == [plain[0]]
    assert any("Tom Hale" in w and "left out" in w for w in d.warnings)


def test_a_claim_that_already_says_who_says_it_gets_no_according_to():
    assert _says("Lively describes Baldoni as dismissive.")  # "described" in the lexicon
    assert _says("Cullen argues the breaches must be validated.")  # "argued"
    assert not _says("The tone between Baldoni and Lively is humble.")


def problems_of(sentence, text, hedging, source=""):
    """What the summary check finds in ``sentence`` citing one claim c1 (with source s1)."""
    from digest.answers import XSentence
    from digest.pipeline import sentence_problems
    from digest.schema import Claim, Span

    claim = Claim(
        id="c1",
        text=text,
        hedging=hedging,
        source_ids=["s1"] if source else [],
        evidence=[Span(start=0, end=5, text="x" * 5)],
    )
    cited = XSentence(text=sentence, claims=["c1"])
    return sentence_problems(cited, {"c1": claim}, {"s1": source} if source else {})


def test_an_attribution_does_not_stand_in_for_the_doubt_of_a_hedged_claim():
    text = "The recording was allegedly sent at 2 a.m."
    said = problems_of("TMZ says the recording was sent at 2 a.m.", text, "hedged")
    assert any("keep its doubt word" in p for p in said)
    assert problems_of(text, text, "hedged") == []


def test_a_sentence_must_say_that_the_source_says_it_not_only_name_it():
    text = "Baldoni praises Lively's edits."
    named_only = problems_of("Lively praises Baldoni's edits.", text, "attributed", "Baldoni")
    assert named_only == ['"Lively praises Baldoni\'s edits." does not say that Baldoni says it']
    said = "Baldoni said Lively's edits made the film better."
    assert problems_of(said, text, "attributed", "Baldoni") == []
