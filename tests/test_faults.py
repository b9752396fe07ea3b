"""What digest does when a real OpenAI-compatible server on 127.0.0.1 misbehaves.

Each fault is scripted for the first requests of an article; the rest are answered
properly. The expectation is what a user sees: the digest (complete, or partial with the
cause in its issues) and how many requests the fault cost, counted at the server.
"""

import json

import pytest
from typer.testing import CliRunner

from digest import Digester
from digest.cli import app
from helpers import council_feed, ok

ARTICLE = "The council voted 7-2 on Monday, the mayor said."
EMPTY = {
    "id": "x",
    "object": "chat.completion",
    "created": 0,
    "model": "m",
    "choices": [],
    "usage": {"prompt_tokens": 3, "completion_tokens": 0, "total_tokens": 3},
}
ERROR = {"error": {"message": "no"}}

#: fault -> (script, requests the extraction takes, of them answered with a completion,
#: complete?, words the reason must hold)
FAULTS = {
    "429 with Retry-After": ([(429, {"Retry-After": "2"}, ERROR)], 2, 1, True, None),
    "429 without Retry-After": ([(429, {}, ERROR)], 2, 1, True, None),
    "500": ([(500, {}, ERROR)], 2, 1, True, None),
    "503": ([(503, {}, ERROR)], 2, 1, True, None),
    "a dropped connection": (["drop"], 2, 1, True, None),
    "a hang past the timeout": (["hang"] * 4, 4, 0, False, "APITimeoutError"),
    "500 on every attempt": ([(500, {}, ERROR)] * 4, 4, 0, False, "InternalServerError"),
    "a body that is not JSON": ([(200, {}, "this is not json")], 2, 1, True, None),
    "JSON that fails the schema": ([ok('{"7": 3}')] * 2, 2, 2, False, "no valid answer"),
    "output cut off by the token limit": (
        [ok('{"1": ["The coun', finish_reason="length")],
        1,
        1,
        False,
        "cut off by the token limit",
    ),
    "an empty choice list": ([(200, {}, EMPTY)], 1, 1, False, "no choices"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_server_fault_is_retried_when_worth_it_and_named_when_it_persists(
    fault, server, no_waiting, monkeypatch
):
    script, requests, answered, complete, cause = FAULTS[fault]
    monkeypatch.setenv("DIGEST_TIMEOUT", "1")
    srv = server(script)
    d = Digester("openai:m", base_url=srv.url).run(ARTICLE)
    summary = 1 if complete else 0  # no summary of a partial digest
    assert len(srv.requests) == requests + summary
    assert d.run.complete is complete
    assert d.run.llm_calls == answered + summary  # usage counts every answered attempt
    if complete:
        assert [c.text for c in d.claims] == ["The council voted 7-2 on Monday, the mayor said."]
    else:
        assert cause in d.run.incomplete_reason
        assert d.issues[0].code in ("run.stopped", "chunk.failed")


@pytest.fixture
def no_waiting(monkeypatch):
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr("digest.llm.api._sleep", sleep)
    return slept


def test_retry_after_is_honoured_up_to_its_limit(server, no_waiting):
    srv = server([(429, {"Retry-After": "2"}, ERROR), (429, {"Retry-After": "900"}, ERROR)])
    d = Digester("openai:m", base_url=srv.url).run(ARTICLE)
    assert d.run.complete
    assert no_waiting == [2.0, 60.0]  # the server's wait, but never more than a minute


def test_usage_counts_every_answered_attempt_of_a_failing_chunk(server, no_waiting):
    srv = server([ok('{"7": 3}', prompt_tokens=40, completion_tokens=9)] * 2)
    d = Digester("openai:m", base_url=srv.url).run(ARTICLE)
    assert (d.run.llm_calls, d.run.input_tokens, d.run.output_tokens) == (2, 80, 18)
    assert d.issues[0].code == "chunk.failed"


def test_a_batch_records_an_article_the_server_fails_and_goes_on(server, no_waiting, tmp_path):
    srv = server([(500, {}, ERROR)] * 4)  # the first article's extraction, every attempt
    feed = tmp_path / "feed.jsonl"
    council_feed(feed, ["a0", "a1", "a2"])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(feed),
            "--out",
            str(out),
            "-m",
            "openai:m",
            "--base-url",
            srv.url,
            "-c",
            "1",
            "--no-cache",
        ],
    )
    assert result.exit_code == 5
    assert [json.loads(line)["article"]["id"] for line in out.open()] == ["a1", "a2"]
    (failure,) = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").open()]
    assert failure["id"] == "a0" and failure["failure"] == "incomplete"
    assert (
        "InternalServerError" in failure["error"] and failure["digest"]["run"]["complete"] is False
    )


def test_a_summary_the_server_cannot_give_in_shape_twice_is_written_by_code(server):
    """Through a real endpoint: the extraction is answered, the summary answer fails the
    schema on both attempts; the digest is still complete, with a summary from code."""
    extraction = ok(json.dumps({"1": ["The council voted 7-2 on Monday, the mayor said."]}))
    broken = ok('{"sentences": 3}')
    srv = server([extraction, broken, broken])
    d = Digester("openai:m", base_url=srv.url).run(ARTICLE)
    assert d.run.summary_mode == "write" and len(srv.requests) == 3
    assert d.run.complete and d.summary.sentences
    assert d.summary.sentences[0].claim_ids == [d.claims[0].id]
    assert [i.code for i in d.issues] == ["summary.written_by_code"]
