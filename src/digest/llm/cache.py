"""The persistent cache of model calls: one SQLite file that ``run``, ``batch`` and ``eval``
share, so a request asked once is never paid for again.

A call is keyed by the sha256 of the model's name, the messages (the prompt's sha256 is in
them: a new prompt version is a new key), the response format (the schema) and the
sampling settings. The file is in WAL mode and every write is one short transaction, so
several processes may read and write it at once; it is created readable by its owner only
(it holds article text). Unlike the cassettes of :mod:`.store`, which are files to review
and commit, the cache is a private speed-up: ``digest cache`` shows and clears it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .store import Recorded, request_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    content TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    seconds REAL NOT NULL,
    created REAL NOT NULL
)
"""


def default_path() -> Path:
    from .. import weights

    return weights.cache_dir() / "calls.sqlite"


def call_key(model: str, kwargs: dict[str, Any]) -> str:
    return request_key(model, kwargs, also=("max_tokens", "temperature"))


@dataclass(frozen=True)
class Stats:
    path: Path
    calls: int
    bytes: int
    by_model: dict[str, int]


class CallCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                self.path.touch(mode=0o600)
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._db:
                self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise InputError(f"cannot open the call cache {self.path}: {e}") from e
        self._lock = threading.Lock()

    def lookup(self, model: str, kwargs: dict[str, Any]) -> Recorded | None:
        with self._lock:
            row = self._db.execute(
                "SELECT content, prompt_tokens, completion_tokens, seconds FROM calls "
                "WHERE key = ?",
                (call_key(model, kwargs),),
            ).fetchone()
        return Recorded(row[0], row[1], row[2], row[3], model) if row else None

    def save(self, model: str, kwargs: dict[str, Any], answer: Recorded) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    call_key(model, kwargs),
                    model,
                    answer.content,
                    answer.prompt_tokens,
                    answer.completion_tokens,
                    answer.seconds,
                    time.time(),
                ),
            )

    def stats(self) -> Stats:
        with self._lock:
            rows = self._db.execute("SELECT model, COUNT(*) FROM calls GROUP BY model").fetchall()
        size = sum(
            os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if os.path.exists(p)
        )
        return Stats(self.path, sum(n for _, n in rows), size, dict(rows))

    def clear(self) -> int:
        """Forget every call; returns how many there were."""
        with self._lock, self._db:
            n: int = self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
            self._db.execute("DELETE FROM calls")
        with self._lock:
            self._db.execute("VACUUM")
        return n

    def close(self) -> None:
        with self._lock:
            self._db.close()
