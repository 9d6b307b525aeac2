"""The `storyline_times` component: time expressions, normalised against the publication date.

Detection = spaCy DATE/TIME entities plus regular expressions for what the statistical
model misses or splits ("late Wednesday", "Wednesday evening", "Sept. 22, 2022", "since
early August", "in May and August", "two weeks after"). Where a rule span and an entity
overlap, the rule span wins (rules are written for whole expressions; the model often cuts
"Nov. 9" from ", 2023"). The value comes from `timenorm.analyse`, with the tense of the
governing verb deciding the direction of a bare weekday or month. Durations ("four
years"), sets ("each day"), vague references ("now", "recent months") and bare clock times
are not emitted: none of them names a point in time that an event could be dated by.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lang import get_pack
from ..records import TimeMention
from . import doc_text
from .timenorm import EMITTED_KINDS, analyse, normalise
from .timevocab import NUMBERS, parse_anchor

__all__ = ["TimesComponent", "detect_spans", "governing_tense", "normalise", "time_in_span",
           "times_in_span"]

# Month and weekday names must be capitalised in running text ("may", "march" are verbs).
# The names come from the English pack (lang/en/time.vocab.json).
_VOCAB = get_pack("en").data("time.vocab")
_MONTHS_FULL = tuple(_VOCAB["month_names"])
_MONTH = (r"\b(?-i:(?:" + "|".join(_MONTHS_FULL + tuple(m.upper() for m in _MONTHS_FULL)) +
          r")\b|(?:" + "|".join(_VOCAB["month_abbrevs"]) + r")(?:\.|\b(?=\s*\d)))")
_DAYS_FULL = tuple(_VOCAB["weekday_names"])
_WEEKDAY = (r"\b(?-i:(?:" + "|".join(_DAYS_FULL + tuple(d.upper() for d in _DAYS_FULL)) +
            r")\b|(?:" + "|".join(_VOCAB["weekday_abbrevs"]) + r")\.)")
_DAY = r"(?:[12]?\d|3[01])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]\d\d|20\d\d)\b(?![-\u2013]?\d)"
_COUNT = r"(?:\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r"|a few|several)"
_PART = r"(?:morning|afternoon|evening|night|overnight)"
_UNIT = r"(?:week|month|year|weekend|quarter)"
# "fall" only where it cannot be the verb or the noun of a drop ("a fall in prices").
_AFTER_FALL_VERB = (r"\s+(?:in|of|on|to|from|by|for|back|short|below|behind|apart|off|out|"
                    r"further|sharply|steeply)\b")
_SEASON = rf"(?:(?:spring|summer|autumn|winter)\b|fall\b(?!{_AFTER_FALL_VERB}))"
_FALL_END = re.compile(r"\bfall$", re.IGNORECASE)

_PATTERNS = [
    # absolute dates: "Tuesday, Sept. 5, 2023", "5 September 2023", "the 5th of September"
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"(?:(?:early|late|mid-?)\s*)?{_MONTH},?\s+(?:of\s+)?{_YEAR}",
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}",
    rf"(?:{_WEEKDAY},?\s+)?the\s+{_DAY}\s+of\s+{_MONTH}",
    # weekdays with their modifiers and part of day: "late Wednesday", "Wednesday evening"
    (rf"(?:(?:this\s+past|this\s+coming|this|last|next|late|early)\s+)?{_WEEKDAY}"
    rf"(?:\s+{_PART})?"),
    # relative units: "later this month", "Late last month", "the beginning of this year"
    (rf"\b(?:(?:late|early|mid|later|earlier|the\s+(?:beginning|start|end|middle)\s+of)\s+)?"
    rf"(?:this|last|next|the\s+coming|the\s+previous|the\s+current)\s+{_UNIT}\b"),
    rf"{_MONTH}\s+(?:of\s+)?(?:last|this|next)\s+year\b",
    r"\b(?:later|earlier)\s+in\s+the\s+(?:week|month|year)\b",
    # seasons the text places: "last summer", "this coming spring", "the winter of 2023"
    (rf"\b(?:(?:this\s+past|this\s+coming|last|next|this)\s+|(?:early|late|mid)[\s-]+)+"
    rf"{_SEASON}(?:\s+(?:of\s+)?{_YEAR})?"),
    (rf"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(?:spring|summer|autumn|winter)\s+"
    rf"(?:of\s+)?|(?-i:Fall)\s+|fall\s+of\s+){_YEAR}"),
    (r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:spring|summer|autumn|winter|fall)\s+of\s+"
    r"(?:last|this|next)\s+year\b"),
    # a month after a cue: "in April", "since early August", "last May"
    (rf"\b(?:in|since|until|by|from|during|through|before|after|last|next|this|early|late|mid)"
    rf"\s+(?:(?:early|late|mid-?)\s*)?{_MONTH}(?:\s+{_DAY}(?:,?\s+{_YEAR})?)?"),
    rf"\bthe\s+week\s+of\s+{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    # two months: "in May and August", "between May and July 2022"
    (rf"(?:\b(?:between|from)\s+)?{_MONTH}(?:\s+{_YEAR})?\s+(?:and|or|to|through|until|-|\u2013)"
    rf"\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|through|until)\s+{_YEAR}",
    # days around the anchor
    (r"\b(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|(?:later|earlier)\s+(?:in\s+the"
    rf"\s+day|today)|(?:yesterday|tomorrow|this)\s+{_PART}|today|tonight|yesterday|tomorrow"
    r"|last\s+night)\b"),
    rf"\b{_COUNT}\s+(?:days?|weeks?|months?|years?|decades?)\s+ago\b",
    # relative to another event: "two weeks after", "the next day"
    rf"\b{_COUNT}\s+(?:hours?|days?|weeks?|months?|years?)\s+(?:after|later|before|earlier)\b",
    r"\bthe\s+(?:next|following|previous)\s+(?:day|week|month|year|morning|evening)\b",
    # periods ending at the anchor: "over the past year", "in the last two months"
    (rf"\b(?:over\s+)?the\s+(?:past|last|previous)\s+(?:{_COUNT}\s+)?(?:days?|weeks?|months?|"
    r"years?)\b"),
    (rf"\b(?:the\s+)?(?:{_YEAR}\s+|year[\s-]+(?:ago|earlier)\s+|(?:last|this|next)\s+year'?s\s+)?"
    rf"(?:first|second|third|fourth|final)[\s-]+quarter\b(?:\s+of\s+(?:{_YEAR}|"
    r"(?:last|this|next)\s+year))?"),
    rf"\b(?:in|since|by|until|from|during|before|after|early|late|mid-?|fiscal)\s*{_YEAR}",
    r"\b(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:1[89]\d0|20\d0)s\b",
    # the New Year of a greeting, the Lunar New Year; a year of another era before the
    # common-era one in brackets ("lunar New Year's Day, Era 113 (2024)")
    (rf"\b(?:the\s+)?(?:lunar\s+|chinese\s+)?new\s+year(?![-\u2013]\w)(?:['\u2019]s\s+(?:day|eve))?"
     rf"(?:,?\s+(?:[a-z]+\s+\d{{1,4}}\s+)?\(?{_YEAR}\)?|\s+in\s+{_YEAR})?"),
    r"\b(?:the\s+)?spring\s+festival\b",
]
_RULES = [re.compile(p, re.IGNORECASE) for p in _PATTERNS]
# Words the rules match for context but that are not part of the expression's meaning.
_TRIM = re.compile(r"(?:in|until|by|from|during|through|before|after|on)\s+", re.IGNORECASE)
# Words that are part of the meaning when they precede an expression (spec: keep them).
# "the winter of" before a year the model found ("nineteen ninety-four") names the season.
_EXTEND = re.compile(r"(?:\b(?:since|late|early|later|earlier|mid-?)|\bover\s+the\s+past|"
                     r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:spring|summer|autumn|"
                     r"winter|fall)\s+of)\s*$", re.IGNORECASE)
_TEMPORAL = re.compile(r"\d|\b(?:day|week|month|year|quarter|decade|century|morning|evening|"
                       r"night|afternoon|today|tonight|yesterday|tomorrow|spring|summer|fall|"
                       r"autumn|winter|christmas|weekend|nineteen|thousand|\w+ties)s?\b|"
                       + _MONTH + "|" + _WEEKDAY,
                       re.IGNORECASE)


# Every match of a rule contains a word of one of these kinds (a four-digit number, a unit, a
# part of a day, a season, a month, a weekday: _NEEDS says which kinds a rule's match may
# contain), so each rule only runs on the text around such words: a window of _PAD
# characters either side, widened to whitespace, and only where the window holds a kind the
# rule needs. A match is far shorter than _PAD, so it lies inside the window of the word it
# contains; windows start and end at whitespace, so word boundaries at their edges read as
# in the whole text: the spans are the same as a scan of the whole text with every rule
# (tests/test_times.py compares the two). Words are found in lower, title or upper case.
def _any_case(words: str) -> str:
    forms = {f for w in words.split("|") for f in (w, w.title(), w.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


_TRIGGER = re.compile(
    r"\b(?:(?P<year>\d{4})"
    r"|(?P<unit>(?:" + _any_case("day|week|month|year|quarter|decade|hour|weekend") +
    r")[sS]?\b)"
    r"|(?P<part>(?:" + _any_case("morning|afternoon|evening|night|overnight|today|tonight|"
                                 "yesterday|tomorrow") + r")[sS]?\b)"
    r"|(?P<season>(?:" + _any_case("spring|summer|autumn|winter|fall") + r")[sS]?\b)"
    r"|(?P<month>" + _MONTH + ")|(?P<weekday>" + _WEEKDAY + "))")
_NEEDS: list[frozenset[str]] = [frozenset(k.split()) for k in (
    "month", "month", "year", "month", "month", "month", "weekday", "unit", "month", "unit",
    "season", "season", "season", "month", "month", "month", "year", "unit part", "unit",
    "unit", "unit part", "unit", "unit", "year", "year", "unit", "season")]
assert len(_NEEDS) == len(_RULES)
_PAD = 80


def rule_windows(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """The stretches of `text` a rule could match in, with the kinds of word each holds
    (see _TRIGGER)."""
    out: list[list[Any]] = []
    n = len(text)
    for m in _TRIGGER.finditer(text):
        a, b = max(0, m.start() - _PAD), min(n, m.end() + _PAD)
        if out and a <= out[-1][1]:
            a = out[-1][0]
        else:
            while a > 0 and not text[a - 1].isspace():
                a -= 1
        while b < n and not text[b].isspace():
            b += 1
        if out and a == out[-1][0]:
            out[-1][1] = b
            out[-1][2].add(m.lastgroup)
        else:
            out.append([a, b, {m.lastgroup}])
    return [(a, b, frozenset(kinds)) for a, b, kinds in out]


_ALL_KINDS = frozenset({"year", "unit", "part", "season", "month", "weekday"})


def _rule_spans(text: str, windows: list[tuple[int, int, frozenset[str]]] | None = None
                ) -> list[tuple[int, int]]:
    """Spans of the rules' matches, longest first where two overlap. `windows`: where to
    look (default: `rule_windows`; [(0, len(text), _ALL_KINDS)] scans the whole text)."""
    found = []
    for a, b, kinds in rule_windows(text) if windows is None else windows:
        for rx, needs in zip(_RULES, _NEEDS):
            if kinds.isdisjoint(needs):
                continue
            for m in rx.finditer(text, a, b):
                start, end = m.start(), m.end()
                t = _TRIM.match(text, start, end)
                if t and t.end() < end:
                    start = t.end()
                found.append((start, end))
    # longest first; keep the spans that do not overlap a longer one
    found.sort(key=lambda se: (-(se[1] - se[0]), se[0]))
    kept: list[tuple[int, int]] = []
    for s, e in found:
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    return kept


def detect_spans(doc: Doc) -> list[Span]:
    """Token-aligned spans of the time expressions in `doc`, sorted by start."""
    text = doc_text(doc)
    spans = _rule_spans(text)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < ke and ks < e for ks, ke in spans) or not _TEMPORAL.search(ent.text):
            continue
        if _FALL_END.search(ent.text) and re.match(_AFTER_FALL_VERB, text[e:e + 20]):
            continue  # "this fall in prices": a drop, not the season
        spans.append((s, e))
    out: list[Span] = []
    for s0, e in sorted(spans):
        s = s0
        ext = _EXTEND.search(text, max(0, s - 24), s)
        if ext and "\n" not in text[ext.start():s]:
            s = ext.start()
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        if out and span.start < out[-1].end:
            if s < s0 and out[-1].end_char <= s0:
                # only the extension overlaps: it reached into a fragment the model cut
                # off ("[since] the winter of" + "nineteen ninety-four"): one span
                out[-1] = doc[out[-1].start:span.end]
            continue
        out.append(span)
    return out


_FUTURE_HEADS = {"set", "expect", "schedule", "due", "plan", "go", "poise", "slate", "intend",
                 "aim", "prepare"}


def _verb_tense(verb: Token, depth: int = 0) -> str | None:
    """past / present / future of a verb from its tag and auxiliaries, None if unclear."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "shall", "'ll", "wo"}:
        return "future"
    if words & {"would", "could"}:
        return None  # future in the past, or a condition: the direction is not given
    if words & {"may", "might", "can", "must", "should"}:
        return "past" if ("have" in words and verb.tag_ == "VBN") else "future"
    if "to" in words or verb.dep_ == "xcomp":
        head = verb.head
        if head is not verb and head.lemma_.lower() in _FUTURE_HEADS:
            return "future" if _verb_tense(head, depth + 1) in ("present", "future") else None
        if head is not verb and depth < 3 and head.pos_ in ("VERB", "AUX"):
            return _verb_tense(head, depth + 1)
        return None
    if any(a.tag_ == "VBD" or a.lower_ in ("had", "has", "have", "did") for a in auxes):
        return "past"
    if any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    if verb.tag_ in ("VBD", "VBN"):
        return "past"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl") and depth < 3:
        return _verb_tense(verb.head, depth + 1) if verb.head is not verb else None
    return None


def governing_tense(span: Span) -> str | None:
    """Tense of the verb that governs `span` ("past", "present", "future"), or None."""
    tok = span.root
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return _verb_tense(tok)
        if tok.head is tok:
            return None
        tok = tok.head
    return None


class TimesComponent:
    """Sets `doc._.sl_times`: the time expressions, each with its normalised value."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.sl_published
        out: list[TimeMention] = []
        for span in detect_spans(doc):
            res = analyse(span.text, anchor, tense=governing_tense(span))
            if res.kind not in EMITTED_KINDS:
                continue
            source = None
            if res.value is not None:
                source = "absolute" if res.kind == "absolute" else "published"
            out.append(TimeMention(text=span.text, start=span.start_char, end=span.end_char,
                                   value=res.value, anchor=source, note=res.note))
        doc._.sl_times = day_ranges(doc_text(doc), out)
        return doc


_RANGE = _VOCAB.get("day_ranges", {})
_TO = "|".join(re.escape(w) for w in _RANGE.get("to", ()))
_FROM = "|".join(re.escape(w) for w in _RANGE.get("from", ()))
_BETWEEN = "|".join(re.escape(w) for w in _RANGE.get("between", ()))
# "May 17 to 24", "June 17-20": a bare day after a dated day (not a count, a clock, a share)
_BARE_DAY = re.compile(rf"\s*(?:(?P<to>{_TO})|(?P<and>and))\s*(?P<d>[12]?\d|3[01])(?:st|nd|rd|th)?"
                       r"\b(?![.:,]?\d|\s*(?:%|per\b|percent|years?\b|days?\b|[ap]\.?m\b|"
                       r"hours?\b|people\b|of\b))", re.IGNORECASE) if _TO else None
# "from the night of May 28 to the dawn of June 2": what may stand between two dates
_JOIN = re.compile(rf"\s*(?:(?P<to>{_TO})|(?P<and>and))\s*(?:the\s+\w+\s+of\s+)?$",
                   re.IGNORECASE) if _TO else None
_OPEN_FROM = re.compile(rf"\b(?:(?P<from>{_FROM})|(?P<between>{_BETWEEN}))\s+(?:the\s+\w+\s+of\s+)?$",
                        re.IGNORECASE) if _FROM else None
_MAX_RANGE_DAYS = 62


def _day(value: object) -> dt.date | None:
    """The day a value names ("2024-05-17"; not a month, a year or a range)."""
    return parse_anchor(value) if isinstance(value, str) and len(value) == 10 else None


def day_ranges(text: str, times: list[TimeMention]) -> list[TimeMention]:
    """One [start, end] value for a span of days written as one expression: "from May 17
    to 24", "June 17-20", "between June 6 and 8", "from the night of May 28 to the dawn of
    June 2" (the pack's `time.vocab` `day_ranges` words). Two dates joined by "and" alone
    stay two ("on May 6 and June 8"), as TimeML annotates them."""
    if _BARE_DAY is None or _JOIN is None or _OPEN_FROM is None:
        return times
    out: list[TimeMention] = []
    i = 0
    while i < len(times):
        m = times[i]
        first = _day(m.value)
        if first is None:
            out.append(m)
            i += 1
            continue
        opened = _OPEN_FROM.search(text, max(0, m.start - 40), m.start)
        nxt = times[i + 1] if i + 1 < len(times) else None
        join = _JOIN.match(text[m.end:nxt.start]) if nxt is not None else None
        last = _day(nxt.value) if nxt is not None else None
        if join and last is not None and 0 < (last - first).days <= _MAX_RANGE_DAYS and (
                join.group("to") and (opened or join.group(0).strip() in ("-", "\u2013"))
                or join.group("and") and opened and opened.group("between")):
            start = opened.start() if opened else m.start
            out.append(TimeMention(text=text[start:nxt.end], start=start, end=nxt.end,
                                   value=[first.isoformat(), last.isoformat()],
                                   anchor=m.anchor or nxt.anchor, note="a span of days"))
            i += 2
            continue
        bare = _BARE_DAY.match(text, m.end)
        if bare and (nxt is None or nxt.start >= bare.end()):
            day = int(bare.group("d"))
            end_day = None
            if day > first.day:
                try:
                    end_day = first.replace(day=day)
                except ValueError:
                    end_day = None
            if end_day is not None and (bare.group("to") or (opened and opened.group("between"))):
                start = opened.start() if opened else m.start
                out.append(TimeMention(text=text[start:bare.end()], start=start, end=bare.end(),
                                       value=[first.isoformat(), end_day.isoformat()],
                                       anchor=m.anchor, note="a span of days"))
                i += 1
                continue
        out.append(m)
        i += 1
    return out


def times_in_span(doc: Doc, start: int, end: int) -> list[TimeMention]:
    """The time mentions that overlap the char span [start, end), in text order."""
    return [t for t in (doc._.sl_times or []) if t.start < end and start < t.end]


def time_in_span(doc: Doc, start: int, end: int) -> TimeMention | None:
    """The time mention of a span (a sentence, a clause): the first one inside it, else the
    first one overlapping it (an unresolved one counts: "two weeks after" dates nothing)."""
    found = times_in_span(doc, start, end)
    if not found:
        return None
    return min(found, key=lambda t: (not (start <= t.start and t.end <= end), t.start))
