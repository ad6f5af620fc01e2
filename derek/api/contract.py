"""The API's contract: request and answer models, the statuses each operation can answer,
and the OpenAPI document built from them.

Everything the server can answer is stated here, so a client generated from /openapi.json
(or a fuzzer such as schemathesis, which tests/api runs against `derek serve`) finds the
answers it is promised:
- every error, whatever produced it (validation, a missing article, a body too large, the
  store down), is one `Error` object: `detail`, a line for a person, and for validation
  errors `errors`, the fields at fault (not FastAPI's default `HTTPValidationError`, a list
  in `detail`);
- each operation lists the statuses it answers (404 for an unknown article or entity, 401
  and 403 on the write endpoint, 413 on bodies over the limit, 503 when the store is down);
- every constraint the server checks on a request is in the schema (lengths, ranges,
  patterns, calendar dates), so no request the schema allows is refused.
Analyses are the contract JSON (`derek.document/1`): its JSON Schema (derek/schema) is put
in the components as `Document`, so answers are checked against the same schema as
`derek analyze --format json`.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from derek.store.kinds import KIND_NAMES

# -- request values ----------------------------------------------------------------------------
# a year as Python's calendar has them (0001-9999), a month, a day: what the store keeps
YEAR = r"(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})"
MONTH = r"(?:0[1-9]|1[0-2])"
DATE_PATTERN = rf"^{YEAR}(?:-\d{{2}}(?:-\d{{2}})?)?$"  # since/until: compared as text, any digits
PUBLISHED_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"},
              {"type": "string", "pattern": rf"^{YEAR}-{MONTH}$"},
              {"type": "string", "pattern": rf"^{YEAR}$"},
              {"type": "null"}],
    "description": "When the article appeared: YYYY-MM-DD (a date of the calendar), YYYY-MM or YYYY.",
}
# an indicator id: ASCII letters, digits and underscores (kz_ru_trade_turnover)
INDICATOR_PATTERN = r"^[A-Za-z0-9_]{1,128}$"
# a text is refused only when it has no character but white space.  White space is spelled
# out (what Python's str.isspace() and str.strip() take for it), not written \s: regex engines
# disagree on \s (Python counts U+001C-U+001F, JSON Schema validators do not), and a
# schema whose pattern a client reads differently from the server is no contract
WHITE_SPACE = (r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000")
NOT_BLANK = f"[^{WHITE_SPACE}]"
_NOT_BLANK = re.compile(NOT_BLANK)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _published(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from derek.extract.date_parts import published_date

    return published_date(value)  # ValueError: "'2023-02-30' is not a date of the calendar"


def _unicode(value: Optional[str]) -> Optional[str]:
    """JSON may carry an unpaired surrogate ("\\ud800"), which no UTF-8 answer can hold:
    each becomes U+FFFD (one character for one, so offsets are unchanged)."""
    return _LONE_SURROGATE.sub("\ufffd", value) if value else value


def _text(value: str) -> str:
    value = _unicode(value)
    if not _NOT_BLANK.search(value):
        raise ValueError("text is empty")
    return value


Published = Annotated[Optional[str], AfterValidator(_published), WithJsonSchema(PUBLISHED_SCHEMA)]
Text = Annotated[str, AfterValidator(_text),
                 WithJsonSchema({"type": "string", "pattern": NOT_BLANK,
                                 "description": "The article text (plain text; offsets in the answer refer to it)."})]
Line = Annotated[Optional[str], AfterValidator(_unicode)]


class AnalyzeIn(BaseModel):
    text: Text
    published: Published = None
    url: Line = Field(None, max_length=2048, description="Where the article was published.")
    headline: Line = Field(None, max_length=1000)

    def meta(self) -> dict[str, Any]:
        return {k: v for k, v in (("published", self.published), ("source", self.url),
                                  ("headline", self.headline)) if v}


class ArticleIn(AnalyzeIn):
    id: Line = Field(None, max_length=512, description="Your id for the article (kept as ext_id).")


# -- answers -----------------------------------------------------------------------------------
class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where: body/query/path, then the field.")
    msg: str
    type: str


class Error(BaseModel):
    """Every error answer."""
    detail: str = Field(description="What is wrong, in one line.")
    errors: Optional[list[ErrorItem]] = Field(None, description="Validation errors (422) only: each field at fault.")


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(BaseModel):
    status: Literal["ok"]
    articles: int = Field(ge=0)


class Added(BaseModel):
    id: int = Field(ge=1, description="The article's id in the store.")
    added: bool = Field(description="false: the same text was stored before (this is its id).")
    url: str = Field(description="Where to read it: /articles/{id}.")


class Hit(Open):
    id: int
    ext_id: Optional[str]
    headline: Optional[str]
    published: Optional[str]
    outlet: Optional[str] = Field(description="The URL's host or the agency credited; null: unknown.")
    source: Optional[str]
    snippet: str
    match: Optional[list[int]] = Field(description="[start, end] of the matching word in the snippet.")


class SearchOut(BaseModel):
    query: Optional[str]
    count: int = Field(ge=0)
    results: list[Hit]


class EntityCount(BaseModel):
    key: str
    label: str
    name: Optional[str]
    mentions: int
    articles: int


class EntitiesOut(BaseModel):
    entities: list[EntityCount]


class EntityArticle(BaseModel):
    id: int
    headline: Optional[str]
    published: Optional[str]
    outlet: Optional[str]
    mentions: int


class SpokenQuote(BaseModel):
    article_id: int
    text: str
    kind: str


class EntityOut(BaseModel):
    canonical: str
    key: str
    labels: dict[str, int] = Field(description="Mentions under each label.")
    mentions: int
    articles: list[EntityArticle]
    quotes: list[SpokenQuote] = Field(description="Quotes this entity is the speaker of.")


class TimelineClaim(Open):
    article_id: int
    outlet: Optional[str]
    published: Optional[str]
    headline: Optional[str]
    indicator: Optional[str]
    period: Optional[str]
    text: str
    quantity: Optional[str]
    value: Optional[float]
    status: Optional[str]
    diagnosis: Optional[str]
    verdict: Optional[dict[str, Any]]


class TimelineOut(BaseModel):
    indicator: str
    claims: list[TimelineClaim]
    count: int = Field(ge=0, description="How many claims the store holds on the indicator.")
    truncated: bool
    reference: list[Open] = Field(description="The reference series (derek.claims.reference).")
    indicators: list[str]


KIND_DESCRIPTION = ("Which entities: named (people, organisations, places, events: the default), numbers, "
                    "dates, other, or all. `label` wins over it.")
EntityKind = Literal[KIND_NAMES]  # type: ignore[valid-type]
Lang = Literal["kk", "en", "ru"]

# -- statuses per operation ----------------------------------------------------------------------
_WHY = {
    400: "The body cannot be read: not UTF-8 JSON, or malformed multipart data.",
    401: "The token is missing or wrong.",
    403: "Storing is disabled: the server has no token.",
    404: "Not in the store.",
    413: "The request body is over the server's limit (--max-bytes).",
    422: "The request breaks the schema (`errors` lists the fields), or an uploaded file is not text.",
    503: "The store cannot be reached.",
}


# -- uploads ------------------------------------------------------------------------------------
# POST /analyze/file: what the schema says a file is, and the server accepts exactly that for
# UTF-8: text with a character other than white space and no NUL.  Files in other encodings
# (UTF-16, KZ-1048, cp1251) are detected by derek.io and refused when they look binary.
UPLOAD_SCHEMA = {
    "type": "string", "contentMediaType": "text/plain", "pattern": rf"^[^\x00]*[^\x00{WHITE_SPACE}][^\x00]*$",
    "description": ("A text or HTML file. UTF-8 text is read as it is (it must hold a character other than "
                    "white space, and no NUL); UTF-16, KZ-1048 and cp1251 are detected; an HTML page "
                    "(a .html/.htm name, or content that starts as HTML) must hold an article."),
}


def upload_source(data: bytes, name: str):
    """The text of an uploaded file (derek.io.Source), or InputError.  derek.io's
    binary-file guess (control characters, U+FFFD) is for bytes of unknown encoding; a file
    that is valid UTF-8 without NUL is text whatever characters it holds, as the schema says."""
    from derek.io import HTML_START, InputError, Source, read_bytes

    html = True if name.lower().endswith((".html", ".htm", ".xhtml")) else None
    try:
        return read_bytes(data, name=name, html=html)
    except InputError:
        if html or HTML_START.match(data[:2048]):
            raise
        try:
            text = data.decode("utf-8")  # a BOM kept as a character, as the schema counts it
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks like a binary file, not text") from None
        if "\x00" in text or not _NOT_BLANK.search(text):
            raise
        return Source(text=text, name=name, encoding="utf-8")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Error, "description": _WHY[code]} for code in codes}


def document_answer(description: str, stored: bool = False) -> dict[int | str, dict[str, Any]]:
    ref = {"$ref": "#/components/schemas/StoredDocument" if stored else "#/components/schemas/AnalysedDocument"}
    return {200: {"description": description, "content": {"application/json": {"schema": ref}}}}


def openapi_document(app) -> dict[str, Any]:
    """FastAPI's OpenAPI document with the contract's `Document` schema in the components
    and the security schemes for POST /articles."""
    from fastapi.openapi.utils import get_openapi

    from derek.schema import document_schema

    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    doc = {k: v for k, v in document_schema().items() if k not in ("$schema", "$id")}
    schemas["Document"] = doc
    schemas["AnalysedDocument"] = {"allOf": [{"$ref": "#/components/schemas/Document"}, {
        "type": "object", "properties": {"html": {"type": "string", "description": "With ?html=true: the highlighted view."}}}]}
    schemas["StoredDocument"] = {"allOf": [{"$ref": "#/components/schemas/Document"}, {
        "type": "object", "required": ["id"],
        "properties": {"id": {"type": "integer", "minimum": 1},
                       "html": {"type": "string", "description": "With ?html=true: the highlighted view."},
                       "meta": {"type": "object", "properties": {"outlet": {"type": ["string", "null"]}}}}}]}
    upload = schemas.get("Body_analyze_file_analyze_file_post", {}).get("properties", {})
    if "file" in upload:
        upload["file"] = {**UPLOAD_SCHEMA, "title": "File"}
    # FastAPI adds its default validation-error schemas whether or not an operation uses them
    for name in ("HTTPValidationError", "ValidationError"):
        if name in schemas and f'"#/components/schemas/{name}"' not in _dumps(spec["paths"]):
            del schemas[name]
    return spec


def _dumps(value) -> str:
    import json

    return json.dumps(value)
