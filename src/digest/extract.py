"""Extraction, one chunk at a time: one structured call, its answer grounded in the chunk's
sentences, and one re-ask for the claims that are not.

The model sees the chunk's numbered sentences (with the cue pass's hints) after the prompt's
fixed instructions and examples, so a backend that caches the shared prefix reads those once
per article. A claim whose cited sentences do not carry its words is re-cited to the
sentence of the chunk that does, else re-asked once with the reason, else dropped with an
issue: never silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import cues as cue_pass
from . import ground, prompts
from .answers import ANSWERS, extract_answer
from .errors import InputError, LLMError
from .ground import Draft
from .guard import defused
from .llm import LLM
from .loaded import model_loaded
from .prompts import Prompt
from .schema import Issue, LoadedSpan
from .segment import Chunk
from .usage import Usage

MAX_TOKENS = 1200
#: A claim shorter than this cannot stand on its own; it is skipped.
MIN_CLAIM_WORDS = 4
#: Words per chunk when neither the caller nor the prompt says: a 1.5B model extracts
#: little from more than a paragraph or two; an API model reads long contexts well.
SMALL_MODEL_WORDS = 220
API_MODEL_WORDS = 1500


@dataclass(frozen=True)
class Extraction:
    """What one chunk gave: grounded drafts, the loaded words the model named (placed in
    the text), the issues raised, and what the calls cost."""

    drafts: list[Draft]
    loaded: list[LoadedSpan]
    issues: list[Issue]
    usage: Usage


@dataclass(frozen=True)
class Extractor:
    llm: LLM
    prompt: Prompt

    def __post_init__(self) -> None:
        if self.shape not in ANSWERS:
            raise InputError(f"prompt {self.prompt.ref}: unknown answer shape {self.shape!r}")

    @property
    def shape(self) -> str:
        return self.prompt.setting("answer", "claims")

    @property
    def asks_loaded(self) -> bool:
        """Whether the model is asked for loaded words too (extract@v4) or the lexicon alone
        finds them (extract@v5: the 1.5B model named topic words, 3 right of 36)."""
        return self.prompt.setting("loaded", "lexicon+model") == "lexicon+model"

    def chunk_words(self, override: int | None = None) -> int:
        """Words per chunk: the caller's, else the prompt's tuned size on a small model,
        else the model's default."""
        tuned = int(self.prompt.setting("chunk_words", "0"))
        if override:
            return override
        if self.llm.small:
            return tuned or SMALL_MODEL_WORDS
        return API_MODEL_WORDS

    async def extract(self, chunk: Chunk) -> Extraction:
        """The chunk's grounded drafts. Raises LLMError when the first call gets no valid
        answer; a failed re-ask only drops the claims it was asked about. The hints are the
        words of the prompt's own hint vocabulary (``hints: v1`` unless it says otherwise)."""
        words = cue_pass.inventory(self.prompt.setting("hints", "v1"))
        cues = cue_pass.scan(chunk.sentences, words)
        numbered = [(s.number, defused(s.text), cue_pass.hints(s, cues)) for s in chunk.sentences]
        messages = self.prompt.messages(sentences=prompts.sentence_lines(numbered))
        schema = extract_answer(self.shape, [s.number for s in chunk.sentences], self.asks_loaded)
        first = await self.llm.ask(messages, schema, max_tokens=MAX_TOKENS)
        loaded = model_loaded(first.value.loaded(), chunk) if self.asks_loaded else []
        drafts, failed = _ground_all(first.value.drafts(), chunk)
        usage = first.usage
        if not failed:
            return Extraction(drafts, loaded, [], usage)
        reasons = "\n".join(
            f'- "{d.text}" cites {list(d.numbers)}, but those sentences do not say it.'
            for d in failed
        )
        retry = prompts.follow_up(
            messages,
            first.value,
            f"These claims are not supported by the sentences they cite:\n{reasons}\n"
            "Answer again with only these claims, each citing the sentence numbers that say "
            "it; leave out any claim the sentences do not say.",
        )
        again = sorted({n for d in failed for n in d.numbers})
        try:
            second = await self.llm.ask(
                retry, extract_answer(self.shape, again, self.asks_loaded), max_tokens=MAX_TOKENS
            )
            fixed, still = _ground_all(second.value.drafts(), chunk)
            usage += second.usage
        except LLMError as e:
            fixed, still, usage = [], [], usage + e.usage
        lost = [d for d in failed if not any(ground.same_claim(d.text, f.text) for f in fixed)]
        # a claim the re-ask repeats, still ungrounded, is reported once
        lost += [d for d in still if not any(ground.same_claim(d.text, x.text) for x in lost)]
        issues = [
            Issue(
                code="claim.dropped",
                message=f'dropped claim "{d.text}": not found in sentences {list(d.numbers)}',
                sentences=list(d.numbers),
                chunk=chunk.index + 1,
            )
            for d in lost
        ]
        return Extraction(drafts + fixed, loaded, issues, usage)


def _ground_all(drafts: list[Draft], chunk: Chunk) -> tuple[list[Draft], list[Draft]]:
    """The drafts grounded in the chunk, and the ones no sentence of it supports; drafts too
    short to stand alone ("Related Posts", "Lively's Q-score?") are skipped."""
    grounded, failed = [], []
    for draft in drafts:
        if len(draft.text.split()) < MIN_CLAIM_WORDS:
            continue
        g = ground.ground(draft, chunk.sentences)
        if g is None:
            failed.append(draft)
        else:
            grounded.append(g)
    return grounded, failed
