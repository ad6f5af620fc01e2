"""The one record that flows through derek: a `Document` and its typed layers.

Every item carries `start`/`end` character offsets into the *exact* input string, so
`doc.text[item.start:item.end] == item.text` always holds and any fact can be highlighted
in its source.  Stages never edit `text`; they read the analysis view (`doc.view`: the
Cyrillic, homoglyph-repaired form) and map their spans back with `doc.span()`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

from derek.text.view import TextView

SCHEMA_ID = "derek.document/1"


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class Paragraph:
    start: int
    end: int
    # headline | author | photo | dateline | body — what the article-structure stage saw
    role: str = "body"
    # kk | ru | mixed | other (the language stage; a short paragraph takes the article's):
    # the Kazakh-model stages read only kk and mixed paragraphs
    language: str | None = None


@dataclass
class Token:
    start: int
    end: int
    text: str
    # analysis form: Cyrillic, homoglyphs repaired (same as `text` for clean Cyrillic input)
    norm: str
    # word | number | punct | quote | dash | url | email | time | abbr | symbol
    kind: str = "word"


@dataclass
class Entity:
    start: int
    end: int
    text: str
    label: str
    canonical: str | None = None


@dataclass
class Speaker:
    start: int | None
    end: int | None
    text: str | None
    canonical: str | None


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str  # direct | indirect
    cue: str | None = None
    speaker: Speaker | None = None


@dataclass
class Quantity:
    start: int
    end: int
    text: str
    value: float | None
    unit: str | None = None
    # exact | approx | more_than | less_than | up_to | range
    qualifier: str = "exact"
    per: str | None = None
    value_max: float | None = None


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    iso: str | None
    relation: str = "at"  # at | since | until | before | after


@dataclass
class Claim:
    start: int
    end: int
    text: str
    subject: str | None
    indicator: str | None
    quantity: Quantity | None
    period: str | None
    speaker: str | None
    # fact | forecast | goal | opinion — only facts are verified
    modality: str = "fact"
    verdict: dict[str, Any] | None = None
    # what the number measures (derek/claims/frame.py): indicator family, geography, stat_type,
    # period, unit, scope, basis, qualifier; None for a claim without a number
    frame: dict[str, Any] | None = None


@dataclass
class Meta:
    headline: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD, or YYYY-MM / YYYY when only that much is known
    reported_by: list[str] = field(default_factory=list)
    photo_credit: str | None = None
    # where the input came from (file name, URL); not part of the analysis
    source: str | None = None
    # the NER engine that tagged the entities when it is not an ensemble ("crf": `--ner crf`;
    # "neural": a lone network's model directory); None, and absent from the JSON, for the default
    ner_engine: str | None = None
    # the article's language: kk | ru | mixed | other (the language stage)
    language: str | None = None
    # one line when paragraphs in another language were left out; None, and absent from the
    # JSON, when none were
    language_notice: str | None = None


def contract_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Meta's fields as the JSON contract has them: `ner_engine` and `language_notice` only
    when they are set (the default engine and a Kazakh article leave them out).  Changes and
    returns `meta`."""
    for key in ("ner_engine", "language_notice"):
        if meta.get(key) is None:
            meta.pop(key, None)
    return meta


@dataclass
class Document:
    text: str
    view: TextView = field(repr=False)
    script: str = "cyrl"
    meta: Meta = field(default_factory=Meta)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # names of layers filled so far; the pipeline checks stage requirements against it
    layers: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def from_text(cls, text: str) -> "Document":
        return cls(text=text, view=TextView.identity(text))

    # -- offsets -------------------------------------------------------------------------
    def span(self, vstart: int, vend: int) -> tuple[int, int]:
        """Map a span of the analysis view to the original text."""
        return self.view.to_original(vstart, vend)

    def slice(self, start: int, end: int) -> str:
        return self.text[start:end]

    def sentence_of(self, offset: int) -> Sentence | None:
        """The sentence that contains an original-text offset (binary search)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if s.end <= offset:
                lo = mid + 1
            elif s.start > offset:
                hi = mid
            else:
                return s
        return None

    def iter_items(self) -> Iterator[Any]:
        """Every offset-bearing item of every layer (used by validators and tests)."""
        for name in ("paragraphs", "sentences", "tokens", "entities", "quantities", "dates"):
            yield from getattr(self, name)
        for q in self.quotes:
            yield q
            if q.speaker and q.speaker.start is not None:
                yield q.speaker
        for c in self.claims:
            yield c
            if c.quantity:
                yield c.quantity

    # -- serialisation -------------------------------------------------------------------
    def to_dict(self, tokens: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "text": self.text,
            "script": self.script,
            "meta": contract_meta(asdict(self.meta)),
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "sentences": [asdict(s) for s in self.sentences],
            "entities": [asdict(e) for e in self.entities],
            "quotes": [asdict(q) for q in self.quotes],
            "quantities": [asdict(q) for q in self.quantities],
            "dates": [asdict(d) for d in self.dates],
            "claims": [asdict(c) for c in self.claims],
        }
        if tokens:
            out["tokens"] = [asdict(t) for t in self.tokens]
        return out

    def to_json(self, indent: int | None = None, tokens: bool = False) -> str:
        return json.dumps(self.to_dict(tokens=tokens), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        """Rebuild a Document from its JSON form (store, API); the view is recomputed lazily
        by whoever needs it, so here it is the identity view."""
        doc = cls.from_text(data["text"])
        doc.script = data.get("script", "cyrl")
        doc.meta = _build(Meta, data.get("meta") or {})
        doc.paragraphs = [_build(Paragraph, p) for p in data.get("paragraphs", [])]
        doc.sentences = [_build(Sentence, s) for s in data.get("sentences", [])]
        doc.tokens = [_build(Token, t) for t in data.get("tokens", [])]
        doc.entities = [_build(Entity, e) for e in data.get("entities", [])]
        doc.quantities = [_build(Quantity, q) for q in data.get("quantities", [])]
        doc.dates = [_build(DateMention, d) for d in data.get("dates", [])]
        doc.quotes = []
        for q in data.get("quotes", []):
            quote = _build(Quote, {k: v for k, v in q.items() if k != "speaker"})
            quote.speaker = _build(Speaker, q["speaker"]) if q.get("speaker") else None
            doc.quotes.append(quote)
        doc.claims = []
        for c in data.get("claims", []):
            claim = _build(Claim, {**{k: v for k, v in c.items() if k != "quantity"}, "quantity": None})
            claim.quantity = _build(Quantity, c["quantity"]) if c.get("quantity") else None
            doc.claims.append(claim)
        return doc

    def _repr_html_(self) -> str:  # Jupyter
        from derek.render_html import document_html

        return document_html(self)


def _build(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
