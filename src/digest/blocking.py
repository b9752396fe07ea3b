"""The synchronous face of the async pipeline, with Ctrl-C turned into a partial result.

Called where an event loop already runs (a notebook, a browser driver), the work runs in
a thread of its own while the caller waits.

Each thread runs its blocking calls in an event loop of its own, kept for the thread's life:
an async HTTP client belongs to the loop it first ran in, so a loop per call would open a
new connection per article. Ctrl-C while the loop waits (on an endpoint, or on the local
model's worker thread) cancels the work and sets ``stop``, which tells the pipeline that
the cancellation is the user's and that what is done should be kept.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_local = threading.local()


def own_loop() -> asyncio.AbstractEventLoop:
    """This thread's event loop for blocking calls, made on first use."""
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
    return loop


def run_blocking(work: Callable[[threading.Event], Coroutine[Any, Any, T]]) -> T:
    """Run ``work(stop)`` to its end in this thread's event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # a running loop (a notebook, a browser driver): wait for another thread's
        with ThreadPoolExecutor(1) as worker:
            return worker.submit(lambda: run_blocking(work)).result()
    stop = threading.Event()
    loop = own_loop()
    task = loop.create_task(work(stop))
    try:
        return loop.run_until_complete(task)
    except KeyboardInterrupt:
        if task.done():
            raise
        stop.set()
        task.cancel()
        return loop.run_until_complete(task)
