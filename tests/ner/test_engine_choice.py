"""derek.load(ner=…) / --ner / $DEREK_NER_ENGINE: the shipped ensemble, or its feature CRF
alone, passed to the pipeline (the environment is read by the command line only); and the
stage never emits an entity without a letter or digit."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import derek
from derek.ner import tagger as tg
from derek.ner.ensemble import CrfOnlyNer, EnsembleNer
from derek.ner.choice import NerChoice
from derek.ner.errors import NerModelError
from derek.pipeline import Pipeline

# the engines disagree here: the CRF alone also tags the governor's title as a POSITION
PAVLODAR = "Павлодар облысының әкімі Асайын Байханов жаңа мектепті ашты."
# the ensemble tags the ASCII dash before "деді" B-CARDINAL
DASH = "«Екі ел арасындағы сауда биыл өсті», - деді сарапшы Марат Оспанов."


def entities(text: str, pipeline=None) -> set[tuple[str, str]]:
    doc = (pipeline or derek.load()).analyze(text)
    return {(e.text, e.label) for e in doc.entities}


def test_the_choice_names_an_engine_or_a_model():
    assert NerChoice.of(None) == NerChoice() == NerChoice.of("ensemble")
    assert NerChoice.of("crf") == NerChoice(engine="crf")
    assert NerChoice.of("/some/model") == NerChoice(model="/some/model")
    with pytest.raises(NerModelError, match="unknown NER engine 'fast'.*ensemble, crf"):
        NerChoice(engine="fast")
    with pytest.raises(NerModelError, match="'fast'"):
        tg.NerTagger.load(engine="fast")  # whatever the model, an unknown engine is an error


def test_two_engines_side_by_side_in_one_process():
    """Pipelines are given their model: one process holds the ensemble and the CRF alone at
    once, each pipeline tags with its own, and neither touches the environment."""
    env = {k: v for k, v in os.environ.items() if k.startswith("DEREK")}
    ensemble, crf = derek.load(), derek.load(ner="crf")
    assert isinstance(ensemble.component("ner").engine, EnsembleNer)
    assert isinstance(crf.component("ner").engine, CrfOnlyNer)
    for _ in range(2):  # interleaved: no switch, no reload
        assert ("Павлодар облысының", "GPE") in entities(PAVLODAR, ensemble)
        assert ("Павлодар облысының әкімі", "POSITION") in entities(PAVLODAR, crf)
    assert derek.load(ner="crf").component("ner") is crf.component("ner")  # loaded once per choice
    assert ("Павлодар облысының", "GPE") in entities(PAVLODAR)  # derek.analyze: the default
    assert not any(lab == "POSITION" for _, lab in {(e.text, e.label) for e in derek.analyze(PAVLODAR).entities})
    docs = list(crf.analyze_many([PAVLODAR, PAVLODAR]))
    assert all(d.meta.ner_engine == "crf" for d in docs)
    assert {k: v for k, v in os.environ.items() if k.startswith("DEREK")} == env


def test_a_pipeline_takes_a_loaded_tagger():
    tagger = tg.NerTagger.load(tg.default_model_dir(), engine="crf")
    pipe = Pipeline(ner=tagger)
    assert pipe.component("ner") is tagger and pipe.ner is None
    assert ("Павлодар облысының әкімі", "POSITION") in entities(PAVLODAR, pipe)


def test_the_library_does_not_read_the_environment(monkeypatch):
    monkeypatch.setenv("DEREK_NER_ENGINE", "crf")
    monkeypatch.setenv("DEREK_NER_MODEL", "/no/such/model")
    assert derek.analyze(PAVLODAR).meta.ner_engine is None
    assert isinstance(tg.NerTagger.load().engine, EnsembleNer)


def test_crf_alone_needs_a_model_that_has_one(tmp_path):
    """A lone BiLSTM-CRF model directory has no feature CRF to run."""
    src = tg.default_model_dir()
    for f in ("neural.npz", "neural.json", "neural_words.txt", "capstats.tsv"):
        os.symlink(src / f, tmp_path / f)
    (tmp_path / "config.json").write_text('{"engine": "neural"}', encoding="utf-8")
    assert tg.NerTagger.load(tmp_path).engine is not None  # loads as itself
    with pytest.raises(NerModelError, match="is a neural model.*needs an ensemble"):
        tg.NerTagger.load(tmp_path, engine="crf")
    with pytest.raises(NerModelError, match="is a neural model"):
        derek.load(ner=NerChoice(model=str(tmp_path), engine="crf")).analyze(PAVLODAR)


def test_no_entity_without_a_letter_or_digit():
    found = derek.analyze(DASH).entities
    assert [e.text for e in found if not any(c.isalnum() for c in e.text)] == []
    assert ("Марат Оспанов", "PERSON") in {(e.text, e.label) for e in found}


ENGINE_ENV = "DEREK_NER_ENGINE"


def cli(*args, env_engine=None):
    env = {k: v for k, v in os.environ.items() if k != ENGINE_ENV}
    if env_engine is not None:
        env[ENGINE_ENV] = env_engine
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


def test_cli_reads_the_environment_and_hands_it_on(tmp_path):
    """$DEREK_NER_ENGINE is read by the command line (and --ner wins over it)."""
    art = tmp_path / "a.txt"
    art.write_text(PAVLODAR + "\n", encoding="utf-8")
    r = cli("analyze", art, "-f", "json", env_engine="crf")
    assert r.returncode == 0, r.stderr
    assert '"POSITION"' in r.stdout and '"ner_engine": "crf"' in r.stdout
    r = cli("analyze", art, "-f", "json", "--ner", "ensemble", env_engine="crf")
    assert r.returncode == 0 and '"POSITION"' not in r.stdout


def test_documents_record_a_non_default_engine():
    """Provenance: a document tagged by the CRF alone says so in meta.ner_engine (kept by
    the JSON round trip and valid under the schema); the default leaves the contract as
    it was, without the key."""
    from derek.doc import Document
    from derek.schema import validate_document

    default = derek.analyze(PAVLODAR).to_dict()
    assert "ner_engine" not in default["meta"]
    data = derek.load(ner="crf").analyze(PAVLODAR).to_dict()
    assert data["meta"]["ner_engine"] == "crf"
    validate_document(data)
    assert Document.from_dict(data).to_dict()["meta"] == data["meta"]
    without_ner = derek.load(ner="crf", stages=["normalize", "tokenize"]).analyze(PAVLODAR).to_dict()
    assert "ner_engine" not in without_ner["meta"]  # nothing tagged, nothing to record


def test_check_passes_its_ner_choice_to_the_pipeline(monkeypatch, tmp_path):
    """`derek check --ner crf` analyses with the CRF alone (the choice is handed to derek.load)."""
    from typer.testing import CliRunner

    from derek.cli import _register, app

    _register()  # the command modules register themselves on import (as `derek` does in main)
    made = []
    real = derek.load

    def spy(ner=None, **kw):
        made.append(ner)
        return real(ner=ner, **kw)

    monkeypatch.setattr(derek, "load", spy)
    monkeypatch.delenv(ENGINE_ENV, raising=False)
    art = tmp_path / "a.txt"
    art.write_text(PAVLODAR + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(art), "--ner", "crf", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert made == [NerChoice(engine="crf")]


def test_eval_ner_tags_with_the_chosen_engine(tmp_path):
    """`derek eval ner --ner crf` scores the CRF alone: on a sentence where the two engines
    disagree (the CRF alone tags the governor's title), the scores differ accordingly."""
    iob = tmp_path / "t.iob"
    words = ["Павлодар", "облысының", "әкімі", "Асайын", "Байханов", "жаңа", "мектепті", "ашты", "."]
    tags = ["B-POSITION", "I-POSITION", "I-POSITION", "B-PERSON", "I-PERSON", "O", "O", "O", "O"]
    iob.write_text("".join(f"{w} {t}\n" for w, t in zip(words, tags)) + "\n", encoding="utf-8")
    f1 = {}
    for engine in ("crf", "ensemble"):
        r = cli("eval", "ner", "--test", iob, "--ner", engine)
        assert r.returncode == 0, r.stderr
        f1[engine] = float(r.stdout.strip().splitlines()[-1].split()[-1])
    assert f1["crf"] == 1.0 and f1["ensemble"] < 1.0
