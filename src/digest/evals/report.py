"""Tables of eval results, for the terminal (rich) and for committed reports (markdown)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.table import Table

from ..errors import InputError
from . import score
from .runner import RunLog


def fmt(x: float | None) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.3f}"


def interval(e: dict[str, float | None] | score.Estimate) -> str:
    if isinstance(e, score.Estimate):
        e = e.as_dict()
    if e["low"] is None:
        return fmt(e["value"])
    return f"{fmt(e['value'])} [{fmt(e['low'])}, {fmt(e['high'])}]"


def signed(d: score.Estimate) -> str:
    if math.isnan(d.value):
        return "n/a"
    if math.isnan(d.low):
        return f"{d.value:+.3f}"
    return f"{d.value:+.3f} [{d.low:+.3f}, {d.high:+.3f}]"


def describe(log: RunLog) -> str:
    dirty = " (dirty)" if log.git_dirty else ""
    commit = (log.git_commit or "no git")[:10] + dirty
    prompts = ", ".join(log.prompts.values())
    return f"{log.model}, {prompts}, digest {log.digest_version}, commit {commit}"


def _totals(log: RunLog) -> list[str]:
    n = len(log.cases) or 1
    calls = sum(c.calls for c in log.cases)
    tokens_in = sum(c.input_tokens for c in log.cases)
    tokens_out = sum(c.output_tokens for c in log.cases)
    seconds = sum(c.model_seconds for c in log.cases)
    return [
        f"{calls / n:.1f}",
        f"{tokens_in / n:.0f}",
        f"{tokens_out / n:.0f}",
        f"{seconds / n:.1f}",
    ]


COST_ROWS = [
    "LLM calls / article",
    "input tokens / article",
    "output tokens / article",
    "model seconds / article",
]


@dataclass
class Comparison:
    a: RunLog
    b: RunLog
    rows: list[tuple[str, str, str, str, str]]  # metric, A, B, B-A [ci], verdict
    changed: list[tuple[str, float, float]]  # case, F1 in A, F1 in B
    regressions: list[str]


def case_f1(c: score.Counts) -> float:
    return score.metric("claim_f1", [c])


def _only(log: RunLog, ids: list[str]) -> RunLog:
    cases = [c for c in log.cases if c.id in ids]
    return log.model_copy(
        update={
            "cases": cases,
            "confusion": score.confusion([p for c in cases for p in c.counts.levels]),
        }
    )


def compare(a: RunLog, b: RunLog, top: int = 5) -> Comparison:
    """Every metric of A and B on the articles both ran, with the paired difference."""
    ids = [c.id for c in a.cases if c.id in {x.id for x in b.cases}]
    if not ids:
        raise InputError("the two runs share no article")
    a, b = _only(a, ids), _only(b, ids)
    xa, xb = a.counts(), b.counts()
    rows, regressions = [], []
    for name, (_, higher_better) in score.METRICS.items():
        ea, eb = score.estimate(name, xa), score.estimate(name, xb)
        d = score.difference(name, xa, xb)
        verdict = ""
        if not (math.isnan(d.low) or d.low <= 0 <= d.high):
            better = (d.value > 0) == higher_better
            verdict = "better" if better else "worse"
            if not better and name in score.HEADLINE:
                regressions.append(f"{name} fell from {fmt(ea.value)} to {fmt(eb.value)}")
        rows.append((name, interval(ea), interval(eb), signed(d), verdict))
    for label, va, vb in zip(COST_ROWS, _totals(a), _totals(b), strict=True):
        rows.append((label, va, vb, "", ""))
    changed = sorted(
        ((i, case_f1(x), case_f1(y)) for i, x, y in zip(ids, xa, xb, strict=True)),
        key=lambda r: -abs(r[2] - r[1]) if not math.isnan(r[2] - r[1]) else 0,
    )[:top]
    return Comparison(a, b, rows, changed, regressions)


def run_table(log: RunLog) -> Table:
    table = Table(title=describe(log))
    for col in ("metric", "value [95% CI]"):
        table.add_column(col)
    for name, e in log.metrics.items():
        table.add_row(name, interval(e))
    for label, v in zip(COST_ROWS, _totals(log), strict=True):
        table.add_row(label, v)
    return table


def cases_table(log: RunLog) -> Table:
    table = Table(title="cases")
    for col in ("case", "gold", "pred", "matched", "F1", "calls", "out tok", "s", "error"):
        table.add_column(col)
    for c in log.cases:
        n = c.counts
        counts = (n.gold, n.predicted, n.matched)
        table.add_row(
            c.id,
            *map(str, counts),
            fmt(case_f1(n)),
            str(c.calls),
            str(c.output_tokens),
            f"{c.model_seconds:.0f}",
            c.error or "",
        )
    return table


def comparison_tables(cmp: Comparison) -> list[Table]:
    metrics = Table(title=f"A: {describe(cmp.a)}\nB: {describe(cmp.b)}")
    for col in ("metric", "A [95% CI]", "B [95% CI]", "B - A [95% CI]", ""):
        metrics.add_column(col)
    for row in cmp.rows:
        metrics.add_row(*row)
    changed = Table(title="cases that changed most (claim F1)")
    for col in ("case", "A", "B"):
        changed.add_column(col)
    for case, fa, fb in cmp.changed:
        changed.add_row(case, fmt(fa), fmt(fb))
    return [metrics, changed]


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def confusion_md(log: RunLog) -> str:
    pairs = zip(score.LEVELS, log.confusion, strict=True)
    rows = [[f"gold {lvl}", *map(str, row)] for lvl, row in pairs]
    return _md_table(["", *(f"pred {lvl}" for lvl in score.LEVELS)], rows)


def comparison_markdown(cmp: Comparison) -> str:
    parts = [
        f"- A: {describe(cmp.a)}",
        f"- B: {describe(cmp.b)}",
        f"- on the {len(cmp.a.cases)} articles both runs hold",
        "",
        "Intervals are 95% percentile bootstrap intervals over articles (2000 resamples); "
        "B - A is paired on the same articles, and marked better/worse when its interval "
        "excludes zero.",
        "",
        _md_table(["metric", "A", "B", "B - A", ""], [list(r) for r in cmp.rows]),
        "",
        "Cases that changed most (claim F1):",
        "",
        _md_table(["case", "A", "B"], [[c, fmt(fa), fmt(fb)] for c, fa, fb in cmp.changed]),
        "",
        "Hedging confusion, A (rows gold, columns predicted):",
        "",
        confusion_md(cmp.a),
        "",
        "Hedging confusion, B:",
        "",
        confusion_md(cmp.b),
    ]
    return "\n".join(parts) + "\n"
