"""Helpers shared by the extractors: automata, clauses, spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

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


_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?|(去年|今年|上年|当年|年内)")


def date_before(text: str, year: int | None) -> str | None:
    """The last date written in ``text`` (2023年6月 → 2023-06; 去年 → the report's year - 1)."""
    found = None
    for m in _DATE.finditer(text):
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


def clause_start(text: str, pos: int, floor: int, marks: str = CLAUSE_MARKS) -> int:
    """Where the clause holding ``pos`` begins (not before ``floor``)."""
    for i in range(pos - 1, floor - 1, -1):
        if text[i] in marks:
            return i + 1
    return floor


def clause_end(text: str, pos: int, ceil: int, marks: str = CLAUSE_MARKS) -> int:
    """Where the clause holding ``pos`` ends (not after ``ceil``)."""
    for i in range(pos, ceil):
        if text[i] in marks:
            return i
    return max(pos, ceil)


def clause_topic(text: str, cs: int, mentions: list[Mention], floor: int) -> str | None:
    """The institution or place the clause just before (after a comma, in the sentence)
    starts with: 市中医医院同…合作迈出步伐，入选X. One clause only: further back, other
    subjects (6件案卷被评为…) may have taken over without being named entities."""
    if cs <= floor or text[cs - 1] != "，":
        return None
    start = clause_start(text, cs - 1, floor)
    first = [
        m for m in mentions if m.start == start and m.counted and m.cls in ("Institution", "Place")
    ]
    return max(first, key=lambda m: m.end).key if first else None


def has_cjk(s: str) -> bool:
    return bool(_CJK_RE.search(s))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class SpanIndex:
    """Which parts of the text are already claimed by a (longer) name."""

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self.spans: list[tuple[int, int]] = sorted((m.start, m.end) for m in mentions)

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        self.spans.sort()

    def covering(self, start: int, end: int) -> bool:
        """Is [start, end) inside or overlapping a claimed span?"""
        i = bisect.bisect_right(self.spans, (end, end))
        for j in range(max(0, i - 8), min(len(self.spans), i + 1)):
            if overlaps(self.spans[j], (start, end)):
                return True
        return False


def strip_quotes(s: str) -> str:
    return s.replace("“", "").replace("”", "").replace('"', "").replace("《", "").replace("》", "")
