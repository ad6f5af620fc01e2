"""Property: whatever the text, the claims stage keeps offsets exact, validates against the
schema, and every checked verdict names a sourced reference."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derek
from tests.conftest import assert_offsets

FRAGMENTS = [
    "Қазақстан мен Ресейдің тауар айналымы", "екі елдің сауда айналымы", "Ресейдің", "компаниясы",
    "жоба іске қосылған", "жылдық инфляция", "ЖІӨ", "доллардың орташа бағамы", "болжам бойынша",
    "мақсатымыз", "бүгінде", "былтыр", "2024 жылы", "2022 жылғы 11 айдың қорытындысы бойынша",
    "млрд теңге", "млн доллар", "мыңнан астам", "шамамен", "пайызға өсті", "«", "»", "- деді сарапшы.",
    "Taýar aınalymy", "ınflıasııa", "Reseı", "mlrd dollar", "Облысында", ",", ".", "\n\n",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 99999).map(str),
                          st.decimals(0, 1000, places=1).map(lambda d: str(d).replace(".", ","))),
                min_size=1, max_size=30))
def test_claims_never_break_offsets_or_schema(parts):
    text = " ".join(parts)
    doc = derek.analyze(text)
    assert_offsets(doc)
    for c in doc.claims:
        assert doc.text[c.start:c.end] == c.text
        v = c.verdict
        assert v["status"] in ("consistent", "inconsistent", "unverifiable")
        assert v["explanation"]["en"] and v["explanation"]["kk"]
        if v["status"] != "unverifiable":
            assert v["reference"] and v["reference"]["source"]
        if c.modality != "fact":
            assert v["status"] == "unverifiable"
