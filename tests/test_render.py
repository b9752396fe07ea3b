from digest import Digest
from digest.render import render

TEXT = "BOMB: the smoking gun audio surfaced."


def digest_with_loaded_words() -> Digest:
    return Digest.model_validate(
        {
            "article": {"text": TEXT},
            "run": {"model": "fake"},
            "loaded_language": [
                {"start": 0, "end": 4, "text": "BOMB", "neutral": "recording"},
                {"start": 10, "end": 21, "text": "smoking gun", "found_by": "model"},
            ],
            "warnings": ["c1: level asserted corrected to hedged"],
        }
    )


def test_loaded_wording_and_warnings_reach_the_reader_in_text_and_markdown():
    d = digest_with_loaded_words()
    text = render(d, "text")
    assert "“BOMB” → recording, “smoking gun” (model)" in text
    assert "- c1: level asserted corrected to hedged" in text
    md = render(d, "markdown")
    assert "- “BOMB” → recording\n- “smoking gun” (model)" in md
    assert "## Warnings" in md and "- c1: level asserted corrected to hedged" in md
