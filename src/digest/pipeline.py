"""The pipeline: segment, cue pass, extract per chunk, build claims, summarize.

This module only orders the steps and keeps their results; each step is a module of its
own: :mod:`.segment`, :mod:`.cues`, :mod:`.extract` (with grounding, :mod:`.ground`),
:mod:`.claims` (sources, levels, wording, disputes), :mod:`.loaded` and :mod:`.summary`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypedDict

from typing_extensions import Unpack

from . import claims as claim_pass
from . import ground, guard, loaded, prompts, reading, segment
from .blocking import run_blocking
from .errors import InputError, LLMError, TransportError
from .extract import Extractor
from .ground import Draft
from .llm import LLM, Store, open_model
from .llm.cache import CallCache
from .schema import Article, Digest, LoadedSpan, Summary
from .summary import Summarizer, parse_mode
from .summary.rank import MOST_SENTENCES
from .tally import Tally, interrupted


class About(TypedDict, total=False):
    """What may be known of an article beside its text."""

    title: str | None
    url: str | None
    id: str | None
    published: str | None


#: Called as progress(step, done, total) while a digest is made.
Progress = Callable[[str, int, int], None]

#: The prompt versions used when none is named: extract@v6 and summary@v4 read the article
#: as data in a delimited block; on the labelled fixtures they beat v5 and summary@v3 on
#: claim F1 (+0.032), recall and the summary's support (evals/reports/extract-prompts.md).
DEFAULT_EXTRACT = "extract@v6"
DEFAULT_SUMMARY = "summary@v4"
_NO_CLAIMS = "no claim could be extracted and grounded; no summary written"


class Digester:
    """Makes :class:`~digest.schema.Digest` objects with one model and one set of prompts.
    Nothing in it changes while it works: many articles may run on one Digester at once
    (``arun``); an in-process model serves them one call at a time.

    >>> d = Digester(model="fake").run("The council voted 7-2 on Monday, the mayor said.")
    >>> d.claims[0].hedging
    'attributed'
    """

    def __init__(
        self,
        model: str | LLM | None = None,
        *,
        base_url: str | Sequence[str] | None = None,
        record_dir: str | Path | None = None,
        extract_prompt: str = DEFAULT_EXTRACT,
        summary_prompt: str = DEFAULT_SUMMARY,
        chunk_words: int | None = None,
        progress: Progress | None = None,
        cache: CallCache | None = None,
        small: bool | None = None,
        per_server: int | None = None,
        summary_mode: str | None = None,
        summary_sentences: int | None = None,
    ) -> None:
        self.extract_prompt = prompts.load(extract_prompt)
        self.summary_prompt = prompts.load(summary_prompt)
        store = Store(Path(record_dir), "record") if record_dir else None
        if isinstance(model, LLM):
            if base_url or small is not None or per_server:
                raise InputError("base_url, small and per_server are for a model string")
            self.llm = model.with_store(store)
        else:
            self.llm = open_model(
                model, base_url=base_url, store=store, small=small, per_server=per_server
            )
        if cache is not None:
            self.llm = self.llm.with_cache(cache)
        self.extractor = Extractor(self.llm, self.extract_prompt)
        if summary_sentences is not None and not 1 <= summary_sentences <= MOST_SENTENCES:
            raise InputError(f"summary sentences must be 1 to {MOST_SENTENCES}")
        mode = parse_mode(summary_mode) or ("pick" if self.llm.small else "write")
        self.summarizer = Summarizer(self.llm, self.summary_prompt, mode, summary_sentences)
        self.chunk_words = self.extractor.chunk_words(chunk_words)
        self.progress = progress

    def run(self, text: str, **about: Unpack[About]) -> Digest:
        """Digest one article (plain text; ``about`` may give its title, url, id and
        published date). Raises InputError for an unusable article. Ctrl-C stops it and
        returns what was done, marked incomplete."""
        article = Article(text=segment.usable(text), **about)
        return run_blocking(lambda stop: self._digest(article, stop))

    async def arun(self, text: str, **about: Unpack[About]) -> Digest:
        """The async form of :meth:`run`; a cancelled ``arun`` raises CancelledError."""
        article = Article(text=segment.usable(text), **about)
        return await self._digest(article, threading.Event())

    async def _digest(self, article: Article, stop: threading.Event) -> Digest:
        started = time.monotonic()
        text = article.text
        title = segment.guess_title(text) if article.title is None else article.title
        sentences = segment.sentences(text)
        cues = reading.cues(sentences)
        done = Tally()
        flagged, notes = guard.inspect(text, sentences)
        done.issues += notes
        readable = [s for s in sentences if s.number not in flagged]
        chunks = segment.chunk(readable, self.chunk_words)
        drafts, spotted = await self._extract(chunks, done, stop)
        drafts, merged = ground.dedupe(ground.with_body(drafts, sentences, title))
        if merged:
            done.add("claim.merged", f"merged {merged} duplicate claim(s)")
        drafts.sort(key=lambda d: min(d.numbers))
        built = claim_pass.build_all(drafts, {s.number: s for s in sentences}, cues, text)
        done.issues += built.issues
        found = loaded.spans(cues, spotted, [s.name for s in built.sources])
        if note := getattr(self.llm.backend, "fallback", None):
            done.add("model.json_mode", note)
        summary = Summary()
        if not built.claims:
            done.add("run.no_claims", _NO_CLAIMS)
        elif done.incomplete is None:  # no summary of a partial article
            summary = await self._summarize(built, found, sentences, title or "", done, stop)
        return Digest(
            article=article.model_copy(update={"title": title}),
            summary=summary,
            claims=built.claims,
            sources=built.sources,
            loaded_language=found,
            warnings=[i.message for i in done.issues],
            issues=done.issues,
            run=done.run(self.llm.name, self.prompts(), started, self.summarizer.mode),
        )

    async def _extract(
        self,
        chunks: list[segment.Chunk],
        done: Tally,
        stop: threading.Event,
    ) -> tuple[list[Draft], list[LoadedSpan]]:
        """Every chunk's drafts and model-found loaded words. A chunk without a valid answer
        is skipped; a failing endpoint or Ctrl-C stops here and keeps what is done."""
        drafts: list[Draft] = []
        spotted: list[LoadedSpan] = []
        for chunk in chunks:
            self._tell("extract", chunk.index, len(chunks))
            at = f"chunk {chunk.index + 1}"
            where = {"chunk": chunk.index + 1, "sentences": list(chunk.numbers)}
            try:
                got = await self.extractor.extract(chunk)
            except TransportError as e:
                done.usage += e.usage
                done.add(
                    "run.stopped", f"stopped at {at} of {len(chunks)}: {e}", stops=True, **where
                )
                break
            except LLMError as e:
                done.usage += e.usage
                span = f"{chunk.numbers.start}-{chunk.numbers.stop - 1}"
                done.add(
                    "chunk.failed", f"{at} (sentences {span}) skipped: {e}", stops=True, **where
                )
                continue
            except (KeyboardInterrupt, asyncio.CancelledError) as e:
                interrupted(e, stop)
                done.add(
                    "run.interrupted", f"interrupted at {at} of {len(chunks)}", stops=True, **where
                )
                break
            drafts += got.drafts
            spotted += got.loaded
            done.issues += got.issues
            done.usage += got.usage
        self._tell("extract", len(chunks), len(chunks))
        return drafts, spotted

    async def _summarize(
        self,
        built: claim_pass.Built,
        found: list[LoadedSpan],
        sentences: list[segment.Sentence],
        title: str,
        done: Tally,
        stop: threading.Event,
    ) -> Summary:
        self._tell("summary", 0, 1)
        summary = Summary()
        try:
            written = await self.summarizer.write(
                built.claims, built.sources, sentences, title, loaded.words_of_model(found)
            )
            summary, done.usage = written.summary, done.usage + written.usage
            done.issues += written.issues
        except LLMError as e:
            done.usage += e.usage
            done.add("summary.failed", f"summary failed: {e}", stops=True)
        except (KeyboardInterrupt, asyncio.CancelledError) as e:
            interrupted(e, stop)
            done.add("run.interrupted", "interrupted while writing the summary", stops=True)
        self._tell("summary", 1, 1)
        return summary

    def prompts(self) -> tuple[prompts.Prompt, ...]:
        """The prompts a digest uses: no summary prompt when code picks the summary."""
        if self.summarizer.mode == "pick":
            return (self.extract_prompt,)
        return (self.extract_prompt, self.summary_prompt)

    def _tell(self, step: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(step, done, total)


def digest(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    model: str | LLM | None = None,
    **options: object,
) -> Digest:
    """Digest one article with a fresh :class:`Digester` (see its options)."""
    return Digester(model, **options).run(text, title=title, url=url)  # type: ignore[arg-type]


async def adigest(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    model: str | LLM | None = None,
    **options: object,
) -> Digest:
    """The async form of :func:`digest`."""
    return await Digester(model, **options).arun(text, title=title, url=url)  # type: ignore[arg-type]
