"""--ner / $DEREK_NER_ENGINE: the shipped ensemble, or its feature CRF alone, chosen per
process; and the stage never emits an entity without a letter or digit."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import derek
from derek.ner import tagger as tg
from derek.ner.ensemble import CrfOnlyNer, EnsembleNer
from derek.ner.errors import NerModelError

# the engines disagree here: the CRF alone also tags the governor's title as a POSITION
PAVLODAR = "Павлодар облысының әкімі Асайын Байханов жаңа мектепті ашты."
# the ensemble tags the ASCII dash before "деді" B-CARDINAL
DASH = "«Екі ел арасындағы сауда биыл өсті», - деді сарапшы Марат Оспанов."


@pytest.fixture
def engine_env():
    """$DEREK_NER_ENGINE unset for the test, and as it was afterwards (use_engine writes it)."""
    before = os.environ.pop(tg.ENGINE_ENV, None)
    tg.default_tagger.cache_clear()
    yield
    os.environ.pop(tg.ENGINE_ENV, None)
    if before is not None:
        os.environ[tg.ENGINE_ENV] = before
    tg.default_tagger.cache_clear()


def entities(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in derek.analyze(text).entities}


def test_requested_engine_reads_the_environment(engine_env):
    assert tg.requested_engine() == "ensemble"
    os.environ[tg.ENGINE_ENV] = " CRF "
    assert tg.requested_engine() == "crf"
    os.environ[tg.ENGINE_ENV] = "fast"
    with pytest.raises(NerModelError, match="'fast'.*ensemble, crf"):
        tg.requested_engine()
    with pytest.raises(NerModelError, match="'fast'"):
        tg.NerTagger.load()  # whatever the model, a mistyped engine is an error


def test_use_engine_switches_the_loaded_tagger(engine_env):
    ensemble = tg.default_tagger()
    assert isinstance(ensemble.engine, EnsembleNer)
    assert ("Павлодар облысының", "GPE") in entities(PAVLODAR)
    tg.use_engine("crf")
    assert os.environ[tg.ENGINE_ENV] == "crf"  # what worker processes inherit
    crf = tg.default_tagger()
    assert isinstance(crf.engine, CrfOnlyNer)
    assert ("Павлодар облысының әкімі", "POSITION") in entities(PAVLODAR)
    tg.use_engine("crf")
    assert tg.default_tagger() is crf  # the same choice again keeps the loaded tagger
    tg.use_engine("ensemble")
    assert isinstance(tg.default_tagger().engine, EnsembleNer)
    assert ("Павлодар облысының", "GPE") in entities(PAVLODAR)


def test_unknown_engine_name_changes_nothing(engine_env):
    with pytest.raises(NerModelError, match="unknown NER engine 'fast'"):
        tg.use_engine("fast")
    assert tg.ENGINE_ENV not in os.environ


def test_crf_alone_needs_a_model_that_has_one(engine_env, tmp_path):
    """A lone BiLSTM-CRF model directory has no feature CRF to run."""
    src = tg.default_model_dir()
    for f in ("neural.npz", "neural.json", "neural_words.txt", "capstats.tsv"):
        os.symlink(src / f, tmp_path / f)
    (tmp_path / "config.json").write_text('{"engine": "neural"}', encoding="utf-8")
    assert tg.NerTagger.load(tmp_path).engine is not None  # loads as itself
    os.environ[tg.ENGINE_ENV] = "crf"
    with pytest.raises(NerModelError, match="is a neural model.*needs an ensemble"):
        tg.NerTagger.load(tmp_path)


def test_no_entity_without_a_letter_or_digit(engine_env):
    found = derek.analyze(DASH).entities
    assert [e.text for e in found if not any(c.isalnum() for c in e.text)] == []
    assert ("Марат Оспанов", "PERSON") in {(e.text, e.label) for e in found}


def cli(*args, env_engine=None):
    env = {k: v for k, v in os.environ.items() if k != tg.ENGINE_ENV}
    if env_engine is not None:
        env[tg.ENGINE_ENV] = env_engine
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_cli_ner_option(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(PAVLODAR + "\n", encoding="utf-8")
    got = {}
    for engine in ("crf", "ensemble"):
        r = cli("analyze", art, "--ner", engine, "-f", "json")
        assert r.returncode == 0, r.stderr
        got[engine] = r.stdout
    assert '"POSITION"' in got["crf"] and '"POSITION"' not in got["ensemble"]
    r = cli("analyze", art, "--ner", "fast")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    for args in (("analyze", art), ("check", art)):
        r = cli(*args, env_engine="fast")
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip() == "derek: error: $DEREK_NER_ENGINE is 'fast': use one of ensemble, crf"


def test_serve_refuses_a_mistyped_engine_before_listening(tmp_path):
    r = cli("serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", "1", env_engine="fast")
    assert r.returncode == 2, r.stderr
    assert "$DEREK_NER_ENGINE is 'fast'" in r.stderr


def test_documents_record_a_non_default_engine(engine_env):
    """Provenance: a document tagged by the CRF alone says so in meta.ner_engine (kept by
    the JSON round trip and valid under the schema); the default leaves the contract as
    it was, without the key."""
    from derek.doc import Document
    from derek.schema import validate_document

    default = derek.analyze(PAVLODAR).to_dict()
    assert "ner_engine" not in default["meta"]
    tg.use_engine("crf")
    data = derek.analyze(PAVLODAR).to_dict()
    assert data["meta"]["ner_engine"] == "crf"
    validate_document(data)
    assert Document.from_dict(data).to_dict()["meta"] == data["meta"]
    without_ner = derek.analyze(PAVLODAR, stages=["normalize", "tokenize"]).to_dict()
    assert "ner_engine" not in without_ner["meta"]  # nothing tagged, nothing to record
