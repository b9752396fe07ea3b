"""What the model is asked to write: short schemas, mapped back to the contract by code.

Offsets, evidence text, cue words and ids are never asked of the model; the bounds below
become grammar limits on llama.cpp, so a small model cannot loop until it runs out of tokens.
Every extraction answer, whatever the prompt's shape, becomes :class:`~digest.ground.Draft`
objects here (``drafts()``); nothing after this module knows which shape was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from .ground import Draft
from .schema import Hedging

MAX_CLAIMS_PER_CHUNK = 12


class XClaim(BaseModel):
    # No defaults: a field with a default is optional in the grammar and small models skip it.
    text: str = Field(min_length=3, max_length=240)
    sentences: list[int] = Field(min_length=1, max_length=4)
    source: str = Field(max_length=80)
    level: Hedging


class ExtractAnswer(BaseModel):
    """Only what needs judgment. Source kinds, checkworthiness, cues and offsets are code's."""

    claims: list[XClaim] = Field(max_length=MAX_CLAIMS_PER_CHUNK)

    def loaded(self) -> list[str]:
        return []

    def drafts(self) -> list[Draft]:
        return [
            Draft(x.text.strip(), tuple(x.sentences), x.source.strip(), x.level)
            for x in self.claims
        ]


#: A fact as extract@v4 asks for it: plain text that cannot hold JSON or a line break (the
#: 1.5B model otherwise closes the JSON inside the string and starts over), at most 150
#: characters. llama.cpp turns a pattern into grammar and ignores maxLength beside it.
FactText = Annotated[str, Field(pattern=r'^[^{}\[\]"\n]{3,150}$')]
LoadedText = Annotated[str, Field(pattern=r'^[^{}\[\]"\n]{2,40}$')]


class FactsAnswer(BaseModel):
    """extract@v4's answer: one key per sentence of the chunk, in order, each with at most
    three facts. The keys make the grammar walk the sentences once each, so a small model
    can neither loop on one sentence nor wander past the chunk; source, level and cue words
    are read off the sentence by code (:mod:`digest.sources`, :mod:`digest.cues`), which
    the labelled fixtures show does better than the 1.5B model and costs no output token."""

    def loaded(self) -> list[str]:
        """Judging or sensational words of the chunk, as written ("BOMBSHELL")."""
        return list(getattr(self, "loaded_words", []))

    def drafts(self) -> list[Draft]:
        """One draft per fact, citing its sentence; source and level are the code's to find."""
        return [
            Draft(text.strip(), (int(info.alias or name),), "", None)
            for name, info in type(self).model_fields.items()
            if name != "loaded_words"
            for text in getattr(self, name)
        ]


def facts_answer(numbers: Sequence[int], loaded: bool = True) -> type[FactsAnswer]:
    """The answer for a chunk: its sentences' facts, then (``loaded``) its loaded words."""
    fields: dict[str, Any] = {
        f"s{n}": (list[FactText], Field(alias=str(n), max_length=3)) for n in numbers
    }
    if loaded:
        fields["loaded_words"] = (list[LoadedText], Field(alias="loaded", max_length=4))
    return create_model("FactsAnswer", __base__=FactsAnswer, **fields)


#: The answer shapes a prompt's ``answer`` setting may name.
ANSWERS = ("claims", "facts")


def extract_answer(
    shape: str, numbers: Sequence[int], loaded: bool
) -> type[ExtractAnswer] | type[FactsAnswer]:
    """The answer model for a chunk's sentences: extract@v4's and later are keyed by them."""
    return facts_answer(numbers, loaded=loaded) if shape == "facts" else ExtractAnswer


class XSentence(BaseModel):
    text: str = Field(min_length=3, max_length=400)
    claims: list[str] = Field(max_length=3)


class SummaryAnswer(BaseModel):
    sentences: list[XSentence] = Field(min_length=1, max_length=6)


def summary_answer(claims: int, wanted: int = 3) -> type[SummaryAnswer]:
    """SummaryAnswer asking for at least min(3, claims, wanted) sentences (without the floor
    in the grammar the 1.5B model stops after one sentence) and at most max(6, wanted)."""
    floor = max(1, min(3, claims, wanted))
    return create_model(
        "SummaryAnswer",
        __base__=SummaryAnswer,
        sentences=(list[XSentence], Field(min_length=floor, max_length=max(6, wanted))),
    )
