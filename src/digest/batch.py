"""Many articles: digested with bounded concurrency, results as they finish, and a results
file that a crashed or interrupted batch resumes.

:func:`astream` (async) and :func:`stream` (blocking) yield an :class:`Outcome` per
article as soon as it is done; at most ``concurrency`` articles are in flight and the
input is read lazily, so memory stays flat over any number of articles. :class:`Results`
is the JSONL file a batch writes: one digest a line, each line written and flushed as its
article finishes, and the ids already there skipped when the batch runs again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from .blocking import own_loop
from .errors import InputError, ModelUnavailable, ReplayMiss
from .ingest import Item, Unreadable
from .pipeline import Digester
from .schema import Digest

#: Why an article has no (complete) digest.
Failure = Literal["input", "incomplete", "replay", "duplicate", "error"]


@dataclass(frozen=True)
class Outcome:
    id: str
    digest: Digest | None = None
    #: None when the digest is complete; else why not, and a message.
    failure: Failure | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


async def digest_one(digester: Digester, item: Item | Unreadable) -> Outcome:
    """One article's outcome; any failure of this article is an outcome, never a raise."""
    if isinstance(item, Unreadable):
        return Outcome(item.id, failure="input", error=item.reason)
    try:
        d = await digester.arun(
            item.text, title=item.title, url=item.url, id=item.id, published=item.published
        )
    except InputError as e:
        return Outcome(item.id, failure="input", error=str(e))
    except ReplayMiss as e:
        return Outcome(item.id, failure="replay", error=str(e))
    except ModelUnavailable:  # every article would fail the same way: the batch stops
        raise
    except Exception as e:  # a bug must not end a long batch: it is recorded with its type
        return Outcome(item.id, failure="error", error=f"{type(e).__name__}: {e}")
    if not d.run.complete:
        return Outcome(item.id, d, "incomplete", d.run.incomplete_reason)
    return Outcome(item.id, d)


def admitted(
    items: Iterable[Item | Unreadable], skip: Callable[[str], bool]
) -> Iterator[Item | Unreadable | Outcome]:
    """The items to digest: those ``skip`` passes over left out, and a repeated id turned
    into its "duplicate" outcome (every engine admits items by this one rule)."""
    seen: set[str] = set()
    for item in items:
        if skip(item.id):
            continue
        if item.id in seen:
            yield Outcome(item.id, failure="duplicate", error="id seen before")
            continue
        seen.add(item.id)
        yield item


async def astream(
    digester: Digester,
    items: Iterable[Item | Unreadable],
    *,
    concurrency: int = 8,
    skip: Callable[[str], bool] = lambda _: False,
) -> AsyncGenerator[Outcome, None]:
    """Digest ``items`` with at most ``concurrency`` in flight, yielding each outcome as it
    finishes. An item whose id ``skip`` accepts is passed over; a repeated id is a
    "duplicate" failure. Cancelling the iteration cancels the articles in flight."""
    if concurrency < 1:
        raise InputError("concurrency must be at least 1")
    source = admitted(items, skip)
    done: asyncio.Queue[Outcome | None] = asyncio.Queue()
    reading = asyncio.Lock()

    async def next_item() -> Item | Unreadable | Outcome | None:
        async with reading:  # reading may block (files, URLs): off the event loop
            return await asyncio.to_thread(next, source, None)

    async def worker() -> None:
        while (item := await next_item()) is not None:
            settled = item if isinstance(item, Outcome) else await digest_one(digester, item)
            await done.put(settled)
        await done.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        running = len(workers)
        while running:
            outcome = await done.get()
            if outcome is None:
                running -= 1
            else:
                yield outcome
        for w in workers:
            w.result()  # a worker's own error (reading the input) is the caller's
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


def stream(
    digester: Digester,
    items: Iterable[Item | Unreadable],
    *,
    concurrency: int = 8,
    skip: Callable[[str], bool] = lambda _: False,
) -> Iterator[Outcome]:
    """The blocking form of :func:`astream`: articles progress while the caller waits for
    the next outcome (between outcomes the work pauses)."""
    if _loop_running():
        raise RuntimeError("digest.batch.stream blocks: inside an event loop use astream")
    loop = own_loop()
    outcomes = astream(digester, items, concurrency=concurrency, skip=skip)
    while True:
        step = loop.create_task(_next(outcomes))
        try:
            yield loop.run_until_complete(step)
        except StopAsyncIteration:
            return
        except BaseException:  # Ctrl-C, or the caller stopped: cancel what is in flight
            step.cancel()
            with contextlib.suppress(BaseException):
                loop.run_until_complete(step)
            loop.run_until_complete(outcomes.aclose())
            raise


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _next(outcomes: AsyncGenerator[Outcome, None]) -> Outcome:
    return await anext(outcomes)


class Results:
    """A batch's output: complete digests, one JSON line each, in ``path``; failures, one
    JSON line each (id, failure, error, and the partial digest if any), in ``errors``.

    Lines are written whole and flushed at once: a crash loses at most the articles in
    flight, and a line cut short by a crash is dropped when the file is opened again."""

    def __init__(self, path: Path, errors: Path | None = None) -> None:
        self.path = path
        self.errors = errors or path.with_name(path.name + ".errors.jsonl")
        self.done = _ids(path)
        self._out: TextIO | None = None
        self._err: TextIO | None = None

    def __enter__(self) -> Results:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = self.path.open("a", encoding="utf-8")
            self._err = self.errors.open("a", encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot write {e.filename}: {e.strerror}") from e
        return self

    def __exit__(self, *exc: object) -> None:
        for f in (self._out, self._err):
            if f:
                f.close()

    def write(self, outcome: Outcome) -> None:
        assert self._out and self._err, "use Results as a context manager"
        if outcome.ok and outcome.digest is not None:
            _line(self._out, outcome.digest.model_dump_json())
            self.done.add(outcome.id)
        else:
            record: dict[str, object] = {
                "id": outcome.id,
                "failure": outcome.failure,
                "error": outcome.error,
            }
            if outcome.digest is not None:
                record["digest"] = outcome.digest.model_dump(mode="json")
            _line(self._err, json.dumps(record, ensure_ascii=False))


def _line(f: TextIO, text: str) -> None:
    f.write(text + "\n")
    f.flush()


def _ids(path: Path) -> set[str]:
    """The article ids of a results file's whole lines; a last line without its newline (a
    crash mid-write) is cut off the file."""
    if not path.is_file():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with path.open("r+b") as f:
            f.truncate(keep)
            os.fsync(f.fileno())
        data = data[:keep]
    ids = set()
    for n, line in enumerate(data.splitlines(), start=1):
        try:
            ids.add(json.loads(line)["article"]["id"])
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path} line {n} is not a digest line: cannot resume") from e
    return ids
