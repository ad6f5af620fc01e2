"""The NER model's error, importable without the model code (the CLI catches it at start)."""


class NerModelError(RuntimeError):
    """No usable NER model, or an engine it cannot run ($DEREK_NER_MODEL, $DEREK_NER_ENGINE)."""
