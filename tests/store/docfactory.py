"""Hand-built Documents for the store, API and web tests: exact layers that do not depend
on what the extractors currently find.  Spans are located by their surface text."""
from __future__ import annotations

from derek.doc import Claim, DateMention, Document, Entity, Meta, Quantity, Quote, Speaker


def at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(surface, pos + 1)
    return pos, pos + len(surface)


def make_doc(text: str, *, headline=None, published=None, source=None, reported_by=(),
             entities=(), quotes=(), quantities=(), dates=(), claims=()) -> Document:
    """entities: (surface, label, canonical); quotes: (surface, kind, speaker surface or None,
    speaker canonical); quantities: (surface, value, unit); dates: (surface, iso);
    claims: (surface, indicator, quantity surface, value, unit, period, verdict dict)."""
    doc = Document.from_text(text)
    doc.meta = Meta(headline=headline, published=published, source=source, reported_by=list(reported_by))
    for surface, label, canonical in entities:
        a, b = at(text, surface)
        doc.entities.append(Entity(a, b, surface, label, canonical))
    for surface, kind, sp_surface, sp_canonical in quotes:
        a, b = at(text, surface)
        sp = None
        if sp_surface:
            sa, sb = at(text, sp_surface)
            sp = Speaker(sa, sb, sp_surface, sp_canonical)
        elif sp_canonical:
            sp = Speaker(None, None, None, sp_canonical)
        doc.quotes.append(Quote(a, b, surface, kind, None, sp))
    for surface, value, unit in quantities:
        a, b = at(text, surface)
        doc.quantities.append(Quantity(a, b, surface, value, unit))
    for surface, iso in dates:
        a, b = at(text, surface)
        doc.dates.append(DateMention(a, b, surface, iso))
    for surface, indicator, q_surface, value, unit, period, verdict in claims:
        a, b = at(text, surface)
        qa, qb = at(text, q_surface)
        q = Quantity(qa, qb, q_surface, value, unit, "more_than")
        doc.claims.append(Claim(a, b, surface, "trade turnover", indicator, q, period, "author", "fact", verdict))
    return doc


UNIT_ERROR_VERDICT = {
    "status": "inconsistent",
    "diagnosis": "unit_error",
    "reference": {"indicator": "kz_ru_trade_turnover", "period": "2024", "value": 28.0, "scale": "billion",
                  "currency": "USD", "source": "hand-written test reference"},
    "explanation": {"en": "30 bn KZT is about $60 M, not the $28 bn reference: the currency looks wrong.",
                    "kk": "30 млрд теңге шамамен 60 млн доллар."},
}


def corpus() -> dict[str, Document]:
    """Four small articles written for these tests (not from any dataset)."""
    t1 = ("Ресей мен Қазақстан арасындағы тауар айналымы өсті\n\n"
          "Биыл екі елдің тауар айналымы 30 млрд теңгеден асты, деді сарапшы Асқар Бекұлы.")
    t2 = ("Ресейдің компаниялары Алматыға көшіп жатыр\n\n"
          "«Былтыр Ресейден 500 компания келді», — деді министр Серік Жұманов 2024 жылғы 5 наурызда.")
    t3 = "Астанада жаңа мектеп ашылды\n\nҚала әкімдігі мектепке 2 млрд теңге бөлді."
    t4 = ("Қытай мен Қазақстан саудасы\n\n"
          "Қытаймен сауда көлемі 2023 жылы 31 млрд долларға жетті, деп хабарлайды Kazinform.")
    return {
        "kz_ru_trade": make_doc(
            t1, headline=t1.split("\n")[0], published="2024-11-27", source="https://news.example.kz/a/1",
            entities=[("Ресей", "GPE", "Ресей"), ("Қазақстан", "GPE", "Қазақстан"), ("Асқар Бекұлы", "PERSON", "Асқар Бекұлы")],
            quantities=[("30 млрд теңгеден", 30e9, "KZT")],
            claims=[("Биыл екі елдің тауар айналымы 30 млрд теңгеден асты", "kz_ru_trade_turnover",
                     "30 млрд теңгеден", 30e9, "KZT", "2024", UNIT_ERROR_VERDICT)]),
        "ru_companies": make_doc(
            t2, headline=t2.split("\n")[0], published="2024-03-06", source="https://other.example.kz/b/2",
            entities=[("Ресейдің", "GPE", "Ресей"), ("Алматыға", "GPE", "Алматы"), ("Ресейден", "GPE", "Ресей"),
                      ("Серік Жұманов", "PERSON", "Серік Жұманов")],
            quotes=[("«Былтыр Ресейден 500 компания келді»", "direct", "Серік Жұманов", "Серік Жұманов")],
            quantities=[("500 компания", 500, "company")],
            dates=[("2024 жылғы 5 наурызда", "2024-03-05")]),
        "school": make_doc(
            t3, headline=t3.split("\n")[0], published="2023-09-01",
            entities=[("Астанада", "GPE", "Астана")], quantities=[("2 млрд теңге", 2e9, "KZT")]),
        "kz_cn_trade": make_doc(
            t4, headline=t4.split("\n")[0], published="2023-12-30", reported_by=["Kazinform"],
            entities=[("Қытай", "GPE", "Қытай"), ("Қазақстан", "GPE", "Қазақстан"), ("Қытаймен", "GPE", "Қытай")],
            quantities=[("31 млрд долларға", 31e9, "USD")], dates=[("2023 жылы", "2023")]),
    }

API_TOKEN = "test-token-123"  # the token the API tests start the app with
