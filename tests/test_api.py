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
            "LLMError",
            "LoadedSpan",
            "ModelUnavailable",
            "ReplayMiss",
            "Run",
            "Source",
            "Span",
            "Summary",
            "SummarySentence",
            "TransportError",
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


def test_only_one_module_imports_openai_or_instructor():
    from pathlib import Path

    src = Path(digest.__file__).parent
    importers = sorted(
        p.name
        for p in src.glob("*.py")
        if any(
            line.startswith(
                ("import openai", "from openai", "import instructor", "from instructor")
            )
            for line in p.read_text().splitlines()
        )
    )
    assert importers == ["llm.py"]
