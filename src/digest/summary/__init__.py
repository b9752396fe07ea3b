"""The neutral summary: chosen claims, written by the model in one call, checked, re-asked
once with the reasons, repaired, and completed by code when too little survives.

Modules: this one writes; :mod:`.check` says what a sentence does wrong; :mod:`.repair`
re-cites, rewords or leaves out what still fails and writes sentences from the claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import prompts
from ..answers import summary_answer
from ..errors import LLMError, TransportError
from ..ground import same_claim
from ..guard import defused
from ..llm import LLM
from ..prompts import Prompt
from ..schema import Claim, Issue, Source, Summary, SummarySentence
from ..usage import Usage
from .check import sentence_problems, summary_problems
from .repair import from_claims, repair, says, whole

__all__ = ["Summarizer", "Written", "says", "sentence_problems"]

MAX_TOKENS = 600
#: Reading is the model's cost: the summary sees at most this many claims.
MAX_CLAIMS = 24
#: Sentences a summary should have; code writes the missing ones from the claims.
MIN_SENTENCES = 3


@dataclass(frozen=True)
class Written:
    summary: Summary
    issues: list[Issue]
    usage: Usage


@dataclass(frozen=True)
class Summarizer:
    llm: LLM
    prompt: Prompt

    async def write(
        self, claims: list[Claim], sources: list[Source], title: str, loaded: tuple[str, ...]
    ) -> Written:
        """The summary of ``claims``; ``loaded`` adds the model's loaded words to the
        lexicon's. Raises LLMError when the model gives no valid summary at all."""
        names = {s.id: s.name for s in sources}
        shown = choose(claims, title)
        lines = [
            (c.id, c.hedging, ", ".join(names[i] for i in c.source_ids), defused(c.text))
            for c in shown
        ]
        messages = self.prompt.messages(title=defused(title), claims=prompts.claim_lines(lines))
        schema = summary_answer(len(shown))
        try:
            first = await self.llm.ask(messages, schema, max_tokens=MAX_TOKENS)
        except TransportError:
            raise
        except LLMError as e:  # no valid answer (a server without the schema's grammar)
            return self._by_code(shown, names, loaded, e)
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
        if len(kept) < MIN_SENTENCES <= len(shown):
            extra = from_claims(shown, names, MIN_SENTENCES - len(kept), kept, loaded)
            if extra:
                issues.append(
                    Issue(
                        code="summary.written_by_code",
                        message=f"summary: {len(extra)} sentence(s) written by code from the "
                        "claims (the model's failed the checks)",
                    )
                )
            kept += extra
        return Written(_summary(kept), issues, usage)

    def _by_code(
        self, shown: list[Claim], names: dict[str, str], loaded: tuple[str, ...], e: LLMError
    ) -> Written:
        """The summary written by code from the claims, when the model gave none."""
        kept = from_claims(shown, names, MIN_SENTENCES, [], loaded)
        message = (
            f"summary: {len(kept)} sentence(s) written by code from the claims "
            f"(the model gave no valid summary: {e})"
        )
        return Written(
            _summary(kept), [Issue(code="summary.written_by_code", message=message)], e.usage
        )


def _summary(sentences: list[SummarySentence]) -> Summary:
    return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def choose(claims: list[Claim], title: str) -> list[Claim]:
    """The claims the summary is written from, in article order: at most MAX_CLAIMS,
    checkable ones first; a claim that only the headline carries goes last (the body says
    it more plainly)."""
    ranked = sorted(claims, key=lambda c: (_headline_only(c, title), not c.checkworthy))
    chosen = ranked[:MAX_CLAIMS]
    return [c for c in claims if c in chosen]


def _headline_only(claim: Claim, title: str) -> bool:
    return bool(title) and all(e.text.strip() == title.strip() for e in claim.evidence)
