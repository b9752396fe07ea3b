"""Sources: one entry per distinct name the claims cite, its kind, and its role in the article.

The model names who says a claim; code decides the kind (from ``lexicons/sources.tsv``)
and looks up the role the article gives ("Lively's attorney", "filmmaker"), so no output
token is spent on either.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import cast

from rapidfuzz import fuzz

from . import roles
from .cues import doubt_terms, lexicon, quoted
from .schema import Source, SourceKind

_PERSON = re.compile(r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+$")


def norm(name: str) -> str:
    """Lower case, single spaces, straight apostrophes, no leading article."""
    flat = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    return re.sub(r"^(the|a|an)\s+", "", flat)


@lru_cache(maxsize=1)
def _rules() -> list[tuple[str, re.Pattern[str]]]:
    raw = resources.files("digest").joinpath("lexicons", "sources.tsv").read_text("utf-8")
    rules = []
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, pattern = line.partition("\t")
            rules.append((kind, re.compile(pattern.strip(), re.IGNORECASE)))
    return rules


def kind_of(name: str, text: str = "") -> SourceKind:
    """The kind of a source: by the rules file, else a person when it looks like a personal
    name ("Esra Hudson and Mike Gottlieb", or "Baldoni" where the article says "Justin
    Baldoni"), else "other"."""
    name = name.strip()
    for kind, pattern in _rules():
        if pattern.fullmatch(name):
            return cast(SourceKind, kind)
    if all(_PERSON.match(part) for part in re.split(r",? and |, ", name)):
        return "person"
    if re.fullmatch(r"[A-Z][\w’'-]+", name) and re.search(
        rf"\b[A-Z][a-z]+ {re.escape(name)}\b", text
    ):
        return "person"
    return "other"


def _is_role(phrase: str) -> bool:
    roles = lexicon("roles.txt")
    return any(w.strip(",.").lower() in roles for w in phrase.split())


def role_of(name: str, text: str) -> str | None:
    """The role the article gives a named source, when a role word stands next to the name:
    "NAME, ROLE," ("Ayoub, who accused ..." is not a role) or "ROLE NAME"."""
    escaped = re.escape(name.strip())
    for after in re.finditer(rf"\b{escaped}, ((?:the |an? )?[^,.;:—“”\"]{{3,60}}),", text):
        if _is_role(after.group(1)) and not after.group(1).startswith("who"):
            return after.group(1).strip()
    for before in re.finditer(rf"((?:\b[\w’'-]+ ){{1,3}}){escaped}\b", text):
        words = before.group(1).split()
        if not _is_role(words[-1]):
            continue
        start = len(words) - 1
        while start > 0 and (_is_role(words[start - 1]) or words[start - 1][:1].isupper()):
            start -= 1
        return " ".join(words[start:])
    return None


_RUN = r"(?:[A-Z][\w.'’-]+\s+){0,4}[A-Z][\w.'’-]+"


def fullest(name: str, text: str) -> str:
    """The fullest name the article gives the source called ``name``: the name in apposition
    to a description ("the study's lead author, doctoral candidate Maninder Thind" for "the
    study's lead author"), or the one full name, as spaCy's entity recogniser finds people,
    of a surname with or without a title ("Kerry Lee" for "Sheriff Lee" where the article
    says "Lincoln County Sheriff Kerry Lee"). A name the article gives no fuller form, or
    several ("Donald Trump", "Ivanka Trump"), stays as it is."""
    name = name.strip()
    if not name or len(name.split()) > 4:
        return name
    words = name.split()
    if not all(w[:1].isupper() for w in words[1:]) or not words[0][:1].isupper():
        aside = re.search(
            rf"\b(?i:{re.escape(name)}),\s+(?:[a-z][\w-]*\s+){{0,5}}({_RUN})\s*[,.;]", text
        )
        if aside and len(aside.group(1).split()) >= 2 and not _is_role(aside.group(1)):
            return aside.group(1)
    last_role = max((i for i, w in enumerate(words) if _is_role(w)), default=-1)
    core = words[last_role + 1 :]  # "Prime Minister Ardern": Ardern
    if not core or len(core) > 2 or not all(w[:1].isupper() for w in core):
        return name
    surname = core[-1]
    forms = set()
    for line in re.findall(rf"[^.!?\n]*\b{re.escape(surname)}\b[^.!?\n]*", text):
        for person in roles.people(line):
            named = person.split()
            while named and _is_role(named[0]):
                named = named[1:]  # "Sheriff Lee" is Lee
            if len(named) >= 2 and named[-1] == surname:
                forms.add(" ".join(named))
    return forms.pop() if len(forms) == 1 else name


def is_cue_word(name: str) -> bool:
    """A "source" that is only an attribution or doubt word ("said", "per", "claims")."""
    words = norm(name).replace(";", " ").replace(":", " ").split()
    cue_words = set(lexicon("attribution.txt")) | set(doubt_terms()) | {"doubt", "rumour"}
    return bool(words) and all(w in cue_words or w == "claims" for w in words)


def unusable(name: str, claim: str, near: str) -> str | None:
    """Why ``name`` cannot be the source of ``claim`` whose evidence stands in ``near`` (its
    paragraphs), or None. Small models put cue words, the claim itself or a source from
    elsewhere in the article there."""
    if is_cue_word(name):
        return "is only a cue word"
    if norm(name) in _PRONOUNS | {"him", "her", "them", "us", "me"}:
        return "is a pronoun"
    if (
        len(name.split()) > 8
        or name.rstrip().endswith((".", "?", "!"))
        or norm(name) == norm(claim)
    ):
        return "is not a name"
    if not in_article(name, near):
        return "is not named near the evidence"
    return None


_NAME = r"[A-Z][\w.&’'-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w.&’'-]*)*"
_GROUPS = (
    "police|officials|prosecutors|authorities|investigators|researchers|witnesses|doctors|"
    "scientists|analysts|organizers|organisers|forecasters|experts"
)
#: Verbs after which a name is the speaker ("said Dr. Anna Kowalska"); not "told", whose
#: object listened ("told TASS").
_VERBS = "said|says|added|adds|stated|wrote|writes|announced|confirmed|reported|testified"
_PER = re.compile(
    rf"\b(?:per|[Aa]ccording to)\s+((?:the\s+|a\s+|an\s+)?(?:{_NAME}"
    # a lower-case source ends before a verb: "according to the ministry recovered ten"
    r"|[a-z][\w-]*(?:\s+[a-z][\w-]*(?<!ed)){0,2}?"
    r"(?=[,.;:)]|\s+(?:on|in|at|that|and|which|who|[a-z]+ed)\b|$)))"
)
_STOP = {
    "on", "in", "at", "by", "after", "before", "but", "and", "also", "later", "earlier", "then",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "last", "this", "yesterday", "today", "however", "meanwhile",
    "still", "yet", "instead", "now", "so",
}  # fmt: skip
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those"}


#: Speech verbs that name a speaker but are no cue words of the lexicon (the cue pass and
#: the extraction hints do not change with them).
_SPEECH = ("alleged", "alleges", "claims", "insist", "concludes", "concluded")
#: Between a speaker and its verb: "Labour strongly maintains".
_ADVERBS = (
    "reportedly|strongly|firmly|repeatedly|publicly|privately|initially|previously|recently|"
    "flatly|angrily|vehemently|categorically|separately|again|meanwhile"
)
#: "obtained by TMZ", "verified by audio forensics experts at Veritone".
_AGENT = re.compile(
    r"\b(?:obtained|verified|confirmed|reported|published|released|analy[sz]ed|reviewed)"
    rf"\s+by\s+(?:[a-z][\w-]*\s+){{0,4}}({_NAME})"
)
#: "a dismal 48 (YouGov)": a pollster or data source in brackets after a figure.
_BRACKETED = re.compile(rf"\d%?\s*\(({_NAME})\)")
_WORDS = re.compile(rf"\b[Ii]n ({_NAME})(?:’s|'s) (?:own )?words\b")
#: "Lively’s filing, where she described ...": the owner is who speaks.
_WHERE = re.compile(rf"({_NAME})(?:’s|'s) [a-z]+,? (?:where|in which) (?:he|she|they)\b")
#: Names and nothing else ("Esra Hudson and Mike Gottlieb"), perhaps after "led by".
_NAMES = re.compile(r"^(?:led by |including |namely )?((?:[A-Z][\w.'’-]+(?:,? and |, | )?)+)$")


@lru_cache(maxsize=1)
def _speaker_patterns() -> tuple[re.Pattern[str], ...]:
    """Speaker before its verb ("Police said", "The Taliban have claimed", "Mangal, spokesman
    for the governor, said"), after it ("said Dr. Kowalska"), before a colon and a quote
    ("GLAAD, initial Lively ally, pivoted October 31: “..."), and a pronoun speaker."""
    roles = "|".join(re.escape(r) for r in (*lexicon("roles.txt"), "camp", "team", "family"))
    single = [v for v in lexicon("attribution.txt") if " " not in v and v != "per"]
    verbs = "|".join(re.escape(v) for v in (*single, *_SPEECH))
    # "Lively's attorneys", "The WHO's website"; a bare possessive is no speaker ("Lively's
    # claims" names what is claimed, not who claims it).
    owned = rf"{_NAME}(?:’s|'s)\s+(?:{roles}|[a-z]+)"
    titled = rf"(?:{_NAME}\s+)?(?:{roles})\s+{_NAME}"  # "Liberal Democrat leader Nick Clegg"
    speaker = (
        rf"(?:the\s+)?(?:{titled}|{owned}|{_NAME}(?:\s+(?:{roles}))?)|(?:the\s+)?(?:{_GROUPS})"
    )
    aside = r"(,[^,;“”\"]{1,80},)?"  # an apposition between the name and its verb
    aux = rf"(?:\s+(?:has|have|had|also|later|then|{_ADVERBS}))*"
    quote = rf"\s+[“\"](?:(?:{_ADVERBS})\s+)?"  # Labour "strongly maintains"
    before = re.compile(rf"(?<![\w’'])({speaker}){aside}{aux}(?:{quote}|\s+)(?:{verbs})\b")
    after = re.compile(rf"\b(?:{_VERBS})\s+((?:the\s+)?{_NAME})")
    # "In the note, ", "However, addressing the leaders, "
    intro = (
        r"(?:(?:In|On|At|After|Before|Later|However|Meanwhile|But|Yet)\b[^,:“”\"]{0,40},\s+"
        r"(?:[a-z][^,:“”\"]{0,40},\s+)?)?"
    )
    colon = re.compile(rf"^{intro}({speaker}){aside},?\s[^:“”\"]{{1,80}}:\s*[“\"]")
    pronoun = re.compile(
        rf"\b(?:[Hh]e|[Ss]he|[Tt]hey){aux}\s+(?:{verbs})\b|\b[Aa]ccording to (?:him|her|them)\b"
        r"|^(?:He|She|They)\b[^:“”\"]{1,60}:\s*[“\"]"
    )
    return before, after, colon, pronoun


def _clean(name: str) -> str | None:
    words = name.rstrip(".,").split()
    while words and words[0].lower() in _STOP:
        words = words[1:]
    while words and words[-1].lower() in _STOP:
        words = words[:-1]
    if not words or (len(words) == 1 and words[0].lower() in _PRONOUNS | {"the", "a", "an"}):
        return None
    if words[-1].endswith(("’s", "'s")):  # "Lively's claims": what is claimed, not who
        return None
    if len(words) == 2 and words[1] in ("voice", "words"):  # "Baldoni's voice" is Baldoni
        return words[0][:-2]
    # "Police spokesman Mariusz Ciarka": the name; the role is the source's description
    roles = [i for i, w in enumerate(words) if w.islower() and w in lexicon("roles.txt")]
    if (
        roles
        and len(words) - roles[-1] > 2
        and all(w[:1].isupper() for w in words[roles[-1] + 1 :])
    ):
        words = words[roles[-1] + 1 :]
    return " ".join(words)


def _named_aside(speaker: str, aside: str | None) -> str | None:
    """The names an apposition gives a role ("Lively's attorneys, Esra Hudson and Mike
    Gottlieb," or "His team, led by Bryan Freedman,"): the article's own name for them."""
    first = speaker.split()[0]
    if not aside or not (first.endswith(("’s", "'s")) or first in ("His", "Her", "Their")):
        return None
    names = _NAMES.match(aside.strip(", "))
    if names and all(_PERSON.match(p) for p in re.split(r",? and |, ", names.group(1))):
        return names.group(1)
    return None


def _candidates(sentence: str) -> list[tuple[int, str]]:
    """Every speaker the sentence names outside quotation marks, with where it stands, in
    order of preference. "Police also said Khan had ..." names Police, not Khan."""
    before, after, colon, _ = _speaker_patterns()
    found: list[tuple[int, str]] = []
    taken = quoted(sentence)
    for pattern in (_PER, _WORDS, before, colon, after, _AGENT, _BRACKETED, _WHERE):
        for m in pattern.finditer(sentence):
            if any(a <= m.start() < b for a, b in taken):
                continue
            aside = m.group(2) if pattern in (before, colon) else None
            if name := _named_aside(m.group(1), aside) or _clean(m.group(1)):
                found.append((m.start(1), name))
            if pattern is before:
                taken.append(m.span())  # its verb is no "said X" for the next pattern
    return found


def named_by_cue(sentence: str, previous: str = "", claim: str = "") -> str | None:
    """The source a sentence names with its attribution cue, or None: "per X" and
    "according to X" ("NPD BookScan", "police", "a city report"), "X said/claimed/told"
    ("Lively's attorneys", "Mayor Ana Ruiz"), "said X", "X ...: “quote”", "verified by X",
    "48 (YouGov)"; for "he said", the speaker the ``previous`` sentence names. Where the
    sentence names several, the one in the clause that holds ``claim``, nearest its words."""
    found = _candidates(sentence)
    if len({name for _, name in found}) > 1 and claim:
        return _for_claim(sentence, claim, found)
    if found:
        return found[0][1]
    pronoun = _speaker_patterns()[-1]
    if previous and (
        pronoun.search(sentence)
        or sentence.startswith(("“", '"'))
        or roles.said_by_pronoun(sentence)
    ):
        return named_by_cue(previous)  # "he said", or a quote that goes on from a speaker
    return _clean_or_none(roles.speaker(sentence))


def _clean_or_none(name: str | None) -> str | None:
    """A speaker the parse found, as the patterns' speakers are cleaned."""
    return _clean(name) if name else None


_CLAUSE = re.compile(r",?\s+(?:while|whereas|but)\s+|;\s*")


def _for_claim(sentence: str, claim: str, found: list[tuple[int, str]]) -> str:
    """Of several speakers, the first in the clause that holds the claim's words ("Smith
    said X, while Jones said Y"), else the only one the claim names ("Veritone verified
    ..."), else the first."""
    lowered = sentence.lower()
    words = {w.lower() for w in re.findall(r"[\w’'-]{3,}", claim)}
    bounds = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence) + 1]
    if len(bounds) > 2 and words:

        def spots(clause: tuple[int, int]) -> list[int]:
            return [i for w in words if (i := lowered.find(w, *clause)) >= 0]

        clause = max(pairwise(bounds), key=lambda c: len(spots(c)))
        first = min(spots(clause), default=clause[1])
        # the clause's own speaker, before its words ("..., but later said" has none)
        if inside := [f for f in found if clause[0] <= f[0] <= first]:
            return inside[0][1]
    named = [f for f in found if any(w.lower() in words for w in re.findall(r"\w{3,}", f[1]))]
    if len({name for _, name in named}) == 1:
        return named[0][1]
    return found[0][1]


def in_article(name: str, text: str) -> bool:
    key = norm(name)
    lowered = text.lower().replace("’", "'")
    return key in lowered or fuzz.partial_ratio(key, lowered) >= 90


def collect(names: list[str], text: str) -> tuple[list[Source], dict[str, str], list[str]]:
    """Sources for the given names, in order of first mention; normalised name -> id; and a
    warning for every name the article does not contain (those are dropped)."""
    sources: list[Source] = []
    ids: dict[str, str] = {}
    warnings: list[str] = []
    for name in names:
        key = norm(name)
        if not key or key in ids:
            continue
        if is_cue_word(name) or not in_article(name, text):
            warnings.append(f'source "{name}" is not named in the article; dropped')
            ids[key] = ""
            continue
        sid = f"s{len(sources) + 1}"
        sources.append(
            Source(
                id=sid, name=name.strip(), kind=kind_of(name, text), description=role_of(name, text)
            )
        )
        ids[key] = sid
    return sources, {k: v for k, v in ids.items() if v}, warnings
