"""The speech-cue table: regular expressions built once from data/speech_verbs.toml."""
from __future__ import annotations

import re
from functools import lru_cache

from derek.extract.speech.names import UPPER
from derek.langdata import load_toml
from derek.morph import grammar
from derek.text.alphabet import LOWER_CLASS


def _alternation(words) -> str:
    """A regex for any of the words (lower case in the data), as a trie: what they share is
    matched once, which is what makes these scans fast.  Case-sensitive except for the first
    letter ('Айтуынша,' opening a sentence); a space matches any run of blanks."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, first: bool) -> str:
        alts = []
        for ch, sub in sorted(node.items()):
            if ch == "":
                continue
            if ch == " ":
                c = r"\s+"
            elif first and ch.upper() != ch:
                c = f"[{re.escape(ch)}{re.escape(ch.upper())}]"
            else:
                c = re.escape(ch)
            alts.append(c + emit(sub, False))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root, True)


def _genitive() -> str:
    """The genitive endings (all of one length: a fixed-width look-behind)."""
    forms = grammar.forms("GEN")
    assert len({len(f) for f in forms}) == 1, forms
    return "|".join(forms)


@lru_cache(maxsize=1)
def cues() -> dict:
    d = load_toml("speech_verbs.toml")
    alt = _alternation
    say, dep = alt(d["direct"]["say"]), alt(d["direct"]["dep_verbs"])
    markers = alt(d["indirect"]["markers"])
    particles, auxiliaries = alt(d["indirect"]["particles"]), alt(d["indirect"]["auxiliaries"])
    return {
        # cue right after a closing quote mark or a dash: ", – деді", "деп атап өтті"
        "after": re.compile(rf"[ \t]*[,.]?[ \t]*[-–—]{{0,3}}[ \t]*(?P<cue>[Дд]еп\s+(?:{dep})|{say})(?![\w-])"),
        # a noun of asking after a quoted question: «…?» деген сұрағына
        "question": re.compile(rf"[ \t]*(?P<cue>{alt(d['direct']['question'])})(?![\w-])"),
        # a name or title in quote marks: «…» атты, «…» деп аталатын
        "naming": re.compile(rf"[ \t]*(?:{alt(d['direct']['naming'])})(?![\w-])"),
        "dash": re.compile(rf"[,.!?…][ \t]*[-–—]{{1,3}}[ \t]*(?P<cue>[Дд]еп\s+(?:{dep})|{say})(?![\w-])"),
        "dep_nodash": re.compile(rf",[ \t]*(?P<cue>[Дд]еп\s+(?:{dep}))(?![\w-])"),
        # "X-тің айтуынша, …" (a full stop for the comma is a slip seen in print:
        # "X-тың мәліметі бойынша. Елде …")
        "marker": re.compile(rf"(?<![\w-])(?P<cue>{markers})[ \t]*(?:,|\.(?=[ \t]+[{UPPER}]))"),
        # … and with the comma left out, after a subject in the genitive, before the content's
        # first word: "Әншінің айтуынша концерт күні белгісіз" (6 % of the markers in the news pool)
        "marker_bare": re.compile(rf"(?<=(?:{_genitive()})[ \t])(?P<cue>{markers})[ \t]+(?=[{LOWER_CLASS}\d])"),
        "as_said": re.compile(rf"(?<![\w-])(?P<cue>{alt(d['indirect']['as_said'])})[ \t]*,"),
        "source": re.compile(rf"(?<![\w-])(?P<cue>{alt(d['indirect']['source_markers'])})[ \t]*,"),
        # a reporting verb closing the sentence, after an optional particle, before an optional
        # auxiliary: "… түскенін де хабарлады", "… деп мәлімдеген болатын"
        "report_verbs": re.compile(rf"(?<![\w-])(?:(?:{particles})\s+)?(?P<verb>{alt(d['indirect']['reporting'])})"
                                   rf"(?:\s+(?:{auxiliaries}))?[ \t]*$"),
        "instruct_verbs": re.compile(rf"(?<![\w-])(?:(?:{particles})\s+)?(?P<verb>{alt(d['indirect']['instructing'])})"
                                     rf"(?:\s+(?:{auxiliaries}))?[ \t]*$"),
        "intro": re.compile(r"(?P<cue>былай\s+(?:деді|дейді|деп\s+\w+(?:\s+\w+)?)|деді|дейді|айтты|жазды)?[ \t]*:[ \t]*$",
                            re.I),
    }


@lru_cache(maxsize=1)
def transcript_labels() -> dict[str, frozenset[str]]:
    """Interview-transcript labels ("Сұрақ:", "Жауап:"), lower-cased, by kind."""
    data = load_toml("speech_verbs.toml")["transcript"]
    return {kind: frozenset(w.lower() for w in data[kind]) for kind in ("question", "answer")}
