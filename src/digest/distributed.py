"""``digest batch --engine ray``: the same per-article function, run by Ray actors on a Ray
cluster (``--ray-address`` or ``$RAY_ADDRESS``) or on a local Ray instance started for the
batch. Needs the ``ray`` extra (``pip install 'digest[ray]'``).

Each actor holds one Digester, built on its node from the same options, and digests many
articles at once (an async actor); the driver keeps at most ``concurrency`` articles in
flight over all actors, reads the input lazily and yields each outcome as it finishes, so
the batch writes the same resumable results file as in-process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .batch import Outcome, admitted, digest_one
from .errors import InputError
from .ingest import Item, Unreadable
from .llm.cache import CallCache
from .pipeline import Digester


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise InputError("--engine ray needs Ray: pip install 'digest[ray]'") from e
    return ray


class _Worker:
    """A Ray actor: one Digester, many articles at once."""

    def __init__(self, options: dict[str, Any], cache_path: str | None) -> None:
        cache = CallCache(Path(cache_path)) if cache_path else None
        self.digester = Digester(**options, cache=cache)

    async def run(self, item: Item | Unreadable) -> Outcome:
        return await digest_one(self.digester, item)


def stream(
    options: dict[str, Any],
    items: Iterable[Item | Unreadable],
    *,
    concurrency: int,
    skip: Callable[[str], bool] = lambda _: False,
    cache_path: str | None = None,
    address: str | None = None,
) -> Iterator[Outcome]:
    """Digest ``items`` on Ray with at most ``concurrency`` in flight, each outcome as it
    finishes. ``options`` are Digester's (a model string, prompts, ...)."""
    ray = _ray()
    started = not ray.is_initialized()
    if started:
        ray.init(
            address=address or os.environ.get("RAY_ADDRESS"),
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        n = min(concurrency, cpus)
        per_actor = -(-concurrency // n)
        worker = ray.remote(num_cpus=0)(_Worker).options(max_concurrency=per_actor)
        actors = [worker.remote(options, cache_path) for _ in range(n)]
        yield from _drive(ray, actors, items, concurrency, skip)
    finally:
        if started:
            ray.shutdown()


def _drive(
    ray: Any,
    actors: list[Any],
    items: Iterable[Item | Unreadable],
    concurrency: int,
    skip: Callable[[str], bool],
) -> Iterator[Outcome]:
    source = admitted(items, skip)
    busy = {i: 0 for i in range(len(actors))}
    flying: dict[Any, int] = {}  # object ref -> actor index
    exhausted = False
    while True:
        while not exhausted and len(flying) < concurrency:
            item = next(source, None)
            if item is None:
                exhausted = True
            elif isinstance(item, Outcome):
                yield item
            else:
                a = min(busy, key=lambda i: busy[i])
                busy[a] += 1
                flying[actors[a].run.remote(item)] = a
        if not flying:
            return
        (ready,), _ = ray.wait(list(flying), num_returns=1)
        busy[flying.pop(ready)] -= 1
        yield ray.get(ready)
