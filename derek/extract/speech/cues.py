"""The speech-cue table: regular expressions built once from data/speech_verbs.toml."""
from __future__ import annotations

import re
from functools import lru_cache

from derek.extract.speech.names import UPPER
from derek.langdata import load_toml


def _alternation(words) -> str:
    """A regex alternation of words, longest first, a space matching any run of blanks."""
    return "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> dict:
    d = load_toml("speech_verbs.toml")
    alt = _alternation
    say, dep = alt(d["direct"]["say"]), alt(d["direct"]["dep_verbs"])
    markers = alt(d["indirect"]["markers"])
    particles, auxiliaries = alt(d["indirect"]["particles"]), alt(d["indirect"]["auxiliaries"])
    return {
        # cue right after a closing quote mark or a dash: ", – деді", "деп атап өтті"
        "after": re.compile(rf"[ \t]*[,.]?[ \t]*[-–—]{{0,3}}[ \t]*(?P<cue>деп\s+(?:{dep})|{say})(?![\w-])", re.I),
        # a noun of asking after a quoted question: «…?» деген сұрағына
        "question": re.compile(rf"[ \t]*(?P<cue>{alt(d['direct']['question'])})(?![\w-])", re.I),
        "dash": re.compile(rf"[,.!?…][ \t]*[-–—]{{1,3}}[ \t]*(?P<cue>деп\s+(?:{dep})|{say})(?![\w-])", re.I),
        "dep_nodash": re.compile(rf",[ \t]*(?P<cue>деп\s+(?:{dep}))(?![\w-])", re.I),
        # "X-тің айтуынша, …" (a full stop for the comma is a slip seen in print:
        # "X-тың мәліметі бойынша. Елде …")
        "marker": re.compile(rf"(?<![\w-])(?P<cue>{markers})[ \t]*(?:,|\.(?=[ \t]+[{UPPER}]))", re.I),
        "as_said": re.compile(rf"(?<![\w-])(?P<cue>{alt(d['indirect']['as_said'])})[ \t]*,", re.I),
        "source": re.compile(rf"(?<![\w-])(?P<cue>{alt(d['indirect']['source_markers'])})[ \t]*,", re.I),
        "reporting": re.compile(rf"(?<![\w-])(?P<cue>(?:деп|туралы|жайлы)\s+\w+|{alt(d['indirect']['reporting'])})"
                                rf"[ \t]*$", re.I),
        # a reporting verb closing the sentence, after an optional particle, before an optional
        # auxiliary: "… түскенін де хабарлады", "… деп мәлімдеген болатын"
        "report_verbs": re.compile(rf"(?<![\w-])(?:(?:{particles})\s+)?(?P<verb>{alt(d['indirect']['reporting'])})"
                                   rf"(?:\s+(?:{auxiliaries}))?[ \t]*$", re.I),
        "instruct_verbs": re.compile(rf"(?<![\w-])(?:(?:{particles})\s+)?(?P<verb>{alt(d['indirect']['instructing'])})"
                                     rf"(?:\s+(?:{auxiliaries}))?[ \t]*$", re.I),
        "intro": re.compile(r"(?P<cue>былай\s+(?:деді|дейді|деп\s+\w+(?:\s+\w+)?)|деді|дейді|айтты|жазды)?[ \t]*:[ \t]*$",
                            re.I),
    }


@lru_cache(maxsize=1)
def transcript_labels() -> dict[str, frozenset[str]]:
    """Interview-transcript labels ("Сұрақ:", "Жауап:"), lower-cased, by kind."""
    data = load_toml("speech_verbs.toml")["transcript"]
    return {kind: frozenset(w.lower() for w in data[kind]) for kind in ("question", "answer")}
