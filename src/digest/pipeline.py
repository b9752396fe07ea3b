"""The pipeline: segment, cue pass, extract per chunk, ground, merge, summarize, check."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

from . import cues as cue_pass
from . import ground, prompts, segment
from . import sources as source_pass
from .answers import (
    ANSWERS,
    ExtractAnswer,
    FactsAnswer,
    SummaryAnswer,
    XSentence,
    facts_answer,
    summary_answer,
)
from .errors import InputError, LLMError, ReplayMiss, TransportError
from .ground import Draft
from .llm import LLM, open_model
from .schema import (
    Article,
    Claim,
    Digest,
    LoadedSpan,
    Run,
    Source,
    Summary,
    SummarySentence,
)
from .version import __version__

#: Called as progress(step, done, total) while a digest is made.
Progress = Callable[[str, int, int], None]

EXTRACT_MAX_TOKENS = 1200
SUMMARY_MAX_TOKENS = 600
SUMMARY_MAX_CLAIMS = 24
#: Sentences a summary should have; code writes the missing ones from the claims.
SUMMARY_MIN_SENTENCES = 3
#: rapidfuzz token set ratio above which a summary sentence carries a claim's words.
RECITE_SIMILARITY = 80
#: Share of a cited claim's content words a summary sentence needs to restate it.
RESTATES = 0.4
SUMMARY_SENTENCE_CHARS = XSentence.model_fields["text"].metadata[-1].max_length
#: A claim shorter than this cannot stand on its own; it is skipped.
MIN_CLAIM_WORDS = 4
#: The prompt versions used when none is named: on the labelled fixtures extract@v5 beats
#: v2 on claim F1, source and hedging accuracy with a third fewer output tokens, and v4 on
#: loaded-wording precision and the summary (evals/reports/extract-v2-v4-v5.md).
DEFAULT_EXTRACT = "extract@v5"
DEFAULT_SUMMARY = "summary@v3"


class Digester:
    """Makes :class:`~digest.schema.Digest` objects with one model and one set of prompts.

    >>> d = Digester(model="fake").run("The council voted 7-2 on Monday, the mayor said.")
    >>> d.claims[0].hedging
    'attributed'
    """

    def __init__(
        self,
        model: str | LLM | None = None,
        *,
        base_url: str | None = None,
        record_dir: str | Path | None = None,
        extract_prompt: str = DEFAULT_EXTRACT,
        summary_prompt: str = DEFAULT_SUMMARY,
        chunk_words: int | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.extract_prompt = prompts.load(extract_prompt)
        self.summary_prompt = prompts.load(summary_prompt)
        self.shape = self.extract_prompt.setting("answer", "claims")
        if self.shape not in ANSWERS:
            raise InputError(f"prompt {extract_prompt}: unknown answer shape {self.shape!r}")
        # Whether the model is asked for loaded words too (extract@v4) or the lexicon alone
        # finds them (extract@v5: the 1.5B model named topic words, 3 right of 36).
        self.ask_loaded = self.extract_prompt.setting("loaded", "lexicon+model") == "lexicon+model"
        if isinstance(model, LLM):
            self.llm = model
        else:
            record = Path(record_dir) if record_dir else None
            self.llm = open_model(model, base_url=base_url, record_dir=record)
        tuned = int(self.extract_prompt.setting("chunk_words", "0"))
        self.chunk_words = chunk_words or (
            tuned if tuned and self.llm.small else self.llm.chunk_words
        )
        self.progress = progress
        self._lock = threading.Lock()

    def run(self, text: str, *, title: str | None = None, url: str | None = None) -> Digest:
        """Digest one article (plain text). Raises InputError for an unusable article.

        Runs on one Digester are serialised: the model (and its usage counts) is shared."""
        with self._lock:
            return self._run(text, title, url)

    def _run(self, text: str, title: str | None, url: str | None) -> Digest:
        started = time.monotonic()
        calls0, in0, out0 = (
            self.llm.usage.calls,
            self.llm.usage.input_tokens,
            self.llm.usage.output_tokens,
        )
        if not text.strip():
            raise InputError("the article is empty")
        if "\x00" in text:
            raise InputError("the article looks binary (it contains NUL bytes), not text")
        sentences = segment.sentences(text)
        if title is None:
            title = guess_title(text)
        cues = cue_pass.scan(sentences)
        chunks = segment.chunk(sentences, self.chunk_words)
        warnings: list[str] = []
        complete = True

        drafts: list[Draft] = []
        spotted: list[LoadedSpan] = []  # loaded words the model found
        for chunk in chunks:
            self._tell("extract", chunk.index, len(chunks))
            try:
                drafts += self._extract(chunk, cues, warnings, spotted)
            except ReplayMiss:
                raise
            except TransportError as e:
                warnings.append(f"stopped at chunk {chunk.index + 1} of {len(chunks)}: {e}")
                complete = False
                break
            except KeyboardInterrupt:  # keep what the earlier chunks produced
                warnings.append(f"interrupted at chunk {chunk.index + 1} of {len(chunks)}")
                complete = False
                break
            except LLMError as e:
                warnings.append(f"chunk {chunk.index + 1} (sentences {_range(chunk)}) skipped: {e}")
                complete = False
                continue
        self._tell("extract", len(chunks), len(chunks))

        drafts, merged = ground.dedupe(drafts)
        if merged:
            warnings.append(f"merged {merged} duplicate claim(s)")
        drafts.sort(key=lambda d: min(d.numbers))
        by_number = {s.number: s for s in sentences}
        _check_sources(drafts, by_number)
        sources, names, dropped = source_pass.collect([d.source for d in drafts], text)
        warnings += dropped
        claims: list[Claim] = []
        for i, draft in enumerate(drafts, start=1):
            sid = names.get(source_pass.norm(draft.source))
            if not sid:
                draft.source = ""
            claim, notes = ground.finish(draft, f"c{i}", by_number, cues)
            if (neutral := neutralize(claim.text, quotes=True)) != claim.text:
                notes.append(f'loaded words replaced in "{claim.text}"')
                claim.text = neutral
            claim.source_ids = [sid] if sid else []
            claims.append(claim)
            warnings += [f"{claim.id}: {n}" for n in notes]
        ground.mark_disputes(claims, by_number)

        # a source the model took for loaded wording ("GLAAD") is a name, not a judgment
        named = {source_pass.norm(s.name) for s in sources}
        loaded = loaded_spans(cues, [s for s in spotted if source_pass.norm(s.text) not in named])
        summary = Summary()
        if claims and complete:
            self._tell("summary", 0, 1)
            try:
                extra = tuple({s.text.lower() for s in loaded if s.found_by == "model"})
                summary = self._summarize(claims, sources, title or "", warnings, extra)
            except ReplayMiss:
                raise
            except LLMError as e:
                warnings.append(f"summary failed: {e}")
                complete = False
            self._tell("summary", 1, 1)
        elif not claims:
            warnings.append("no claim could be extracted and grounded; no summary written")

        usage = self.llm.usage
        return Digest(
            article=Article(title=title, url=url, text=text),
            summary=summary,
            claims=claims,
            sources=sources,
            loaded_language=loaded,
            warnings=warnings,
            run=Run(
                model=self.llm.name,
                prompts={p.name: p.ref for p in (self.extract_prompt, self.summary_prompt)},
                prompt_sha256={
                    p.name: p.sha256 for p in (self.extract_prompt, self.summary_prompt)
                },
                llm_calls=usage.calls - calls0,
                input_tokens=usage.input_tokens - in0,
                output_tokens=usage.output_tokens - out0,
                seconds=round(time.monotonic() - started, 2),
                digest_version=__version__,
                complete=complete,
            ),
        )

    async def arun(self, text: str, *, title: str | None = None, url: str | None = None) -> Digest:
        """The async form of :meth:`run` (the work runs in a worker thread)."""
        return await asyncio.to_thread(self.run, text, title=title, url=url)

    # -------------------------------------------------------------- steps

    def _tell(self, step: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(step, done, total)

    def _extract(
        self,
        chunk: segment.Chunk,
        cues: list[cue_pass.Cue],
        warnings: list[str],
        spotted: list[LoadedSpan],
    ) -> list[Draft]:
        """The chunk's grounded drafts; loaded words the model names go to ``spotted``."""
        numbered = [(s.number, s.text, cue_pass.hints(s, cues)) for s in chunk.sentences]
        messages = self.extract_prompt.messages(sentences=prompts.sentence_lines(numbered))
        schema = self._schema([s.number for s in chunk.sentences])
        answer = self.llm.ask(messages, schema, max_tokens=EXTRACT_MAX_TOKENS)
        if isinstance(answer, FactsAnswer):
            spotted += model_loaded(answer.loaded(), chunk)
        drafts, failed = _ground_all(answer, chunk)
        if failed:
            reasons = "\n".join(
                f'- "{d.text}" cites {d.numbers}, but those sentences do not say it.'
                for d in failed
            )
            retry = [
                *messages,
                {"role": "assistant", "content": answer.model_dump_json(by_alias=True)},
                {
                    "role": "user",
                    "content": "These claims are not supported by the sentences they cite:\n"
                    f"{reasons}\nAnswer again with only these claims, each citing the sentence "
                    "numbers that say it; leave out any claim the sentences do not say.",
                },
            ]
            again = sorted({n for d in failed for n in d.numbers})
            second = self.llm.ask(retry, self._schema(again), max_tokens=EXTRACT_MAX_TOKENS)
            fixed, still = _ground_all(second, chunk)
            drafts += fixed
            fixed_texts = [d.text for d in fixed]
            for d in failed:
                if not any(ground.same_claim(d.text, t) for t in fixed_texts):
                    warnings.append(f'dropped claim "{d.text}": not found in sentences {d.numbers}')
            for d in still:
                warnings.append(f'dropped claim "{d.text}": not found in sentences {d.numbers}')
        return drafts

    def _schema(self, numbers: list[int]) -> type[ExtractAnswer] | type[FactsAnswer]:
        """The answer model for a chunk: extract@v4's and later are keyed by its sentences."""
        if self.shape == "facts":
            return facts_answer(numbers, loaded=self.ask_loaded)
        return ExtractAnswer

    def _summarize(
        self,
        claims: list[Claim],
        sources: list[Source],
        title: str,
        warnings: list[str],
        loaded: tuple[str, ...] = (),
    ) -> Summary:
        names = {s.id: s.name for s in sources}
        # Reading is the model's cost: the summary sees at most SUMMARY_MAX_CLAIMS claims,
        # checkable ones first, in article order.
        # A claim that only the headline carries goes last: the body says it more plainly.
        ranked = sorted(claims, key=lambda c: (_headline_only(c, title), not c.checkworthy))[
            :SUMMARY_MAX_CLAIMS
        ]
        shown = [c for c in claims if c in ranked]
        lines = [
            (c.id, c.hedging, ", ".join(names[i] for i in c.source_ids), c.text) for c in shown
        ]
        messages = self.summary_prompt.messages(title=title, claims=prompts.claim_lines(lines))
        schema = summary_answer(len(shown))
        answer = self.llm.ask(messages, schema, max_tokens=SUMMARY_MAX_TOKENS)
        by_id = {c.id: c for c in claims}
        problems = summary_problems(answer, by_id, names, loaded)
        if problems:
            retry = [
                *messages,
                {"role": "assistant", "content": answer.model_dump_json()},
                {
                    "role": "user",
                    "content": "Fix these problems and answer again:\n"
                    + "\n".join(f"- {p}" for p in problems),
                },
            ]
            answer = self.llm.ask(retry, schema, max_tokens=SUMMARY_MAX_TOKENS)
        good, notes = repair(answer, by_id, names, loaded)
        warnings += notes
        kept: list[SummarySentence] = []
        for s in good:
            ids = [i for i in dict.fromkeys(s.claims) if i in by_id]
            if any(ground.same_claim(s.text, k.text) for k in kept):
                warnings.append(f'summary: dropped a repeated sentence "{s.text}"')
                continue
            if ids:
                kept.append(SummarySentence(text=_whole(s.text.strip()), claim_ids=ids))
        if len(kept) < SUMMARY_MIN_SENTENCES <= len(shown):
            extra = from_claims(shown, names, SUMMARY_MIN_SENTENCES - len(kept), kept, loaded)
            if extra:
                warnings.append(
                    f"summary: {len(extra)} sentence(s) written by code from the claims "
                    "(the model's failed the checks)"
                )
            kept += extra
        return Summary(text=" ".join(s.text for s in kept), sentences=kept)


#: Words that start a claim and are lower case after "According to X," (names stay).
_LOWER = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "his",
        "her",
        "their",
        "some",
        "many",
        "several",
    ]
)


def from_claims(
    claims: list[Claim],
    sources: dict[str, str],
    wanted: int,
    kept: list[SummarySentence],
    loaded: tuple[str, ...] = (),
) -> list[SummarySentence]:
    """Up to ``wanted`` summary sentences written by code, one per claim, for when the
    model's sentences failed the checks: checkable claims of the body first, each stated
    as the article does ("According to NPD BookScan, ..."); hedged claims only when their
    text keeps the doubt word, speculative ones never. Each passes the same checks."""
    out: list[SummarySentence] = []
    used = {i for k in kept for i in k.claim_ids}
    by_id = {c.id: c for c in claims}
    for c in sorted(claims, key=lambda c: not c.checkworthy):
        if len(out) == wanted:
            break
        if c.id in used or c.hedging == "speculative":
            continue
        text = _tidy(c.text)
        named = [sources[i] for i in c.source_ids if i in sources]
        says = _says(text)
        if c.hedging == "attributed" and named and not (text.startswith(named[0]) or says):
            first, _, rest = text.partition(" ")
            if first.lower() in _LOWER:
                first = first.lower()
            text = f"According to {named[0]}, {first} {rest}"
        candidate = XSentence(text=text, claims=[c.id])
        if sentence_problems(candidate, by_id, sources, loaded) or any(
            ground.same_claim(text, k.text) for k in kept + out
        ):
            continue
        out.append(SummarySentence(text=text, claim_ids=[c.id]))
    return sorted(out, key=lambda s: claims.index(by_id[s.claim_ids[0]]))


#: A claim's loose ends: sentence numbers the model echoed ("5-6: "), and a tail cut off
#: by the answer's length limit ("..., and", "both alive and dead,").
_ECHO = re.compile(r"^\d+(?:\s*[-–]\s*\d+)?:\s*")
_CUT = re.compile(r"(?:[\s,;:]+(?:and|or|but|with|of|to|by|the|a|an|as|in|on))*[\s,;:.]*$", re.I)


def _says(text: str) -> bool:
    """Whether a claim already says who says it: an attribution word of the lexicon, or the
    present tense of one of its past forms ("describes" for "described")."""
    verbs = cue_pass.lexicon("attribution.txt")
    if cue_pass.contains_any(text, verbs):
        return True
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w.endswith("s")]
    return any(w[:-1] + "d" in verbs or w[:-1] + "ed" in verbs for w in words)


def _tidy(text: str) -> str:
    """A claim's text as a summary sentence: loose ends trimmed, one full stop."""
    return _full_stop(_CUT.sub("", _ECHO.sub("", text.strip())))


def _headline_only(claim: Claim, title: str) -> bool:
    return bool(title) and all(e.text.strip() == title.strip() for e in claim.evidence)


_ENDS = (".", "!", "?", "”", '"', "'", "’")


def _whole(text: str) -> str:
    """The text without a last sentence cut off by the answer's length limit (small models
    pack several sentences into one), ending with a full stop."""
    parts = segment.sentences(text)
    cut = len(text) >= SUMMARY_SENTENCE_CHARS * 0.9 or not parts[-1].text.endswith(_ENDS)
    if len(parts) > 1 and cut:
        text = text[: parts[-2].end].rstrip()
    return _full_stop(text)


def _full_stop(text: str) -> str:
    return text if text.endswith(_ENDS) else text + "."


def _names(sentence: str, source: str) -> bool:
    """Whether a summary sentence names a source: any of its words of three letters or more
    ("Hoover" for "Colleen Hoover", "TMZ"), apostrophes and case ignored."""
    words = set(re.findall(r"[a-z0-9]{3,}", sentence.lower().replace("’", "'")))
    return any(w in words for w in re.findall(r"[a-z0-9]{3,}", source.lower().replace("’", "'")))


def _names_fully(sentence: str, source: str) -> bool:
    """Whether the sentence attributes something to ``source`` by its whole name ("according
    to TMZ", "TMZ reported"); a source that is also the subject of a claim ("Baldoni") is
    named in many sentences that do not attribute to it, so only a cue next to it counts."""
    name = re.escape(source.strip())
    cue = r"(?:according to|per|said|says|told|reported|reports)"
    return bool(
        re.search(rf"{cue}\s+(?:the\s+)?{name}\b|\b{name}\s+{cue}", sentence, re.IGNORECASE)
    )


def sentence_problems(
    s: XSentence,
    claims: dict[str, Claim],
    sources: dict[str, str] | None = None,
    loaded: tuple[str, ...] = (),
) -> list[str]:
    """What one summary sentence does wrong: uncited or unknown claims, lost doubt or
    source, loaded words.

    A sentence citing an attributed claim must name one of the claim's sources ("NPD
    BookScan"), or, when the claim has none, carry an attribution or doubt word."""
    sources = sources or {}
    problems = []
    hedge_terms = cue_pass.lexicon("hedges.txt") + cue_pass.lexicon("speculative.txt")
    attribution_terms = cue_pass.lexicon("attribution.txt")
    known = [i for i in s.claims if i in claims]
    unknown = [i for i in s.claims if i not in claims]
    if unknown:
        problems.append(f'"{s.text}" cites unknown claim ids {unknown}')
    if not known:
        return [*problems, f'"{s.text}" cites no claim: every sentence must cite its claims']
    levels = {claims[i].hedging for i in known}
    has_hedge = bool(cue_pass.contains_any(s.text, hedge_terms))
    has_attribution = bool(cue_pass.contains_any(s.text, attribution_terms))
    # An attribution alone is not enough: "TMZ says the clip is a voice note" has lost
    # the "allegedly" of "the clip, allegedly a voice note".
    if levels & {"hedged", "speculative"} and not has_hedge:
        problems.append(f'"{s.text}" states a hedged claim as fact: keep its doubt word')
    else:
        for cid in (i for i in known if claims[i].hedging == "attributed"):
            named = [sources[i] for i in claims[cid].source_ids if i in sources]
            if named and not any(_names(s.text, n) for n in named):
                problems.append(f'"{s.text}" drops the source: say that {named[0]} says it')
                break
            if not (has_attribution or has_hedge):
                # "Lively praises Baldoni's edits" names Baldoni but not as the one who says it
                problems.append(
                    f'"{s.text}" does not say that {named[0]} says it'
                    if named
                    else f'"{s.text}" drops the source: say who says it'
                )
                break
    own = {sources[i] for c in known for i in claims[c].source_ids if i in sources}
    foreign = [n for n in sources.values() if n not in own and _names_fully(s.text, n)]
    if foreign:
        problems.append(
            f'"{s.text}" names {foreign[0]} as a source, but the claims it cites do not'
        )
    found = cue_pass.contains_any(s.text, (*cue_pass.loaded_lexicon(), *loaded))
    if found:
        problems.append(f'"{s.text}" uses loaded words {found}: use plain words')
    if strangers := _strangers(s.text, claims, sources):
        problems.append(f'"{s.text}" names {" ".join(strangers)}, whom no claim names')
    return problems


def _strangers(sentence: str, claims: dict[str, Claim], sources: dict[str, str]) -> list[str]:
    """Capitalised words after a sentence's first that no claim, evidence or source holds:
    a small model lends names from the prompt's worked example ("fire chief Tom Hale")."""
    said = " ".join(
        [*sources.values(), *(c.text for c in claims.values())]
        + [e.text for c in claims.values() for e in c.evidence]
    )
    known = set(re.findall(r"\w+", said.lower()))
    words = [w for w in re.findall(r"(?<![\w'’])\w+", sentence)[1:] if w[0].isupper()]
    return [w for w in dict.fromkeys(words) if w.lower() not in known]


def summary_problems(
    answer: SummaryAnswer,
    claims: dict[str, Claim],
    sources: dict[str, str] | None = None,
    loaded: tuple[str, ...] = (),
) -> list[str]:
    """What every sentence does wrong; ``loaded`` adds the article's own loaded words (the
    ones the model found) to the lexicon's."""
    return [p for s in answer.sentences for p in sentence_problems(s, claims, sources, loaded)]


def _recite(sentence: str, claims: dict[str, Claim]) -> list[str]:
    """The claims (at most three) whose words a summary sentence carries, for a sentence
    that cites no known claim id (small models cite "tmz" or a name instead)."""
    scored = [(fuzz.token_set_ratio(sentence, c.text), cid) for cid, c in claims.items()]
    return [cid for score, cid in sorted(scored, reverse=True)[:3] if score >= RECITE_SIMILARITY]


def _carries(s: XSentence, claims: dict[str, Claim]) -> bool:
    """Whether a summary sentence carries the words of a claim it cites (small models cite
    the id of the line next to the one they restate)."""
    return any(
        fuzz.token_set_ratio(s.text, claims[i].text) >= RECITE_SIMILARITY
        for i in s.claims
        if i in claims
    )


def neutralize(sentence: str, quotes: bool = False) -> str:
    """Replace every loaded lexicon term that has a neutral alternative with it, and drop
    the ones that judge without informing ("seismic"); terms with no neutral word stay.
    With ``quotes``, words inside quotation marks are the speaker's and stay too."""
    lexicon = cue_pass.loaded_lexicon()
    quoted = cue_pass.quoted(sentence) if quotes else []
    for a, b in reversed(cue_pass.find(sentence, tuple(lexicon))):
        neutral = lexicon[re.sub(r"\s+", " ", sentence[a:b].lower())]
        if neutral is None or any(q <= a < r for q, r in quoted):
            continue
        if neutral == "":
            b += len(sentence[b:]) - len(sentence[b:].lstrip(" "))  # and the space after
        elif a == 0:
            neutral = neutral[0].upper() + neutral[1:]
        sentence = sentence[:a] + neutral + sentence[b:]
    return sentence[0].upper() + sentence[1:] if sentence else sentence


def repair(
    answer: SummaryAnswer,
    claims: dict[str, Claim],
    sources: dict[str, str],
    loaded: tuple[str, ...] = (),
) -> tuple[list[XSentence], list[str]]:
    """The last resort after the re-ask: loaded words are replaced by their neutral
    alternative or dropped (see :func:`neutralize`), and a sentence that still drops a
    hedge or a source, or keeps a loaded word, is left out. Returns the kept sentences and
    a warning for each change."""
    kept, notes = [], []
    for s in answer.sentences:
        if not _carries(s, claims) and (found := _recite(s.text, claims)):
            notes.append(f'summary: "{s.text}" cited {s.claims}; re-cited to {found}')
            s = s.model_copy(update={"claims": found})
        if not any(
            ground.support(claims[i].text, s.text) >= RESTATES for i in s.claims if i in claims
        ):
            notes.append(f'summary: sentence left out: "{s.text}" says none of {s.claims}')
            continue
        fixed = s.model_copy(update={"text": neutralize(s.text)})
        if fixed.text != s.text:
            notes.append(f'summary: loaded words replaced in "{s.text}"')
        problems = sentence_problems(fixed, claims, sources, loaded)
        if problems:
            notes += [f"summary: sentence left out: {p}" for p in problems]
        else:
            kept.append(fixed)
    return kept, notes


def model_loaded(words: list[str], chunk: segment.Chunk) -> list[LoadedSpan]:
    """Spans of the chunk for the loaded words the model named: each word as written, at
    its first whole-word occurrence in the chunk. A word the chunk does not hold, a name
    ("Blake Lively": capitalised words that are not all capitals), a number, or a cue word
    is no loaded wording and is skipped."""
    spans = []
    for word in dict.fromkeys(w.strip(" .,;:!?'’") for w in words):
        tokens = word.split()
        if (
            not tokens
            or len(tokens) > 4
            or any(ch.isdigit() for ch in word)
            or (all(t[:1].isupper() for t in tokens) and not word.isupper())
            or source_pass.is_cue_word(word)
        ):
            continue
        for s in chunk.sentences:
            if hits := cue_pass.find(s.text, (word.lower(),)):
                a, b = hits[0]
                spans.append(
                    LoadedSpan(
                        start=s.start + a, end=s.start + b, text=s.text[a:b], found_by="model"
                    )
                )
                break
    return spans


def loaded_spans(cues: list[cue_pass.Cue], spotted: list[LoadedSpan]) -> list[LoadedSpan]:
    """The article's loaded wording: the lexicon's spans, with their neutral words, then the
    model's spans that overlap none of them, in text order."""
    lexicon = [
        LoadedSpan(start=c.start, end=c.end, text=c.text, neutral=c.neutral)
        for c in cues
        if c.kind == "loaded"
    ]
    taken = [(s.start, s.end) for s in lexicon]
    extra = []
    for s in spotted:
        if all(s.end <= a or b <= s.start for a, b in taken):
            extra.append(s)
            taken.append((s.start, s.end))
    return sorted(lexicon + extra, key=lambda s: s.start)


def _check_sources(drafts: list[Draft], by_number: dict[int, segment.Sentence]) -> None:
    """Remove a source that neither the claim's sentences nor the sentence before each in
    its paragraph (an attribution may run on) name: small models carry a source on to the
    next claims. When
    no source is left, take the one the evidence names with its cue ("per X", "X said").
    Notes say which."""
    for d in drafts:
        if d.source:
            numbers = sorted(
                {m for n in d.numbers for m in (n - 1, n) if _same_paragraph(by_number, m, n)}
            )
            near = " ".join(by_number[n].text for n in numbers)
            why = source_pass.unusable(d.source, d.text, near)
            if why:
                d.notes.append(f'source "{d.source}" removed: it {why}')
                d.source = ""
        if not d.source:
            for n in d.numbers:
                before = by_number[n - 1].text if _same_paragraph(by_number, n - 1, n) else ""
                if name := source_pass.named_by_cue(by_number[n].text, before, d.text):
                    d.source = name
                    if d.level is not None:  # the model judged the source and missed it
                        d.notes.append(f'source "{name}" taken from the evidence')
                    break


def _same_paragraph(by_number: dict[int, segment.Sentence], m: int, n: int) -> bool:
    return m in by_number and by_number[m].paragraph == by_number[n].paragraph


def _drafts(answer: ExtractAnswer | FactsAnswer) -> list[Draft]:
    if isinstance(answer, FactsAnswer):  # source and level are the code's to find
        return [Draft(text.strip(), [n], "", None) for n, text in answer.facts()]
    return [
        Draft(x.text.strip(), list(x.sentences), x.source.strip(), x.level) for x in answer.claims
    ]


def _ground_all(
    answer: ExtractAnswer | FactsAnswer, chunk: segment.Chunk
) -> tuple[list[Draft], list[Draft]]:
    grounded, failed = [], []
    for draft in _drafts(answer):
        if len(draft.text.split()) < MIN_CLAIM_WORDS:  # "Related Posts", "Lively's Q-score?"
            continue
        g = ground.ground(draft, chunk.sentences)
        if g is None:
            failed.append(draft)
        else:
            grounded.append(g)
    return grounded, failed


def _range(chunk: segment.Chunk) -> str:
    return f"{chunk.numbers.start}-{chunk.numbers.stop - 1}"


def guess_title(text: str) -> str | None:
    """The first line, when it stands alone as a paragraph (the plain-text article convention)."""
    first, sep, rest = text.lstrip().partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= 300:
        return first.strip()
    return None


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
