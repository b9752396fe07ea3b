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


#: Every published prompt version and the sha256 of its file. A used version is never
#: edited (its recordings and run logs name it): a new wording is a new version, added here.
PUBLISHED = {
    "extract@v1": "99730c4f9cc3904364e835136f237bf0fe33e5ce20f9571e408f12dba3385555",
    "extract@v2": "36430665557e5b14c26327b0e2924a4195ccedadfebe1a362c17dd4b8ba46841",
    "extract@v3": "e8eea44c0a894bc36cdb2ad465b634286a0c3e5704061a22f05fc9d6d369b0a1",
    "extract@v4": "14e2b8968443dd8d61a9723cdfe6ccdc9118e1f6684dbc5554ddabff8cf42b07",
    "extract@v5": "4b675afa1af1e7ac4924c798ebaa2c7d001838990f46238b5897ebe45fbda0a1",
    "extract@v6": "7aa4b9209da0eab1d6d9678fd0e64361612626b5246810059ad98666a050d445",
    "summary@v1": "15e955146e2d0e922f51eaf8b5d8cad7734c37793761de22a40349626e3bab0b",
    "summary@v2": "29483ef95152d07c1b639ef8b907b3c661cff3464f1ee4e5c0cd84de5ecaccf6",
    "summary@v3": "d6acf737f8766011ac0259f8a42af0881e80af76a69879315ae96175abb6bb80",
    "summary@v4": "081ea2f8c9dfa95336988beafc723b6af65ccaa2c81fc7192c8ee3a2615a47bf",
}


def test_no_published_prompt_version_is_edited_and_every_version_is_pinned():
    found = {
        ref: prompts.load(ref).sha256
        for name in ("extract", "summary")
        for ref in prompts.versions(name)
    }
    assert found == PUBLISHED


def test_a_placeholder_left_unfilled_or_a_value_without_one_is_an_error():
    p = prompts.load("summary@v3")
    with pytest.raises(InputError, match=r"summary@v3: nothing fills \$claims"):
        p.messages(title="Floods")
    with pytest.raises(InputError, match=r"no placeholder for \$titel"):
        p.messages(title="Floods", claims="c1 | asserted |  | x", titel="Floods")
    # "$400" in a prompt is text, not a placeholder
    p = prompts.Prompt(ref="x@v1", system="S", user="Costs $400 for $sentences", sha256="")
    assert p.messages(sentences="[1] a")[-1]["content"] == "Costs $400 for [1] a"
