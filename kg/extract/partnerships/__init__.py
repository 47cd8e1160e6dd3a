"""Partnerships: grammar over the resolved mentions of a sentence.

Constructions (the words are data: ontology/patterns/partnership_*.{tsv,txt}, conjunctions.txt):
- ``A 与/同/和/携手 B(、C…) … TRIGGER`` (签订, 合作, 共建, 托管 …) in B's clause; ``A、B 与 C``
  pairs each on the left with C; ``A、B 分别与 C、D`` the i-th with the i-th; an omitted A is
  the subject of the clauses before (``近年来，某市…，先后与B、C合作``), 医院/我校 the
  report's own body, else the report's place; a person named after a title signs for their
  body; a bare 市政府 is the report's place, a named government the government;
- ``甲、乙、丙三方签订``: bodies opening a clause and signing together, each with each;
- ``A 托管/对口支援/援建 B``, ``A 托管的…——B``, ``B 由 A 托管``, ``A 加入(由) B 牵头的 C``;
- roles (``A 是/成为 B、C 等的 教学医院/附属医院/协同医院/成员单位``), ``以 A 为龙头，B、C 参与``;
- support: ``在 A 的支持下，B``, ``B 得到 A 的支持``, ``A 对 B 进行帮扶``, ``A 为 B 提供支持``,
  ``A…赴 B 开展对口支援``; a branch unveiled at a signing (``签约暨甲医院某地医院揭牌``);
- an agreement's title names its parties (``《甲医院乙市人民政府合作框架协议》``); an existing
  hospital co-built by a body is its partner (``与B合作共建某市中心医院``);
- compound abbreviations ``京长合作``; dispatches ``选派专家来长坐诊`` (training and visits,
  ``参加北大访问学者培训``, ``赴京进修``, make none); a regional grouping named by its members'
  abbreviations (``晋冀鲁豫“四省六市”疾控协作区``, recognised in institutions.py) is a body each
  member joins (membership), not a clique of its members (compounds.py).

``clauses.py`` holds the sentence index every rule looks through: mentions by bisection over
their offsets, clauses by bisection over the clause marks, and no look-back further than
``WINDOW`` characters, so a long sentence without punctuation stays linear. ``verbs.py``
holds the constructions around a verb, a role or a preposition.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import has_cjk, longest_matches
from kg.extract.partnerships.clauses import (
    BLOCKED,
    CUT,
    DESTINATION,
    GAP,
    LIST_TAIL,
    SUBJECT_GAP,
    VERB_GAP,
    SentenceIndex,
    adverbs,
    conjunctions,
    group_words,
    is_agency,
    is_body,
    party,
    pre_verbs,
    subject_words,
    time_words,
    topic,
    trigger_table,
    words,
)
from kg.extract.partnerships.compounds import (
    compound_pattern,
    compound_places,
    compounds,
    dispatches,
    groupings,
)
from kg.extract.partnerships.verbs import (
    admissions,
    agreement_titles,
    branch_sites,
    direct,
    enumerations,
    joint,
    leaders,
    memberships,
    prepositions,
    role_relations,
    sendings,
    settlements,
    stations,
    supports,
)

__all__ = ["compound_pattern", "compound_places", "extract_partnerships"]


def extract_partnerships(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    text = doc.text
    st, en = sent.start, sent.end
    s_text = text[st:en]
    ix = SentenceIndex(doc, sent, mentions)
    triggers, auto = trigger_table()
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
        if subject == BLOCKED:
            return None
        if isinstance(subject, str):
            return topic(doc, subject)
        return party(subject, doc) if subject is not None else None

    def omitted_subject(cs: int) -> tuple[bool, str | None]:
        """The party of a clause that names none before ``cs`` (the conjunction or verb):
        (found, key). Not found when the clause has words of its own before it."""
        start = ix.clause_start(cs)
        before = text[start:cs]
        spoken = _speaker(ix, start)
        if spoken is not None:  # 某院长张三说：“此次与B合作…”: the speaker's body
            rest = adverbs().sub("", time_words().sub("", before.lstrip('“"「'))).strip("，、 ")
            if not rest or rest in words("speaker_words"):
                return True, spoken
        inside = ix.between(start, cs)
        if inside:
            first = inside[0]
            gap = text[first.end : cs]
            if (
                len(inside) == 1
                and first.start == start
                and 0 < len(gap) <= SUBJECT_GAP
                and has_cjk(gap)
                and gap.replace("、", "").isalpha()
                and "的" not in gap
            ):  # 我市持续深化与B的合作, 某院在学科、人才等方面与B合作: subject, then a verb
                return True, party(first, doc)
            return False, None
        rest = adverbs().sub("", time_words().sub("", before)).strip("，、 ")
        if rest in words("means_words"):  # 通过与A合作，B…: the next clause's subject
            end = ix.clause_end(cs)
            nxt = ix.subject_at(end + 1) if end < ix.en else None
            if isinstance(nxt, Mention) and nxt.cls == "Institution":
                return True, party(nxt, doc)
            return False, None
        if rest in subject_words():  # 我校与某市政府签订…: the report's own university
            return True, topic(doc, subject_words()[rest])
        if rest and not (
            len(rest) <= VERB_GAP - 2 and rest.isalpha() and rest.endswith(pre_verbs())
        ):
            return False, None
        subject = ix.chain_subject(cs)
        if subject == BLOCKED:
            return False, None
        if subject is not None:
            return True, resolve_subject(subject)
        return self_key is not None, self_key

    # A 与 B(、C …) ... trigger, the trigger in B's clause
    for c in conjunctions().finditer(s_text):
        cs, ce = c.start() + st, c.end() + st
        if ix.inside(cs):
            continue  # 和 of 和济医院: a name's character, not a conjunction
        b = ix.head(ix.starting(ce, ce + GAP))
        if b is None or _cut_name(ix, b, hit_starts) or _unread_name(ix, b, hit_starts):
            continue
        b_list = ix.listed(b, 1)
        last = b_list[-1]
        i = bisect.bisect_left(hit_starts, last.end)
        limit = ix.clause_end(last.end)
        if limit - last.end <= LIST_TAIL and limit < ix.en and text[limit] == "，":
            limit = ix.clause_end(limit + 1)  # 与甲、乙等9家医院，建立了合作关系
        if i >= len(hits) or hits[i][0] >= limit:
            tail = text[last.end : limit]  # 甲医院牵手乙医院, 甲与乙再携手: the verb
            verbs_ = words("verb_conjunctions")
            if c.group() in verbs_ and (
                len(tail) <= VERB_TAIL or tail.startswith(words("joint_actions"))
            ):  # 甲医院携手乙医院打造…: the conjunction is the verb
                trig = (cs, ce, "合作")
            elif len(tail) <= VERB_TAIL + 2 and any(v in tail for v in verbs_):
                trig = (last.end, limit, "合作")
            elif any(  # 甲市与乙市携手推进…
                tail.startswith(v) and tail.startswith(words("joint_actions"), len(v))
                for v in verbs_
            ):
                trig = (last.end, limit, "合作")
            else:
                continue
        else:
            trig = hits[i]
        if trig[0] == last.end and trig[2] in group_words():  # 与乙医院医联体签约: the
            nxt = i + 1  # group is named by its member; the verb after it says the kind
            if nxt < len(hits) and hits[nxt][0] < limit:
                trig = hits[nxt]
        a = ix.ending(cs - GAP, cs)
        if a is not None and not ix.no_mark(a.end, cs):
            a = None
        if a is None:  # 甲医院、乙医院等5家省级医院与丙: the list before its count
            a = _counted_left(ix, cs)
        moved = a is not None and a.start > st and text[a.start - 1] in DESTINATION
        if a is not None and not moved:
            a_key = party(a, doc)
        elif a is not None:  # 能够到延边与敦化进行合作: both are where the subject goes
            cs0 = ix.clause_start(a.start)
            a_key = resolve_subject(ix.subject_at(cs0) or ix.chain_subject(a.start))
            if a_key is None:
                continue
            b_list = [a, *b_list]
            a = None
        else:
            found, a_key = omitted_subject(cs)
            if not found or a_key == self_key:  # 与B结成医联体，成立“甲医院某地分院”
                parent = _branch_parent(ix, last.end, {m.key for m in b_list})
                a_key = parent or a_key  # the branch names its parent as the subject
                if parent is None and not found:
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
        rights = [party(m, doc) for m in b_list]
        pairs = [(a_key, r) for r in rights]
        cstart = ix.clause_start(cs)
        if a is not None and "分别" in text[max(cstart, a.end) : cs + 1]:
            lefts = [party(m, doc) for m in ix.listed(a, -1)]
            pairs = _respective(lefts, rights)
        elif a is not None and "分别" in text[cstart : a.start]:  # 分别将A1、A2与B1、B2结对
            pairs = _respective([party(m, doc) for m in ix.listed(a, -1)], rights)
        elif a is not None:  # A、B与C签订: each of the left with each of the right
            pairs = [(party(m, doc), r) for m in ix.listed(a, -1) for r in rights]
        if _PARTIES.match(
            text, last.end, min(last.end + 4, ix.en)
        ):  # 与乙、丙三方签约: each with each
            pairs += [(x, y) for i, x in enumerate(rights) for y in rights[i + 1 :]]
        bodies = _represented(ix, last.end)
        if bodies and all(
            by_key.get(k or "") is None or by_key[k].cls == "Person" for p in pairs for k in p
        ):
            pairs = [(bodies[0], b) for b in bodies[1:]]  # 甲与乙代表某市人民政府和某医院签订
        if kind != "agreement":  # 省卫健委和省医保局联合印发: agencies acting together
            pairs = [p for p in pairs if not all(is_agency(k, by_key) for k in p)]
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
    out.extend(joint(doc, ix, hits))
    out.extend(direct(doc, ix, hits, omitted_subject, self_key))
    out.extend(memberships(doc, ix, omitted_subject))
    out.extend(role_relations(doc, ix, resolve_subject))
    out.extend(supports(doc, ix, resolve_subject))
    out.extend(prepositions(doc, ix, resolve_subject))
    out.extend(stations(doc, ix, resolve_subject))
    out.extend(settlements(doc, ix, resolve_subject))
    out.extend(sendings(doc, ix, resolve_subject))
    out.extend(branch_sites(doc, ix))
    out.extend(admissions(doc, ix, resolve_subject))
    out.extend(leaders(doc, ix))
    out.extend(enumerations(doc, ix))
    out.extend(agreement_titles(doc, ix))
    out.extend(compounds(doc, ix))
    out.extend(groupings(ix))
    out.extend(dispatches(doc, ix, self_key))
    return out


def _respective(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    """Pairs of 分别: the i-th with the i-th, or one with each of the others."""
    if len(left) == len(right):
        return list(zip(left, right, strict=True))
    if len(left) == 1 or len(right) == 1:
        return [(x, y) for x in left for y in right]
    return [(left[-1], right[0])]  # lists that do not line up: only the adjacent pair


VERB_TAIL = 2  # 甲医院牵手乙医院了: what may follow B when a conjunction is the verb

_PARTIES = re.compile(r"(?:共同|等)?[三四五六多]方")


def _represented(ix: SentenceIndex, pos: int) -> list[str]:
    """甲与乙(分别)代表A和B签订: the bodies two signatories stand for, in order."""
    text = ix.text
    at = pos + (2 if text.startswith("分别", pos) else 0)
    if not text.startswith("代表", at):
        return []
    first = ix.starting(at + 2, at + 2)
    if first is None or first.cls not in ("Institution", "Place"):
        return []
    keys = [k for k in (party(m, ix.doc) for m in ix.listed(first, 1)) if k]
    return keys if len(set(keys)) >= 2 else []


def _cut_name(ix: SentenceIndex, b: Mention, hit_starts: list[int]) -> bool:
    """龙口 + 南山养生谷肿瘤医院 where only 谷肿瘤医院 was read as a name: a place heading a
    name that was cut short is not the party."""
    if b.cls != "Place":
        return False
    nxt = ix.starting(b.end + 1, b.end + CUT)
    if nxt is None or nxt.cls != "Institution" or not ix.no_mark(b.end, nxt.start):
        return False
    between = ix.text[b.end : nxt.start]
    i = bisect.bisect_left(hit_starts, b.end)
    has_trigger = i < len(hit_starts) and hit_starts[i] < nxt.start
    return between.isalpha() and not has_trigger and not any(c in "与和及、的" for c in between)


def _unread_name(ix: SentenceIndex, b: Mention, hit_starts: list[int]) -> bool:
    """和 + 某市 + 财政局 联合下发, where only the place was read: a place followed, before the
    next trigger, by the head of a body's name (data: partnership_name_tails.txt) opens a name
    that was not read, and is not the party."""
    if b.cls != "Place":
        return False
    i = bisect.bisect_left(hit_starts, b.end)
    end = hit_starts[i] if i < len(hit_starts) else ix.en
    gap = ix.text[b.end : min(end, b.end + CUT)]
    k = min((j for j in (gap.find(t) for t in words("name_tails")) if j != -1), default=-1)
    return k != -1 and gap[: k + 1].isalpha()


def _co_built_partner(
    co: Mention,
    parties: list[str | None],
    by_key: dict[str, Mention],
    rel: Callable[[str, list[str | None]], None],
) -> None:
    """共建上饶市中心医院: an existing hospital co-built by a body becomes its partner; a new
    one named after its builder (上海中医药大学平顶山医院) is what they build, not a party."""
    bodies = [p for p in parties if is_body(p, by_key)]
    names = [by_key[p].name for p in bodies]
    if any(
        co.name.startswith(n) or co.attr("parent") == p for n, p in zip(names, bodies, strict=True)
    ):
        return
    for p in bodies:
        if p != co.key:
            rel("coConstruction", [p, co.key])


def _branch_parent(ix: SentenceIndex, pos: int, partners: set[str]) -> str | None:
    """与B结成紧密型医联体，成立“甲医院B地分院”: a clause that omits its subject and founds, in
    the clause after, a branch named after its parent has that parent as its subject."""
    limit = ix.clause_end(pos)
    if limit >= ix.en:
        return None
    end = ix.clause_end(limit + 1)
    for m in ix.between(limit, end):
        parent = m.attr("parent")
        if m.cls == "Institution" and parent and parent not in partners:
            gap = ix.text[limit + 1 : m.start].strip('“”"')
            if gap in words("founding_verbs"):
                return parent
    return None


def _speaker(ix: SentenceIndex, start: int) -> str | None:
    """The body of a titled speaker whose quotation opens at ``start``:
    某医院党委书记张三说：“…, 张三院长表示：“…."""
    text = ix.text
    if (
        text[start : start + 1] not in '“"「'
        or start - 1 <= ix.st
        or text[start - 1] not in "：:，"
    ):
        return None
    verb_end = start - 1
    verb = next((v for v in words("saying_verbs") if text.endswith(v, ix.st, verb_end)), None)
    if verb is None:
        return None
    p = ix.ending(verb_end - len(verb) - GAP, verb_end - len(verb))
    if p is None or p.cls != "Person":
        return None
    return party(p, ix.doc)


COUNT_TAIL = 12  # 等5家省级医院 between a list of bodies and the conjunction after it


@cache
def _count_tail() -> re.Pattern[str]:
    counts = re.escape("".join(words("count_classifiers")))
    return re.compile(f"等[0-9一二三四五六七八九十两多余]+[{counts}][^，。；：、与和同]{{0,6}}$")


def _counted_left(ix: SentenceIndex, cs: int) -> Mention | None:
    """The last body of a list that a count closes before the conjunction at ``cs``."""
    lo = max(ix.st, cs - COUNT_TAIL)
    m = _count_tail().search(ix.text, lo, cs)
    if m is None:
        return None
    a = ix.by_end.get(m.start())
    return a if a is not None and a.cls in ("Institution", "Place") else None
