import hashlib

import pytest

from digest import InputError, prompts


def test_prompts_load_by_reference_with_their_hash():
    p = prompts.load("extract@v1")
    assert p.ref == "extract@v1" and p.name == "extract"
    raw = (prompts.prompt_root() / "extract" / "v1.md").read_bytes()
    assert p.sha256 == hashlib.sha256(raw).hexdigest()
    assert "$sentences" in p.user
    assert prompts.load("extract").ref == prompts.versions("extract")[-1]


def test_values_are_inserted_once_and_never_interpreted():
    p = prompts.load("extract@v1")
    messages = p.messages(sentences="[1] costs $title and {{ x }} and ${sentences}")
    assert messages[0]["role"] == "system"
    assert messages[1]["content"].endswith("[1] costs $title and {{ x }} and ${sentences}")


def test_unknown_prompts_are_input_errors():
    with pytest.raises(InputError, match="known: extract@v1, extract@v2"):
        prompts.load("extract@v99")
    with pytest.raises(InputError, match="no prompt named"):
        prompts.load("nothing")


def test_worked_examples_are_sent_as_turns_before_the_task_and_settings_are_read():
    p = prompts.load("extract@v4")
    messages = p.messages(sentences="[1] The council met.")
    roles = [m["role"] for m in messages]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
    assert messages[-1]["content"] == "[1] The council met."
    assert messages[2]["content"].startswith('{"4":["Fire crews')
    assert p.setting("answer") == "facts" and p.setting("chunk_words") == "150"
    assert p.setting("missing", "x") == "x"


def test_a_prompt_whose_turns_do_not_alternate_is_an_input_error(tmp_path, monkeypatch):
    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "v1.md").write_text(
        "=== system ===\nS\n=== assistant ===\nA\n=== user ===\n$sentences\n"
    )
    monkeypatch.setattr(prompts, "prompt_root", lambda: tmp_path)
    with pytest.raises(InputError, match="example pairs"):
        prompts.load("extract@v1")
