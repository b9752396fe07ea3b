from digest.sources import collect, kind_of, named_by_cue, role_of

TEXT = (
    "Lively's attorneys, Esra Hudson and Mike Gottlieb, spoke. They pointed to a call from "
    "Wayfarer co-founder Steve Sarowitz to filmmaker Claire Ayoub. A judge dismissed Justin "
    "Baldoni's suit, per TMZ. Baldoni, conversely, signed with Netflix. Sales fell, per NPD "
    "BookScan. A source close to the production said so. #BelieveBlake posts spread on X."
)


def test_kinds_come_from_the_rules_file_and_name_shapes():
    assert kind_of("TMZ") == "outlet"
    assert kind_of("The New York Times") == "outlet"
    assert kind_of("a source close to the production") == "anonymous"
    assert kind_of("#BelieveBlake") == "social_media"
    assert kind_of("NPD BookScan") == "organization"
    assert kind_of("Lively's attorneys") == "organization"
    assert kind_of("Esra Hudson and Mike Gottlieb") == "person"
    assert kind_of("Baldoni", TEXT) == "person"  # "Justin Baldoni" stands in the text
    assert kind_of("Veritone", TEXT) == "other"


def test_roles_are_taken_only_when_a_role_word_stands_next_to_the_name():
    assert role_of("Steve Sarowitz", TEXT) == "Wayfarer co-founder"
    assert role_of("Claire Ayoub", TEXT) == "filmmaker"
    assert role_of("Baldoni", TEXT) is None  # "Baldoni, conversely," is no role


def test_collect_merges_names_and_drops_cue_words_and_names_not_in_the_article():
    sources, ids, warnings = collect(["TMZ", "the TMZ", "said", "per", "Reuters", "TMZ"], TEXT)
    assert [(s.id, s.name) for s in sources] == [("s1", "TMZ")]
    assert ids == {"tmz": "s1"}
    assert len(warnings) == 3 and all("dropped" in w for w in warnings)


def test_per_and_according_to_name_a_source():
    assert (
        named_by_cue("Her backlist sales dipped 40%, per NPD BookScan, with more.")
        == "NPD BookScan"
    )
    assert named_by_cue("The shooting began at 10:39, according to police.") == "police"
    assert named_by_cue("It cost $4 million, according to the Gun Violence Archive.") == (
        "the Gun Violence Archive"
    )
    assert named_by_cue("The council met on Monday.") is None


def test_the_speaker_of_said_told_added_is_named():
    assert named_by_cue("It cost $4 million, according to a city report.") == "a city report"
    assert named_by_cue("Lively's attorneys said the audio was cherry-picked.") == (
        "Lively's attorneys"
    )
    assert named_by_cue("The bridge closed on Monday, Mayor Ana Ruiz said.") == "Mayor Ana Ruiz"
    assert named_by_cue("“It was chaos,” said Dr. Anna Kowalska of the hospital.") == (
        "Dr. Anna Kowalska"
    )
    assert named_by_cue("“I appreciate you,” Baldoni adds.") == "Baldoni"
    assert named_by_cue("On Monday Smith said the plant would close.") == "Smith"
    assert named_by_cue("Officials said 22 people died.") == "Officials"
    # Pronouns and dates are not sources.
    assert named_by_cue("He said the vote was close.") is None
    assert named_by_cue("The suspect was charged, they said Sunday.") is None


def test_speakers_across_an_apposition_an_auxiliary_or_a_pronoun():
    assert named_by_cue(
        "Abdurrahman Mangal, spokesperson for the provincial governor, said 12 were killed."
    ) == ("Abdurrahman Mangal")
    assert named_by_cue("The Taliban have claimed responsibility.") == "The Taliban"
    assert named_by_cue("Hotak also alleged the government hid the figures.") == "Hotak"
    before = "Sharif Hotak said the blast was powerful."
    assert named_by_cue("“The whole building collapsed,” he said.", before) == "Sharif Hotak"
    assert named_by_cue("“The whole building collapsed,” he said.") is None
