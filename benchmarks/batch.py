"""Benchmark: `digest batch` over many articles at several concurrencies, in-process and on
a local Ray instance, against an OpenAI-compatible server on 127.0.0.1 (in a process of
its own) that answers every request after a fixed delay.

    python benchmarks/batch.py [--articles 200] [--delay 0.2] [--concurrency 1 8 32]
                               [--engines local ray]

Per run: wall time, articles a second, the speed-up over concurrency 1, model calls, and
digest's own time per article: the wall time the batch would take with a model that
answers at once (wall minus the time spent waiting on the model, spread over the
concurrency), from the run's own figures. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT.parent / "shared" / "articles" / "pool" / "wikinews"


def start_server(delay: float) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from concurrency import serve; serve(float(sys.argv[2]), int(sys.argv[3]));"
        "time.sleep(10**6)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT / "benchmarks"), str(delay), str(port)]
    )
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return proc, url  # it answers (501 for GET): up
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the test server did not start")


def feed(folder: Path, n: int) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted(POOL.glob("*.txt"))]
    path = folder / "feed.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"a{i}", "text": texts[i % len(texts)]}) + "\n")
    return path


def batch(source: Path, out: Path, url: str, concurrency: int, engine: str) -> float:
    command = [str(Path(sys.executable).parent / "digest"), "batch", str(source)]
    command += ["--out", str(out), "-m", "openai:bench", "--base-url", url, "--no-cache"]
    command += ["-c", str(concurrency), "--per-server", str(concurrency), "-q"]
    command += ["--engine", engine]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--engines", nargs="+", default=["local", "ray"])
    args = parser.parse_args()
    server, url = start_server(args.delay)
    table = Table(title=f"{args.articles} articles, model answers after {args.delay} s")
    for column in (
        "engine",
        "concurrency",
        "wall s",
        "articles/s",
        "speed-up",
        "calls",
        "model s",
        "own ms/article",
    ):
        table.add_column(column, justify="right")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            source = feed(Path(tmp), args.articles)
            for engine in args.engines:
                base = None
                for c in args.concurrency:
                    out = Path(tmp) / f"{engine}-{c}.jsonl"
                    wall = batch(source, out, url, c, engine)
                    runs = [json.loads(line)["run"] for line in out.open()]
                    calls = sum(r["llm_calls"] for r in runs)
                    waited = sum(r["model_seconds"] for r in runs)
                    own = max(0.0, wall - waited / c) / len(runs)
                    base = base or len(runs) / wall
                    table.add_row(
                        engine,
                        str(c),
                        f"{wall:.1f}",
                        f"{len(runs) / wall:.2f}",
                        f"{len(runs) / wall / base:.1f}x",
                        str(calls),
                        f"{waited:.0f}",
                        f"{own * 1000:.0f}",
                    )
    finally:
        server.terminate()
    Console().print(table)


if __name__ == "__main__":
    main()
