"""An eval comparison as a page: its tables, and plots drawn with matplotlib as inline SVG
(no image files, no scripts, nothing fetched): metric bars with their intervals, the
hedging confusion of each run, and each case's change in claim F1."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory only
import matplotlib.pyplot as plt

from ..pages import comparison_page
from . import score
from .report import Comparison, case_f1, describe

A_COLOUR, B_COLOUR = "#0072B2", "#E69F00"  # Okabe-Ito: told apart by colour-blind readers


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]  # the element alone, for inlining


def metric_bars(cmp: Comparison) -> str:
    """Every rate (a metric between 0 and 1) of A and B, with its 95% interval."""
    xa, xb = cmp.a.counts(), cmp.b.counts()
    names: list[str] = []
    runs: tuple[list[score.Estimate], list[score.Estimate]] = ([], [])
    for name in score.METRICS:
        ea, eb = score.estimate(name, xa), score.estimate(name, xb)
        if all(0 <= e.value <= 1 for e in (ea, eb) if not math.isnan(e.value)):
            names.append(name)
            runs[0].append(ea)
            runs[1].append(eb)
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(names) + 0.8))
    for offset, colour, label, estimates in (
        (-0.2, A_COLOUR, "A", runs[0]),
        (0.2, B_COLOUR, "B", runs[1]),
    ):
        values = [0.0 if math.isnan(e.value) else e.value for e in estimates]
        below = [
            0.0 if math.isnan(e.low) else max(0.0, v - e.low)
            for v, e in zip(values, estimates, strict=True)
        ]
        above = [
            0.0 if math.isnan(e.high) else max(0.0, e.high - v)
            for v, e in zip(values, estimates, strict=True)
        ]
        ax.barh(
            [i + offset for i in range(len(names))],
            values,
            0.38,
            xerr=[below, above],
            color=colour,
            hatch="" if label == "A" else "//",  # told apart in greyscale too
            label=label,
            error_kw={"elinewidth": 1, "capsize": 2},
        )
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("value, with its 95% bootstrap interval")
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def confusion(matrix: list[list[int]], title: str) -> str:
    """The hedging confusion of one run: rows gold, columns predicted."""
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.imshow(matrix, cmap="Greys")
    top = max((max(r) for r in matrix), default=0) or 1
    for i, row in enumerate(matrix):
        for j, n in enumerate(row):
            ax.text(
                j, i, str(n), ha="center", va="center", color="white" if n > top / 2 else "black"
            )
    ax.set_xticks(range(len(score.LEVELS)), score.LEVELS, rotation=30, ha="right")
    ax.set_yticks(range(len(score.LEVELS)), score.LEVELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    return _svg(fig)


def case_deltas(cmp: Comparison) -> str:
    """Each case's claim F1 in B minus A, largest gain first."""
    before = {c.id: case_f1(c.counts) for c in cmp.a.cases}
    rows = sorted(
        ((c.id, case_f1(c.counts) - before[c.id]) for c in cmp.b.cases),
        key=lambda r: -r[1] if not math.isnan(r[1]) else 0,
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(rows) + 0.8))
    values = [0 if math.isnan(v) else v for _, v in rows]
    ax.barh(range(len(rows)), values, color=[B_COLOUR if v > 0 else A_COLOUR for v in values])
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("claim F1, B - A")
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def comparison_html(cmp: Comparison) -> str:
    """The comparison as one self-contained page: the tables, and plots as inline SVG."""
    return comparison_page(
        {
            "a": describe(cmp.a),
            "b": describe(cmp.b),
            "cases": len(cmp.a.cases),
            "rows": cmp.rows,
            "regressions": cmp.regressions,
            "bars": metric_bars(cmp),
            "confusion_a": confusion(cmp.a.confusion, "A"),
            "confusion_b": confusion(cmp.b.confusion, "B"),
            "deltas": case_deltas(cmp),
        }
    )
