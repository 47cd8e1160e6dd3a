"""Helpers shared by the extractors: automata, clauses, spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import cache

import ahocorasick

from kg.document import Mention

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def automaton(words: Iterable[str]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton whose values are the words themselves."""
    a = ahocorasick.Automaton()
    for w in words:
        if w:
            a.add_word(w, w)
    a.make_automaton()
    return a


def longest_matches(a: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, int, str]]:
    """Leftmost-longest non-overlapping matches as (start, end, word)."""
    if len(a) == 0:
        return
    for end_idx, word in a.iter_long(text):
        yield end_idx - len(word) + 1, end_idx + 1, word


#: The longest clause the extractors look at: a line without punctuation (a table flattened
#: by PDF conversion, a run-on paragraph) is cut into windows of this size, so that every
#: scan around a trigger is bounded and a build stays linear in the length of its input.
MAX_CLAUSE = 400


_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?|(去年|今年|上年|当年|年内)")


def date_before(text: str, year: int | None) -> str | None:
    """The last date written in ``text`` (2023年6月 → 2023-06; 去年 → the report's year - 1),
    within its last ``MAX_CLAUSE`` characters."""
    found = None
    for m in _DATE.finditer(text, max(0, len(text) - MAX_CLAUSE)):
        if m.group(1):
            y, mo, d = m.group(1), m.group(2), m.group(3)
            if mo and not 1 <= int(mo) <= 12:
                continue
            found = y if not mo else f"{y}-{int(mo):02d}"
            if mo and d and 1 <= int(d) <= 31:
                found += f"-{int(d):02d}"
        elif year is not None:
            found = str(year - 1) if m.group(4) in ("去年", "上年") else str(year)
    return found


#: Punctuation that ends a clause.
CLAUSE_MARKS = "，。；！？\n"


def evidence_span(start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The evidence of a fact found in [lo, hi) of the sentence [start, end): the sentence,
    or, when it is longer than ``2 * MAX_CLAUSE`` (a line without punctuation), the clause
    window itself, so that the evidence written per fact stays bounded."""
    if end - start <= 2 * MAX_CLAUSE:
        return start, end
    return max(start, lo), min(end, max(hi, lo))


@cache
def _marks_re(marks: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(marks) + "]")


def clause_start(text: str, pos: int, floor: int, marks: str = CLAUSE_MARKS) -> int:
    """Where the clause holding ``pos`` begins (not before ``floor``, nor more than
    ``MAX_CLAUSE`` characters before ``pos``)."""
    lo = max(floor, pos - MAX_CLAUSE)
    last = max(text.rfind(c, lo, pos) for c in marks) if pos > lo else -1
    return last + 1 if last != -1 else lo


def clause_end(text: str, pos: int, ceil: int, marks: str = CLAUSE_MARKS) -> int:
    """Where the clause holding ``pos`` ends (not after ``ceil``, nor more than
    ``MAX_CLAUSE`` characters after ``pos``)."""
    hi = min(ceil, pos + MAX_CLAUSE)
    m = _marks_re(marks).search(text, pos, max(pos, hi))
    return m.start() if m is not None else max(pos, hi)


def clause_topic(text: str, cs: int, mentions: list[Mention], floor: int) -> str | None:
    """The institution or place the clause just before (after a comma, in the sentence)
    starts with: 市中医医院同…合作迈出步伐，入选X. One clause only: further back, other
    subjects (6件案卷被评为…) may have taken over without being named entities."""
    if cs <= floor or text[cs - 1] != "，":
        return None
    start = clause_start(text, cs - 1, floor)
    first = [
        m for m in starting_at(mentions, start) if m.counted and m.cls in ("Institution", "Place")
    ]
    return max(first, key=lambda m: m.end).key if first else None


def starting_at(mentions: list[Mention], pos: int) -> list[Mention]:
    """The mentions of ``mentions`` (sorted by start) that begin at ``pos``."""
    return within(mentions, pos, pos + 1, ends=False)


def within(mentions: list[Mention], lo: int, hi: int, ends: bool = True) -> list[Mention]:
    """The mentions of ``mentions`` (sorted by start) that begin in [lo, hi), and (``ends``)
    end by ``hi``: a bisection, not a scan, so long sentences stay linear."""
    i = bisect.bisect_left(mentions, lo, key=_start)
    j = bisect.bisect_left(mentions, hi, lo=i, key=_start)
    return [m for m in mentions[i:j] if not ends or m.end <= hi]


def _start(m: Mention) -> int:
    return m.start


def has_cjk(s: str) -> bool:
    return bool(_CJK_RE.search(s))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class SpanIndex:
    """Which parts of the text are already claimed by a (longer) name."""

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self.spans: list[tuple[int, int]] = sorted((m.start, m.end) for m in mentions)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))

    def covering(self, start: int, end: int) -> bool:
        """Is [start, end) inside or overlapping a claimed span?"""
        i = bisect.bisect_right(self.spans, (end, end))
        for j in range(max(0, i - 8), min(len(self.spans), i + 1)):
            if overlaps(self.spans[j], (start, end)):
                return True
        return False


def strip_quotes(s: str) -> str:
    return s.replace("“", "").replace("”", "").replace('"', "").replace("《", "").replace("》", "")
