import json
import time

from typer.testing import CliRunner

from digest import Digest, Digester
from digest.cli import app
from helpers import digest_process, interrupt, spied

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_run_prints_summary_and_claims_table(demo_text, tmp_path):
    result = run("run", "examples/leaked-audio-lively-baldoni.txt", "--model", "fake")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Summary" in out and "Claims" in out
    assert "c1" in out and "hedging" in out and "evidence" in out
    assert "Loaded wording" in out and "Model: fake" in out
    assert "extracting chunk 1/" in result.stderr


def test_json_on_stdout_is_the_contract_and_progress_stays_on_stderr():
    result = run("run", "examples/leaked-audio-lively-baldoni.txt", "-m", "fake", "-f", "json")
    assert result.exit_code == 0
    d = Digest.model_validate_json(result.stdout)
    assert d.schema_version == "1" and d.check() == []
    assert "digest:" not in result.stdout and "extracting chunk" in result.stderr


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "d.md"
    result = run(
        "run",
        "-",
        "-m",
        "fake",
        "-f",
        "markdown",
        "-o",
        str(out),
        "--url",
        "https://x.org/a",
        input="The council voted 7-2 on Monday, the mayor said.\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text()
    assert text.startswith("# Digest") and "| c1 | The council voted 7-2 on Monday" in text
    assert "the mayor said" in text


def test_bad_inputs_give_one_line_errors_and_non_zero_exits(tmp_path):
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    latin1 = tmp_path / "l.txt"
    latin1.write_bytes("The café opened on Monday.".encode("latin-1"))
    empty = tmp_path / "e.txt"
    empty.write_text("\n\n")
    good = tmp_path / "g.txt"
    good.write_text("The council voted 7-2 on Monday.")
    big = tmp_path / "big.txt"
    big.write_text("The council voted. " * 100)
    records = tmp_path / "two.jsonl"
    records.write_text('{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n')
    cases = [
        (("run", str(tmp_path / "missing.txt"), "-m", "fake"), 2, "no such file"),
        (("run", str(tmp_path), "-m", "fake"), 2, "is a folder"),
        (("run", str(binary), "-m", "fake"), 2, "looks binary"),
        (("run", str(latin1), "-m", "fake"), 2, "not UTF-8 text (byte 7 cannot be decoded"),
        (("run", str(empty), "-m", "fake"), 2, "empty"),
        (
            ("run", str(big), "-m", "fake", "--max-bytes", "1000"),
            2,
            "is 1.9 kB, above the 1 kB limit",
        ),
        (("run", str(records), "-m", "fake"), 2, "holds 2 articles: digest them with"),
        (("run", str(good), "-m", "fake", "--input-format", "pdf"), 2, "--input-format 'pdf'"),
        (("run", str(good), "-m", "gpt-5"), 3, "unknown model"),
        (("run", str(good), "-m", "openai:gpt-4o-mini"), 3, "OPENAI_API_KEY"),
        (("run", str(good), "-m", "fake", "--extract-prompt", "extract@v99"), 2, "no prompt"),
    ]
    for args, code, message in cases:
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) <= 2
    # the same file, read as what it is
    result = run("run", str(latin1), "-m", "fake", "--encoding", "latin-1", "-f", "json")
    assert result.exit_code == 0
    assert Digest.model_validate_json(result.stdout).article.text == "The café opened on Monday."


def test_a_replay_miss_exits_4_and_says_how_to_record(tmp_path):
    cassettes = tmp_path / "c"
    cassettes.mkdir()
    result = run("run", "examples/leaked-audio-lively-baldoni.txt", "-m", f"replay:{cassettes}")
    assert result.exit_code == 4
    assert "--record" in result.stderr


def test_record_then_replay_from_the_cli(tmp_path):
    cassettes = tmp_path / "c"
    first = run(
        "run",
        "examples/leaked-audio-lively-baldoni.txt",
        "-m",
        "fake",
        "-f",
        "json",
        "--record",
        str(cassettes),
    )
    second = run(
        "run", "examples/leaked-audio-lively-baldoni.txt", "-m", f"replay:{cassettes}", "-f", "json"
    )
    assert first.exit_code == second.exit_code == 0
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["claims"] == b["claims"] and a["summary"] == b["summary"]


def test_an_unwritable_output_still_prints_the_result(tmp_path):
    target = tmp_path / "no-such-dir" / "out.json"
    result = run(
        "run",
        "-",
        "-m",
        "fake",
        "-f",
        "json",
        "-o",
        str(target),
        input="The council voted 7-2 on Monday.",
    )
    assert result.exit_code == 1
    assert "printed to stdout instead" in result.stderr
    assert Digest.model_validate_json(result.stdout).claims


def test_models_lists_every_backend_and_why_not():
    result = run("models")
    assert result.exit_code == 0
    for name in ("local", "local:PATH.gguf", "openai:MODEL", "fake", "replay:DIR"):
        assert name in result.stdout
    assert "set OPENAI_API_KEY" in result.stdout


def test_an_interrupted_run_still_writes_what_it_has_and_exits_5(tmp_path, monkeypatch):
    from digest import fake_model

    def interrupt(messages):
        raise KeyboardInterrupt

    answers = [
        {"1": ["The council voted 7-2 on Monday."]},  # facts keyed by sentence (the default prompt)
        interrupt,
    ]
    monkeypatch.setattr("digest.pipeline.open_model", lambda *a, **k: fake_model(answers))
    article = tmp_path / "a.txt"
    article.write_text("The council voted 7-2 on Monday.\n\n" + "The mayor spoke. " * 300)
    out = tmp_path / "out.json"
    result = run("run", str(article), "-f", "json", "-o", str(out))
    assert result.exit_code == 5
    assert "interrupted at chunk 2" in result.stderr
    d = Digest.model_validate_json(out.read_text())
    assert [c.text for c in d.claims] == ["The council voted 7-2 on Monday."]
    assert d.run.complete is False


def test_non_utf8_stdin_is_named_as_stdin():
    result = runner.invoke(app, ["run", "-", "-m", "fake"], input=b"\xff\xfe bad")
    assert result.exit_code == 2
    assert "stdin is not UTF-8 text" in result.stderr


def test_the_fake_model_digests_an_article_with_brackets_and_braces(tmp_path):
    # The facts schema forbids braces and brackets in a fact; the fake model's answer, a
    # copy of each sentence, must leave them out or every such chunk is skipped.
    article = tmp_path / "a.txt"
    article.write_text('Title\n\nThe mayor said {{ x }} cost $5 [1] and "more".')
    result = runner.invoke(app, ["run", str(article), "-m", "fake", "-f", "json", "-q"])
    assert result.exit_code == 0, result.output
    d = Digest.model_validate_json(result.stdout)
    assert [c.text for c in d.claims] == ["The mayor said  x  cost $5 1 and 'more'."]
    assert d.claims[0].evidence[0].text == 'The mayor said {{ x }} cost $5 [1] and "more".'


def test_ctrl_c_on_a_real_process_keeps_what_is_done_and_exits_5(server, tmp_path):
    """A real `digest run` against a real endpoint on 127.0.0.1, interrupted by SIGINT
    while it waits for the second chunk's answer."""
    srv = server(delay=0.5)
    article = tmp_path / "a.txt"
    article.write_text("The council voted 7-2 on Monday.\n\n" + "The mayor spoke on Tuesday. " * 60)
    out = tmp_path / "out.json"
    proc = digest_process(
        article, "-m", "openai:m", "--base-url", srv.url, "-o", out, "--chunk-words", 50
    )
    deadline = time.monotonic() + 30
    while len(srv.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    code, stderr = interrupt(proc)
    assert code == 5, stderr
    assert "interrupted at chunk 2" in stderr and "Traceback" not in stderr
    d = Digest.model_validate_json(out.read_text())
    assert [c.text for c in d.claims] == ["The council voted 7-2 on Monday."]
    assert [(i.code, i.chunk) for i in d.issues] == [("run.interrupted", 2)]
    assert d.run.complete is False and d.run.llm_calls == 1


def test_a_huge_file_is_refused_before_any_model_call(server, tmp_path):
    srv = server()
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(51_000_000)  # 51 MB, read by nobody: the size alone refuses it
    result = run("run", str(huge), "-m", "openai:m", "--base-url", srv.url)
    assert result.exit_code == 2
    assert "is 51 MB, above the 5 MB limit (raise it with --max-bytes)" in result.stderr
    assert srv.requests == []


def test_a_file_the_system_cannot_read_is_one_line():
    result = run("run", "/proc/self/mem", "-m", "fake")
    assert result.exit_code == 2
    assert "cannot read /proc/self/mem: Input/output error" in result.stderr


def test_template_syntax_reaches_the_model_unchanged(tmp_path):
    seen = []
    model, _ = spied(before=lambda n, kwargs: seen.append(kwargs["messages"][-1]["content"]))
    text = "The {% if x %}mayor{% endif %} said {{ budget }} and {#note#} were fine."
    d = Digester(model).run(text)
    assert f"[1] {text}" in seen[0]
    assert d.claims[0].evidence[0].text == text


def test_an_article_not_in_english_is_digested_and_said_to_be_poorly_served(tmp_path):
    article = tmp_path / "fr.txt"
    article.write_text(
        "Le conseil municipal a voté lundi le budget de la ville, a déclaré le maire. "
        "Les opposants affirment que le plan augmentera les frais de stationnement des "
        "habitants du centre."
    )
    result = run("run", str(article), "-m", "fake", "-f", "json")
    assert result.exit_code == 0
    d = Digest.model_validate_json(result.stdout)
    (issue,) = [i for i in d.issues if i.code == "article.language"]
    assert "does not look English" in issue.message and d.claims
