from digest.sources import collect, fullest, kind_of, named_by_cue, role_of

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
    assert named_by_cue(
        "Rescuers, according to the emergencies ministry recovered ten survivors on Monday."
    ) == ("the emergencies ministry")


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
    assert named_by_cue("Labour strongly maintains that its spending was within the rules.") == (
        "Labour"
    )
    assert named_by_cue('Labour "strongly maintains" that its spending was within the rules.') == (
        "Labour"
    )
    before = "Sharif Hotak said the blast was powerful."
    assert named_by_cue("“The whole building collapsed,” he said.", before) == "Sharif Hotak"
    assert named_by_cue("“The whole building collapsed,” he said.") is None


def test_a_speaker_before_a_colon_quote_is_the_source():
    assert named_by_cue(
        "GLAAD, initial Lively ally, pivoted October 31: “Apologies are steps, not shields.”"
    ) == ("GLAAD")
    assert named_by_cue(
        "In the note, Baldoni’s voice, laced with fatigue, begins: “Man, I'm really sorry.”"
    ) == ("Baldoni")
    assert named_by_cue("In Baldoni’s words, leaked and loaded: “Let’s make this right.”") == (
        "Baldoni"
    )
    before = "Sharif Hotak said the blast was powerful."
    assert named_by_cue("He praises the crews: “They were fast.”", before) == "Sharif Hotak"
    # a colon without a quote after it announces no speaker
    assert named_by_cue("X and TikTok are battlegrounds: 700,000 posts.") is None
    assert (
        named_by_cue("A curt directive to her publicist: “Concrete facts back our claims.”") is None
    )


def test_a_pronoun_speaker_is_whoever_owns_the_document_it_speaks_in():
    previous = "Baldoni said he was sorry."
    sentence = "The tone clashes with Lively’s filing, where she described Baldoni as dismissive."
    assert named_by_cue(sentence, previous) == "Lively"


def test_names_in_an_apposition_are_the_source_rather_than_their_role():
    assert named_by_cue(
        "Lively’s attorneys, Esra Hudson and Mike Gottlieb, fired back in a statement Tuesday: "
        "“This cherry-picked audio ignores the pattern.”"
    ) == ("Esra Hudson and Mike Gottlieb")
    assert named_by_cue(
        "His team, led by Bryan Freedman, argues the audio proves she instigated the rift."
    ) == ("Bryan Freedman")
    # a role without a name beside it stays the source
    assert named_by_cue("Lively's attorneys said the audio was cherry-picked.") == (
        "Lively's attorneys"
    )


def test_a_pollster_in_brackets_after_a_figure_is_the_source():
    assert named_by_cue("Her Q-score is a dismal 48 (YouGov), down from 60.") == "YouGov"
    assert named_by_cue("Sales rose 12% (Nielsen BookScan) in May.") == "Nielsen BookScan"
    assert named_by_cue("The film (2024) was a hit.") is None


def test_who_verified_or_obtained_it_is_the_source():
    assert named_by_cue(
        "The clip, obtained by TMZ and verified by audio forensics experts at Veritone as "
        "authentic, paints a picture of remorse."
    ) == ("TMZ")


def test_of_several_speakers_the_one_nearest_the_claim_is_its_source():
    sentence = (
        "The clip, obtained by TMZ and verified by audio forensics experts at Veritone as "
        "authentic with a 97% vocal match to Baldoni, paints a picture of remorse."
    )
    assert named_by_cue(sentence, claim="Veritone verified the clip with a 97% vocal match.") == (
        "Veritone"
    )
    assert named_by_cue(sentence, claim="TMZ obtained the clip.") == "TMZ"
    two = "Smith said the plant would close, while Jones said the mine would stay open."
    assert named_by_cue(two, claim="The mine will stay open.") == "Jones"
    assert named_by_cue(two, claim="The plant will close.") == "Smith"


def test_listeners_objects_and_quoted_speakers_are_not_the_source():
    assert named_by_cue("Lucy Fischer of The Times told NPR that Khan was freed.") == (
        "Lucy Fischer of The Times"
    )
    assert named_by_cue("Police also said Khan had appeared to be wearing a vest.") == "Police"
    assert named_by_cue("“Labour has strongly stated its case,” Clark said.") == "Clark"
    duffy = (
        "Duffy described Brown as being nice, but later said she was upset when told what "
        "Brown had said off-camera."
    )
    assert named_by_cue(duffy, claim="Duffy said she was upset by what Brown had said.") == (
        "Duffy"
    )


def test_a_speaker_is_named_without_the_role_before_the_name():
    assert named_by_cue("Police spokesman Mariusz Ciarka said the badge was fake.") == (
        "Mariusz Ciarka"
    )
    assert named_by_cue(
        "Liberal Democrat leader Nick Clegg, meanwhile said: “You should always answer.”"
    ) == ("Nick Clegg")
    assert named_by_cue(
        "However, addressing the global leaders, Chakrapani proposed: “Take cow urine daily.”"
    ) == ("Chakrapani")
    assert named_by_cue("The bridge closed on Monday, Mayor Ana Ruiz said.") == "Mayor Ana Ruiz"


def test_a_speaker_no_pattern_knows_is_read_off_the_parse():
    from digest import roles

    # unseen phrasings: a cognition verb, a finding, a title before the name
    assert roles.speaker("Officials believe gas was the trigger.") == "Officials"
    assert roles.speaker("The researchers found that race was a factor.") == "The researchers"
    # the names, not the role
    assert roles.speaker("Police spokesman Mariusz Ciarka explained the badge.") == "Mariusz Ciarka"
    assert roles.speaker("He warned of more floods.") is None  # a pronoun is no speaker
    assert roles.speaker("The council voted 7-2 on Monday.") is None
    assert named_by_cue("Experts warned that the outbreak may spread.") == "Experts"


def test_reporting_verbs_beyond_say_name_the_speaker_and_a_pronoun_points_back():
    remarked = "President Andrzej Duda remarked that he was shocked."
    assert fullest(named_by_cue(remarked) or "", remarked) == "Andrzej Duda"
    said = "Broadcaster Piers Morgan commented, “The guy with the tusk is a chef.”"
    assert (named_by_cue(said) or "").endswith("Piers Morgan")
    before = "Finance Minister Michael Cullen said the law was clear."
    argues = named_by_cue("He argues the only remedy is a new act.", before) or ""
    assert argues.endswith("Michael Cullen")
    assert named_by_cue("Over 1,000 rescuers responded to the blast.") is None


def test_a_source_takes_the_fullest_name_the_article_gives_it():
    text = (
        "Lincoln County Sheriff Kerry Lee spoke on Friday. Sheriff Lee said one man was held. "
        "The study's lead author, doctoral candidate Maninder Thind, said it was clear. "
        "Donald Trump and Ivanka Trump attended. Prime Minister Jacinda Ardern spoke."
    )
    assert fullest("Sheriff Lee", text) == "Kerry Lee"
    assert fullest("Lee", text) == "Kerry Lee"
    assert fullest("The study's lead author", text) == "Maninder Thind"
    assert fullest("Prime Minister Ardern", text) == "Jacinda Ardern"
    assert fullest("Trump", text) == "Trump"  # two Trumps: which one is not the code's guess
    assert fullest("Police", text) == "Police"
