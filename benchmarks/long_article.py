"""Benchmark: one article of growing length (the pool's Wikinews reports joined, under one
headline) on a model, by default the fake one: wall time, calls, claims and peak memory.

    python benchmarks/long_article.py [--words 2000 20000] [--model fake]

Peak memory is what Python allocated while the article was digested (tracemalloc), so the
sizes can be compared within one process. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

from rich.console import Console
from rich.table import Table

from digest import Digester

POOL = Path(__file__).resolve().parents[2] / "shared" / "articles" / "pool" / "wikinews"


def article(words: int) -> str:
    """The pool's reports, bodies only, until ``words`` words, under one headline."""
    paragraphs: list[str] = []
    count = 0
    for path in sorted(POOL.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n")[1:]:
            if count >= words:
                break
            paragraphs.append(para.strip())
            count += len(para.split())
    return "A long read\n\n" + "\n\n".join(paragraphs) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--model", default="fake")
    args = parser.parse_args()
    digester = Digester(args.model)
    table = Table(title=f"one long article on {digester.llm.name}")
    for column in ("words", "chunks", "wall s", "calls", "claims", "sources", "peak MB"):
        table.add_column(column, justify="right")
    for words in args.words:
        text = article(words)
        tracemalloc.start()
        started = time.monotonic()
        d = digester.run(text)
        wall = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        table.add_row(
            str(len(text.split())),
            str(d.run.llm_calls - 1),
            f"{wall:.1f}",
            str(d.run.llm_calls),
            str(len(d.claims)),
            str(len(d.sources)),
            f"{peak / 1e6:.1f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
