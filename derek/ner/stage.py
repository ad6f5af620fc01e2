"""Pipeline stage "ner": fills `doc.entities` from the pipeline's NER model (derek/ner/tagger.py;
the shipped one unless the pipeline was given another: derek.load(ner=…)).

Tags each sentence's tokens by their analysis form (Token.norm: Cyrillic even for
Latin-script input) and emits entities over whole tokens, suffixes included
("Путиннің" is one PERSON token; the canonical stage strips the suffix).  Offsets come from
the tokens, so they are original-text offsets whatever the script.

Two additions to the model's KazNERD-style output, for news:
- KazNERD tags "Ресей Федерациясының президенті" as one POSITION; news readers want the
  country inside it.  The capitalised words that open a POSITION are tagged again on their
  own (or looked up in the names the training data labels consistently, names.tsv), and
  the names found there are added (the POSITION stays).
- A name left in Latin letters inside Cyrillic text (the view keeps it Latin) is a brand or
  an outlet ("Azattyq Rýhy", "The Qazaq Times"), not a person: PERSON -> ORGANISATION.
- One name, one label per article: a single word whose stem is the surname of a full PERSON
  name in the same article is that person ("Путиннің" in a headline, "Владимир Путин" below);
  other repeated names take their majority label.
- A web-domain name ("Zakon.kz", "BAQ.KZ", with a case suffix "-ке") is the outlet that
  publishes the article: ORGANISATION, replacing whatever the model said over it; so is an
  agency the article cites ("деп хабарлайды ҚазАқпарат": the agencies stage's `meta.reported_by`,
  which runs before this one).
- News names over the model (derek/ner/names.py): gazetteers of places, countries and
  organisations (derek/ner/gazetteer.py) and head-noun rules ("… министрлігі", "… көшесі",
  "… ауданы": derek/ner/heads.py) win over the model's spans; FACILITY is read as LOCATION; a
  country inside an amount is a GPE; the gazetteer's canonical forms go with the entities.
- derek/data/ner_rules.toml: a lone generic institution noun ("Министрлік") is not a name,
  but the capitalised Government ("Үкіметтің") is an ORGANISATION; "<country> Федерациясы" is the state (GPE); a Roman numeral is never a name; a
  country abbreviation opening a POSITION ("ҚР Мәдениет … министрі") is the country alone;
  common-noun abbreviations (ЖІӨ, ҚҚС, ЖОО, ҰБТ) are no names.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from derek.doc import Document, Entity, Token
from derek.langdata import load_toml
from derek.morph.lemmatizer import best_analysis, is_common_word
from derek.ner.names import ROMAN as _ROMAN
from derek.pipeline import stage, stage_many
from derek.text.web import is_domain

if TYPE_CHECKING:
    from derek.ner.tagger import NerTagger

NAME_LABELS = {"PERSON", "ORGANISATION", "GPE", "LOCATION"}
_LATIN_WORD = re.compile(r"^[A-Za-zÀ-ɏ'’.-]+$")


@lru_cache(maxsize=1)
def _rules() -> dict:
    d = load_toml("ner_rules.toml")
    return {"generic": tuple(d["generic_heads"]), "state": tuple(d["state_heads"]),
            "institutions": tuple(d["institutions"]),
            "gpe_abbr": frozenset(d["gpe_abbreviations"]), "not_names": frozenset(d["not_names"])}


_GPE_ABBR = _rules()["gpe_abbr"]  # an all-capitals name is an organisation unless it is one of these
_ABBR = re.compile(r"^[A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]{2,6}$")


def sentence_token_ranges(doc: Document) -> list[tuple[int, int]]:
    """[(first_token, last_token + 1)] per sentence; tokens outside every sentence form
    their own runs so nothing is skipped."""
    toks, sents = doc.tokens, doc.sentences
    out: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    for s in sents:
        a = i
        while i < n and toks[i].end <= s.start:
            i += 1
        if i > a:
            out.append((a, i))  # stray tokens before this sentence
        a = i
        while i < n and toks[i].start < s.end:
            i += 1
        if i > a:
            out.append((a, i))
    if i < n:
        out.append((i, n))
    return out


# a stretch of this many tokens without a letter ('1 1 1 …', '"""…', '((((…', a table of
# figures) holds no name: it is left out of the model's input, which costs per token
LETTERLESS_RUN = 16
_LETTERED = frozenset({"word", "abbr", "url", "email"})  # token kinds that hold a letter


MAX_TAGGED = 200  # a "sentence" longer than this (no real one is) is tagged in pieces


def tag_once(tagger, sentences: list[list[str]]) -> list[list[str]]:
    """tagger.tag_sentences, each distinct sentence once (a repeated line, a periodic
    hostile input cut into equal pieces)."""
    index: dict[tuple[str, ...], int] = {}
    unique: list[list[str]] = []
    order = []
    for words in sentences:
        key = tuple(words)
        k = index.get(key)
        if k is None:
            k = index[key] = len(unique)
            unique.append(words)
        order.append(k)
    tags = tagger.tag_sentences(unique)
    return [tags[k] for k in order]


def tagging_ranges(toks: list[Token], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence ranges the model tags: runs of LETTERLESS_RUN or more tokens without a
    letter cut out, and what is left in pieces of at most MAX_TAGGED tokens."""
    out = []
    for a, b in without_letterless_runs(toks, ranges):
        while b - a > MAX_TAGGED:
            out.append((a, a + MAX_TAGGED))
            a += MAX_TAGGED
        out.append((a, b))
    return out


def without_letterless_runs(toks: list[Token], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence ranges with every run of LETTERLESS_RUN or more tokens that have no
    letter cut out (hostile input and tables cost the model time and give it nothing)."""
    out = []
    lettered = _LETTERED
    for a, b in ranges:
        start = run = a
        for k in range(a, b):
            if toks[k].kind in lettered:
                if k - run >= LETTERLESS_RUN:
                    if run > start:
                        out.append((start, run))
                    start = k
                run = k + 1
        if b - run >= LETTERLESS_RUN:
            if run > start:
                out.append((start, run))
        elif b > start:
            out.append((start, b))
    return out


def tag_sentence(tagger, words: list[str], tags: list[str] | None = None) -> list[tuple[int, int, str]]:
    """The model's entities (from `tags` when the sentence was tagged in a batch) plus the
    names inside POSITIONs."""
    from derek.ner.tagger import iob_spans

    spans = iob_spans(tags) if tags is not None else tagger.entities(words)
    found, pending = position_names(tagger, words, spans)
    tagged = tagger.tag_sentences([fragment(words, a, k) for a, k in pending]) if pending else []
    return found + fragment_names(words, pending, tagged)


def position_names(tagger, words: list[str], spans) -> tuple[list, list[tuple[int, int]]]:
    """(the model's spans plus the POSITION names settled without the model, the capitalised
    openings of POSITIONs still to be tagged on their own).  The stage tags those of a whole
    article in one batch: one by one, each cost a model call (most of it fixed overhead)."""
    extra, pending = [], []
    stem = tagger.fx.stem or str.lower
    for a, b, label in spans:
        if label != "POSITION":
            continue
        k = a
        while k < b - 1 and words[k][:1].isupper():  # the last word is the position itself
            k += 1
        if k == a:
            continue
        if words[a] in _GPE_ABBR:  # "ҚР Мәдениет және спорт министрі": the country alone
            extra.append((a, a + 1, "GPE"))
            continue
        # a name the training data knows, longest first ("Ресей" in "Ресей Федерациясының президенті")
        stems = [stem(w.lower()) for w in words[a:k]]
        for n in range(k - a, 0, -1):
            known = tagger.names.get(" ".join(stems[:n]))
            if known:
                extra.append((a, a + n, known[0]))
                break
        else:
            pending.append((a, k))
    return [(a, b, abbreviation_label(words[a:b], lab)) for a, b, lab in spans] + extra, pending


def fragment(words: list[str], a: int, k: int) -> list[str]:
    """A POSITION's opening as a short sentence of its own: the final stop makes it one."""
    return list(words[a:k]) + ["."]


def fragment_names(words: list[str], pending: list[tuple[int, int]], tagged: list[list[str]]) -> list:
    """The names the model finds in each pending opening (`tagged`: its tags, in order)."""
    from derek.ner.tagger import iob_spans

    out = []
    for (a, k), tags in zip(pending, tagged):
        own = [(a + i, a + j, lab) for i, j, lab in iob_spans(tags) if lab in NAME_LABELS and j <= k - a]
        if not own and k == a + 1 and _ABBR.match(words[a]):  # "ІІМ басшысы": the ministry
            own = [(a, k, abbreviation_label(words[a:k], "ORGANISATION"))]
        out += own
    return out


def abbreviation_label(words: list[str], label: str) -> str:
    """A lone all-capitals word is not a person: "ҚР" is the country, "ІІМ" a ministry."""
    if label in NAME_LABELS and len(words) == 1 and _ABBR.match(words[0]):
        if words[0] in _GPE_ABBR:
            return "GPE"
        if label == "PERSON":
            return "ORGANISATION"
    return label


_MINISTRY = "министрлі"
_PHRASE_STOP = {"мен", "бен", "пен", "бойынша", "туралы", "үшін", "деп", "да", "де", "та", "те"}


def ministry_spans(words: list[str], spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """"ауыл шаруашылығы министрлігінің": KazNERD labels ministries ORGANISATION but the model
    misses the lower-case ones; the head and up to three words before it (not in an entity)."""
    if _MINISTRY not in " ".join(words).lower():  # one test per sentence: most have none
        return []
    taken = set()
    for a, b, _ in spans:
        taken.update(range(a, b))
    out = []
    for i, w in enumerate(words):
        if i in taken or not w.lower().startswith(_MINISTRY):
            continue
        a = i
        while a > 0 and i - a < 3 and a - 1 not in taken and words[a - 1].isalpha() \
                and words[a - 1].lower() not in _PHRASE_STOP:
            a -= 1
        out.append((a, i + 1, "ORGANISATION"))
        taken.update(range(a, i + 1))
    return out


def domain_spans(toks: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of web-domain names, with a hyphenated case suffix glued on."""
    out = []
    for i, t in enumerate(toks):
        if is_domain(t.norm):  # (it asks first whether the token holds a dot: few do)
            j = i + 1
            if (j + 1 < len(toks) and toks[j].norm == "-" and toks[j].start == t.end
                    and toks[j + 1].start == toks[j].end and toks[j + 1].norm.isalpha()
                    and toks[j + 1].norm.islower() and len(toks[j + 1].norm) <= 4):
                j += 2
            out.append((i, j))
    return out


def latin_name_label(toks: list[Token], label: str) -> str:
    if label == "PERSON" and all(_LATIN_WORD.match(t.norm) for t in toks):
        return "ORGANISATION"
    return label


@lru_cache(maxsize=20_000)
def _plural_common(word: str) -> bool:
    """A plural of a word the unlabeled corpus mostly writes in lower case: a surname or a
    place takes no plural ending (in Cyrillic; a Latin word is left alone)."""
    return word[:1].isupper() and "PL" in best_analysis(word.lower(), False).tags and is_common_word(word)


def news_rules(found: list[tuple[int, int, str]], toks: list[Token]) -> list[tuple[int, int, str]]:
    """Generic institution nouns and Roman numerals dropped, "<country> Федерациясы" → GPE,
    the capitalised Government ("Үкіметтің") an ORGANISATION."""
    rules = _rules()
    taken = {k for i, j, label in found if label in NAME_LABELS for k in range(i, j)}
    out = [(i, i + 1, "ORGANISATION") for i, t in enumerate(toks)
           if i not in taken and t.norm[:1].isupper() and t.norm.lower().startswith(rules["institutions"])]
    not_names = rules["not_names"]
    for i, j, label in found:
        while label == "PERSON" and j - i >= 3 and _plural_common(toks[i].norm):
            # "Жаңалықтар Марк Дэвис": a menu's or a heading's plural, then the name (a
            # two-word name keeps its first word: "Алдар Көсе")
            i += 1
        if label in NAME_LABELS:
            if j - i == 1 and (_ROMAN.match(toks[i].norm) or _ROMAN.match(toks[i].text)
                               or toks[i].norm.lower().startswith(rules["generic"])
                               or toks[i].norm.split("-")[0] in not_names):
                continue  # "II тоқсан", "Министрлік", "ҰБТ-ға": no names
            if j - i == 1 and label != "ORGANISATION" and _plural_common(toks[i].norm):
                continue  # "Рейтингтер", "Жаңалықтар": a plural common noun names no one and no place
            if j - i == 1 and label != "ORGANISATION" and toks[i].norm[:1].isupper() \
                    and toks[i].norm.lower().startswith(rules["institutions"]):
                label = "ORGANISATION"  # "Үкіметте" read as a place
            if label == "ORGANISATION" and j - i == 2 and toks[i].norm[:1].isupper() \
                    and toks[i + 1].norm.lower().startswith(rules["state"]):
                label = "GPE"
        out.append((i, j, label))
    return out


def agency_names(doc: Document, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The agencies an article cites (`meta.reported_by`, the agencies stage's layer) are
    organisations: their mentions become ORGANISATION, replacing what the model said over
    them.  A press service is a unit of its owner, whose own mention ('Үкіметтің') is the
    entity: it is left out."""
    names = doc.meta.reported_by
    if not names:
        return found
    toks = doc.tokens
    starts = [t.start for t in toks]
    spans = []
    for name in names:
        mentions = []
        at = doc.text.find(name)
        while at >= 0:
            i = bisect.bisect_left(starts, at)
            if i < len(toks) and toks[i].start == at:
                j = bisect.bisect_left(starts, at + len(name))
                if _press_service(toks[i:j]):
                    mentions = []
                    break
                if j < len(toks) and toks[j].norm == "-" and toks[j].start == toks[j - 1].end \
                        and j + 1 < len(toks) and toks[j + 1].start == toks[j].end:
                    j += 2  # "Zakon.kz-ке": the case suffix belongs to the name
                mentions.append((i, j))
            at = doc.text.find(name, at + len(name))
        spans += mentions
    if not spans:
        return found
    taken = {k for i, j in spans for k in range(i, j)}
    kept = [s for s in found if s[2] not in NAME_LABELS or not taken.intersection(range(s[0], s[1]))]
    return kept + [(i, j, "ORGANISATION") for i, j in sorted(set(spans))]


def _press_service(toks: list[Token]) -> bool:
    """Do the name's words end in 'баспасөз қызметі' (its last word perhaps cut from
    'қызметінің': the agencies stage ends a press service there)?"""
    return len(toks) >= 2 and toks[-2].norm.lower() == "баспасөз" and toks[-1].norm.lower().startswith("қызмет")


def consistent_labels(found: list[tuple[int, int, str]], toks: list[Token], stem) -> list[tuple[int, int, str]]:
    """Document-level label consistency for PERSON/ORGANISATION/GPE/LOCATION mentions."""
    from collections import Counter

    stem = stem or str.lower
    keys = {}
    votes: dict[tuple[str, ...], Counter] = {}
    surnames = set()
    for i, j, label in found:
        if label not in NAME_LABELS:
            continue
        key = tuple(stem(t.norm.lower()) for t in toks[i:j])
        keys[(i, j, label)] = key
        votes.setdefault(key, Counter())[label] += 1
        if label == "PERSON" and j - i >= 2:
            surnames.add(key[-1:])
    out = []
    for i, j, label in found:
        key = keys.get((i, j, label))
        if key is not None:
            if key in surnames:
                label = "PERSON"
            else:
                (top, n), *rest = votes[key].most_common()
                if not rest or n > rest[0][1]:
                    label = top
        out.append((i, j, label))
    return out


@stage("ner", requires=("tokens", "sentences", "script"), optional=("reported_by",),
       assigns=("entities",), kazakh=True, uses=("ner",))
def ner(doc: Document, *, ner: NerTagger) -> None:
    ner_many([doc], ner=ner)


@stage_many("ner")
def ner_many(docs: list[Document], *, ner: NerTagger) -> None:
    """The sentences of all `docs` go through the model `ner` (the pipeline's tagger) as one
    batch (then the POSITION openings of all of them as one more): a model call has a large
    fixed cost."""
    from derek.ner.tagger import iob_spans

    tagger = ner
    for doc in docs:
        doc.meta.ner_engine = tagger.engine_name
    ranges = [tagging_ranges(doc.tokens, sentence_token_ranges(doc)) for doc in docs]
    words = [[[t.norm for t in doc.tokens[a:b]] for a, b in rs] for doc, rs in zip(docs, ranges)]
    flat_tags = iter(tag_once(tagger, [w for ws in words for w in ws]))
    settled = [[position_names(tagger, w, iob_spans(next(flat_tags))) for w in ws] for ws in words]
    frags = [fragment(w, a, k) for ws, ss in zip(words, settled) for w, (_, pending) in zip(ws, ss)
             for a, k in pending]
    frag_tags = iter(tagger.tag_sentences(frags) if frags else [])
    capstat = _capstat(tagger)
    for doc, rs, ws, ss in zip(docs, ranges, words, settled):
        found: list[tuple[int, int, str]] = []
        hints: dict[tuple[int, int], tuple[str, bool]] = {}
        for (a, b), w, (spans, pending) in zip(rs, ws, ss):
            spans = spans + fragment_names(w, pending, [next(frag_tags) for _ in pending])
            found += sentence_entities(doc.tokens[a:b], w, spans, a, capstat, hints)
        _assign(doc, tagger, found, hints)


def _capstat(tagger):
    """word -> how often it is capitalised inside a sentence (0..4; 4 when unknown)."""
    caps = tagger.fx.capstats

    def capstat(word: str) -> int:
        got = caps.get(word)
        return int(got[0]) if got else 4
    return capstat


def sentence_entities(sent: list[Token], words: list[str], spans, offset: int, capstat=None,
                      hints: dict | None = None) -> list[tuple[int, int, str]]:
    """One sentence's spans with the sentence-level rules applied, as article token indices;
    the gazetteer's canonical forms go to `hints` (article token indices too)."""
    from derek.ner.names import amount_countries, sentence_names

    spans = spans + ministry_spans(words, spans)
    first = next((k for k, w in enumerate(words) if w[:1].isalnum()), 0)
    spans, canon = sentence_names(words, spans, first, capstat)
    spans += amount_countries(words, spans)
    if hints is not None:
        hints.update({(offset + a, offset + b): v for (a, b), v in canon.items()})
    domains = domain_spans(sent)
    if domains:
        taken = set()
        for i, j in domains:
            taken.update(range(i, j))
        spans = [s for s in spans if s[2] not in NAME_LABELS or not taken.intersection(range(s[0], s[1]))]
        spans += [(i, j, "ORGANISATION") for i, j in domains]
    return [(offset + i, offset + j, latin_name_label(sent[i:j], label)) for i, j, label in spans]


def _assign(doc: Document, tagger, found: list[tuple[int, int, str]], hints: dict | None = None) -> None:
    """The article-level rules, then the entities layer (with the gazetteer's canonical forms)."""
    toks = doc.tokens
    found = news_rules(found, toks)
    found = agency_names(doc, found)
    found = consistent_labels(found, toks, tagger.fx.stem)
    # a span without a letter or digit is no entity: the ensemble tags the ASCII dash of
    # "…», - деді сарапшы" (and "ірілері - энергетика") CARDINAL, the seed showed three
    found = [f for f in found if any(c.isalnum() for t in toks[f[0]:f[1]] for c in t.text)]
    found.sort()
    ents = []
    script = doc.script if doc.script in ("cyrl", "latn") else "mixed"  # read once, for _hinted
    for i, j, label in found:
        start, end = toks[i].start, toks[j - 1].end
        ents.append(Entity(start, end, doc.text[start:end], label,
                           _hinted(doc, script, doc.text[start:end], hints, i, j)))
    doc.entities = ents


def _hinted(doc: Document, script: str, text: str, hints: dict | None, i: int, j: int) -> str | None:
    """The gazetteer's canonical form of a name (None: the canonical stage decides).  A name in
    Latin letters keeps its own letters (the canonical stage), but an organisation's
    abbreviation is written out: in Cyrillic in a Cyrillic article (KASE), in the article's
    alphabet in a Latin one (BUU -> Birikken Ulttar Uıymy)."""
    got = hints.get((i, j)) if hints else None
    if got is None:
        return None
    canon, _bare, abbr = got
    letters = [c for c in text if c.isalpha()]
    if sum(c < "\u0250" for c in letters) * 2 <= len(letters) or abbr and script == "cyrl":
        return canon
    if abbr and script == "latn":
        from derek.text.script import latin_variant, written_latin
        from derek.text.translit import to_latin

        return to_latin(canon, written_latin(latin_variant(doc.text)))
    return None  # the canonical stage cuts the Latin original ("Kókpekti" stays whole)
