"""The neutral summary: the claims to carry chosen and ordered by code (:mod:`.rank`), then
either stated by code one claim a sentence ("pick", the default for small models) or
written by the model in one call ("write"), checked, re-asked once with the reasons,
repaired, and completed by code when too little survives. A summary always comes out.

Modules: this one writes; :mod:`.rank` chooses; :mod:`.check` says what a sentence does
wrong; :mod:`.repair` re-cites, rewords or leaves out what still fails and writes
sentences from the claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import prompts
from ..answers import summary_answer
from ..errors import InputError, LLMError, TransportError
from ..ground import same_claim
from ..guard import defused
from ..llm import LLM
from ..prompts import Prompt
from ..schema import Claim, Issue, Source, Summary, SummarySentence
from ..segment import Sentence
from ..usage import Usage
from . import rank
from .check import sentence_problems, summary_problems
from .repair import from_claims, from_sentences, plain, repair, says, whole

__all__ = ["Mode", "Summarizer", "Written", "parse_mode", "says", "sentence_problems"]

#: "pick": code states the chosen claims; "write": the model writes from them.
Mode = Literal["pick", "write"]
MAX_TOKENS = 600
#: Reading is the model's cost: the summary sees at most this many claims.
MAX_CLAIMS = 24


def parse_mode(value: str | None) -> Mode | None:
    """The summary mode an option names ("auto" or None: the model's size decides)."""
    if value is None or value == "auto":
        return None
    if value == "pick":
        return "pick"
    if value == "write":
        return "write"
    raise InputError(f"summary mode {value!r}: use auto, pick or write")


@dataclass(frozen=True)
class Written:
    summary: Summary
    issues: list[Issue]
    usage: Usage


@dataclass(frozen=True)
class Summarizer:
    llm: LLM
    prompt: Prompt
    mode: Mode = "write"
    #: Sentences wanted; None: what fits the article's length (:func:`.rank.sentences_for`).
    sentences: int | None = None

    async def write(
        self,
        claims: list[Claim],
        sources: list[Source],
        sentences: list[Sentence],
        title: str,
        loaded: tuple[str, ...],
    ) -> Written:
        """The summary of the article of ``sentences`` from its ``claims``; ``loaded`` adds the
        model's loaded words to the lexicon's. Raises TransportError when the endpoint
        fails; any other failure of the model leaves the summary to code."""
        names = {s.id: s.name for s in sources}
        count = self.sentences or rank.sentences_for(sum(len(s.text.split()) for s in sentences))
        choice = rank.choose(claims, sentences, title, count)
        chosen = choice.chosen
        if self.mode == "pick":
            picked = from_sentences(
                claims, choice.order, names, count, loaded, title, plain(sentences)
            )
            picked = _both_sides(picked, chosen, names, loaded)
            return Written(_summary(_in_article_order(picked, claims)), [], Usage())
        shown = _shown(claims, choice.order, count)
        lines = [
            (c.id, c.hedging, ", ".join(names[i] for i in c.source_ids), defused(c.text))
            for c in shown
        ]
        messages = self.prompt.messages(title=defused(title), claims=prompts.claim_lines(lines))
        schema = summary_answer(len(shown), count)
        try:
            first = await self.llm.ask(messages, schema, max_tokens=MAX_TOKENS)
        except TransportError:
            raise
        except LLMError as e:  # no valid answer, even re-asked: code writes the summary
            return self._by_code(chosen, names, loaded, count, e)
        answer, usage = first.value, first.usage
        by_id = {c.id: c for c in claims}
        if problems := summary_problems(answer, by_id, names, loaded):
            feedback = "Fix these problems and answer again:\n" + "\n".join(
                f"- {p}" for p in problems
            )
            retry = prompts.follow_up(messages, answer, feedback)
            try:
                second = await self.llm.ask(retry, schema, max_tokens=MAX_TOKENS)
                answer, usage = second.value, usage + second.usage
            except LLMError as e:  # the first answer is repaired instead
                usage += e.usage
        good, issues = repair(answer, by_id, names, loaded)
        kept: list[SummarySentence] = []
        for s in good:
            if any(same_claim(s.text, k.text) for k in kept):
                issues.append(
                    Issue(
                        code="summary.sentence_dropped",
                        message=f'summary: dropped a repeated sentence "{s.text}"',
                    )
                )
                continue
            if ids := [i for i in dict.fromkeys(s.claims) if i in by_id]:
                kept.append(SummarySentence(text=whole(s.text.strip()), claim_ids=ids))
        kept = kept[:count]
        extra = from_claims(chosen, names, count - len(kept), kept, loaded)
        extra += _both_sides(kept + extra, chosen, names, loaded)[len(kept + extra) :]
        if extra:
            issues.append(
                Issue(
                    code="summary.written_by_code",
                    message=f"summary: {len(extra)} sentence(s) written by code from the "
                    "claims (the model's failed the checks or left out a key claim's side)",
                )
            )
        return Written(_summary(kept + extra), issues, usage)

    def _by_code(
        self,
        chosen: list[Claim],
        names: dict[str, str],
        loaded: tuple[str, ...],
        count: int,
        e: LLMError,
    ) -> Written:
        """The summary written by code from the chosen claims, when the model gave none."""
        kept = _both_sides(from_claims(chosen, names, count, [], loaded), chosen, names, loaded)
        message = (
            f"summary: {len(kept)} sentence(s) written by code from the claims "
            f"(the model gave no valid summary: {e})"
        )
        return Written(
            _summary(kept), [Issue(code="summary.written_by_code", message=message)], e.usage
        )


def _summary(sentences: list[SummarySentence]) -> Summary:
    return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def _in_article_order(
    sentences: list[SummarySentence], claims: list[Claim]
) -> list[SummarySentence]:
    """Picked sentences as the article tells them (the claims are in article order)."""
    index = {c.id: i for i, c in enumerate(claims)}
    return sorted(sentences, key=lambda s: min(index[i] for i in s.claim_ids))


def _shown(claims: list[Claim], order: list[Claim], count: int) -> list[Claim]:
    """What the model reads: the chosen claims and the next best (``order``), at most
    MAX_CLAIMS and at least twice what it must write, in article order."""
    best = order[: min(MAX_CLAIMS, max(2 * count, 12))]
    return [c for c in claims if c in best]


def _both_sides(
    kept: list[SummarySentence],
    chosen: list[Claim],
    names: dict[str, str],
    loaded: tuple[str, ...],
) -> list[SummarySentence]:
    """``kept``, with a sentence from code for each side of a dispute the summary carries
    only one side of (the chosen claim of a source that disputes a cited claim)."""
    by_id = {c.id: c for c in chosen}
    out = list(kept)
    for s in kept:
        for c in (by_id[i] for i in s.claim_ids if i in by_id):
            cited = {i for k in out for i in k.claim_ids}
            sides = [o for o in chosen if o is not c and rank.opposed(c, o)]
            if sides and not cited & {o.id for o in sides}:
                out += from_claims(sides, names, 1, out, loaded)
    return out
