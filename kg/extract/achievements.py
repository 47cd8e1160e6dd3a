"""Achievements: holder + trigger + title, with date, level, awarding body and program.

The holder is the subject before the trigger in the same clause (several when
coordinated with 、); 我市/全市 are the report's own place. A department written after
its hospital (市医院普外科) makes the hospital the holder and goes into the title; people
who end the subject (市中心医院王建华主任获评…) hold it themselves. Plans and targets
(要, 将, 力争 …) are skipped.

A clause without a subject of its own goes on with the clause before: back over clauses
that open with 并/同时/经过/是 … to the one that opens with a name (…医院始建于1890年，
经过多年发展，现已成为…), else the report's place. 医院/该院/其 as a subject is the
institution that last opened a clause. Objects are lists: 获评国家三级甲等医院、全国百佳
医院 are two achievements, split where each part ends in a designation's head noun.

Stated designations count (是国家…中心, 作为省属三级甲等医院): after 是/作为 each listed
item must end in a head and carry a status word or a place in front; X的附属医院 (a
relation) and 最大的…/…之一 (descriptions) are not designations. Rankings (县域内就诊率
全省第1, 在…考核中排在全国第一) are read from the clause itself.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import (
    MAX_CLAUSE,
    automaton,
    clause_end,
    clause_start,
    date_before,
    evidence_span,
    longest_matches,
    starting_at,
    strip_quotes,
    within,
)
from kg.lexicon import read_tsv, read_words

_TRIM_HEAD = re.compile(r"^(?:了|为|成为|到|至|上|获得|得|一所|一家|一座)+")
_TRIM_TAIL = re.compile(r"(?:荣誉称号|称号|牌匾|奖牌|的良好成绩|的好成绩|的成绩|荣誉|等荣誉)$")
_DEPT = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:科|科室|中心|病区|党支部|党总支|支部))")
_DEPTS = re.compile(rf"{_DEPT.pattern}(?:[、和及]{_DEPT.pattern})*")
#: 等4大国家级医改试点, 等3个项目: the count that closes a list is not part of its last item.
_LIST_TAIL = re.compile(r"等(?:\d+|[一二三四五六七八九十两]+)[大个项家所类批]\S*$")
_DATEISH = r"于?\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日|\d+年来"
#: 连续五年, 三次: how many times, not who.
_TIMES = r"(?:连续)?[一二三四五六七八九十两\d]+(?:年|次|届|度)来?"
_TOP = re.compile(r"前[一二三四五六七八九十百\d]+(?:名|位|强)?$")  # 位列全国前十, 进入全国前100名
_NTH = re.compile(r"第[一二三四五六七八九十\d]+(?:位|名)?$")
_COUNTED = re.compile(r"[\d一二三四五六七八九十两]+[个家项所名]")  # 21个学科: counted, no one unit
_COUNT_OF = re.compile(r"(?:[多几数\d一二三四五六七八九十两]+[个项次])[“\"]?$")
#: A+, A级, A++等次, 优秀等次: a grade in a review, its title with the review it is in.
_GRADE = re.compile(r"[A-E][+＋]*(?:级|等|等级|等次)?|优秀等次|优秀等级")
#: 三级甲等综合医院, 国家二级甲等中医医院: a hospital grade, the whole object of a clause.
_HOSPITAL_GRADE = re.compile(
    r"(?:国家|省级)?(?:三级|二级|一级)?(?:甲等|乙等|三甲|二甲|三乙|二乙)[\u4e00-\u9fff]{0,8}?(?:医院|保健院)"
)
_ONE_OF = re.compile(r"[\d一二三四五六七八九十百]+[个家所座名位](.*)之一$")
_OPEN, _CLOSE = "“《（(「", "”》）)」"
_PARTY = ("Institution", "Place")
_HOSPITALS = ("Hospital", "HealthCenter")
#: Kinds whose object may be a list of several titles.
_LISTS = ("designation", "honour", "selection", "approval")


@cache
def _triggers() -> tuple[dict[str, tuple[str, tuple[str, ...], str]], object]:
    rows = {
        r["trigger"]: (
            r["kind"],
            tuple(x for x in r.get("needs", "").split("|") if x),
            r.get("mode", ""),
        )
        for r in read_tsv("patterns/achievement_triggers.tsv")
    }
    return rows, automaton(rows)


@cache
def _participles() -> tuple[str, ...]:
    """授予的, 确定的 …: the rows of kind none that end in 的 (who gave a designation)."""
    return tuple(w for w, row in _triggers()[0].items() if row[0] == "none" and w.endswith("的"))


def _issued(before: str) -> bool:
    """国家卫健委确定的…: the part before 的 says who issued the designation."""
    return before.endswith(_participles())


def _alternation(path: str) -> str:
    return "|".join(re.escape(w) for w in sorted(read_words(path), key=len, reverse=True))


@cache
def _lead() -> re.Pattern[str]:
    """Dates and adverbs that may open a clause before its subject (2023年6月，再次…)."""
    adverbs = _alternation("patterns/achievement_adverbs.txt")
    return re.compile(rf"(?:{_DATEISH}|{_TIMES}|{adverbs})*")


@cache
def _noise() -> re.Pattern[str]:
    """What is not a subject between a clause start and the trigger: dates, adverbs."""
    adverbs = _alternation("patterns/achievement_adverbs.txt")
    scopes = _alternation("patterns/ranking_scopes.txt")
    return re.compile(
        rf"{_DATEISH}|{_TIMES}|[\d年月日底初]|{adverbs}|\s"
        rf"|在[^，。；]{{1,40}}?(?:中|上|方面|期间)|在(?:{scopes})(?:范围内)?"
    )


@cache
def _continuation() -> re.Pattern[str]:
    words = _alternation("patterns/clause_continuations.txt")
    return re.compile(rf"(?:{_lead().pattern})(?:{words})")


@cache
def _anaphor() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation('patterns/achievement_anaphora.txt')})")


@cache
def _place_anaphor() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation('patterns/place_anaphora.txt')})")


def _own(doc: Document) -> str | None:  # the report's own place, as a holder key
    return f"place:{doc.own_place}" if doc.own_place else None


@cache
def _heads() -> tuple[str, ...]:
    return tuple(sorted(read_words("patterns/designation_heads.txt"), key=len, reverse=True))


@cache
def _rank() -> re.Pattern[str]:
    scopes = _alternation("patterns/ranking_scopes.txt")
    not_rank = r"[一二三四五六七八九十\d批家个所届次期轮季条项年人方代阶]"  # 第3批, 第三人民医院
    n = rf"第[一二三四五六七八九十\d]+(?!{not_rank})(?:位|名)?"
    return re.compile(
        rf"(?:{scopes})[^，。；、]{{0,20}}?(?:{n}|前列|首位|前茅|第一方阵|第一梯队)"
        rf"|(?:排名|排在|排|位列|名列|并列)(?:{scopes})?{n}"
    )


def _level(text: str) -> str | None:
    if re.search(r"全国|国家|中央", text):
        return "nationalLevel"
    if re.search(r"全省|省级|省部级|^省", text) or re.match(r"[\u4e00-\u9fff]{1,3}省", text):
        return "provincialLevel"
    if re.search(r"市级|全市", text):
        return "municipalLevel"
    if re.search(r"县级", text):
        return "countyLevel"
    return None


def _dice(a: str, b: str) -> float:
    x = {a[i : i + 2] for i in range(len(a) - 1)} or {a}
    y = {b[i : i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(x & y) / (len(x) + len(y))


class _DocIndex:
    """Per report: the institutions that open a clause (the subjects 医院/该院/其 refer back
    to), by position, and the institution the report names most."""

    def __init__(self, doc: Document) -> None:
        text = doc.text
        self.positions: dict[bool, list[int]] = {False: [], True: []}
        self.keys: dict[bool, list[str]] = {False: [], True: []}
        counts: dict[bool, Counter[str]] = {False: Counter(), True: Counter()}
        lead = _lead()
        self.places: list[tuple[int, str]] = []
        for m in doc.mentions:
            if m.cls == "Place" and m.counted:
                cs = clause_start(text, m.start, 0)
                if lead.fullmatch(text, cs, m.start) is not None:
                    self.places.append((m.start, m.key))
            if m.cls != "Institution" or not m.counted:
                continue
            kinds = (False, True) if m.subclass in _HOSPITALS else (False,)
            cs = clause_start(text, m.start, 0)
            opens = lead.fullmatch(text, cs, m.start) is not None
            for k in kinds:
                counts[k][m.key] += 1
                if opens:
                    self.positions[k].append(m.start)
                    self.keys[k].append(m.key)
        self.main = {k: c.most_common(1)[0][0] if c else None for k, c in counts.items()}
        self.titles: dict[str, list[tuple[str, int]]] = {}

    def repeated(self, holder: str, title: str, where: int) -> bool:
        """Has the report already given ``holder`` this title, or one much like it
        (作为省级区域医疗中心 after 是山东省区域医疗中心), in another sentence or clause
        than ``where``? Records it when not (the same fact read again is no repeat)."""
        t = strip_quotes(title)
        for old, at in self.titles.setdefault(holder, []):
            if at == where and old == t:
                return False
            if t in old or old in t:
                return True
            if " " not in t + old and _level(t) == _level(old) and _dice(t, old) >= 0.6:
                return True
        self.titles[holder].append((t, where))
        return False

    def place_before(self, pos: int, own: str | None) -> str | None:
        """该县/该市: the report's own place, else the place that last opened a clause."""
        if own:
            return own
        i = bisect.bisect_left(self.places, (pos, ""))
        return self.places[i - 1][1] if i else None

    def before(self, pos: int, hospital: bool = False) -> str | None:
        """The institution (a hospital for 医院/该院) that last opened a clause before
        ``pos``, else the one the report names most."""
        i = bisect.bisect_left(self.positions[hospital], pos)
        return self.keys[hospital][i - 1] if i else self.main[hospital]


_LAST: list = [None, None]  # the document indexed last, and its index


def _index(doc: Document) -> _DocIndex:
    if _LAST[0] is not doc:
        _LAST[0], _LAST[1] = doc, _DocIndex(doc)
    return _LAST[1]


def _bare(text: str) -> str:
    return _noise().sub("", text)


def _subject_mention(text: str, cs: int, hi: int, mentions: list[Mention]) -> Mention | None:
    """The place or institution that opens the clause at ``cs`` (after dates and adverbs)."""
    lm = _lead().match(text, cs, hi)
    pos = lm.end() if lm else cs
    first = [
        m
        for m in starting_at(mentions, pos)
        if m.cls in _PARTY and (m.counted or (m.cls == "Place" and not m.name))
    ]
    return max(first, key=lambda m: m.end) if first else None


def _anaphor_at(
    doc: Document, text: str, pos: int, hi: int, measure: bool = False
) -> tuple[str, str | None] | None:
    """医院/该院/其产科 at ``pos``: the institution it refers to, and a department after it
    (or, with ``measure``, anything ranked: 医院综合实力位居…)."""
    am = _anaphor().match(text, pos, hi)
    if am is None:
        return None
    rest = _bare(text[am.end() : hi])
    dm = _DEPT.fullmatch(rest) if rest else None
    if rest and dm is None and not (measure and "，" not in rest):
        return None
    dm = None if measure else dm
    key = _index(doc).before(pos, "院" in am.group())
    return (key, dm.group(1) if dm else None) if key else None


def _topic_back(
    doc: Document,
    cs: int,
    mentions: list[Mention],
    floor: int,
    lax: bool = False,
    over_semicolon: bool = True,
) -> tuple[str, str | None] | None:
    """The subject a clause without one continues: back over the clauses of the sentence
    that open with 并/同时/经过/是 … (or only a date), to one that opens with a name or
    with 医院/该院. ``lax`` (a stated designation): back over any clause without a name of
    its own (…医院始建于1950年，占地200亩，是…), the topic of a Chinese sentence; without
    ``over_semicolon`` only over commas (a verb of achievement: …医院现有职工3000人，开放
    床位2000张，先后荣获…), a clause after ； is another item of a report's list."""
    text = doc.text
    laxed = False
    for _ in range(8):
        if cs <= floor:
            return _sentence_before(doc, floor)
        if text[cs - 1] not in "，；" or (laxed and not over_semicolon and text[cs - 1] == "；"):
            return None
        ps = clause_start(text, cs - 1, floor)
        m = _subject_mention(text, ps, cs - 1, mentions)
        if m is not None:
            return m.key, None
        lm = _lead().match(text, ps, cs - 1)
        pos = lm.end() if lm else ps
        am = _anaphor().match(text, pos, cs - 1)
        if am is not None:
            key = _index(doc).before(pos, "院" in am.group())
            return (key, None) if key else None
        if _place_anaphor().match(text, pos, cs - 1):
            key = _index(doc).place_before(pos, _own(doc))
            return (key, None) if key else None
        if not (_continuation().match(text, ps, cs - 1) or pos >= cs - 1):
            if not lax or within(mentions, ps, cs - 1):
                return None  # (lax) a clause naming someone else is no clause of this topic
            laxed = True
        cs = ps
    return None


def _sentence_before(doc: Document, start: int) -> tuple[str, str | None] | None:
    """A sentence that opens without subject, in the paragraph of one that opens with an
    institution (…医院始建于1950年。2010年晋升为…), goes on about that institution."""
    text = doc.text
    i = bisect.bisect_left(doc.sentences, start, key=lambda st: st.start)
    if i == 0:
        return None
    prev = doc.sentences[i - 1]
    if "\n" in text[max(prev.start, prev.end - 1) : start]:
        return None  # another paragraph
    m = _subject_mention(text, prev.start, prev.end, doc.mentions)
    return (m.key, None) if m is not None and m.cls == "Institution" else None


def _split(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The items of a listed object (A、B和C), split outside quotes and brackets and only
    where each part ends in a designation's head: 国家呼吸、中医脑病区域医疗中心 is one."""
    seps = []
    depth = 0
    for i in range(lo, hi):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in "、和及":
            seps.append(i)
    if not seps:
        return [(lo, hi)]
    pieces = list(zip([lo, *(p + 1 for p in seps)], [*seps, hi], strict=True))
    out: list[tuple[int, int]] = []
    start = None
    for a, b in pieces:
        start = a if start is None else start
        if _has_head(text[start:b]):
            out.append((start, b))
            start = None
    if start is not None:
        if out and len(_clean(text[start:hi])) < 4:
            out[-1] = (out[-1][0], hi)  # …、…等: a tail, not an item
        else:
            out.append((start, hi))
    return out


def _clean(title: str) -> str:
    title = _TRIM_TAIL.sub("", _TRIM_HEAD.sub("", title)).strip()
    title = _LIST_TAIL.sub("", title).strip()
    return re.sub(r"(?:之一|等)$", "", title)  # 全国百佳医院之一, …奖状等荣誉称号


def _status(title: str) -> bool:
    """One status (建成国家级胸痛中心, 建成…重点专科), not a count or a list of things built
    (建成3个…中心, 建成临床服务、急诊急救…五大中心)."""
    if not _has_head(title) or _COUNTED.match(title) or re.search(r"[、，]", title):
        return False
    markers = read_words("patterns/designation_markers.txt")
    return _level(title) is not None or any(w in title for w in markers)


def _has_head(title: str) -> bool:
    t = strip_quotes(_clean(title)).rstrip("）)")
    return t.endswith(_heads())


def _affiliation(before: str, a: int, mentions: list[Mention]) -> bool:
    """X的附属医院, 重庆大学、陆军军医大学等的教学医院: the part before 的 only names
    institutions, so the phrase is a relation to them, not a designation."""
    rest = before
    for m in within(mentions, a, a + len(before)):
        if m.cls == "Institution":
            rest = rest.replace(m.surface, "")
    return len(rest) < len(before) and not re.sub(r"[、和及与等]", "", rest).strip()


def _designation(
    text: str, a: int, b: int, mentions: list[Mention], copula: bool
) -> tuple[str, int] | None:
    """The title of a stated designation in [a, b), and where it starts, or None."""
    title = _clean(text[a:b])
    at = text.find(title, a, b) if title else -1
    a = at if at != -1 else a
    if copula and any(x in title for x in read_words("patterns/designation_exclusions.txt")):
        return None
    one = _ONE_OF.search(text[a:b].rstrip())
    if one and not any(w in one.group(1) for w in read_words("patterns/designation_markers.txt")):
        return None  # 全国6个城市之一: one of a number, the designation is elsewhere (but
        # 全国首批50家试点医院之一 names it)
    if "的" in title:
        before, after = title.rsplit("的", 1)
        if _affiliation(before, a, mentions):
            return None
        markers = read_words("patterns/designation_markers.txt")
        if copula and (not any(w in before for w in markers) or _issued(before + "的")):
            a += len(before) + 1  # 历史悠久、实力强劲的综合性三甲医院, 卫生部授予的“爱婴医院”
            title = after  # (全省首家通过…评审的…医院 keeps its first part)
    plain = strip_quotes(title)
    if len(plain) < 2:
        return None
    inst = [m for m in starting_at(mentions, a) if m.cls == "Institution"]
    inst_end = max((m.end for m in inst), default=a)
    if inst and inst_end < a + len(title):
        after = text[inst_end : a + len(title)]
        if any(w in after for w in read_words("patterns/affiliation_words.txt")):
            return None  # 重庆大学直属附属医院: the kind of hospital a university has
    if not copula:
        return title, a
    if not plain.rstrip("）)").endswith(_heads()) or (inst and inst_end >= a + len(title)):
        return None  # 是某某医院: a name (or a former one), not a status
    if any(w in plain for w in read_words("patterns/designation_markers.txt")):
        return title, a
    place_first = any(m.cls == "Place" for m in starting_at(mentions, a))
    if place_first and not plain.endswith(("医院", "院")):  # 四川省…基地; 某市…医院 is a name
        return title, a
    return None


def extract_achievements(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    text = doc.text
    triggers, auto = _triggers()
    plan = read_words("patterns/plan_markers.txt")
    out: list[Relation] = []
    held: dict[int, str] = {}  # clause start -> holder, for the clauses that gave one
    found = [
        (s0 + sent.start, e0 + sent.start, w)
        for s0, e0, w in longest_matches(auto, text[sent.start : sent.end])
        if triggers[w][0] != "none"
    ]
    starts = [f[0] for f in found]
    for i, (s, e, w) in enumerate(found):
        kind, needs, mode = triggers[w]
        contains = mode == "contains"
        copula = mode in ("copula", "named")
        cs, ce = clause_start(text, s, sent.start), clause_end(text, s, sent.end)
        later = found[i + 1 : bisect.bisect_left(starts, ce, lo=i + 1)]
        if later and copula and triggers[later[0][2]][2] in ("copula", "named"):
            continue  # 作为…是: the later verb heads the clause
        later = [f for f in later if copula or triggers[f[2]][2] not in ("copula", "named", "verb")]
        if copula or kind == "designation":  # 是/成为全省首家通过…评审的…医院: a verb in a
            later = [  # relative clause of the object (not another 成为: 建成后将成为…的)
                f
                for f in later
                if text.find("的", f[1], ce) == -1 or (not copula and triggers[f[2]][0] == kind)
            ]
        if later:  # 获得…评价为“优”: a copula inside the object does not end it
            nxt = later[0][0]
            cut = text.rfind("、", e, nxt)
            ce = cut if cut != -1 else nxt
        subject = text[cs:s]
        given = None  # 国家卫健委授予我市…称号: the active voice, the holder after the verb
        if mode == "passive" and "被" not in subject:
            given = next(
                (m for m in within(mentions, e, e + 2, ends=False) if m.cls in _PARTY),
                None,
            )
            if given is None:
                continue
        elif mode == "dative" and "被" not in subject:  # 省卫健委为/向某医院授牌“…”
            given = _dative(text, cs, s, mentions)
            if given is None:
                continue
        lo = given.end if given is not None and mode == "passive" else e
        disposal = _disposal(text, cs, s, mentions)
        if _planned(text, cs, s, mentions, plan - {"将"} if disposal else plan):
            continue  # 将X设置为Y: that 将 is no future
        if _deadline(text, sent.start, s, doc.year):
            continue  # 到2027年，某医院建成…: a target
        if any(g in text[max(cs, s - 4) : e] for g in read_words("patterns/goal_verbs.txt")):
            continue  # 把X建设成为Y: a goal
        if given is not None:
            giver = [m for m in within(mentions, cs, given.start) if m.cls == "Institution"]
            holders, depts = [given.key], [None]
            awarded = giver[-1].key if giver else None
        else:
            holders, depts, awarded = _holders(doc, cs, s, ce, mentions, self_key, sent, w)
        if not holders:
            continue
        if mode == "verb":  # 被省卫健委通报表扬: the praise itself, by whom, is the title
            bei = text.rfind("被", cs, s)
            if bei == -1:
                continue
            lo, ce = bei + 1, e
        spans = _split(text, lo, ce) if kind in _LISTS and mode != "verb" else [(lo, ce)]
        titles = []
        for a, b in spans:
            if kind in ("designation",) or copula:
                d = _designation(text, a, b, mentions, copula)
                if d is None:
                    continue
                title, a = d
            else:
                title = _clean(text[a:b])
            if not strip_quotes(title).strip() and kind == "selection":
                title = _list_named(text, sent.start, cs) or ""  # …公布X名单，Y成功入选
            if mode == "dative" and not (_has_head(title) or title[:1] in _OPEN):
                continue  # 向医院赠送锦旗: a thank-you, not an honour
            if kind == "honour" and _GRADE.fullmatch(strip_quotes(title)):
                # 在全国三级公立医院绩效考核中获评A级: the grade of the review it is in
                title = _ranked_in(text, cs, s) + title
            elif len(strip_quotes(title)) < (2 if kind in ("promotion", "designation") else 3):
                continue  # 再获优秀: praise, not a title
            plain = strip_quotes(title) if not contains else title
            if mode == "marked" and not _status(plain):
                continue  # 建成新门诊楼, 建成3个…中心: buildings and capacity, not a status
            if needs and not (
                (any(n in text[lo:ce] for n in needs) if contains else plain.endswith(needs))
                or (kind == "ranking" and (_NTH.search(plain) or _TOP.search(plain)))
            ):
                continue
            if (kind == "ranking" or mode == "measure") and not within(mentions, cs, s):
                subj = text[cs:s]
                lm = _lead().match(subj)
                subj = subj[lm.end() :] if lm else subj
                if _bare(subj) and not _anaphor().match(subj) and "在" not in subj[:1]:
                    title = subj + title  # 县域内就诊率位居全省前列
            elif kind == "ranking":  # 我市健康城市建设评价结果位居全省第一: what is ranked
                named = [m for m in within(mentions, cs, s) if m.cls in _PARTY]
                subj = text[named[-1].end : s] if named else ""
                lm = _lead().match(subj)
                subj = subj[lm.end() :] if lm else subj
                tail = subj.startswith(("等", "、", "和", "及"))
                plain_subj = not ("在" in subj or tail or _COUNTED.search(subj))
                if _bare(subj) and plain_subj and not _DEPTS.fullmatch(subj):
                    title = subj + title  # (not 某医院等3家医院在“国考”中进入…)
            if kind == "ranking" and _NTH.fullmatch(plain):
                # 在复旦版中国医院排行榜中位列第35位: the ranking it is in belongs to the title
                title = _ranked_in(text, cs, s) + title
            titles.append((title, a, b))
        # a list that goes on over the next clauses (…基地；…工作站，…工作站。), when it is
        # one of designations or relations (X的附属医院), not a role (作为依托医院，共建…)
        related = any(
            "的" in text[a:b] and _affiliation(text[a:b].rsplit("的", 1)[0], a, mentions)
            for a, b in spans
        )
        if copula and (titles or related):
            titles += _continued(text, ce, sent, starts, mentions)
        date = _date(text, max(sent.start, s - MAX_CLAUSE), s, doc.year)
        # A、B分别获评X和Y: the n-th holder holds the n-th title
        pairs = "分别" in text[max(cs, s - 4) : s] and len(holders) == len(titles) > 1
        for k, (title, a, b) in enumerate(titles):
            hs = _hospital_holders(doc, [holders[k]] if pairs else holders, title, s)
            if pairs and hs == [holders[k]]:
                hs, depts_k = hs, [depts[k]]
            else:
                depts_k = depts if hs is holders else [None] * len(hs)
            if hs:
                held[cs] = hs[0]
            program = next((m.key for m in within(mentions, a, b) if m.cls == "Program"), None)
            level = _level(title) or (_level(text[s:e]) if awarded else None)
            for h, dept in zip(hs, depts_k, strict=True):
                label = f"{dept} {title}" if dept else title
                if _index(doc).repeated(h, label, cs):
                    continue
                out.append(
                    Relation(
                        "Achievement",
                        kind,
                        (h,),
                        *evidence_span(sent.start, sent.end, cs, ce),
                        title=label,
                        date=date,
                        level=level,
                        department=dept,
                        program=program,
                        awarded_by=awarded,
                    )
                )
    out += _rankings(doc, sent, mentions, self_key, held)
    return out


_ADVERBIAL_RE = re.compile(r"在[^，。；]{2,40}(?:中|上)")


def _adverbial(text: str, cs: int, s: int) -> re.Match[str] | None:
    """在…中/在…上 right before the verb (after adverbs): an adverbial, not the subject."""
    m = _ADVERBIAL_RE.search(text, cs, s)
    return m if m is not None and not _bare(text[m.end() : s]) else None


#: 始建于1950年, 成立于2003年: when the holder was founded, not when it achieved.
_FOUNDED = re.compile(r"(?:始建|创建|建院|成立|创办|组建|建)于\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?")


def _date(text: str, lo: int, hi: int, year: int | None) -> str | None:
    return date_before(_FOUNDED.sub(lambda m: "_" * len(m.group()), text[lo:hi]), year)


def _ranked_in(text: str, cs: int, s: int) -> str:
    """The 在…中 phrase before a ranking verb: the ranking it is in."""
    m = _adverbial(text, cs, s)
    return text[m.start() + 1 : m.end() - 1] if m else ""


_LIST_NAMED = re.compile(r"(?:公布|公示|发布|印发|下发|出炉)了?([^，。；]{2,50}?)名单")


def _list_named(text: str, lo: int, hi: int) -> str | None:
    """The list a selection with no object of its own is in (公布了全国…单位名单，…入选)."""
    found = None
    for found in _LIST_NAMED.finditer(text, lo, hi):  # noqa: B007 - the last one
        pass
    return found.group(1).strip("“”") if found else None


def _dative(text: str, cs: int, s: int, mentions: list[Mention]) -> Mention | None:
    """为/向 X right before an awarding verb (为某医院授牌): X is who receives it."""
    j = max(text.rfind("为", cs, s), text.rfind("向", cs, s))
    if j == -1:
        return None
    m = max(
        (m for m in starting_at(mentions, j + 1) if m.cls in _PARTY),
        key=lambda m: m.end,
        default=None,
    )
    return m if m is not None and not _bare(text[m.end : s]) else None


#: 到2025年, 力争至2027年底: a deadline; from the report's year on it makes a target.
_DEADLINE = re.compile(r"(?<![年截])(?:到|至)(\d{4})年")  # not 2018年至2023年, 截至


def _deadline(text: str, lo: int, hi: int, year: int | None) -> bool:
    """A deadline not before the report's year (often read from the deadline itself) before
    the trigger in its sentence, unless 已 says it is met (到2023年底，已建成…)."""
    if year is None:
        return False
    lo = max(lo, hi - MAX_CLAUSE)
    return any(
        int(m.group(1)) >= year and "已" not in text[m.end() : hi]
        for m in _DEADLINE.finditer(text, lo, hi)
    )


def _planned(text: str, lo: int, hi: int, mentions: list[Mention], plan: frozenset) -> bool:
    """A plan word before the trigger (要, 将, 力争 …), outside names (计划生育协会) and not
    as an attribute (医院申报的…项目入选…: what was applied for is what was selected)."""
    parts, pos = [], lo
    for m in within(mentions, lo, hi):
        if m.start >= pos:
            parts.append(text[pos : m.start])
            pos = m.end
    parts.append(text[pos:hi])
    return any(
        not part.startswith("的", m.end()) for part in parts for m in _plan_re(plan).finditer(part)
    )


@cache
def _plan_re(plan: frozenset) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(plan, key=len, reverse=True)))


def _continued(
    text: str, ce: int, sent: Sentence, starts: list[int], mentions: list[Mention]
) -> list[tuple[str, int, int]]:
    """Clauses after a stated designation that are only more designations (no verb)."""
    out = []
    while ce < sent.end and text[ce] in "，；":
        ns = ce + 1
        ne = clause_end(text, ns, sent.end)
        k = bisect.bisect_left(starts, ns)
        if (k < len(starts) and starts[k] < ne) or ne <= ns:
            break
        spans = _split(text, ns, ne)
        plan = read_words("patterns/plan_markers.txt")
        if not all(_has_head(text[a:b]) for a, b in spans) or any(p in text[ns:ne] for p in plan):
            break
        for a, b in spans:
            d = _designation(text, a, b, mentions, True)
            if d is not None:
                out.append((d[0], d[1], b))
        ce = ne
    return out


def _hospital_holders(doc: Document, holders: list[str], title: str, s: int) -> list[str]:
    """A hospital grade (国家三级甲等医院) is held by a hospital, not by the report's place:
    a sentence without subject in a hospital's profile is about that hospital."""
    if not strip_quotes(title).endswith(("医院", "卫生院", "保健院")):
        return holders
    if not all(h.startswith("place:") for h in holders):
        return holders
    key = _index(doc).before(s, True)
    return [key] if key else []


def _disposal(text: str, cs: int, s: int, mentions: list[Mention]) -> Mention | None:
    """将X设置为Y, 把X列为Y: 将 takes the holder as object here, it is no future."""
    j = max(text.rfind("将", cs, s), text.rfind("把", cs, s))
    if j == -1:
        return None
    m = next((m for m in starting_at(mentions, j + 1) if m.cls in _PARTY), None)
    if m is None or _bare(text[m.end : s]):
        return None
    return m


_PERSON_GAP = re.compile(r"[、和及与]?(?:同志)?(?:等(?:\d+人|[一二三四五六七八九十]+人)?)?")


def _trailing_people(text: str, top: list[Mention], s: int) -> list[Mention]:
    """The people that end the subject right before the trigger (with their roles, joined
    by 、/和), when something else (their hospital) comes before them."""
    people: list[Mention] = []
    end = s
    for m in reversed(top):
        if m.cls != "Person":
            break
        gap = text[m.end : end].strip()
        role = m.attr("role") or ""
        if role and gap.startswith(role):
            gap = gap[len(role) :]
        if not _PERSON_GAP.fullmatch(gap):
            break
        people.append(m)
        end = m.start
    if not people or len(people) == len(top):
        return []  # only people: the general rule below takes them all
    return people[::-1]


def _trailing_parties(text: str, top: list[Mention], s: int) -> list[Mention]:
    """The names that end the subject right before a copula (A、B作为…), joined by 、/和."""
    got: list[Mention] = []
    end = s
    for m in reversed(top):
        if m.cls not in _PARTY:
            break
        gap = _bare(text[m.end : end])
        if gap not in ("", "、", "和", "及", "与"):
            break
        got.append(m)
        end = m.start
    return got[::-1]


def _holders(
    doc: Document,
    cs: int,
    s: int,
    ce: int,
    mentions: list[Mention],
    self_key: str | None,
    sent: Sentence,
    trigger: str,
) -> tuple[list[str], list[str | None], str | None]:
    """Subjects between the clause start and the trigger, their departments, the awarder.

    A clause with no subject of its own continues the topic of the sentence (see
    ``_topic_back``), else the report's place (never for a stated designation)."""
    text = doc.text
    mode = _triggers()[0][trigger][2]
    copula = mode in ("copula", "named")
    adverbial = _adverbial(text, cs, s)  # names inside 在…中 are not the subject
    region = [
        m
        for m in within(mentions, cs, s)
        if m.cls != "Program"
        and not (adverbial and adverbial.start() < m.start and m.end < adverbial.end())
    ]
    awarded = None
    bei = text.rfind("被", cs, s)
    end = s
    if bei != -1:
        by = [m for m in region if m.start > bei]
        if by and by[0].cls == "Institution":
            awarded = by[0].key
        region = [m for m in region if m.start < bei]
        end = bei
    held = _disposal(text, cs, s, mentions)
    if held is not None:  # 省政府将市五院设置为省级区域医疗中心
        giver = [m for m in region if m.end <= held.start and m.cls == "Institution"]
        return [held.key], [None], giver[-1].key if giver else awarded
    # keep the outermost mentions only (a place inside a hospital name is not a holder)
    top = [
        m
        for m in region
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in region
        )
    ]
    if copula:
        if top:
            got = _trailing_parties(text, top, end)
            last = top[-1]
            dept = _departments(text, last, top, end) if not got else None
            if dept and not _bare(text[last.end : end].replace(dept, "", 1)):
                return [last.key], [dept], awarded  # 某医院神经内科是国家临床重点专科
            return [m.key for m in got], [None] * len(got), awarded
        top = []
    people = _trailing_people(text, top, end)
    if people:  # 市中心医院王建华主任获评…: the people hold it, the hospital is where they work
        return [m.key for m in people], [None] * len(people), awarded
    holders: list[str] = []
    depts: list[str | None] = []
    starts = {m.start for m in top}
    for m in top:
        if m.cls == "Place" and m.end in starts:
            continue  # 长治市潞州区: the district holds it, not the city
        if m.cls == "Person" and any(o.cls != "Person" for o in top):
            continue
        holders.append(m.key)
        depts.append(_departments(text, m, top, end))
    if holders:
        if cs > sent.start and text[cs - 1] == "，":  # 甲医院儿科，乙医院儿科、妇产科获评…
            more = _holder_clause(text, clause_start(text, cs - 1, sent.start), cs - 1, mentions)
            holders, depts = [k for k, _ in more] + holders, [d for _, d in more] + depts
        return holders, depts, awarded
    rest = _bare(text[cs:end])
    if mode == "named" and not rest and not _HOSPITAL_GRADE.fullmatch(text, s + 1, ce):
        return [], [], awarded  # 为 states a designation only after a named subject (or a
        # hospital grade: …医院始建于1950年，为三级甲等综合医院)
    if rest:
        lm = _lead().match(text, cs, end)
        kind, _, mode = _triggers()[0][trigger]
        measure = kind == "ranking" or mode == "measure"
        got = _anaphor_at(doc, text, lm.end() if lm else cs, end, measure)
        if got is not None:
            return [got[0]], [got[1]], awarded
        if _place_anaphor().fullmatch(rest):  # 该县先后获评…
            key = _index(doc).place_before(cs, self_key)
            return ([key], [None], awarded) if key else ([], [], awarded)
        # 神经外科入选…: a department of the hospital before
        dm = _DEPTS.fullmatch(rest)
        markers = read_words("patterns/designation_markers.txt")
        if (
            dm is not None
            and not copula
            and not _COUNTED.search(text, cs, end)
            and not any(w in rest for w in markers)
        ):
            key = _index(doc).before(cs, True)
            return ([key], [dm.group()], awarded) if key else ([], [], awarded)
        if mode == "measure" and not region:  # 国家级重点专科实现零的突破: what, not who
            topic = _topic_back(doc, cs, mentions, sent.start)
            key = topic[0] if topic else self_key
            return ([key], [None], awarded) if key else ([], [], awarded)
        return [], [], awarded
    if trigger == "作为" and ce < sent.end and text[ce] == "，":
        m = _subject_mention(text, ce + 1, clause_end(text, ce + 1, sent.end), mentions)
        return ([m.key], [None], awarded) if m is not None else ([], [], awarded)
    topic = _topic_back(doc, cs, mentions, sent.start, True, copula)
    if topic is not None:
        return [topic[0]], [topic[1]], awarded
    if copula or self_key is None:
        return [], [], awarded
    return [self_key], [None], awarded


def _departments(text: str, m: Mention, top: list[Mention], end: int) -> str | None:
    """The departments written right after a hospital (市医院心内科、神经内科入选…), up to the
    next name or the trigger."""
    if m.cls != "Institution":
        return None
    stop = min([o.start for o in top if o.start >= m.end] + [end])
    got, pos = [], m.end
    while (dm := _DEPT.match(text, pos, stop)) is not None:
        got.append(dm.group(1))
        pos = dm.end()
        if text[pos : pos + 1] not in ("、", "和", "及") or pos + 1 >= stop:
            break
        pos += 1
    return "、".join(got) if got else None


def _holder_clause(
    text: str, lo: int, hi: int, mentions: list[Mention]
) -> list[tuple[str, str | None]]:
    """A clause that only names holders (an institution and its department), listed with a
    comma before the clause that has the verb."""
    got: list[tuple[str, str | None]] = []
    pos = lo
    for m in within(mentions, lo, hi):
        if m.start < pos:
            continue
        if m.cls not in _PARTY or text[pos : m.start] not in ("", "、", "和", "及"):
            return []
        pos = m.end
        dm = _DEPT.match(text, pos, hi) if m.cls == "Institution" else None
        dept = None
        if dm is not None:
            dept, pos = dm.group(1), dm.end()
        got.append((m.key, dept))
    return got if got and pos == hi else []


def _rankings(
    doc: Document,
    sent: Sentence,
    mentions: list[Mention],
    self_key: str | None,
    held: dict[int, str],
) -> list[Relation]:
    """县域内就诊率全省第1, 在…考核中排在全国第一: a rank stated in a clause whose trigger (if
    any) gave nothing: the subject before it is what is ranked, the holder is omitted."""
    text, year = doc.text, doc.year
    plan = read_words("patterns/plan_markers.txt")
    out: list[Relation] = []
    pos = sent.start
    for m in _rank().finditer(text, sent.start, sent.end):
        if m.start() < pos:
            continue
        cs = clause_start(text, m.start(), sent.start)
        ce = clause_end(text, m.start(), sent.end)
        pos = ce
        if cs in held:
            continue  # the clause's trigger said it already (位居全省前列)
        if _COUNT_OF.search(text, max(cs, m.start() - 4), m.start()):
            continue  # 创下多个“全国第一”: a count of firsts, no rank of the subject
        if _planned(text, cs, m.start(), mentions, plan) or _deadline(
            text, sent.start, m.start(), year
        ):
            continue
        subject = _subject_mention(text, cs, m.start(), mentions)
        lm = _lead().match(text, cs, m.start())
        got = _anaphor_at(doc, text, lm.end() if lm else cs, m.start(), True)
        if subject is not None:
            holder, lo = subject.key, subject.end
        elif got is not None:
            am = _anaphor().match(text, lm.end() if lm else cs)
            holder, lo = got[0], am.end() if am else cs
        else:  # the clause before gave an achievement: its holder goes on
            before = clause_start(text, cs - 1, sent.start) if cs > sent.start else None
            topic = _topic_back(doc, cs, mentions, sent.start)
            holder = held.get(before) if before is not None and before in held else None
            holder = holder or (topic[0] if topic else self_key)
            lo = cs
        lm = re.compile(r"(?:并且|并|且|同时|还|也)?在?").match(text, lo, m.start())
        lo = lm.end() if lm else lo
        title = text[lo : m.end()].strip()
        if holder is None or len(title) < 4 or _index(doc).repeated(holder, title, cs):
            continue
        out.append(
            Relation(
                "Achievement",
                "ranking",
                (holder,),
                *evidence_span(sent.start, sent.end, cs, ce),
                title=title,
                date=_date(text, max(sent.start, m.start() - MAX_CLAUSE), m.start(), year),
                level=_level(title),
            )
        )
    return out
