"""derek/data/ner_heads.toml and derek/data/demonyms.toml against their cases
(tests/data/ner_heads_cases.tsv, demonym_cases.tsv): the place and event head nouns behind
the NER's `place_context` features and the demonyms behind `demonyms`."""
from pathlib import Path

import pytest

from derek.ner.features import FeatureConfig, FeatureExtractor, place_head

DATA = Path(__file__).resolve().parents[1] / "data"


def _cases(name: str) -> list[tuple[str, str | None]]:
    """(word, kind) rows of a cases file; "-" is no kind."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, kind = line.split("\t")
            rows.append((word, None if kind == "-" else kind))
    return rows


@pytest.mark.parametrize("word,kind", _cases("ner_heads_cases.tsv"))
def test_place_head(word, kind):
    assert place_head(word) == kind


def test_place_context_features_mark_the_words_before_a_head():
    words = "Ол Қостанай әуежайына келді , Қаракөл көлінде құстар көп .".split()
    fx = FeatureExtractor(FeatureConfig(place_context=True))
    feats = fx.sentence(words)
    assert "ph+1=facility" in feats[1] and "title_ph+=facility" in feats[1]
    assert "ph0=facility" in feats[2] and "ph-1=facility" in feats[3]
    assert "ph+1=location" in feats[5] and "title_ph+=location" in feats[5]
    assert "ph+2=facility" in feats[0] and not any(f.startswith("ph") for f in feats[8])  # "көп": no head near
    # off by default: the shipped models trained without them see nothing new
    plain = FeatureExtractor(FeatureConfig()).sentence(words)
    assert not any(f.startswith(("ph", "title_ph")) for fs in plain for f in fs)


@pytest.mark.parametrize("word,kind", _cases("demonym_cases.tsv"))
def test_demonym(word, kind):
    from derek.ner.features import demonym

    assert demonym(word) == kind


def test_demonym_feature_is_a_word_feature():
    fx = FeatureExtractor(FeatureConfig(demonyms=True))
    feats = fx.sentence("Швейцариялық емес , швейцариялық банктер".split())
    assert "dem=country" in feats[3] and "dem=country" in feats[0] and not any(f.startswith("dem=") for f in feats[1])
