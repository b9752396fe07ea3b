"""Benchmark: digest a few articles and print wall time, LLM calls, tokens and quality figures.

    python benchmarks/run_articles.py [--model local] [ARTICLE ...]

With no article given it runs the demo article and three Wikinews articles from
``../shared/articles``. Figures are printed, never asserted: speed depends on the machine.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from digest import Digester
from digest.pipeline import DEFAULT_EXTRACT

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "articles"
DEFAULT = [
    ROOT / "examples" / "leaked-audio-lively-baldoni.txt",
    SHARED / "saudi-aramco-drone-attacks.txt",
    SHARED / "el-paso-walmart-shooting.txt",
    SHARED / "stop-the-steal-rally-washington.txt",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--model", default=None, help="model string (default: local)")
    parser.add_argument("--record", type=Path, default=None, help="record calls into DIR")
    parser.add_argument("--prompt", default=DEFAULT_EXTRACT, help="extraction prompt NAME@vN")
    args = parser.parse_args()

    load_start = time.monotonic()
    digester = Digester(args.model, record_dir=args.record, extract_prompt=args.prompt)
    load_seconds = time.monotonic() - load_start
    title = f"{digester.llm.name}, {args.prompt} (model load {load_seconds:.1f} s)"
    table = Table(title=title)
    for column in (
        "article",
        "words",
        "wall s",
        "calls",
        "in tok",
        "out tok",
        "claims",
        "distinct",
        "grounded",
        "hedged+",
        "sources",
        "warnings",
    ):
        table.add_column(column, justify="left" if column == "article" else "right")
    for path in args.articles:
        text = path.read_text(encoding="utf-8")
        started = time.monotonic()
        d = digester.run(text)
        wall = time.monotonic() - started
        spans = [e for c in d.claims for e in c.evidence]
        grounded = sum(text[e.start : e.end] == e.text for e in spans)
        table.add_row(
            path.stem[:34],
            str(len(text.split())),
            f"{wall:.1f}",
            str(d.run.llm_calls),
            str(d.run.input_tokens),
            str(d.run.output_tokens),
            str(len(d.claims)),
            str(len({c.text.lower() for c in d.claims})),
            f"{100 * grounded / len(spans):.0f}%" if spans else "-",
            str(sum(c.hedging in ("hedged", "speculative") for c in d.claims)),
            str(len(d.sources)),
            str(len(d.warnings)),
        )
    console = Console(width=150)
    console.print(table)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"peak memory (RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
