from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "leaked-audio-lively-baldoni.txt"


@pytest.fixture
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may reach a real endpoint or the user's cache by accident."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DIGEST_MODEL", "DIGEST_JSON_MODE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIGEST_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def server():
    """Start OpenAI-compatible servers on 127.0.0.1 (see helpers.Server); stopped after."""
    from helpers import Server

    servers = []

    def make(replies=(), delay=0.0, failing=False):
        servers.append(Server(replies, delay, failing))
        return servers[-1]

    yield make
    for s in servers:
        s.close()
