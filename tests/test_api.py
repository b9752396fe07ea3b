import digest


def test_public_api_is_pinned():
    assert sorted(digest.__all__) == sorted(
        [
            "LLM",
            "SCHEMA_VERSION",
            "Article",
            "Claim",
            "Digest",
            "DigestError",
            "Digester",
            "InputError",
            "Issue",
            "LLMError",
            "LoadedSpan",
            "ModelUnavailable",
            "ReplayMiss",
            "Run",
            "Source",
            "Span",
            "Store",
            "Summary",
            "SummarySentence",
            "TransportError",
            "Usage",
            "__version__",
            "adigest",
            "digest",
            "fake_model",
            "open_model",
            "render",
        ]
    )
    for name in digest.__all__:
        assert hasattr(digest, name), name


def test_only_the_model_layer_imports_openai_or_instructor():
    from pathlib import Path

    src = Path(digest.__file__).parent
    importers = sorted(
        str(p.relative_to(src).parent)
        for p in src.rglob("*.py")
        if any(
            line.startswith(
                ("import openai", "from openai", "import instructor", "from instructor")
            )
            for line in p.read_text().splitlines()
        )
    )
    assert set(importers) == {"llm"}
