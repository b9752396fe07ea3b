"""The JSON contract (schema_version "1"): what digest promises to the code that stores its output.

Field names are stable; new fields may be added, none renamed without a new schema_version.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field, model_validator

SCHEMA_VERSION: Literal["1"] = "1"

Hedging = Literal["asserted", "attributed", "hedged", "speculative"]
SourceKind = Literal[
    "person", "organization", "outlet", "document", "social_media", "anonymous", "other"
]

#: Certainty order used whenever two levels fit: the less certain one wins.
CERTAINTY: dict[str, int] = {"speculative": 0, "hedged": 1, "attributed": 2, "asserted": 3}


class Span(BaseModel):
    """A stretch of ``article.text``: ``article.text[start:end] == text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class LoadedSpan(Span):
    neutral: str | None = None
    #: Who found it: the curated lexicon (with a neutral word where one exists) or the model.
    found_by: Literal["lexicon", "model"] = "lexicon"


class Article(BaseModel):
    #: The input's own id (a JSON record's ``id``, a file's path), for batch output.
    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    text: str
    sha256: str = ""

    @model_validator(mode="after")
    def _hash(self) -> Article:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        return self


class Source(BaseModel):
    id: str
    name: str
    kind: SourceKind = "other"
    description: str | None = None


class Claim(BaseModel):
    id: str
    text: str
    source_ids: list[str] = Field(default_factory=list)
    cue: str | None = None
    hedging: Hedging = "asserted"
    hedge_cues: list[str] = Field(default_factory=list)
    disputed_by: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)
    checkworthy: bool = True


class SummarySentence(BaseModel):
    text: str
    claim_ids: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    text: str = ""
    sentences: list[SummarySentence] = Field(default_factory=list)


#: The stable codes of :class:`Issue`; code that reads a digest branches on these, never
#: on a message. New codes may be added; none is renamed without a new schema_version.
IssueCode = Literal[
    "claim.dropped",  # the model's claim is not in the sentences it cites, even when re-asked
    "claim.merged",  # claims restating each other were merged (``message`` says how many)
    "claim.recited",  # the claim was moved to the sentence of its chunk that says it
    "claim.source_removed",  # the model's source is not named near the evidence, or no name
    "claim.source_found",  # the source the evidence names replaced the model's missing one
    "claim.level_corrected",  # the model's certainty level was corrected by the cues
    "claim.reworded",  # loaded words of the claim were replaced by neutral ones
    "claim.shortened",  # the claim was cut off mid-phrase: made a whole statement
    "claim.inverted",  # the claim swapped who does what to whom in its sentence: left out
    "source.dropped",  # a source name the article does not contain
    "chunk.failed",  # no valid answer for a chunk: its claims are missing
    "run.stopped",  # the endpoint kept failing: later chunks were not asked
    "run.interrupted",  # Ctrl-C or a cancellation: what was done so far is kept
    "run.no_claims",  # nothing could be extracted and grounded: no summary
    "model.json_mode",  # the endpoint refused JSON-schema output: asked for a JSON object
    "article.injection",  # a sentence addresses the model: left out of the extraction
    "article.language",  # the article does not look English: expect poor results
    "summary.failed",  # no valid summary answer: no summary
    "summary.recited",  # a summary sentence was moved to the claims it restates
    "summary.reworded",  # loaded words of a summary sentence were replaced
    "summary.sentence_dropped",  # a summary sentence failed the checks (or repeated one)
    "summary.written_by_code",  # sentences written from the claims after the model's failed
]


class Issue(BaseModel):
    """One correction, drop, failure or interruption, with where it applies. ``message`` is
    the line shown to people (and kept in ``Digest.warnings``); ``code`` is for programs."""

    code: IssueCode
    message: str
    claim_id: str | None = None
    sentences: list[int] | None = None
    #: 1-based chunk number, for chunk and run events.
    chunk: int | None = None


class Run(BaseModel):
    model: str
    prompts: dict[str, str] = Field(default_factory=dict)
    prompt_sha256: dict[str, str] = Field(default_factory=dict)
    #: How the summary was made: "pick" (code states the chosen claims) or "write" (the
    #: model writes from them).
    summary_mode: Literal["pick", "write"] | None = None
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    #: Of ``seconds``, the time spent waiting for the model (recorded time when replayed).
    model_seconds: float = 0.0
    digest_version: str = ""
    complete: bool = True
    #: Why the digest is partial (the message of the issue that made it so), or None.
    incomplete_reason: str | None = None


class Digest(BaseModel):
    schema_version: Literal["1"] = SCHEMA_VERSION
    article: Article
    summary: Summary = Field(default_factory=Summary)
    claims: list[Claim] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    loaded_language: list[LoadedSpan] = Field(default_factory=list)
    #: The messages of ``issues``, for people and for readers of schema "1" before issues.
    warnings: list[str] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    run: Run

    def check(self) -> list[str]:
        """Return every way this digest breaks the contract (empty when it keeps it)."""
        text = self.article.text
        problems = []
        source_ids = {s.id for s in self.sources}
        claim_ids = {c.id for c in self.claims}
        spans: list[tuple[str, Span]] = [("loaded_language", s) for s in self.loaded_language]
        for claim in self.claims:
            spans += [(claim.id, e) for e in claim.evidence]
            for sid in claim.source_ids + claim.disputed_by:
                if sid not in source_ids:
                    problems.append(f"{claim.id} names unknown source {sid}")
        for where, span in spans:
            if text[span.start : span.end] != span.text:
                problems.append(
                    f"{where}: evidence {span.start}-{span.end} does not match the text"
                )
        for sentence in self.summary.sentences:
            for cid in sentence.claim_ids:
                if cid not in claim_ids:
                    problems.append(f"summary cites unknown claim {cid}")
        return problems
