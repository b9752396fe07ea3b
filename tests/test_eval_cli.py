"""``digest eval run / rescore / compare`` through Typer's runner, with the fake model."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest.cli import app
from digest.evals.fixtures import load

DATA = Path(__file__).parent / "data" / "fixtures"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def fixtures(tmp_path) -> Path:
    """Five copies of the hand-made fixture under different ids (a bootstrap needs several)."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    data = json.loads((DATA / "council.json").read_text())
    for i in range(5):
        data["id"] = f"council-{i}"
        (folder / f"council-{i}.json").write_text(json.dumps(data))
    return folder


def test_run_writes_a_self_describing_log_and_prints_the_scores(fixtures, tmp_path):
    log = tmp_path / "run.json"
    result = run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", log)
    assert result.exit_code == 0, result.output
    assert "claim_f1" in result.stdout and "council-4" in result.stdout
    data = json.loads(log.read_text())
    assert data["model"] == "fake" and data["prompts"]["extract"] == "extract@v6"
    assert len(data["prompt_sha256"]["extract"]) == 64 and data["digest_version"]
    assert "git_commit" in data and "git_dirty" in data
    assert [c["id"] for c in data["cases"]] == [f"council-{i}" for i in range(5)]
    case = data["cases"][0]
    # the fake is a small model: its summary is picked by code, one call an article
    assert data["summary_mode"] == "pick" and "summary" not in data["prompts"]
    assert case["digest"]["claims"] and case["calls"] == 1 and case["output_tokens"] > 0
    assert case["counts"]["gold"] == 4
    f1 = data["metrics"]["claim_f1"]
    assert 0 < f1["value"] <= 1 and f1["low"] <= f1["value"] <= f1["high"]


def test_rescore_calls_no_model_and_follows_the_fixtures(fixtures, tmp_path):
    log = tmp_path / "run.json"
    assert run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", log).exit_code == 0
    before = json.loads(log.read_text())["metrics"]["claim_recall"]["value"]
    # A gold claim nobody predicts lowers recall when the run is scored again.
    for path in fixtures.glob("*.json"):
        data = json.loads(path.read_text())
        extra = dict(data["claims"][0], id="g9", text="The mayor resigned on Tuesday.")
        data["claims"].append(extra)
        path.write_text(json.dumps(data))
    result = run("eval", "rescore", log)
    assert result.exit_code == 0, result.output
    after = json.loads(log.read_text())["metrics"]["claim_recall"]["value"]
    assert after < before


def test_compare_shows_every_metric_and_the_gate_catches_a_regression(fixtures, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", a).exit_code == 0
    same = run("eval", "compare", a, a, "--gate", "--markdown", tmp_path / "r.md")
    assert same.exit_code == 0, same.output
    assert "hedging_kappa" in same.stdout and "+0.000" in same.stdout
    assert "| claim_f1 |" in (tmp_path / "r.md").read_text()
    # B loses every predicted claim of every case: recall falls beyond noise.
    data = json.loads(a.read_text())
    for case in data["cases"]:
        case["digest"]["claims"] = case["digest"]["claims"][:1]
        case["digest"]["summary"] = {"text": "", "sentences": []}
    b.write_text(json.dumps(data))
    assert run("eval", "rescore", b).exit_code == 0
    worse = run("eval", "compare", a, b, "--gate")
    assert worse.exit_code == 1
    assert "regression beyond noise: claim_f1 fell" in worse.output
    assert "worse" in worse.stdout


def test_a_recorded_run_replays_with_the_same_scores(fixtures, tmp_path):
    first, again = tmp_path / "first.json", tmp_path / "again.json"
    tapes = tmp_path / "tapes"
    result = run(
        "eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", first, "--record", tapes
    )
    assert result.exit_code == 0, result.output
    result = run("eval", "run", "-m", f"replay:{tapes}", "--fixtures", fixtures, "-o", again)
    assert result.exit_code == 0, result.output
    m1, m2 = (json.loads(p.read_text()) for p in (first, again))
    assert m1["metrics"] == m2["metrics"]
    assert [c["output_tokens"] for c in m1["cases"]] == [c["output_tokens"] for c in m2["cases"]]


def test_replay_without_a_recording_says_how_to_record(fixtures, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("eval", "run", "-m", f"replay:{tmp_path / 'empty'}", "--fixtures", fixtures)
    assert result.exit_code != 0
    assert "no recorded answer" in result.output and "Traceback" not in result.output
    assert "digest eval run --model MODEL --cache DIR" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "-m", "fake", "--fixtures", "nowhere"], "no fixture folder nowhere"),
        (["run", "-m", "fake", "--only", "nope"], "no fixture named nope"),
        (["rescore", "missing.json"], "cannot read missing.json"),
        (["compare", "README.md", "README.md"], "README.md is not a digest eval run log"),
    ],
)
def test_bad_input_is_one_clear_line(args, message, fixtures, monkeypatch):
    monkeypatch.chdir(Path(__file__).parents[1])
    if "--only" in args:
        args = [*args, "--fixtures", str(fixtures)]
    result = run("eval", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_broken_fixture_is_named(fixtures):
    path = fixtures / "council-0.json"
    data = json.loads(path.read_text())
    data["claims"][0]["evidence"][0]["start"] += 1
    path.write_text(json.dumps(data))
    result = run("eval", "run", "-m", "fake", "--fixtures", fixtures)
    assert result.exit_code == 2
    assert "fixture council-0 is broken: g1: evidence" in result.output


def test_a_failing_case_is_kept_and_the_run_exits_partial(fixtures, tmp_path):
    shutil.copy(fixtures / "council-0.json", fixtures / "council-9.json")
    data = json.loads((fixtures / "council-9.json").read_text())
    data["id"] = "council-9"
    data["article"]["text"] = "\x00"  # the pipeline refuses binary input
    data["claims"] = data["loaded_language"] = []
    (fixtures / "council-9.json").write_text(json.dumps(data))
    log = tmp_path / "run.json"
    result = run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", log)
    assert result.exit_code == 5
    assert "1 case(s) failed" in result.output
    cases = json.loads(log.read_text())["cases"]
    assert len(cases) == 6 and cases[-1]["error"] and cases[0]["digest"]


def test_the_anchor_tool_fills_offsets(tmp_path):
    data = json.loads((DATA / "council.json").read_text())
    for claim in data["claims"]:
        claim["evidence"] = [e["text"] for e in claim["evidence"]]
    data["loaded_language"] = [{"text": "SHOCKING", "neutral": None}]
    path = tmp_path / "f.json"
    path.write_text(json.dumps(data))
    from digest.evals.fixtures import main

    assert main([path]) == 0
    assert load(path).claims == load(DATA / "council.json").claims
    data["claims"][0]["evidence"] = ["the"]  # occurs many times
    path.write_text(json.dumps(data))
    assert main([path]) == 1


def test_a_cached_run_calls_the_model_only_for_what_it_has_not_seen(fixtures, tmp_path):
    from digest import Store, fake_model
    from digest.evals import runner
    from digest.evals.fixtures import load_all
    from digest.llm import LLM, Fake

    cases = load_all(fixtures)
    cases[4].article.text = cases[4].article.text.replace("1932", "1933")
    options = dict(
        folder=fixtures,
        extract_prompt="extract@v2",
        summary_prompt="summary@v2",
        summary_mode="write",
    )
    cache = Store(tmp_path / "cache", "cache")
    runner.run(cases[:1], fake_model(), store=cache, **options)
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2  # extraction and summary

    backend = Fake()
    log = runner.run(cases, LLM(backend), store=cache, **options)
    # Cases 0-3 share one article: answered from the cache. Case 4 differs: asked, recorded.
    assert backend.calls == 2 and [c.calls for c in log.cases] == [2] * 5
    assert len(list((tmp_path / "cache").glob("*.json"))) == 4


def test_ctrl_c_stops_the_run_and_keeps_the_cases_already_done(fixtures, tmp_path):
    from digest.evals import runner
    from digest.evals.fixtures import load_all
    from helpers import spied

    def interrupted_on_the_fifth_call(n, kwargs):
        if n == 5:
            raise KeyboardInterrupt

    model, _ = spied(before=interrupted_on_the_fifth_call)
    log = runner.run(
        load_all(fixtures),
        model,
        folder=fixtures,
        extract_prompt="extract@v2",
        summary_prompt="summary@v2",
        summary_mode="write",  # two calls an article: the fifth is the third's extraction
    )
    assert [c.id for c in log.cases] == ["council-0", "council-1"] and not log.complete
    assert log.metrics["claim_recall"]["value"] is not None


def test_an_unwritable_run_log_is_saved_beside_and_said(fixtures, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", blocker / "run.json")
    assert result.exit_code == 2
    assert "cannot write" in result.output and "saved to digest-eval-" in result.output
    (saved,) = tmp_path.glob("digest-eval-*.json")
    assert len(json.loads(saved.read_text())["cases"]) == 5
    assert "Traceback" not in result.output


def test_an_unwritable_markdown_report_is_one_line_and_the_table_still_shows(fixtures, tmp_path):
    log = tmp_path / "run.json"
    assert run("eval", "run", "-m", "fake", "--fixtures", fixtures, "-o", log).exit_code == 0
    result = run("eval", "compare", log, log, "--markdown", tmp_path / "nope" / "report.md")
    assert result.exit_code == 2
    assert "cannot write" in result.output and "claim_f1" in result.stdout
    assert "Traceback" not in result.output
