"""Shared machinery of the partnership grammar: the pattern data, a sentence indexed for
bounded look-ups (mentions by bisection, clauses by their marks), subjects, and parties."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import CLAUSE_MARKS, automaton, date_before
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words

GAP = 2  # characters allowed between a party and the conjunction next to it
VERB_GAP = 8  # adverbs and a verb between a clause's subject and 与 (持续深化, 进一步加强)
SUBJECT_GAP = 20  # 在学科建设、人才培养等方面 between a clause's subject and 与
WINDOW = 300  # no look-back or look-ahead goes further than this
LIST_TAIL = 8  # 等9家三甲医院: what may follow a list before its clause ends
NAME_ROLES = ("附属医院", "直属附属医院", "非直属附属医院", "分院")  # parts of real names
CUT = 8  # how far after a place a cut-short name may begin
BRACKET = 30  # the longest bracket skipped inside a list of names
JOINT_GAP = 6  # 三方共同 between a list and its verb
ROLE_MODIFIERS = 10  # 的 紧密型医联体 成员单位
TITLE_MENTIONS = 2000  # mentions before an agreement's title whose names it may hold
TOPIC_MENTIONS = 2000  # mentions read to find the report's own hospital
CHAIN = 4  # clauses walked back to find the subject of a clause that omits it

#: In partnership sentences a colon ends a clause too.
MARKS = CLAUSE_MARKS + "："
MARK_RE = re.compile(f"[{re.escape(MARKS)}]")
LIST_SEPS = ("以及", "、", "和", "及", "与")
_DATE_WORDS = r"\d+年(?:\d+月)?(?:\d+日)?|\d+月(?:\d+日)?"
SUPPORT = re.compile(
    r"在([^，。；：]{2,40}?)的[^，。；：的]{0,8}?(支持|帮助|指导|帮扶|援助|关心)(?:和|与|、)?"
    r"(?:支持|帮助|指导|帮扶|援助)?下"
)
RECEIVED = re.compile(
    r"(?:得到|接受|获得)(?:了)?([^，。；：]{2,30}?)(?:的[^，。；：的]{0,8}?|对口)?"
    r"(?:支持|帮助|帮扶|指导|援助|相助|支援)"
)
DISPATCH = re.compile(
    r"(?:赴|到|前往|来到|进驻|入驻|派驻)([^，。；：]{2,20}?)(?:开展|进行|从事)?"
    r"(?:对口支援|支援|帮扶|援建|援藏|援疆|坐诊|驻点|挂职)"
)
LEADS = re.compile(r"(?:加入|纳入)(?:由)?")
SENT_TO = "向"  # A 向 B 派驻管理团队: B is where A's people go
INTRODUCES = "引进"
AGENT_MARKS = "由以"  # 由A牵头, 以A为龙头: A is the clause's agent
DESTINATION = "到赴来"  # 到A与B进行合作: A and B are where the subject goes
BLOCKED = "blocked"  # a chain of clauses whose subject is not a body we know
GOVERNMENT = re.compile(r"^(?:市|区|县|州)(?:人民)?政府$")


@cache
def trigger_table() -> tuple[dict[str, str], object]:
    rows = {r["trigger"]: r["kind"] for r in read_tsv("patterns/partnership_triggers.tsv")}
    return rows, automaton(rows)


@cache
def management() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """B 由 A（全面）托管 / 负责管理、运营, and （B）委托 A 全面运营管理: A runs B (group 1)."""
    verbs = "|".join(map(re.escape, words("management_verbs")))
    manner = r"(?:全面|负责|整体){0,2}"
    return (
        re.compile(f"(?:由|被)([^，。；：]{{2,30}}?){manner}(?:{verbs})"),
        re.compile(f"委托([^，。；：]{{2,30}}?){manner}(?:{verbs})"),
    )


@cache
def direct_triggers() -> frozenset[str]:
    """Verbs whose object is the partner: A 托管 B, A 对口帮扶 B."""
    return frozenset(
        r["trigger"]
        for r in read_tsv("patterns/partnership_triggers.tsv")
        if r.get("direct") == "1"
    )


@cache
def conjunctions() -> re.Pattern[str]:
    words = sorted(read_words("patterns/conjunctions.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@cache
def words(name: str) -> tuple[str, ...]:
    """ontology/patterns/partnership_<name>.txt, longest first."""
    return tuple(sorted(read_words(f"patterns/partnership_{name}.txt"), key=len, reverse=True))


@cache
def adverbs() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words("adverbs"))))


@cache
def time_words() -> re.Pattern[str]:
    return re.compile("|".join([_DATE_WORDS, *map(re.escape, words("time_words"))]))


@cache
def subject_words() -> dict[str, str]:
    """医院, 我校 …: the class of the report's own body each stands for."""
    return {r["word"]: r["class"] for r in read_tsv("patterns/partnership_subject_words.tsv")}


@cache
def dispatched() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words("dispatched"))))


@cache
def group_words() -> tuple[str, ...]:
    return tuple(sorted(read_words("patterns/partnership_group_words.txt"), key=len, reverse=True))


@cache
def pre_verbs() -> tuple[str, ...]:
    return tuple(read_words("patterns/partnership_pre_verbs.txt"))


@cache
def role_table() -> tuple[dict[str, tuple[str, str]], object]:
    """教学医院, 附属医院, 分院 …: what a body is to another (role → kind, holder class)."""
    rows = {
        r["role"]: (r["kind"], r.get("holder") or "")
        for r in read_tsv("patterns/partnership_roles.tsv")
    }
    return rows, automaton(rows)


@cache
def copulas() -> tuple[str, ...]:
    """是, 成为, 作为 … before a role, longest first."""
    return tuple(sorted(read_words("patterns/partnership_copulas.txt"), key=len, reverse=True))


class SentenceIndex:
    """One sentence with its mentions indexed for bounded look-ups."""

    def __init__(self, doc: Document, sent: Sentence, mentions: list[Mention]) -> None:
        self.doc, self.text = doc, doc.text
        self.st, self.en = sent.start, sent.end
        self.ms = mentions
        self.starts = [m.start for m in mentions]
        by_end = sorted(mentions, key=lambda m: (m.end, -m.start))
        self.ends_sorted = [m.end for m in by_end]
        self.by_end_list = by_end
        self.by_start: dict[int, Mention] = {}
        for m in mentions:  # the longest mention at each start
            cur = self.by_start.get(m.start)
            if cur is None or m.end > cur.end:
                self.by_start[m.start] = m
        self.by_end: dict[int, Mention] = {}
        for m in by_end:  # the longest mention at each end
            cur = self.by_end.get(m.end)
            if cur is None or m.start < cur.start:
                self.by_end[m.end] = m
        self._date: tuple[str | None] | None = None
        self._marks: list[int] | None = None

    @property
    def marks(self) -> list[int]:
        """Offsets of the clause marks of the sentence (found on first use)."""
        if self._marks is None:
            self._marks = [m.start() for m in MARK_RE.finditer(self.text, self.st, self.en)]
        return self._marks

    def date(self) -> str | None:
        """The last date the sentence writes (read once per sentence)."""
        if self._date is None:
            self._date = (date_before(self.text[self.st : self.en], self.doc.year),)
        return self._date[0]

    # --- mentions ---------------------------------------------------------------------
    def starting(self, lo: int, hi: int) -> Mention | None:
        """The first mention starting in [lo, hi]."""
        i = bisect.bisect_left(self.starts, lo)
        return self.ms[i] if i < len(self.ms) and self.ms[i].start <= hi else None

    def head(self, m: Mention | None) -> Mention | None:
        """The body a run of names ends in: 西藏自治区日喀则市 is 日喀则市, 大同市 + 云州区
        人民政府 the government (a place written before a name is its prefix)."""
        while m is not None and m.cls == "Place":
            nxt = self.by_start.get(m.end)
            if nxt is None or nxt.cls not in ("Place", "Institution"):
                break
            m = nxt
        return m

    def ending(self, lo: int, hi: int) -> Mention | None:
        """The mention ending last in [lo, hi], the longest of those ending there."""
        i = bisect.bisect_right(self.ends_sorted, hi) - 1
        if i < 0 or self.ends_sorted[i] < lo:
            return None
        return self.by_end[self.ends_sorted[i]]

    def inside(self, pos: int) -> bool:
        """Is ``pos`` strictly inside a mention (not at its start)?"""
        i = bisect.bisect_right(self.starts, pos) - 1
        return any(m.start < pos < m.end for m in self.ms[max(0, i - 3) : i + 1])

    def between(self, lo: int, hi: int) -> list[Mention]:
        """Mentions starting in [lo, hi)."""
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return self.ms[i:j]

    # --- clauses ----------------------------------------------------------------------
    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos) - 1
        start = self.marks[i] + 1 if i >= 0 else self.st
        return max(start, pos - WINDOW, self.st)

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos)
        end = self.marks[i] if i < len(self.marks) else self.en
        return min(end, pos + WINDOW, self.en)

    def no_mark(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.marks, a)
        return i >= len(self.marks) or self.marks[i] >= b

    def listed(self, m: Mention, step: int) -> list[Mention]:
        """``m`` and the mentions listed with it by 、/和/及/以及, in text order, going left
        (-1) or right (+1) from it; a bracket after a name (甲医院（乙医院）、丙医院) is skipped."""
        out = [m]
        while len(out) < 50:
            cur = out[-1]
            nxt = None
            after = self._past_bracket(cur.end) if step > 0 else cur.end
            before = self._before_bracket(cur.start) if step < 0 else cur.start
            for sep in LIST_SEPS:
                if step > 0 and self.text.startswith(sep, after):
                    nxt = self.by_start.get(after + len(sep))
                elif step < 0 and self.text.endswith(sep, 0, before):
                    p = before - len(sep)
                    nxt = self.by_end.get(p) or self.by_end.get(self._before_bracket(p))
                if nxt is not None:
                    break
            if nxt is None or nxt in out or (step > 0 and sep == "与"):
                break
            out.append(nxt)
        return out if step > 0 else out[::-1]

    def _past_bracket(self, pos: int) -> int:
        """The position after a bracket opening at ``pos`` (甲医院（乙医院）), else ``pos``."""
        if self.text[pos : pos + 1] in ("（", "("):
            for i in range(pos + 1, min(self.en, pos + BRACKET)):
                if self.text[i] in "）)":
                    return i + 1
        return pos

    def _before_bracket(self, pos: int) -> int:
        """The position before a bracket closing at ``pos``, else ``pos``."""
        if pos > self.st and self.text[pos - 1] in "）)":
            for i in range(pos - 2, max(self.st, pos - BRACKET) - 1, -1):
                if self.text[i] in "（(":
                    return i
        return pos

    def subject_at(self, start: int) -> Mention | str | None:
        """The body a clause opens with (after a time adverbial): a mention, or 医院/学校
        standing for the report's own hospital or university (as a class name)."""
        end = min(self.en, start + 12)
        pos = start
        while pos < end:
            m = time_words().match(self.text, pos)
            if m is None or m.end() == pos:
                break
            pos = m.end()
            while pos < end and self.text[pos] in "，、 ":
                pos += 1
        speech = next((w for w in words("speech_verbs") if self.text.startswith(w, pos)), None)
        if speech is not None:  # 表示某医院将…: the body said to act
            pos += len(speech)
        m = self.by_start.get(pos)
        if m is None and self.text[pos : pos + 1] in AGENT_MARKS:
            m = self.by_start.get(pos + 1)  # 由A牵头，联合B、C…: A acts
            if m is not None and not self.text.startswith(words("agent_verbs"), m.end):
                m = None
        if m is not None and m.cls in ("Institution", "Place"):
            return m
        for word, cls in subject_words().items():
            if self.text.startswith(word, pos):
                return cls
        return None

    def chain_subject(self, pos: int) -> Mention | str | None:
        """The subject of the clauses before the one holding ``pos``: 近年来，某市深度融入…，
        坚持…，先后与B合作 (the subject named once governs the clauses after it). ``BLOCKED``
        when a clause before opens with a noun of its own (another subject took over)."""
        cs = self.clause_start(pos)
        for _ in range(CHAIN):
            if cs <= self.st or pos - cs > WINDOW:
                return None
            cs = self.clause_start(cs - 1)
            subject = self.subject_at(cs)
            if subject is not None:
                return subject
            if opens_with_noun(self.text, cs, self.en):
                return BLOCKED
        return BLOCKED


def opens_with_noun(text: str, pos: int, end: int) -> bool:
    """Does the clause at ``pos`` open with a noun (a subject of its own)?"""
    from kg.segment import get_segmenter

    seg = get_segmenter()
    if time_words().match(text, pos) or adverbs().match(text, pos):
        return False
    for n in range(4, 0, -1):
        w = text[pos : min(pos + n, end)]
        if len(w) == n and seg.tokenizer.FREQ.get(w, 0) > 0:
            tag = seg.tag(w)
            return tag.startswith("n") or tag in ("r",)
    return False


def topic(doc: Document, cls: str) -> str | None:
    """The report's own hospital (university): the one of that class it names most among its
    first ``TOPIC_MENTIONS`` mentions (a report names its own body early; the bound keeps a
    huge report linear)."""
    counts = Counter(
        m.key for m in doc.mentions[:TOPIC_MENTIONS] if m.cls == "Institution" and m.subclass == cls
    )
    if not counts:
        return None
    best = max(counts.values())
    return next(k for k, n in counts.items() if n == best)


def titled(text: str, m: Mention) -> bool:
    """院长连庆泉: the title is written before the name (the person signs for a body)."""
    role = m.attr("role")
    return bool(role) and text.endswith(role, 0, m.start)


def party(m: Mention, doc: Document) -> str | None:
    """The key a mention takes part as: a research centre through its hospital, a person
    named after a title through their body (none when it is unknown), a bare 市政府 as
    the report's place."""
    if m.cls == "Person" and titled(doc.text, m):
        return m.attr("affiliation")
    parent = m.attr("parent")
    if m.subclass == "ResearchCenter" and parent:
        return parent
    if m.subclass == "MedicalGroup":
        for w in group_words():
            member = m.name.removesuffix(w)
            if member != m.name and member.endswith(("院", "中心")):
                return f"org:{member}"  # 甲医院医联体签约: 甲医院 signs
    if m.subclass == "GovernmentAgency" and GOVERNMENT.match(m.surface):
        return as_place(m.key, doc)
    return m.key


def as_place(key: str, doc: Document) -> str:
    """市政府 signing for the city stands for the city itself (平顶山市–上海中医药大学)."""
    gaz = load_gazetteer()
    for code in (doc.city, doc.county):
        d = gaz.get(code or "")
        if d is not None and key == f"org:{d.name}人民政府":
            return f"place:{d.key}"
    return key


def is_agency(key: str | None, mentions: dict[str, Mention]) -> bool:
    m = mentions.get(key or "")
    return m is not None and m.subclass == "GovernmentAgency"


def is_body(key: str | None, mentions: dict[str, Mention]) -> bool:
    m = mentions.get(key or "")
    return m is not None and m.cls == "Institution" and m.subclass != "GovernmentAgency"


@cache
def manner_words() -> re.Pattern[str]:
    words = sorted(read_words("patterns/partnership_manner_words.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def manner(gap: str) -> bool:
    """Is there more than manner words and adverbs between a party and its verb?"""
    return bool(manner_words().sub("", adverbs().sub("", gap)).strip('“”"'))


def starts_trigger(hits: list[tuple[int, int, str]], pos: int) -> bool:
    i = bisect.bisect_left(hits, (pos, -1, ""))
    return i < len(hits) and hits[i][0] <= pos + GAP


def relation(
    doc: Document, ix: SentenceIndex, kind: str, parties: list[str], lead: str | None = None
) -> Relation:
    return Relation(
        "Partnership",
        kind,
        tuple(sorted(set(parties))),
        ix.st,
        ix.en,
        lead=lead,
        date=ix.date(),
    )


@cache
def help_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words("support_words"))))


#: The key a subject (a mention, or a class name for the report's own body) stands for.
ResolveSubject = Callable[[Mention | str | None], str | None]
#: (found, key) of the party of a clause that omits it, before a position.
OmittedSubject = Callable[[int], tuple[bool, str | None]]
