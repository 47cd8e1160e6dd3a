"""Partnerships: grammar over the resolved mentions of a sentence.

Patterns (triggers, conjunctions, roles and copulas are data under ontology/patterns/):
- ``A 与/同/和 B(、C…) … TRIGGER`` (合作, 签约, 共建, 托管 …) in B's clause; an omitted A
  is the subject of the clause before (``近年来，某市…，先后与B、C合作``), else the report's
  place (``与王琦院士签订合作协议``); a person named after a title acts for their body;
- ``A 托管/对口支援 B`` (``A 托管的…B``), ``A 加入(由) B 牵头…的 C`` (membership, B leads);
- roles: ``A 是/成为 B、C 等的 教学医院/附属医院/协同医院/分院``;
- support: ``在 A 的支持/帮助/指导下，B…``, ``A…赴 B 开展对口支援``;
- compound abbreviations ``京长合作`` (北京市–长治市, 长 = the report's own city);
- ``X 选派专家来长坐诊`` (support), ``赴京培训进修`` (exchange).

Every look-up is bounded: mentions are found by bisection over their offsets, clauses by
bisection over the clause marks of the sentence, and no scan looks back further than
``_WINDOW`` characters, so a long sentence without punctuation stays linear.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import CLAUSE_MARKS, automaton, date_before, has_cjk, longest_matches
from kg.extract.places import abbreviation_places
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words

_GAP = 2  # characters allowed between a party and the conjunction next to it
_VERB_GAP = 8  # adverbs and a verb between a clause's subject and 与 (持续深化, 进一步加强)
_SUBJECT_GAP = 20  # 在学科建设、人才培养等方面 between a clause's subject and 与
_WINDOW = 300  # no look-back or look-ahead goes further than this
_LIST_TAIL = 8  # 等9家三甲医院: what may follow a list before its clause ends
_NAME_ROLES = ("附属医院", "直属附属医院", "非直属附属医院", "分院")  # parts of real names
_CUT = 8  # how far after a place a cut-short name may begin
_BRACKET = 30  # the longest bracket skipped inside a list of names
_JOINT_GAP = 6  # 三方共同 between a list and its verb
_ROLE_MODIFIERS = 10  # 的 紧密型医联体 成员单位
_CHAIN = 4  # clauses walked back to find the subject of a clause that omits it

#: In partnership sentences a colon ends a clause too.
_MARKS = CLAUSE_MARKS + "："
_MARK_RE = re.compile(f"[{re.escape(_MARKS)}]")
_LIST_SEPS = ("以及", "、", "和", "及", "与")
_TIME_WORDS = re.compile(
    r"\d+年(?:\d+月)?(?:\d+日)?|\d+月(?:\d+日)?|[上下]午|今年|去年|近年来|近年|多年来|目前"
    r"|同时|此外|随后|此次|年底|年初"
)
_ADVERBS = re.compile(r"积极|主动|先后|全面|深入|持续|进一步|不断|已|还|也|又|均|分别")
_SUPPORT = re.compile(
    r"在([^，。；：]{2,40}?)的[^，。；：的]{0,8}?(支持|帮助|指导|帮扶|援助|关心)(?:和|与|、)?"
    r"(?:支持|帮助|指导|帮扶|援助)?下"
)
_RECEIVED = re.compile(
    r"得到(?:了)?([^，。；：]{2,30}?)的[^，。；：的]{0,8}?(?:支持|帮助|帮扶|指导|援助|相助)"
)
_DISPATCH = re.compile(
    r"(?:赴|到|前往|来到|进驻|入驻|派驻)([^，。；：]{2,20}?)(?:开展|进行|从事)?"
    r"(?:对口支援|支援|帮扶|援建|援藏|援疆|坐诊|驻点|挂职)"
)
_PASSIVE = re.compile(r"由([^，。；：]{2,30}?)(?:全面|负责)?(?:托管|管理运营|运营管理|负责管理)")
_DISPATCHED = re.compile(r"(?:医生|专家|医疗队|医务人员|医护人员|干部|人才)")
_LEADS = re.compile(r"加入(?:由)?")
_INTRODUCES = "引进"
_SUBJECT_WORDS = {"医院": "Hospital", "我院": "Hospital", "该院": "Hospital", "本院": "Hospital"}
_SUBJECT_WORDS |= {"学校": "University", "我校": "University", "该校": "University"}
_DESTINATION = "到赴来"  # 到A与B进行合作: A and B are where the subject goes
_BLOCKED = "blocked"  # a chain of clauses whose subject is not a body we know
_GOVERNMENT = re.compile(r"^(?:市|区|县|州)(?:人民)?政府$")


@cache
def _triggers() -> tuple[dict[str, str], object]:
    rows = {r["trigger"]: r["kind"] for r in read_tsv("patterns/partnership_triggers.tsv")}
    return rows, automaton(rows)


@cache
def _direct_triggers() -> frozenset[str]:
    """Verbs whose object is the partner: A 托管 B, A 对口帮扶 B."""
    return frozenset(
        r["trigger"]
        for r in read_tsv("patterns/partnership_triggers.tsv")
        if r.get("direct") == "1"
    )


@cache
def _conjunctions() -> re.Pattern[str]:
    words = sorted(read_words("patterns/conjunctions.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@cache
def _words(name: str) -> tuple[str, ...]:
    """ontology/patterns/partnership_<name>.txt, longest first."""
    return tuple(sorted(read_words(f"patterns/partnership_{name}.txt"), key=len, reverse=True))


@cache
def _group_words() -> tuple[str, ...]:
    return tuple(sorted(read_words("patterns/partnership_group_words.txt"), key=len, reverse=True))


@cache
def _pre_verbs() -> tuple[str, ...]:
    return tuple(read_words("patterns/partnership_pre_verbs.txt"))


@cache
def _roles() -> tuple[dict[str, tuple[str, str]], object]:
    """教学医院, 附属医院, 分院 …: what a body is to another (role → kind, holder class)."""
    rows = {
        r["role"]: (r["kind"], r.get("holder") or "")
        for r in read_tsv("patterns/partnership_roles.tsv")
    }
    return rows, automaton(rows)


@cache
def _copulas() -> tuple[str, ...]:
    """是, 成为, 作为 … before a role, longest first."""
    return tuple(sorted(read_words("patterns/partnership_copulas.txt"), key=len, reverse=True))


class _Sentence:
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
            self._marks = [m.start() for m in _MARK_RE.finditer(self.text, self.st, self.en)]
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

    def between(self, lo: int, hi: int) -> list[Mention]:
        """Mentions starting in [lo, hi)."""
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return self.ms[i:j]

    # --- clauses ----------------------------------------------------------------------
    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos) - 1
        start = self.marks[i] + 1 if i >= 0 else self.st
        return max(start, pos - _WINDOW, self.st)

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos)
        end = self.marks[i] if i < len(self.marks) else self.en
        return min(end, pos + _WINDOW, self.en)

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
            for sep in _LIST_SEPS:
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
            for i in range(pos + 1, min(self.en, pos + _BRACKET)):
                if self.text[i] in "）)":
                    return i + 1
        return pos

    def _before_bracket(self, pos: int) -> int:
        """The position before a bracket closing at ``pos``, else ``pos``."""
        if pos > self.st and self.text[pos - 1] in "）)":
            for i in range(pos - 2, max(self.st, pos - _BRACKET) - 1, -1):
                if self.text[i] in "（(":
                    return i
        return pos

    def subject_at(self, start: int) -> Mention | str | None:
        """The body a clause opens with (after a time adverbial): a mention, or 医院/学校
        standing for the report's own hospital or university (as a class name)."""
        end = min(self.en, start + 12)
        pos = start
        while pos < end:
            m = _TIME_WORDS.match(self.text, pos)
            if m is None or m.end() == pos:
                break
            pos = m.end()
            while pos < end and self.text[pos] in "，、 ":
                pos += 1
        speech = next((w for w in _words("speech_verbs") if self.text.startswith(w, pos)), None)
        if speech is not None:  # 表示某医院将…: the body said to act
            pos += len(speech)
        m = self.by_start.get(pos)
        if m is not None and m.cls in ("Institution", "Place"):
            return m
        for word, cls in _SUBJECT_WORDS.items():
            if self.text.startswith(word, pos):
                return cls
        return None

    def chain_subject(self, pos: int) -> Mention | str | None:
        """The subject of the clauses before the one holding ``pos``: 近年来，某市深度融入…，
        坚持…，先后与B合作 (the subject named once governs the clauses after it). ``_BLOCKED``
        when a clause before opens with a noun of its own (another subject took over)."""
        cs = self.clause_start(pos)
        for _ in range(_CHAIN):
            if cs <= self.st or pos - cs > _WINDOW:
                return None
            cs = self.clause_start(cs - 1)
            subject = self.subject_at(cs)
            if subject is not None:
                return subject
            if _opens_with_noun(self.text, cs, self.en):
                return _BLOCKED
        return _BLOCKED


def _opens_with_noun(text: str, pos: int, end: int) -> bool:
    """Does the clause at ``pos`` open with a noun (a subject of its own)?"""
    from kg.segment import get_segmenter

    seg = get_segmenter()
    if _TIME_WORDS.match(text, pos) or _ADVERBS.match(text, pos):
        return False
    for n in range(4, 0, -1):
        w = text[pos : min(pos + n, end)]
        if len(w) == n and seg.tokenizer.FREQ.get(w, 0) > 0:
            tag = seg.tag(w)
            return tag.startswith("n") or tag in ("r",)
    return False


def _topic(doc: Document, cls: str) -> str | None:
    """The report's own hospital (university): the one of that class it names most."""
    counts = Counter(m.key for m in doc.mentions if m.cls == "Institution" and m.subclass == cls)
    if not counts:
        return None
    best = max(counts.values())
    return next(k for k, n in counts.items() if n == best)


def _respective(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    """Pairs of 分别: the i-th with the i-th, or one with each of the others."""
    if len(left) == len(right):
        return list(zip(left, right, strict=True))
    if len(left) == 1 or len(right) == 1:
        return [(x, y) for x in left for y in right]
    return [(left[-1], right[0])]  # lists that do not line up: only the adjacent pair


def _titled(text: str, m: Mention) -> bool:
    """院长连庆泉: the title is written before the name (the person signs for a body)."""
    role = m.attr("role")
    return bool(role) and text.endswith(role, 0, m.start)


def _party(m: Mention, doc: Document) -> str | None:
    """The key a mention takes part as: a research centre through its hospital, a person
    named after a title through their body (none when it is unknown), a bare 市政府 as
    the report's place."""
    if m.cls == "Person" and _titled(doc.text, m):
        return m.attr("affiliation")
    parent = m.attr("parent")
    if m.subclass == "ResearchCenter" and parent:
        return parent
    if m.subclass == "MedicalGroup":
        for w in _group_words():
            member = m.name.removesuffix(w)
            if member != m.name and member.endswith(("院", "中心")):
                return f"org:{member}"  # 甲医院医联体签约: 甲医院 signs
    if m.subclass == "GovernmentAgency" and _GOVERNMENT.match(m.surface):
        return _as_place(m.key, doc)
    return m.key


def _as_place(key: str, doc: Document) -> str:
    """市政府 signing for the city stands for the city itself (平顶山市–上海中医药大学)."""
    gaz = load_gazetteer()
    for code in (doc.city, doc.county):
        d = gaz.get(code or "")
        if d is not None and key == f"org:{d.name}人民政府":
            return f"place:{d.key}"
    return key


def _is_agency(key: str | None, mentions: dict[str, Mention]) -> bool:
    m = mentions.get(key or "")
    return m is not None and m.subclass == "GovernmentAgency"


def _is_body(key: str | None, mentions: dict[str, Mention]) -> bool:
    m = mentions.get(key or "")
    return m is not None and m.cls == "Institution" and m.subclass != "GovernmentAgency"


def extract_partnerships(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    text = doc.text
    st, en = sent.start, sent.end
    s_text = text[st:en]
    ix = _Sentence(doc, sent, mentions)
    triggers, auto = _triggers()
    hits = [(s + st, e + st, w) for s, e, w in longest_matches(auto, s_text)]
    hit_starts = [h[0] for h in hits]
    out: list[Relation] = []
    by_key = {m.key: m for m in mentions}

    def rel(
        kind: str,
        parties: list[str | None],
        lead: str | None = None,
        co_built: str | None = None,
    ) -> None:
        uniq = tuple(sorted({p for p in parties if p}))
        if len(uniq) >= 2:
            out.append(
                Relation(
                    "Partnership",
                    kind,
                    uniq,
                    st,
                    en,
                    lead=lead if lead in uniq else None,
                    co_built=co_built,
                    date=ix.date(),
                )
            )

    def resolve_subject(subject: Mention | str | None) -> str | None:
        if subject == _BLOCKED:
            return None
        if isinstance(subject, str):
            return _topic(doc, subject)
        return _party(subject, doc) if subject is not None else None

    def omitted_subject(cs: int) -> tuple[bool, str | None]:
        """The party of a clause that names none before ``cs`` (the conjunction or verb):
        (found, key). Not found when the clause has words of its own before it."""
        start = ix.clause_start(cs)
        before = text[start:cs]
        inside = ix.between(start, cs)
        if inside:
            first = inside[0]
            gap = text[first.end : cs]
            if (
                len(inside) == 1
                and first.start == start
                and 0 < len(gap) <= _SUBJECT_GAP
                and has_cjk(gap)
                and gap.replace("、", "").isalpha()
                and "的" not in gap
            ):  # 我市持续深化与B的合作, 某院在学科、人才等方面与B合作: subject, then a verb
                return True, _party(first, doc)
            return False, None
        rest = _ADVERBS.sub("", _TIME_WORDS.sub("", before)).strip("，、 ")
        if rest in _SUBJECT_WORDS:  # 我校与某市政府签订…: the report's own university
            return True, _topic(doc, _SUBJECT_WORDS[rest])
        if rest and not (
            len(rest) <= _VERB_GAP - 2 and rest.isalpha() and rest.endswith(_pre_verbs())
        ):
            return False, None
        subject = ix.chain_subject(cs)
        if subject == _BLOCKED:
            return False, None
        if subject is not None:
            return True, resolve_subject(subject)
        return self_key is not None, self_key

    # A 与 B(、C …) ... trigger, the trigger in B's clause
    for c in _conjunctions().finditer(s_text):
        cs, ce = c.start() + st, c.end() + st
        b = ix.head(ix.starting(ce, ce + _GAP))
        if b is None or _cut_name(ix, b, hit_starts):
            continue
        b_list = ix.listed(b, 1)
        last = b_list[-1]
        i = bisect.bisect_left(hit_starts, last.end)
        limit = ix.clause_end(last.end)
        if limit - last.end <= _LIST_TAIL and limit < ix.en and text[limit] == "，":
            limit = ix.clause_end(limit + 1)  # 与甲、乙等9家医院，建立了合作关系
        if i >= len(hits) or hits[i][0] >= limit:
            continue
        trig = hits[i]
        a = ix.ending(cs - _GAP, cs)
        if a is not None and not ix.no_mark(a.end, cs):
            a = None
        moved = a is not None and a.start > st and text[a.start - 1] in _DESTINATION
        if a is not None and not moved:
            a_key = _party(a, doc)
        elif a is not None:  # 能够到延边与敦化进行合作: both are where the subject goes
            cs0 = ix.clause_start(a.start)
            a_key = resolve_subject(ix.subject_at(cs0) or ix.chain_subject(a.start))
            if a_key is None:
                continue
            b_list = [a, *b_list]
            a = None
        else:
            found, a_key = omitted_subject(cs)
            if not found:
                continue
        kind = triggers[trig[2]]
        co = None
        co_limit = ix.clause_end(limit + 1) if limit < ix.en else limit  # …签约，合作共建X
        for ts, te, tw in hits[i : i + 8]:
            if ts >= co_limit:
                break
            if triggers[tw] == "coConstruction":
                m = ix.starting(te, te + 2)
                co = m if m is not None and m.cls == "Institution" else None
                if co is not None:
                    kind = "coConstruction"
                    break
        rights = [_party(m, doc) for m in b_list]
        pairs = [(a_key, r) for r in rights]
        cstart = ix.clause_start(cs)
        if a is not None and "分别" in text[max(cstart, a.end) : cs + 1]:
            lefts = [_party(m, doc) for m in ix.listed(a, -1)]
            pairs = _respective(lefts, rights)
        elif a is not None and "分别" in text[cstart : a.start]:  # 分别将A1、A2与B1、B2结对
            pairs = _respective([_party(m, doc) for m in ix.listed(a, -1)], rights)
        elif a is not None:  # A、B与C签订: each of the left with each of the right
            pairs = [(_party(m, doc), r) for m in ix.listed(a, -1) for r in rights]
        if kind != "agreement":  # 省卫健委和省医保局联合印发: agencies acting together
            pairs = [p for p in pairs if not all(_is_agency(k, by_key) for k in p)]
        for left, right in pairs:
            rel(kind, [left, right], co_built=co.key if co is not None else None)
        if co is not None:
            _co_built_partner(co, [p for pair in pairs for p in pair], by_key, rel)
        signers = {p for pair in pairs for p in pair}
        for x in ix.between(last.end, limit):  # 签约仪式暨甲医院某地医院揭牌: its branch
            parent = x.attr("parent")
            if (
                parent in signers
                and x.cls == "Institution"
                and text[x.start - 1] in "暨并"
                and "揭牌" in text[x.end : x.end + 4]
            ):
                rel("support", [parent, x.key], lead=parent)
    out.extend(_joint(doc, ix, hits))
    out.extend(_direct(doc, ix, hits, omitted_subject))
    out.extend(_memberships(doc, ix, omitted_subject))
    out.extend(_role_relations(doc, ix, resolve_subject))
    out.extend(_supports(doc, ix, resolve_subject))
    out.extend(_prepositions(doc, ix, resolve_subject))
    out.extend(_leaders(doc, ix))
    out.extend(_agreement_titles(doc, ix))
    out.extend(_compounds(doc, sent, self_key))
    out.extend(_exchanges(doc, ix, self_key))
    return out


def _cut_name(ix: _Sentence, b: Mention, hit_starts: list[int]) -> bool:
    """龙口 + 南山养生谷肿瘤医院 where only 谷肿瘤医院 was read as a name: a place heading a
    name that was cut short is not the party."""
    if b.cls != "Place":
        return False
    nxt = ix.starting(b.end + 1, b.end + _CUT)
    if nxt is None or nxt.cls != "Institution" or not ix.no_mark(b.end, nxt.start):
        return False
    between = ix.text[b.end : nxt.start]
    i = bisect.bisect_left(hit_starts, b.end)
    has_trigger = i < len(hit_starts) and hit_starts[i] < nxt.start
    return between.isalpha() and not has_trigger and not any(c in "与和及、的" for c in between)


def _joint(doc: Document, ix: _Sentence, hits: list[tuple[int, int, str]]) -> list[Relation]:
    """甲医院、乙医院、丙大学三方签订合作协议: bodies listed by 、 that open a clause and sign
    (or build) together, each with each."""
    text = doc.text
    triggers, _ = _triggers()
    starts = [h[0] for h in hits]
    out = []
    seen: set[int] = set()
    for m in ix.ms:
        if m.start in seen or m.cls != "Institution" or not text.startswith("、", m.end):
            continue
        if ix.clause_start(m.start) != m.start:
            continue
        group = ix.listed(m, 1)
        seen.update(x.start for x in group)
        if len(group) < 2 or any(x.cls != "Institution" for x in group):
            continue
        end = group[-1].end
        i = bisect.bisect_left(starts, end)
        if i >= len(hits) or hits[i][0] > end + _JOINT_GAP or not ix.no_mark(end, hits[i][0]):
            continue
        kind = triggers[hits[i][2]]
        if kind not in ("agreement", "coConstruction"):
            continue
        keys = [k for k in (_party(x, doc) for x in group) if k]
        for a_i, a in enumerate(keys):
            for b in keys[a_i + 1 :]:
                if a != b:
                    out.append(_relation(doc, ix, kind, [a, b]))
    return out


def _co_built_partner(
    co: Mention, parties: list[str | None], by_key: dict[str, Mention], rel
) -> None:  # type: ignore[no-untyped-def]
    """共建上饶市中心医院: an existing hospital co-built by a body becomes its partner; a new
    one named after its builder (上海中医药大学平顶山医院) is what they build, not a party."""
    bodies = [p for p in parties if _is_body(p, by_key)]
    names = [by_key[p].name for p in bodies]
    if any(
        co.name.startswith(n) or co.attr("parent") == p for n, p in zip(names, bodies, strict=True)
    ):
        return
    for p in bodies:
        if p != co.key:
            rel("coConstruction", [p, co.key])


def _direct(doc: Document, ix: _Sentence, hits, omitted_subject) -> list[Relation]:  # type: ignore[no-untyped-def]
    """A 托管 B, A 对口帮扶 B, A 托管的…B: the verb's subject leads, its object is the partner."""
    text = doc.text
    triggers, _ = _triggers()
    out: list[Relation] = []
    for s, e, w in hits:
        if w not in _direct_triggers():
            continue
        a = ix.ending(s - _GAP, s)
        if a is not None and not ix.no_mark(a.end, s):
            a = None
        if a is None:
            a = ix.ending(s - _VERB_GAP, s)
            gap = text[a.end : s] if a is not None else ""
            if a is None or not gap or not ix.no_mark(a.end, s) or _manner(gap):
                a = None
        a_key = _party(a, doc) if a is not None else None
        if a_key is None:
            continue
        if text.startswith("的", e):  # A 托管的三级医院——B
            limit = ix.clause_end(e)
            b = next((m for m in ix.between(e, min(limit, e + 40)) if m.cls == "Institution"), None)
            b_list = [b] if b is not None else []
        else:
            b = ix.head(ix.starting(e, e + _GAP))
            b_list = ix.listed(b, 1) if b is not None else []
            for n, m in enumerate(b_list[1:], 1):  # 甲托管乙、丙托管丁: 丙 opens a clause
                if _starts_trigger(hits, m.end):
                    b_list = b_list[:n]
                    break
        if triggers[w] == "trusteeship":  # one runs a body, not a place
            b_list = [m for m in b_list if m.cls == "Institution"]
        for m in b_list:
            b_key = _party(m, doc)
            if b_key and b_key != a_key:
                out.append(_relation(doc, ix, triggers[w], [a_key, b_key], lead=a_key))
    # 引进A、B、C等N家…医院合作共建…
    for m in re.finditer(_INTRODUCES, text[ix.st : ix.en]):
        s = m.start() + ix.st
        b = ix.starting(s + len(_INTRODUCES), s + len(_INTRODUCES) + _GAP)
        if b is None or b.cls != "Institution":
            continue
        b_list = ix.listed(b, 1)
        limit = ix.clause_end(b_list[-1].end)
        tail = text[b_list[-1].end : limit]
        kind = "coConstruction" if "共建" in tail else "cooperation" if "合作" in tail else None
        if kind is None:
            continue
        a = ix.ending(s - _GAP, s)
        a_key = _party(a, doc) if a is not None else omitted_subject(s)[1]
        for x in b_list:
            k = _party(x, doc)
            if a_key and k and k != a_key:
                out.append(_relation(doc, ix, kind, [a_key, k]))
    return out


@cache
def _manner_words() -> re.Pattern[str]:
    words = sorted(read_words("patterns/partnership_manner_words.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _manner(gap: str) -> bool:
    """Is there more than manner words and adverbs between a party and its verb?"""
    return bool(_manner_words().sub("", _ADVERBS.sub("", gap)).strip('“”"'))


def _starts_trigger(hits: list[tuple[int, int, str]], pos: int) -> bool:
    i = bisect.bisect_left(hits, (pos, -1, ""))
    return i < len(hits) and hits[i][0] <= pos + _GAP


def _relation(
    doc: Document, ix: _Sentence, kind: str, parties: list[str], lead: str | None = None
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


def _memberships(doc: Document, ix: _Sentence, omitted_subject) -> list[Relation]:  # type: ignore[no-untyped-def]
    """A 加入(由) B 牵头(组建)的 C: A is a member of what B leads."""
    text = doc.text
    out = []
    for m in _LEADS.finditer(text, ix.st, ix.en):
        ms, me = m.start(), m.end()
        b = ix.starting(me, me + _GAP)
        if b is None or "牵头" not in text[b.end : b.end + 4]:
            continue
        a = ix.ending(ms - _GAP, ms)
        a_key = _party(a, doc) if a is not None else omitted_subject(ms)[1]
        b_key = _party(b, doc)
        if a_key and b_key and a_key != b_key:
            out.append(_relation(doc, ix, "membership", [a_key, b_key], lead=b_key))
    return out


def _role_relations(doc: Document, ix: _Sentence, resolve_subject) -> list[Relation]:  # type: ignore[no-untyped-def]
    """A 是/成为 B、C 等的 教学医院: A holds a role (data: partnership_roles.tsv) for each."""
    text = doc.text
    roles, auto = _roles()
    out = []
    for s, _e, w in longest_matches(auto, text[ix.st : ix.en]):
        j = s + ix.st
        de = text.rfind("的", max(ix.st, j - _ROLE_MODIFIERS), j)
        if de != -1 and ix.no_mark(de, j) and not ix.between(de, j):
            j = de  # 是A的紧密型医联体成员单位: modifiers between 的 and the role
        if text.endswith("等", 0, j):
            j -= 1
        y = ix.by_end.get(j)
        if y is None:  # 是某大学教学医院, read as one name: the role ends a longer name
            ys = _role_in_name(doc, ix, j, j + len(w), w)
        elif y.cls != "Institution":
            continue
        else:
            ys = ix.listed(y, -1)
        if not ys:
            continue
        k = ys[0].start
        cop = next((c for c in _copulas() if text.endswith(c, 0, k)), None)
        if cop is None:
            continue
        k -= len(cop)
        kind, holder = roles[w]
        x = ix.ending(k - _GAP, k)
        subject: Mention | str | None
        if x is not None and ix.no_mark(x.end, k) and x.cls == "Institution":
            subject = x
        else:
            start = ix.clause_start(k)
            subject = ix.subject_at(start) or ix.chain_subject(k)
            if subject is not None and not isinstance(subject, str):
                if subject.cls != "Institution":
                    subject = None
            if subject is None and holder:
                subject = holder  # 2022年挂牌成为某大学附属医院: the report's own hospital
        x_key = resolve_subject(subject)
        for m in ys:
            y_key = _party(m, doc)
            if x_key and y_key and x_key != y_key:
                out.append(_relation(doc, ix, kind, [x_key, y_key]))
    return out


def _role_in_name(doc: Document, ix: _Sentence, j: int, end: int, role: str) -> list[Mention]:
    """某大学教学医院 taken as one name: the body before the role, when the report names it."""
    m = ix.by_end.get(end)
    if m is None or m.cls != "Institution" or m.start >= j or role in _NAME_ROLES:
        return []
    rest = doc.text[m.start : j]
    partner = next(
        (x for x in doc.mentions if x.cls == "Institution" and rest in (x.name, x.surface)), None
    )
    if partner is None:
        return []
    return [Mention(partner.cls, partner.subclass, partner.key, partner.name, rest, m.start, j)]


def _supports(doc: Document, ix: _Sentence, resolve_subject) -> list[Relation]:  # type: ignore[no-untyped-def]
    """在 A 的大力支持下，B…; B 在 A 的指导帮助下; A…赴 B 开展对口支援 (support, A leads)."""
    text = doc.text
    out = []
    for m in _SUPPORT.finditer(text, ix.st, ix.en):
        a = ix.by_end.get(m.end(1))
        if a is None or a.subclass == "GovernmentAgency":
            continue  # 在省卫健委的指导下: a superior's guidance is administration
        b = ix.ending(m.start() - _GAP, m.start())
        if b is not None and not ix.no_mark(b.end, m.start()):
            b = None
        if b is None:
            nxt = m.end() + (1 if text[m.end() : m.end() + 1] in "，," else 0)
            subject = ix.subject_at(nxt) if nxt < ix.en else None
        else:
            subject = b
        a_key, b_key = _party(a, doc), resolve_subject(subject)
        if a_key and b_key and a_key != b_key:
            out.append(_relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    for m in _RECEIVED.finditer(text, ix.st, ix.en):  # B得到A等…的支持: A helps B
        givers = [
            x
            for x in ix.between(m.start(1), m.end(1))
            if x.cls in ("Institution", "Place") and x.subclass != "GovernmentAgency"
        ]
        if not givers:
            continue
        b = ix.ending(m.start() - _VERB_GAP, m.start())
        if b is not None and not ix.no_mark(b.end, m.start()):
            b = None
        subject = b or ix.subject_at(ix.clause_start(m.start())) or ix.chain_subject(m.start())
        b_key = resolve_subject(subject)
        for a in ix.listed(givers[0], 1):
            a_key = _party(a, doc)
            if a_key and b_key and a_key != b_key:
                out.append(_relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    for m in _PASSIVE.finditer(text, ix.st, ix.en):  # B由A托管: A runs B
        a = ix.by_end.get(m.end(1))
        if a is None or a.cls != "Institution" or text.startswith("的", m.end()):
            continue
        cs = ix.clause_start(m.start())
        subject = ix.subject_at(cs) if cs < m.start() else None
        if subject is None or subject is a:
            subject = ix.chain_subject(m.start())
        if isinstance(subject, Mention) and subject.cls != "Institution":
            continue
        a_key, b_key = _party(a, doc), resolve_subject(subject)
        if a_key and b_key and a_key != b_key:
            out.append(_relation(doc, ix, "trusteeship", [a_key, b_key], lead=a_key))
    for m in _DISPATCH.finditer(text, ix.st, ix.en):
        b = ix.starting(m.start(1), m.start(1))
        if b is None or b.end > m.end(1) + 1 or b.cls not in ("Institution", "Place"):
            continue
        cs = ix.clause_start(m.start())
        sender = None
        for x in ix.between(cs, m.start()):  # 150名上海医生赴…: the place the doctors are from
            if x.cls in ("Place", "Institution") and _DISPATCHED.match(text, x.end):
                sender = x
        subject = sender or ix.subject_at(cs) or ix.chain_subject(m.start())
        a_key, b_key = resolve_subject(subject), _party(b, doc)
        if a_key and b_key and a_key != b_key:
            out.append(_relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    return out


@cache
def _help_words() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, _words("support_words"))))


def _prepositions(doc: Document, ix: _Sentence, resolve_subject) -> list[Relation]:  # type: ignore[no-untyped-def]
    """A 对 B 进行全面帮扶, A 为 B 提供技术支持: support from the clause's subject to B."""
    text = doc.text
    help_words = _help_words()
    out = []
    for prep in _words("prepositions"):
        pos = text.find(prep, ix.st, ix.en)
        while pos != -1:
            pe = pos + len(prep)
            nxt = text.find(prep, pe, ix.en)
            b = ix.head(ix.by_start.get(pe))
            if b is not None and b.cls in ("Institution", "Place"):
                end = ix.clause_end(b.end)
                if help_words.search(text, b.end, end):
                    a = ix.ending(pos - _GAP, pos)
                    if a is not None and not ix.no_mark(a.end, pos):
                        a = None
                    subject = a or ix.subject_at(ix.clause_start(pos))
                    if subject is None:
                        subject = ix.chain_subject(pos)
                    a_key, b_key = resolve_subject(subject), _party(b, doc)
                    if a_key and b_key and a_key != b_key:
                        out.append(_relation(doc, ix, "support", [a_key, b_key], lead=a_key))
            pos = nxt
    return out


def _agreement_titles(doc: Document, ix: _Sentence) -> list[Relation]:
    """《甲医院乙市人民政府紧密型医联体合作框架协议》: the bodies its title names sign it."""
    titles = [
        m for m in ix.ms if m.cls == "Program" and m.name.endswith(_words("agreement_titles"))
    ][:20]
    if not titles:
        return []
    names: dict[str, str] = {}
    for m in doc.mentions:
        if m.cls == "Institution" and len(m.surface) >= 4:
            names.setdefault(m.surface, m.key)
            names.setdefault(m.name, m.key)
    out = []
    longest = sorted(names, key=len, reverse=True)
    for t in titles:
        title = doc.text[t.start : t.end].lstrip("《“")
        keys: list[str] = []
        pos = 0
        while pos < len(title):  # the parties open the title, one after another
            name = next((n for n in longest if title.startswith(n, pos)), None)
            if name is None:
                break
            keys.append(names[name])
            pos += len(name)
            sep = next((j for j in ("与", "和", "、", "—", "-") if title.startswith(j, pos)), "")
            pos += len(sep)
        if len(set(keys)) >= 2:
            out.append(_relation(doc, ix, "agreement", keys))
    return out


def _leaders(doc: Document, ix: _Sentence) -> list[Relation]:
    """以 A 为龙头，B、C 积极参与 (…组成医联体): each member with its leader."""
    text = doc.text
    out = []
    for word in _words("leader_words"):
        pos = text.find("为" + word, ix.st, ix.en)
        while pos != -1:
            a = ix.by_end.get(pos)
            if a is not None and text.endswith("以", 0, a.start):
                end = ix.clause_end(pos)
                start = end + 1
                b = ix.by_start.get(start)
                if b is not None:
                    members = ix.listed(b, 1)
                    after = text[members[-1].end : members[-1].end + 8]
                    if any(w in after for w in _words("member_words")):
                        for m in members:
                            a_key, b_key = _party(a, doc), _party(m, doc)
                            if a_key and b_key and a_key != b_key:
                                out.append(
                                    _relation(doc, ix, "membership", [a_key, b_key], lead=a_key)
                                )
            pos = text.find("为" + word, pos + 1, ix.en)
    return out


def _abbr_map(doc: Document) -> dict[str, str]:
    return _abbr_map_for(doc.city)


@cache
def _abbr_map_for(city: str | None) -> dict[str, str]:
    """Province abbreviations plus the report city's own first character (长 for 长治)."""
    amap = {k: f"place:{d.key}" for k, d in abbreviation_places().items()}
    d = load_gazetteer().get(city or "")
    if d is not None:
        amap[d.short[0]] = f"place:{d.key}"
    return amap


def compound_pattern(doc: Document) -> re.Pattern[str] | None:
    return _compound_pattern_for(doc.city)


@cache
def _compound_pattern_for(city: str | None) -> re.Pattern[str] | None:
    chars = "".join(sorted(_abbr_map_for(city)))
    if not chars:
        return None
    return re.compile(
        f"([{re.escape(chars)}]{{2,4}})(?:“[^”]{{0,8}}”)?[^，。；]{{0,6}}?"
        f"(合作|协作|共建|对口|帮扶|协同)"
    )


def compound_places(doc: Document) -> list[Mention]:
    """The places named by one-character abbreviations in compounds (京 in 京长合作)."""
    pat = compound_pattern(doc)
    if pat is None:
        return []
    amap = _abbr_map(doc)
    gaz = load_gazetteer()
    out = []
    for m in pat.finditer(doc.text):
        if m.start() > 0 and _binds(doc.text[m.start() - 1 : m.start() + 1]):
            continue
        for i, ch in enumerate(m.group(1)):
            d = gaz.get(amap[ch].removeprefix("place:"))
            if d is not None:
                s = m.start() + i
                out.append(Mention("Place", d.level, amap[ch], d.name, ch, s, s + 1))
    return out


def _compounds(doc: Document, sent: Sentence, self_key: str | None) -> list[Relation]:
    """京长合作, 沪滇协作, 晋冀鲁豫…协作: two or more one-character place abbreviations."""
    amap = _abbr_map(doc)
    pat = compound_pattern(doc)
    if pat is None:
        return []
    out = []
    for m in pat.finditer(doc.text, sent.start, sent.end):
        if m.start() > sent.start and _binds(doc.text[m.start() - 1 : m.start() + 1]):
            continue  # 南京长江: the first character belongs to a longer word
        keys = tuple(sorted({amap[c] for c in m.group(1)}))
        if len(keys) >= 2:
            kind = "support" if m.group(2) in ("对口", "帮扶") else "cooperation"
            out.append(Relation("Partnership", kind, keys, sent.start, sent.end))
    return out


_EXCHANGE = re.compile(
    r"(选派|派出|派驻|组织|推荐)[^，。；]{0,12}?(来|到|赴|去|参加)([\u4e00-\u9fff]{1,4}?)"
    r"(访问学者|坐诊|帮扶|指导|会诊|支援|培训|进修|交流|学习)"
)


def _exchanges(doc: Document, ix: _Sentence, self_key: str | None) -> list[Relation]:
    """X 选派专家来长坐诊 (support), 我市选派骨干赴京培训 (exchange)."""
    amap = _abbr_map(doc)
    text = doc.text
    out = []
    for m in _EXCHANGE.finditer(text, ix.st, ix.en):
        target_text = m.group(3)
        t = ix.by_start.get(m.start(3))
        target = t.key if t is not None and t.cls in ("Place", "Institution") else None
        if target is None and len(target_text) == 1:
            target = amap.get(target_text)
        src = ix.ending(ix.clause_start(m.start()), m.start())
        src_key = src.key if src is not None else self_key
        if not target or not src_key or target == src_key:
            continue
        kind = (
            "exchange" if m.group(4) in ("访问学者", "培训", "进修", "交流", "学习") else "support"
        )
        out.append(
            Relation(
                "Partnership",
                kind,
                tuple(sorted({src_key, target})),
                ix.st,
                ix.en,
                lead=src_key if kind == "support" else None,  # the supporter leads
            )
        )
    return out


def _binds(pair: str) -> bool:
    from kg.segment import get_segmenter

    return get_segmenter().tokenizer.FREQ.get(pair, 0) > 0
