"""The first line is the headline unless it is running text (a paragraph of several sentences,
longer than any headline): a user who analyses one paragraph gets its quotes and claims."""
import derek

PARAGRAPH = ("Кеше облыс орталығында жастар форумы өтіп, оған үш жүзден астам студент пен жас кәсіпкер "
             "қатысты. «Біз жастардың бастамаларын қолдай береміз», – деді облыс әкімінің орынбасары "
             "Ержан Сейітқали. Ол биыл жастарға арналған гранттардың саны артқанын айтты.")


def test_a_paragraph_of_several_sentences_is_no_headline():
    doc = derek.analyze(PARAGRAPH)
    assert [p.role for p in doc.paragraphs] == ["body"]
    assert doc.meta.headline is None
    assert any(q.kind == "direct" for q in doc.quotes)


def test_a_short_first_line_stays_the_headline_even_with_two_sentences():
    doc = derek.analyze("Бағалар өсті. Ұлттық банк мөлшерлемені өзгертпеді\n\n" + PARAGRAPH)
    assert [p.role for p in doc.paragraphs] == ["headline", "body"]
    assert doc.meta.headline == "Бағалар өсті. Ұлттық банк мөлшерлемені өзгертпеді"


def test_a_long_one_sentence_headline_stays_the_headline():
    title = ("Облыс әкімі ауыл шаруашылығы тауарын өндірушілермен кездесіп, биылғы егін науқанының "
             "барысын, тыңайтқыш пен жанармайдың бағасын және суармалы жерлердің жағдайын талқылады")
    doc = derek.analyze(title + "\n\n" + PARAGRAPH)
    assert doc.paragraphs[0].role == "headline"
