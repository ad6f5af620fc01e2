"""Hostile inputs cost no more than real text (issue 21 item 6), checked without a clock.

The NER model costs per token it tags, so a hostile input is cheap when few of its tokens
reach the model: real Kazakh news sends 0.07-0.16 tokens per byte there (news_dev), the
hostile kinds must send a fraction of that.  The quantity finder leaves tables of bare
figures alone.  Timings against real text, side by side: `python bench/fuzz.py --hostile`;
growth with size: test_robust_linear.py.
"""
from __future__ import annotations

import pytest

import derek
from derek.extract.furniture import FIGURE_RUN, figure_runs
from derek.extract.numerals import tokenize
from derek.ner.stage import LETTERLESS_RUN, MAX_TAGGED, tag_once, tagging_ranges
from fuzzkit import ADVERSARIAL, HOSTILE

SIZE = 40_000
MODEL_TOKENS_PER_BYTE = 0.02  # real news: 0.07 and more


@pytest.fixture()
def counted(monkeypatch):
    """The tagger's tag_sentences, counting the tokens it is given."""
    from derek.pipeline import default_pipeline

    tagger = default_pipeline().component("ner")
    seen = {"tokens": 0, "calls": 0}
    real = tagger.tag_sentences

    def tag_sentences(sentences):
        seen["tokens"] += sum(len(s) for s in sentences)
        seen["calls"] += 1
        return real(sentences)

    monkeypatch.setattr(tagger, "tag_sentences", tag_sentences)
    return seen


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_reaches_the_model_sparingly(kind, counted):
    text = ADVERSARIAL[kind](SIZE)
    derek.analyze(text)
    per_byte = counted["tokens"] / len(text.encode())
    assert per_byte <= MODEL_TOKENS_PER_BYTE, f"{kind}: {per_byte:.3f} model tokens per byte"


def test_real_sentences_reach_the_model_whole(counted):
    # my own sentences: nothing here is cut or merged
    text = ("Ауыл шаруашылығы министрлігі биыл 12 облыста 340 мың гектар жерге бидай егілгенін "
            "хабарлады. Министр Асқар Омаров Павлодарда фермерлермен кездесті.\n")
    doc = derek.analyze(text)
    assert counted["tokens"] == len(doc.tokens)
    assert {e.text for e in doc.entities} >= {"Асқар Омаров", "Павлодарда"}


class _Tok:
    def __init__(self, text: str, kind: str):
        self.text, self.kind = text, kind


def _toks(spec: str) -> list[_Tok]:
    return [_Tok(c, "word" if c.isalpha() else "number") for c in spec]


def test_tagging_ranges_cut_letterless_runs_and_long_sentences():
    toks = _toks("аб" + "1" * LETTERLESS_RUN + "в" + "1" * (LETTERLESS_RUN - 1) + "г")
    n = len(toks)
    assert tagging_ranges(toks, [(0, n)]) == [(0, 2), (2 + LETTERLESS_RUN, n)]
    long = _toks("а" * (2 * MAX_TAGGED + 5))
    assert tagging_ranges(long, [(0, len(long))]) == [(0, MAX_TAGGED), (MAX_TAGGED, 2 * MAX_TAGGED),
                                                        (2 * MAX_TAGGED, 2 * MAX_TAGGED + 5)]
    assert tagging_ranges(_toks("1" * 40), [(0, 40)]) == []


def test_tag_once_tags_each_distinct_sentence_once():
    calls = []

    class Tagger:
        def tag_sentences(self, sentences):
            calls.append(len(sentences))
            return [[w.upper() for w in s] for s in sentences]

    got = tag_once(Tagger(), [["а", "б"], ["в"], ["а", "б"], ["в"]])
    assert got == [["А", "Б"], ["В"], ["А", "Б"], ["В"]]
    assert calls == [2]


def test_figure_runs_are_tables_not_prose():
    table = tokenize("Brent | 0.00 | 0.00 |\nЛайт | 0.00 | 0.00 |\n" + "1 " * FIGURE_RUN)
    assert figure_runs(table)[-1][1] == len(table)
    prose = tokenize("Биыл 5 мектеп, 12 аурухана және 3 саябақ салынды; бюджет 4 млрд теңге.")
    assert figure_runs(prose) == []
    doc = derek.analyze("Көрсеткіштер\n\n" + "2,5 3,1 4,0 1,2 0,5 7,7 8,1 9,9\n\nБиыл 5 мектеп салынды.",
                        stages=["normalize", "tokenize", "structure", "dates", "quantities"])
    assert [q.text for q in doc.quantities] == ["5 мектеп"]
