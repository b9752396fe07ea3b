"""``digest eval``: run the fixtures, rescore a run, compare two runs."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..console import EXIT_PARTIAL, err, fail
from ..errors import DigestError, InputError, ReplayMiss
from ..llm import Store, worth_caching
from ..llm.cache import CallCache
from ..pipeline import DEFAULT_EXTRACT, DEFAULT_SUMMARY
from . import plots, report, runner
from .fixtures import Fixture, load_all, problems

app = typer.Typer(help="Score prompts and models on hand-labelled fixtures.", no_args_is_help=True)
out = Console(width=120, highlight=False)
FIXTURES = Path("evals/fixtures")


def _fixtures(folder: Path, only: list[str] | None) -> list[Fixture]:
    if not folder.is_dir():
        raise InputError(f"no fixture folder {folder}: run from the repository or pass --fixtures")
    try:
        fixtures = load_all(folder)
    except ValidationError as e:
        raise InputError(f"a fixture in {folder} is not valid: {e.errors()[0]['msg']}") from e
    if only:
        unknown = set(only) - {f.id for f in fixtures}
        if unknown:
            raise InputError(f"no fixture named {', '.join(sorted(unknown))} in {folder}")
        fixtures = [f for f in fixtures if f.id in only]
    if not fixtures:
        raise InputError(f"no fixtures (*.json) in {folder}")
    for f in fixtures:
        if found := problems(f):
            raise InputError(f"fixture {f.id} is broken: {found[0]}")
    return fixtures


def _load(path: Path) -> runner.RunLog:
    try:
        return runner.RunLog.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    except (ValidationError, UnicodeDecodeError) as e:
        raise InputError(f"{path} is not a digest eval run log") from e


def _save(log: runner.RunLog, path: Path) -> None:
    """Write a run log readable by its owner only (it holds the articles' text)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _private(path, log.model_dump_json(indent=1))
    except OSError as e:
        fallback = Path(f"digest-eval-{datetime.now():%Y%m%d-%H%M%S}.json")
        _private(fallback, log.model_dump_json(indent=1))
        raise InputError(f"cannot write {path} ({e.strerror}); saved to {fallback}") from e


def _private(path: Path, text: str) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(text)


@app.command("run")
def run_cmd(
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model string, as for digest run.")
    ] = None,
    prompt: Annotated[
        str, typer.Option("--prompt", "-p", help="Extraction prompt, NAME@vN.")
    ] = DEFAULT_EXTRACT,
    summary_prompt: Annotated[str, typer.Option(help="Summary prompt, NAME@vN.")] = DEFAULT_SUMMARY,
    summary_mode: Annotated[
        str, typer.Option(help="pick, write or auto (pick for a small model).")
    ] = "auto",
    fixtures: Annotated[Path, typer.Option(help="Folder of fixture files.")] = FIXTURES,
    only: Annotated[
        list[str] | None, typer.Option(help="Run only this fixture (repeatable).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Run log (default: a dated file here).")
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every model call as a cassette in DIR.")
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Answer from cassettes in DIR when it has them; record the rest there."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither answer from nor add to the call cache.")
    ] = False,
) -> None:
    """Digest every fixture, score it, and write a run log."""
    output = output or Path(f"digest-eval-{datetime.now():%Y%m%d-%H%M%S}.json")
    try:
        if record and cache:
            raise InputError("--record and --cache both name a folder of recordings: use one")
        store = Store(record, "record") if record else Store(cache, "cache") if cache else None
        cases = _fixtures(fixtures, only)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as bar:
            task = bar.add_task("eval", total=len(cases))

            def done(case: runner.Case) -> None:
                bar.update(task, advance=1, description=f"eval: {case.id}")

            log = runner.run(
                cases,
                model,
                folder=fixtures,
                extract_prompt=prompt,
                summary_prompt=summary_prompt,
                summary_mode=summary_mode,
                store=store,
                cache=None if no_cache or not worth_caching(model) else CallCache(),
                on_case=done,
            )
        _save(log, output)
    except ReplayMiss as e:
        hint = "to refresh an eval recording: digest eval run --model MODEL --cache DIR"
        raise fail(f"{e}; {hint}", e.exit_code) from None
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    out.print(report.run_table(log))
    out.print(report.cases_table(log))
    err.print(f"digest: wrote {output}")
    failed = [c for c in log.cases if c.error]
    if failed or not log.complete:
        reason = failed[0].error if failed else "stopped before the last fixture"
        raise fail(f"{len(failed)} case(s) failed: {reason}", EXIT_PARTIAL)


@app.command()
def rescore(
    run: Annotated[Path, typer.Argument(help="Run log to score again.")],
    fixtures: Annotated[
        Path | None, typer.Option(help="Fixture folder (default: the run's own).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: in place).")
    ] = None,
) -> None:
    """Score a run again with the current scorers and fixtures, calling no model."""
    try:
        log = _load(run)
        cases = _fixtures(fixtures or Path(log.fixtures), [c.id for c in log.cases])
        log = runner.rescore(log, cases)
        _save(log, output or run)
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    out.print(report.run_table(log))
    out.print(report.cases_table(log))


@app.command("compare")
def compare_cmd(
    a: Annotated[Path, typer.Argument(help="Run log A (the baseline).")],
    b: Annotated[Path, typer.Argument(help="Run log B.")],
    markdown: Annotated[
        Path | None, typer.Option(help="Also write the comparison as markdown to FILE.")
    ] = None,
    gate: Annotated[
        bool,
        typer.Option(help="Exit 1 if B is worse than A on a headline metric beyond noise."),
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help="Also write the comparison as a page, with plots.")
    ] = False,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The page's file, with --html.")
    ] = Path("report.html"),
) -> None:
    """Every metric of two runs side by side, with the difference and its interval."""
    try:
        cmp = report.compare(_load(a), _load(b))
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    for table in report.comparison_tables(cmp):
        out.print(table)
    if markdown:
        try:
            markdown.write_text(report.comparison_markdown(cmp), encoding="utf-8")
        except OSError as e:
            raise fail(f"cannot write {markdown}: {e.strerror}", InputError.exit_code) from None
    if html:
        try:
            output.write_text(plots.comparison_html(cmp), encoding="utf-8")
        except OSError as e:
            raise fail(f"cannot write {output}: {e.strerror}", InputError.exit_code) from None
        err.print(f"digest: wrote {output}")
    if gate and cmp.regressions:
        raise fail("regression beyond noise: " + "; ".join(cmp.regressions), 1)
