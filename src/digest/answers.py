"""What the model is asked to write: short schemas, mapped back to the contract by code.

Offsets, evidence text, cue words and ids are never asked of the model; the bounds below
become grammar limits on llama.cpp, so a small model cannot loop until it runs out of tokens.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, create_model

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


class XSentence(BaseModel):
    text: str = Field(min_length=3, max_length=400)
    claims: list[str] = Field(max_length=3)


class SummaryAnswer(BaseModel):
    sentences: list[XSentence] = Field(min_length=1, max_length=6)


def summary_answer(claims: int) -> type[SummaryAnswer]:
    """SummaryAnswer asking for at least min(3, claims) sentences: without the floor in the
    grammar the 1.5B model stops after one sentence."""
    floor = max(1, min(3, claims))
    return create_model(
        "SummaryAnswer",
        __base__=SummaryAnswer,
        sentences=(list[XSentence], Field(min_length=floor, max_length=6)),
    )
