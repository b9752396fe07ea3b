from digest.segment import chunk, paragraphs, sentences

TEXT = (
    "Headline: “Big” news—maybe\n\n"
    "The mayor said “we will rebuild.” The mayor said “we will rebuild.”\n\n"
    "Dr. Smith arrived at 5 p.m. on May 3. She left—quickly."
)


def test_offsets_index_the_text_exactly_with_quotes_dashes_and_repeats():
    sents = sentences(TEXT)
    assert [s.text for s in sents] == [
        "Headline: “Big” news—maybe",
        "The mayor said “we will rebuild.”",
        "The mayor said “we will rebuild.”",
        "Dr. Smith arrived at 5 p.m. on May 3.",
        "She left—quickly.",
    ]
    for s in sents:
        assert TEXT[s.start : s.end] == s.text
    # the repeated sentence points at its own occurrence, not the first one
    assert sents[2].start > sents[1].end
    assert [s.number for s in sents] == [1, 2, 3, 4, 5]
    assert [s.paragraph for s in sents] == [0, 1, 1, 2, 2]


def test_paragraphs_skip_blank_lines_and_trim_spaces():
    text = "  Title  \n\n\n   Body one.\n\nBody two.  \n"
    spans = paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["Title", "Body one.", "Body two."]


def test_chunks_keep_paragraphs_whole_within_the_budget(demo_text):
    sents = sentences(demo_text)
    chunks = chunk(sents, 220)
    assert [s for c in chunks for s in c.sentences] == sents  # nothing lost or repeated
    for c in chunks:
        paras = {s.paragraph for s in c.sentences}
        for p in paras:  # a paragraph never straddles two chunks
            assert all(s in c.sentences for s in sents if s.paragraph == p)
        assert c.words <= 220 or len(paras) == 1


def test_a_paragraph_over_twice_the_budget_is_split_at_sentences():
    text = " ".join(f"Sentence number {i} has five words." for i in range(40))
    chunks = chunk(sentences(text), 50)
    assert len(chunks) > 1
    assert all(c.words <= 50 for c in chunks)


def test_sentences_are_found_as_pysbd_itself_finds_them():
    from digest.segment import _pieces, _segmenter

    paragraphs = [
        "Mr. Smith went to Washington on Jan. 5. He said: “It is done. We won.” Then he left.",
        "Repeat this. Repeat this. Repeat this.",
        "The U.S. economy grew 2.5% in Q3... Analysts (e.g. at J.P. Morgan) disagreed!",
        "A sentence with trailing spaces.   Another one.\tAnd a tab.",
        "No full stop at the end",
        "“Quoted?” she asked. 'Single.' Done.",
    ]
    for para in paragraphs:
        assert _pieces(para) == _segmenter().segment(para), para
