"""The scored choice of a role noun's or a pronoun's referent (derek/extract/speech/choice.py):
the reasons are visible, role agreement wins over nearness, and an unclear choice is null."""
from __future__ import annotations

import derek
from derek.extract.speech.choice import THRESHOLD, SpeakerChoice
from derek.extract.speech.people import PersonRegistry

TWO = ("Жаңалық\n\nҚаржы министрі Мәдина Әбілқасымова мен экономист Бекзат Ахметов пікір алмасты.\n\n"
       "Жиынға тағы бірнеше адам қатысты.\n\nТАЛҚЫ")


def _choice(text: str):
    doc = derek.analyze(text)
    people = PersonRegistry(doc)
    return doc.view.text, SpeakerChoice(people, [], [])


def test_role_agreement_beats_nearness():
    view, choice = _choice(TWO)
    pos = view.index("ТАЛҚЫ")
    ranked = choice.ranked(pos, "экономист")
    assert ranked[0].name == "Бекзат Ахметов"
    assert any(r.startswith("introduced as экономист") for r in ranked[0].reasons)
    assert any(r.startswith("introduced as") for r in ranked[1].reasons)  # the minister: a conflict
    assert ranked[1].score < 0
    assert choice.choose(pos, "министр") == "Мәдина Әбілқасымова"


def test_a_role_no_one_holds_is_left_open():
    view, choice = _choice(TWO)
    assert choice.choose(view.index("ТАЛҚЫ"), "прокурор") is None


def test_two_people_and_a_pronoun_is_left_open():
    view, choice = _choice(TWO)
    ranked = choice.ranked(view.index("ТАЛҚЫ"))
    assert len(ranked) == 2 and ranked[0].score - ranked[1].score < 1
    assert choice.choose(view.index("ТАЛҚЫ")) is None


def test_the_last_speaker_and_the_new_subject():
    text = ("Жаңалық\n\n«Жоспар орындалды», – деді Болат Жұмағұлов.\n\nКейін Нұрлан Әлібеков сөз алды.\n\nОСЫ")
    doc = derek.analyze(text)
    people = PersonRegistry(doc)
    view = doc.view.text
    end = view.index("»")
    choice = SpeakerChoice(people, [end], ["Болат Жұмағұлов"])
    ranked = choice.ranked(view.index("ОСЫ"))
    assert ranked[0].name == "Нұрлан Әлібеков" and ranked[0].score >= THRESHOLD
    assert any("the subject after the last quote" in r for r in ranked[0].reasons)
    assert any("the speaker just before" in r for r in ranked[1].reasons)
