import asyncio
import json
import time
from functools import partial

import pytest

from digest import Digester as Picker
from digest import InputError, adigest, digest, fake_model
from digest.llm import LLM, Fake
from helpers import facts_of, spied

#: Most tests here drive the model's summary (its checks, re-asks and repairs): "write"
#: mode, which a small model such as the fake does not get by default ("pick").
Digester = partial(Picker, summary_mode="write")

#: The older prompts ask the model for sources and levels too (extract@v1-v3); the tests
#: of what is done with those are marked by driving this one.
V3 = "extract@v3"

ARTICLE = (
    "Judge dismisses countersuit\n\n"
    "A federal judge dismissed Baldoni's $400 million countersuit on Monday. "
    "The recording was allegedly sent at 2 a.m., per TMZ.\n\n"
    "Lively's attorneys said the audio was cherry-picked. "
    "Split rumours have followed the couple for a year."
)


def facts(**by_sentence):
    """extract@v6's (and v5's) answer for ARTICLE in one chunk (sentences 1-5): ``s2=[...]``."""
    return facts_of(5, **by_sentence)


def summary(*sentences):
    return {"sentences": [{"text": t, "claims": ids} for t, ids in sentences]}


def claim(text, sentences, source="", level="asserted"):
    """A claim as extract@v1-v3 ask for it."""
    return {"text": text, "sentences": sentences, "source": source, "level": level}


def run(answers, text=ARTICLE, prompt="extract@v6"):
    model, spy = spied(answers)
    d = Digester(model, extract_prompt=prompt, chunk_words=500).run(text)
    return d, spy


def codes(d):
    return [i.code for i in d.issues]


def test_claims_are_grounded_typed_and_cited_by_the_summary():
    d, _ = run(
        [
            facts(
                s2=["A federal judge dismissed Baldoni's $400 million countersuit."],
                s3=["The recording was allegedly sent at 2 a.m."],
                s4=["The audio was cherry-picked."],
                s5=["Split rumours have followed the couple."],
            ),
            summary(
                ("A federal judge dismissed the countersuit.", ["c1"]),
                ("TMZ reported the recording was allegedly sent at 2 a.m.", ["c2"]),
                ("Lively's attorneys said the audio was cherry-picked.", ["c3"]),
            ),
        ]
    )
    assert d.check() == []
    assert [c.hedging for c in d.claims] == ["asserted", "hedged", "attributed", "speculative"]
    assert d.claims[1].hedge_cues == ["allegedly"] and d.claims[3].hedge_cues == ["rumours"]
    assert [c.cue for c in d.claims] == [None, "per", "said", None]
    names = {s.id: (s.name, s.kind) for s in d.sources}
    assert [names[c.source_ids[0]] for c in d.claims[1:3]] == [
        ("TMZ", "outlet"),
        ("Lively's attorneys", "organization"),
    ]
    assert d.claims[0].evidence[0].text == (
        "A federal judge dismissed Baldoni's $400 million countersuit on Monday."
    )
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"], ["c2"], ["c3"]]
    assert d.issues == [] and d.warnings == []
    assert d.article.title == "Judge dismisses countersuit"
    assert d.run.llm_calls == 2 and d.run.complete and d.run.incomplete_reason is None


def test_an_ungrounded_claim_is_reasked_once_then_dropped_with_an_issue():
    swift = "Taylor Swift released a new album in Paris."
    d, spy = run(
        [
            facts(s2=["A federal judge dismissed the countersuit.", swift]),
            {"2": [swift]},  # the re-ask, keyed by the sentences in question, does not fix it
            summary(("A federal judge dismissed the countersuit.", ["c1"])),
        ]
    )
    assert [c.text for c in d.claims] == ["A federal judge dismissed the countersuit."]
    assert d.run.llm_calls == spy.calls == 3
    (dropped,) = d.issues  # reported once, though both answers made it
    assert dropped.code == "claim.dropped" and dropped.sentences == [2] and dropped.chunk == 1
    assert swift in dropped.message
    assert d.warnings == [dropped.message]


def test_a_reask_that_restates_the_claim_keeps_it_recited_to_its_sentence():
    d, _ = run(
        [
            facts(s2=["The audio is fake news about nothing at all."]),
            {"2": ["Lively's attorneys called the audio cherry-picked."]},
            summary(("Lively's attorneys said the audio was cherry-picked.", ["c1"])),
        ]
    )
    assert [c.evidence[0].text for c in d.claims] == [
        "Lively's attorneys said the audio was cherry-picked."
    ]
    # the first wording is dropped (the re-ask did not restate it), the new one re-cited
    assert [(i.code, i.claim_id) for i in d.issues] == [
        ("claim.dropped", None),
        ("claim.recited", "c1"),
    ]


def test_usage_is_summed_over_every_attempt_including_schema_reasks():
    d, spy = run(
        [
            "not json at all",  # schema failure: re-asked
            facts(s2=["A federal judge dismissed the countersuit."]),
            summary(("A federal judge dismissed the countersuit.", ["c1"])),
        ]
    )
    assert d.run.llm_calls == spy.calls == 3
    assert d.run.input_tokens == spy.input_tokens > 0
    assert d.run.output_tokens == spy.output_tokens > 0


def test_a_summary_that_drops_a_hedge_is_reasked_and_what_still_fails_is_reported():
    d, _ = run(
        [
            facts(s3=["The recording was sent at 2 a.m. by Baldoni."]),
            summary(("The BOMBSHELL recording was sent at 2 a.m. by Baldoni.", ["c1"])),
            summary(("The recording was sent at 2 a.m. by Baldoni.", ["c1"])),
        ]
    )
    assert d.claims[0].hedging == "hedged"
    assert d.run.llm_calls == 3
    # Still stated as fact after the re-ask: left out, said so, and replaced by the
    # article's own sentence, which keeps the doubt word.
    assert codes(d) == ["summary.sentence_dropped", "summary.written_by_code"]
    assert "states a hedged claim as fact" in d.issues[0].message
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"]]
    assert "allegedly" in d.summary.text and "BOMBSHELL" not in d.summary.text


def test_braces_and_dollars_in_the_article_are_sent_verbatim():
    text = "Template {{ name }} and ${title} stayed literal, the engineer said {{."
    seen = []

    def answer(messages):
        seen.append(messages[-1]["content"])
        return {"1": ["The template name stayed literal."]}

    d = digest(text, model=fake_model([answer]))
    assert "[1] Template {{ name }} and ${title} stayed literal, the engineer said {{." in seen[0]
    assert d.claims[0].evidence[0].text == text


def test_a_failing_chunk_is_skipped_with_an_issue_and_the_rest_is_kept():
    # chunk 1 (the title) gets two invalid answers; the later chunks get the fake's own answers
    d = Digester(fake_model(["nope", "nope"]), chunk_words=20).run(ARTICLE)
    assert d.run.complete is False
    (failed,) = d.issues
    assert (failed.code, failed.chunk, failed.sentences) == ("chunk.failed", 1, [1])
    assert d.run.incomplete_reason == failed.message
    assert len(d.claims) == 4
    assert d.claims[0].evidence[0].text.startswith("A federal judge")
    assert d.summary.sentences == []  # no summary of a partial article


def test_empty_and_binary_articles_are_input_errors():
    with pytest.raises(InputError, match="empty"):
        digest("  \n ", model="fake")
    with pytest.raises(InputError, match="binary"):
        digest("abc\x00def", model="fake")


def test_the_async_form_gives_the_same_digest():
    sync = digest(ARTICLE, model="fake")
    result = asyncio.run(adigest(ARTICLE, model="fake"))
    assert result.model_dump(exclude={"run"}) == sync.model_dump(exclude={"run"})


def _articles(n):
    return [ARTICLE + " More words." * i for i in range(n)]


def test_articles_overlap_on_one_digester_and_each_keeps_its_own_usage():
    """Ten articles gathered on one Digester over an API-style backend (0.1 s a call,
    waited without blocking) take far less than ten times one; each digest counts exactly
    the calls and tokens it made, as the same article does alone."""
    delay = 0.1
    alone = [Digester(LLM(Fake(delay=delay, small=False))).run(text) for text in _articles(10)]
    digester = Digester(LLM(Fake(delay=delay, small=False)))

    async def gathered():
        return await asyncio.gather(*(digester.arun(text) for text in _articles(10)))

    started = time.monotonic()
    together = asyncio.run(gathered())
    wall = time.monotonic() - started
    one = max(d.run.seconds for d in alone)
    assert wall < 3 * one, (wall, one)
    for a, b in zip(alone, together, strict=True):
        assert (b.run.llm_calls, b.run.input_tokens, b.run.output_tokens) == (
            a.run.llm_calls,
            a.run.input_tokens,
            a.run.output_tokens,
        )
        assert b.model_dump(exclude={"run"}) == a.model_dump(exclude={"run"})
    assert len({d.run.input_tokens for d in together}) == 10  # ten different articles


def test_a_cancelled_arun_raises_instead_of_returning_a_partial_digest():
    digester = Digester(LLM(Fake(delay=5)))

    async def cancelled():
        return await asyncio.wait_for(digester.arun(ARTICLE), timeout=0.2)

    with pytest.raises(TimeoutError):
        asyncio.run(cancelled())


def test_the_json_round_trips_and_says_which_model_and_prompts_made_it(demo_text):
    d = digest(demo_text, model="fake", url="https://example.org/a")
    again = type(d).model_validate(json.loads(d.model_dump_json()))
    assert again == d
    assert d.schema_version == "1"
    assert d.article.text == demo_text and len(d.article.sha256) == 64
    assert d.run.model == "fake"
    # a small model's summary is picked by code: no summary prompt is used
    assert d.run.summary_mode == "pick"
    assert d.run.prompts == {"extract": "extract@v6"}
    assert set(d.run.prompt_sha256) == {"extract"}
    assert d.check() == []
    assert len({c.text for c in d.claims}) == len(d.claims)
    assert any(x.text == "SHATTERS" and x.neutral == "contradicts" for x in d.loaded_language)
    assert d.warnings == [i.message for i in d.issues] and d.issues
    claim_ids = {c.id for c in d.claims}
    assert all(i.claim_id in claim_ids for i in d.issues if i.code.startswith("claim."))


def test_the_model_string_source_it_names_is_checked_against_the_evidence():
    model, _ = spied(
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
    removed = [i for i in d.issues if i.code == "claim.source_removed"]
    assert [(i.claim_id, i.message.split(": ", 1)[1]) for i in removed] == [
        ("c1", 'source "said" removed: it is only a cue word'),
        ("c2", 'source "TMZ" removed: it is not named near the evidence'),
        ("c3", f'source "{ARTICLE[-50:]}" removed: it is not a name'),
    ]
    found = [(i.claim_id, i.message) for i in d.issues if i.code == "claim.source_found"]
    assert found == [("c2", 'c2: source "Lively\'s attorneys" taken from the evidence')]
    assert d.claims[1].hedging == "attributed" and d.claims[1].cue == "said"


def test_the_level_a_model_gives_is_corrected_by_the_cues_with_an_issue():
    d, _ = run(
        [
            {"claims": [claim("The recording was sent at 2 a.m.", [3], "TMZ", "attributed")]},
            summary(("TMZ says the recording was allegedly sent at 2 a.m.", ["c1"])),
        ],
        prompt=V3,
    )
    assert d.claims[0].hedging == "hedged"
    (issue,) = d.issues
    assert (issue.code, issue.claim_id) == ("claim.level_corrected", "c1")
    assert "attributed corrected to hedged" in issue.message


def test_a_summary_sentence_must_name_the_source_of_an_attributed_claim():
    d, _ = run(
        [
            facts(s4=["The audio was cherry-picked."]),
            summary(("The audio was cherry-picked, critics said.", ["c1"])),
            summary(("Lively’s attorneys said the audio was cherry-picked.", ["c1"])),
        ]
    )
    assert d.run.llm_calls == 3  # the first summary was re-asked: "critics" is not the source
    assert d.summary.text == "Lively’s attorneys said the audio was cherry-picked."
    assert d.issues == []


def test_a_summary_shorter_than_three_sentences_is_reasked_when_there_are_claims_enough():
    d, _ = run(
        [
            facts(
                s2=["A federal judge dismissed Baldoni's countersuit."],
                s3=["The recording was allegedly sent at 2 a.m."],
                s5=["Split rumours have followed the couple."],
            ),
            summary(("A federal judge dismissed Baldoni's countersuit.", ["c1"])),
        ]
    )
    assert d.run.llm_calls == 3  # one sentence fails the schema; the re-ask writes three
    assert len(d.summary.sentences) == 3


def test_the_source_a_sentence_names_is_read_by_code_without_a_correction():
    d, _ = run(
        [
            facts(s3=["The recording was allegedly sent at 2 a.m."]),
            summary(("TMZ says the recording was allegedly sent at 2 a.m.", ["c1"])),
        ]
    )
    assert [s.name for s in d.sources] == ["TMZ"]
    assert d.claims[0].source_ids == ["s1"] and d.claims[0].hedging == "hedged"
    assert d.issues == []  # no model source to correct: the code's own reading


def test_a_repeated_summary_sentence_is_dropped_with_an_issue():
    d, _ = run(
        [
            facts(s2=["A federal judge dismissed Baldoni's countersuit."]),
            summary(
                ("A federal judge dismissed Baldoni's countersuit on Monday.", ["c1"]),
                ("A federal judge dismissed Baldoni's countersuit on Monday!", ["c1"]),
            ),
        ]
    )
    assert d.summary.text == "A federal judge dismissed Baldoni's countersuit on Monday."
    assert codes(d) == ["summary.sentence_dropped"] and "repeated" in d.issues[0].message


def test_a_model_given_source_runs_on_to_the_next_sentence_of_its_paragraph_only():
    text = (
        "Storm hits coast\n\n"
        "Mayor Ana Ruiz said the storm destroyed 40 homes. It also cut power to 9,000 people.\n\n"
        "Schools will reopen on Friday."
    )
    d, _ = run(
        [
            {
                "claims": [
                    claim("The storm destroyed 40 homes in the town.", [2], "Mayor Ana Ruiz"),
                    claim("The storm cut power to 9,000 people.", [3], "Mayor Ana Ruiz"),
                    claim("Schools will reopen on Friday.", [4], "Mayor Ana Ruiz"),
                ]
            },
            summary(("Mayor Ana Ruiz said the storm destroyed 40 homes.", ["c1"])),
        ],
        text=text,
        prompt=V3,
    )
    assert [c.source_ids for c in d.claims] == [["s1"], ["s1"], []]
    removed = [i for i in d.issues if i.code == "claim.source_removed"]
    assert [i.claim_id for i in removed] == ["c3"]


def test_loaded_words_left_after_the_reask_are_replaced_by_their_neutral_alternative():
    d, _ = run(
        [
            facts(s2=["A federal judge dismissed the countersuit on Monday."]),
            summary(("A judge SHATTERS the countersuit on Monday.", ["c1"])),
            summary(("A judge SHATTERS the countersuit on Monday.", ["c1"])),
        ]
    )
    assert d.summary.text == "A judge contradicts the countersuit on Monday."
    assert codes(d) == ["summary.reworded"]


def test_a_quote_spanning_sentences_is_its_speakers_and_a_headline_hedge_stays_there():
    text = (
        "Mayor allegedly took bribes\n\n"
        "“The council saw the ledger. It showed $5,000 in payments,” auditor Jane Roe said. "
        "The mayor took office in 2019."
    )
    d, _ = run(
        [
            {  # the quotation's two sentences are one sentence, [2]
                "1": ["The mayor took bribes while in office."],
                "2": ["The council saw the ledger of payments.", "The ledger showed $5,000."],
                "3": ["The mayor took office in 2019."],
            },
            summary(("Auditor Jane Roe said the ledger showed $5,000 in payments.", ["c3"])),
        ],
        text=text,
    )
    assert [c.hedging for c in d.claims] == ["hedged", "attributed", "attributed", "asserted"]
    assert [s.name for s in d.sources] == ["Jane Roe"]
    assert d.claims[1].source_ids == d.claims[2].source_ids == ["s1"]
    assert d.claims[0].hedge_cues == ["allegedly"] and d.claims[3].hedge_cues == []


def test_neutralize_replaces_drops_or_keeps_loaded_words_as_the_lexicon_says():
    from digest.loaded import neutralize

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


def test_a_claim_that_repeats_the_articles_loaded_words_is_neutralized_with_an_issue():
    text = "Audio row\n\nLively's attorneys fired back in a blistering statement on Tuesday."
    answer = {"1": [], "2": ["Lively's attorneys fired back in a blistering statement."]}
    d = Digester(fake_model([answer]), chunk_words=500).run(text)
    assert d.claims[0].text == "Lively's attorneys responded in a statement."
    (reworded,) = [i for i in d.issues if i.code == "claim.reworded"]
    assert reworded.claim_id == "c1" and "fired back in a blistering" in reworded.message


def test_a_summary_sentence_cut_off_by_the_length_limit_loses_its_broken_tail():
    packed = "A federal judge dismissed the countersuit on Monday. The recording was sent at 2 a.m."
    packed += " and then" * 60
    d, _ = run(
        [
            facts(s2=["A federal judge dismissed the countersuit on Monday."]),
            summary((packed[:400], ["c1"])),
        ]
    )
    assert d.summary.text == "A federal judge dismissed the countersuit on Monday."


def test_a_summary_sentence_citing_no_known_id_is_recited_to_the_claims_it_carries():
    sentence = ("A federal judge dismissed Baldoni's countersuit on Monday.", ["tmz"])
    d, _ = run(
        [
            facts(s2=["A federal judge dismissed Baldoni's countersuit on Monday."]),
            summary(sentence),
            summary(sentence),
        ]
    )
    assert d.summary.sentences[0].claim_ids == ["c1"]
    assert codes(d) == ["summary.recited"] and "re-cited to ['c1']" in d.issues[0].message


def test_with_extract_v4_the_model_writes_facts_and_loaded_words_too():
    d, _ = run(
        [
            {
                **facts(
                    s2=["A federal judge dismissed Baldoni's countersuit."],
                    s3=["The recording was allegedly sent at 2 a.m."],
                    s4=["The audio was cherry-picked."],
                    s5=["The couple faces split rumours."],
                ),
                "loaded": ["cherry-picked", "Lively", "nowhere"],
            },
            summary(
                ("A federal judge dismissed the countersuit.", ["c1"]),
                ("TMZ reported the recording was allegedly sent at 2 a.m.", ["c2"]),
                ("Lively's attorneys said the audio was cherry-picked.", ["c3"]),
            ),
        ],
        prompt="extract@v4",
    )
    assert d.check() == []
    assert [c.hedging for c in d.claims] == ["asserted", "hedged", "attributed", "speculative"]
    # the model's loaded word is found in the text; a name and an absent word are not
    spotted = [s for s in d.loaded_language if s.found_by == "model"]
    assert [(s.text, ARTICLE[s.start : s.end]) for s in spotted] == [("cherry-picked",) * 2]
    # ... and kept out of the summary like the lexicon's words
    assert "cherry-picked" not in d.summary.text
    dropped = [i.message for i in d.issues if i.code == "summary.sentence_dropped"]
    assert any("uses loaded words ['cherry-picked']" in m for m in dropped)
    assert not any(i.code.startswith("claim.") for i in d.issues)
    assert d.run.prompts["extract"] == "extract@v4"


def test_the_chunk_size_is_the_callers_else_the_prompts_on_a_small_model_else_the_models():
    assert Digester("fake", extract_prompt="extract@v4").chunk_words == 150
    assert Digester("fake", extract_prompt="extract@v3").chunk_words == 220
    api = LLM(Fake(small=False))
    assert Digester(api, extract_prompt="extract@v4").chunk_words == 1500
    assert Digester("fake", extract_prompt="extract@v4", chunk_words=90).chunk_words == 90


def test_a_built_model_refuses_a_base_url_and_records_where_it_is_told(tmp_path):
    with pytest.raises(InputError, match="base_url"):
        Digester(fake_model(), base_url="http://127.0.0.1:9/v1")
    d = Digester(fake_model(), record_dir=tmp_path / "calls").run(ARTICLE)
    assert len(list((tmp_path / "calls").glob("*.json"))) == d.run.llm_calls == 2


def test_a_summary_sentence_that_lends_a_claim_a_source_it_lacks_is_reasked_then_left_out():
    d, _ = run(
        [
            facts(
                s2=["A federal judge dismissed Baldoni's countersuit."],
                s3=["The recording was allegedly sent at 2 a.m."],
            ),
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
    assert d.run.llm_calls == 3
    # left out, then stated by code without the lent source
    assert [s.claim_ids for s in d.summary.sentences] == [["c2"], ["c1"]]
    assert "TMZ" not in d.summary.sentences[1].text
    assert codes(d) == ["summary.sentence_dropped", "summary.written_by_code"]
    assert "names TMZ as a source, but the claims it cites do not" in d.issues[0].message


def test_a_summary_sentence_citing_the_wrong_claim_is_recited_to_the_one_it_restates():
    wrong = (
        ("A federal judge dismissed Baldoni's countersuit on Monday.", ["c2"]),
        ("Rumours of a split have followed the couple for a year.", ["c2"]),
    )
    d, _ = run(
        [
            facts(
                s2=["A federal judge dismissed Baldoni's countersuit on Monday."],
                s5=["Split rumours have followed the couple."],
            ),
            summary(*wrong),
            summary(*wrong),  # the re-ask: c2 is speculative, the first sentence has no doubt
        ]
    )
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"], ["c2"]]
    assert codes(d) == ["summary.recited"] and "cited ['c2']; re-cited to ['c1']" in (
        d.issues[0].message
    )


def test_extract_v5_asks_the_model_for_facts_only_and_the_lexicon_finds_loaded_words():
    messages = []

    def answer(sent):
        messages.append(sent)
        return {**{str(n): [] for n in range(1, 7)}, "2": ["A federal judge dismissed it."]}

    d = Digester(fake_model([answer]), chunk_words=500).run(ARTICLE + " It was a BOMBSHELL.")
    assert "loaded" not in messages[0][0]["content"]  # the system part does not ask for them
    assert [s.text for s in d.loaded_language] == ["BOMBSHELL"]
    assert {s.found_by for s in d.loaded_language} == {"lexicon"}
    assert d.claims[0].text == "A federal judge dismissed it."


def with_failing_summaries(**by_sentence):
    """The digest of ARTICLE when the model's summary, asked twice, restates none of the
    claims it cites (the 1.5B model copied the prompt's worked example)."""
    copied = summary(*[("Fire crews rescued 14 people from the mall.", ["c1"])] * 3)
    return run([facts(**by_sentence), copied, copied])[0]


def test_when_the_models_summary_fails_twice_code_writes_it_from_the_claims():
    d = with_failing_summaries(
        s2=["A federal judge dismissed Baldoni's countersuit on Monday."],
        s3=["The recording was allegedly sent at 2 a.m."],
        s4=["The audio was cherry-picked."],
        s5=["Split rumours have followed the couple."],
    )
    assert [s.text for s in d.summary.sentences] == [
        "A federal judge dismissed Baldoni's countersuit on Monday.",
        "The recording was allegedly sent at 2 a.m.",
        "According to Lively's attorneys, the audio was cherry-picked.",
    ]
    assert [s.claim_ids for s in d.summary.sentences] == [["c1"], ["c2"], ["c3"]]
    assert codes(d) == ["summary.sentence_dropped"] * 3 + ["summary.written_by_code"]
    assert "says none of ['c1']" in d.issues[0].message
    assert "3 sentence(s) written by code" in d.issues[-1].message


def test_code_written_summary_sentences_read_as_sentences():
    d = with_failing_summaries(
        s2=["A federal judge dismissed Baldoni's countersuit on Monday, and"],
        s3=["3: The recording was allegedly sent at 2 a.m.,"],
        s4=["Lively's attorneys said the audio was cherry-picked."],
    )
    # the first two were cut off: the first loses its loose end, the second (no whole
    # clause of its own) becomes the sentence it rests on
    assert [s.text for s in d.summary.sentences] == [
        "A federal judge dismissed Baldoni's countersuit on Monday.",
        "The recording was allegedly sent at 2 a.m., per TMZ.",
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

    d, _ = run(
        [
            facts(s2=["A federal judge dismissed Baldoni's countersuit on Monday."]),
            summary(stranger, plain),
            again,
        ]
    )
    assert "names Tom Hale, whom no claim names" in reasked[0]
    assert [s.text for s in d.summary.sentences] == [plain[0]]
    assert codes(d) == ["summary.sentence_dropped"] and "Tom Hale" in d.issues[0].message


def test_a_claim_that_already_says_who_says_it_gets_no_according_to():
    from digest.summary import says

    assert says("Lively describes Baldoni as dismissive.")  # "described" in the lexicon
    assert says("Cullen argues the breaches must be validated.")  # "argued"
    assert not says("The tone between Baldoni and Lively is humble.")


def problems_of(sentence, text, hedging, source=""):
    """What the summary check finds in ``sentence`` citing one claim c1 (with source s1)."""
    from digest.answers import XSentence
    from digest.schema import Claim, Span
    from digest.summary import sentence_problems

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


def test_a_20000_word_article_is_chunked_and_a_fact_it_repeats_far_apart_is_one_claim():
    repeated = "The bridge will cost $40 million, the city engineer said."
    paragraphs = [repeated] + [
        f"On day {n} the council approved {n * 3} new permits for the {n}th district, "
        f"and the clerk filed report number {n * 7} with the county office."
        for n in range(1, 840)
    ]
    paragraphs.append(repeated)
    text = "Council year in review\n\n" + "\n\n".join(paragraphs)
    assert len(text.split()) > 20_000
    d = Digester("fake").run(text)
    assert d.check() == [] and d.run.complete
    assert d.run.llm_calls > 100  # 150-word chunks, and a summary
    twice = [c for c in d.claims if c.text.startswith("The bridge will cost")]
    assert len(twice) == 1 and len(twice[0].evidence) == 2
    assert twice[0].evidence[1].start > len(text) - 100  # the last paragraph's
    assert any(i.code == "claim.merged" for i in d.issues)
    assert d.summary.sentences


def test_a_summary_sentence_that_gives_a_claim_a_speaker_no_claim_names_is_a_problem():
    text = "The mayor resigned on Friday."
    lent = problems_of("The mayor resigned on Friday, council president said.", text, "asserted")
    assert lent == [
        '"The mayor resigned on Friday, council president said." gives it a speaker '
        "(council president) that the claims it cites do not"
    ]
    said = "Baldoni said the mayor resigned on Friday."
    assert problems_of(said, text, "attributed", "Baldoni") == []
    assert problems_of("The mayor resigned, and 15 cases were reported.", text, "asserted") == []
