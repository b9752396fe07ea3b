"""Benchmark: articles one after another, then gathered on one Digester, against an
OpenAI-compatible server on 127.0.0.1 that answers each request after a fixed delay.

    python benchmarks/concurrency.py [--articles 8] [--delay 0.5]

The server answers as the shipped fake model does (derived from the request), so the
figures measure digest's own overlap of articles, not a model. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rich.console import Console
from rich.table import Table

from digest import Digest, Digester
from digest.llm.fake import respond

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "articles"


def serve(delay: float, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """An OpenAI-compatible server on 127.0.0.1 answering as the fake model, after ``delay``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(delay)
            rf = body["response_format"]
            name = rf["json_schema"]["name"] if "json_schema" in rf else rf["schema"]["title"]
            content = respond(body["messages"], name)
            data = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": content},
                        }
                    ],
                    "usage": {
                        "prompt_tokens": len(json.dumps(body["messages"])) // 4,
                        "completion_tokens": len(content) // 4,
                        "total_tokens": 0,
                    },
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/v1"


def articles(n: int) -> list[str]:
    found = sorted(SHARED.glob("*.txt")) or [ROOT / "examples" / "leaked-audio-lively-baldoni.txt"]
    return [found[i % len(found)].read_text(encoding="utf-8") for i in range(n)]


def row(table: Table, how: str, digests: list[Digest], wall: float) -> None:
    calls = sum(d.run.llm_calls for d in digests)
    tokens_in = sum(d.run.input_tokens for d in digests)
    tokens_out = sum(d.run.output_tokens for d in digests)
    table.add_row(
        how,
        str(len(digests)),
        f"{wall:.2f}",
        str(calls),
        str(tokens_in),
        str(tokens_out),
        f"{len(digests) / wall:.2f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds per request")
    args = parser.parse_args()
    httpd, url = serve(args.delay)
    texts = articles(args.articles)
    digester = Digester("openai:bench", base_url=url)

    started = time.monotonic()
    one_by_one = [digester.run(t) for t in texts]
    sequential = time.monotonic() - started

    async def gathered() -> list[Digest]:
        return await asyncio.gather(*(digester.arun(t) for t in texts))

    started = time.monotonic()
    together = asyncio.run(gathered())
    overlapped = time.monotonic() - started
    httpd.shutdown()

    same = all(
        (a.run.llm_calls, a.run.input_tokens, a.run.output_tokens)
        == (b.run.llm_calls, b.run.input_tokens, b.run.output_tokens)
        for a, b in zip(one_by_one, together, strict=True)
    )
    table = Table(title=f"{args.articles} articles, server delay {args.delay} s a request")
    for column in ("how", "articles", "wall s", "calls", "in tok", "out tok", "articles/s"):
        table.add_column(column, justify="left" if column == "how" else "right")
    row(table, "one after another (run)", one_by_one, sequential)
    row(table, "gathered (arun)", together, overlapped)
    console = Console()
    console.print(table)
    slowest = max(d.run.seconds for d in one_by_one)
    console.print(
        f"gathered / slowest single article: {overlapped / slowest:.2f}x; "
        f"speed-up over one after another: {sequential / overlapped:.1f}x; "
        f"each article's usage the same both ways: {same}; "
        f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
