"""Partnership constructions around a verb, a role or a preposition: A 托管 B, A 是 B 的
教学医院, 在 A 的支持下 B, A 对 B 进行帮扶, 《A B 合作协议》, 以 A 为龙头 B、C 参与."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

from kg.document import Document, Mention, Relation
from kg.extract.common import longest_matches
from kg.extract.partnerships.clauses import (
    DISPATCH,
    GAP,
    INTRODUCES,
    JOINT_GAP,
    LEADS,
    LIST_SEPS,
    LIST_TAIL,
    NAME_ROLES,
    RECEIVED,
    ROLE_MODIFIERS,
    SENT_TO,
    SUPPORT,
    TITLE_MENTIONS,
    VERB_GAP,
    WINDOW,
    OmittedSubject,
    ResolveSubject,
    SentenceIndex,
    copulas,
    direct_triggers,
    dispatched,
    group_words,
    help_pattern,
    management,
    manner,
    party,
    relation,
    role_table,
    starts_trigger,
    subject_words,
    trigger_table,
    words,
)


def joint(doc: Document, ix: SentenceIndex, hits: list[tuple[int, int, str]]) -> list[Relation]:
    """甲医院、乙医院、丙大学三方签订合作协议: bodies listed by 、 that open a clause and sign
    (or build) together, each with each."""
    text = doc.text
    triggers, _ = trigger_table()
    starts = [h[0] for h in hits]
    out = []
    seen: set[int] = set()
    out.extend(_joint_signatories(doc, ix, hits))
    for m in ix.ms:
        if m.start in seen or m.cls not in ("Institution", "Place"):
            continue
        if not text.startswith("、", m.end) or ix.clause_start(m.start) != m.start:
            continue
        group = ix.listed(m, 1)
        seen.update(x.start for x in group)
        end = group[-1].end
        counted = _PLACE_COUNT.match(text, end, ix.en)
        if counted is not None and all(x.cls == "Place" for x in group):
            end = counted.end()  # 甲市、乙市两市签订: places counted as parties
        elif any(x.cls != "Institution" for x in group):
            continue
        if len(group) < 2:
            continue
        i = bisect.bisect_left(starts, end)
        if i >= len(hits) or hits[i][0] > end + JOINT_GAP or not ix.no_mark(end, hits[i][0]):
            continue
        kind = triggers[hits[i][2]]
        if kind not in ("agreement", "coConstruction"):
            continue
        keys = [k for k in (party(x, doc) for x in group) if k]
        for a_i, a in enumerate(keys):
            for b in keys[a_i + 1 :]:
                if a != b:
                    out.append(relation(doc, ix, kind, [a, b]))
    return out


_PLACE_COUNT = re.compile(r"[两二三四五六七八九十]+(?:市|地|县|区|省|州)")


def direct(
    doc: Document,
    ix: SentenceIndex,
    hits: list[tuple[int, int, str]],
    omitted_subject: OmittedSubject,
    self_key: str | None,
) -> list[Relation]:
    """A 托管 B, A 对口帮扶 B, A 托管的…B: the verb's subject leads, its object is the partner."""
    text = doc.text
    triggers, _ = trigger_table()
    out: list[Relation] = []
    for s, e, w in hits:
        if w not in direct_triggers():
            continue
        a = ix.ending(s - GAP, s)
        if a is not None and not ix.no_mark(a.end, s):
            a = None
        if a is None:
            a = ix.ending(s - VERB_GAP, s)
            gap = text[a.end : s] if a is not None else ""
            if a is None or not gap or not ix.no_mark(a.end, s) or manner(gap):
                a = None
        a_key = party(a, doc) if a is not None else None
        if a is None:  # …深入合作，全面托管B; 我院托管B: the subject before, or the report's own
            found, key = omitted_subject(s)
            a_key = key if found and key != self_key else None
        if a_key is None:
            continue
        if text.startswith("的", e):  # A 托管的三级医院——B
            limit = ix.clause_end(e)
            b = next((m for m in ix.between(e, min(limit, e + 40)) if m.cls == "Institution"), None)
            b_list = [b] if b is not None else []
        else:
            b = ix.head(ix.starting(e, e + GAP))
            b_list = ix.listed(b, 1) if b is not None else []
            for n, m in enumerate(b_list[1:], 1):  # 甲托管乙、丙托管丁: 丙 opens a clause
                if starts_trigger(hits, m.end):
                    b_list = b_list[:n]
                    break
        if triggers[w] == "trusteeship":  # one runs a body, not a place
            b_list = [m for m in b_list if m.cls == "Institution"]
        for m in b_list:
            b_key = party(m, doc)
            if b_key and b_key != a_key:
                out.append(relation(doc, ix, triggers[w], [a_key, b_key], lead=a_key))
    # 引进A、B、C等N家…医院合作共建…
    for m in re.finditer(INTRODUCES, text[ix.st : ix.en]):
        s = m.start() + ix.st
        b = ix.starting(s + len(INTRODUCES), s + len(INTRODUCES) + GAP)
        if b is None or b.cls != "Institution":
            continue
        b_list = ix.listed(b, 1)
        limit = ix.clause_end(b_list[-1].end)
        tail = text[b_list[-1].end : limit]
        kind = "coConstruction" if "共建" in tail else "cooperation" if "合作" in tail else None
        if kind is None and dispatched().match(tail):  # 引进A专家团队: A's people work here
            kind = "support"
        if kind is None:
            continue
        a = ix.ending(s - GAP, s)
        a_key = party(a, doc) if a is not None else omitted_subject(s)[1]
        for x in b_list:
            k = party(x, doc)
            if a_key and k and k != a_key:
                out.append(relation(doc, ix, kind, [a_key, k]))
    return out


def memberships(
    doc: Document, ix: SentenceIndex, omitted_subject: OmittedSubject
) -> list[Relation]:
    """A 加入(由) B 牵头(组建)的 C, A 加入 B 专科联盟: A is a member of what B leads."""
    text = doc.text
    out = []
    for m in LEADS.finditer(text, ix.st, ix.en):
        ms, me = m.start(), m.end()
        b = ix.starting(me, me + GAP)
        if b is None:
            continue
        b = ix.by_start.get(b.start, b)  # 川渝…联盟, not the 川 its name opens with
        led = any(v in text[b.end : b.end + 4] for v in words("agent_verbs"))
        heads = [b]
        if not led:  # 加入甲、乙等5家医院牵头的专科联盟: each of the leaders
            listed = ix.listed(b, 1)
            cm = _lead_count().match(text, listed[-1].end, ix.en)
            at = cm.end() if cm is not None else listed[-1].end
            if (len(listed) > 1 or cm is not None) and any(
                v in text[at : at + 4] for v in words("agent_verbs")
            ):
                led, heads = True, listed
        named = b.subclass != "MedicalGroup" and _field_group(text, b.end, ix.en)
        grouped = b.subclass == "MedicalGroup" and party(b, doc) != b.key  # 甲医院专科联盟
        joined = _is_grouping(b)  # A 加入 某省肿瘤专科联盟, 加入 晋冀鲁豫…协作区: the body
        if not (led or named or grouped or joined):
            continue
        a = ix.ending(ms - GAP, ms)
        if a is None:
            a = ix.ending(ms - VERB_GAP, ms)
            if a is not None and (not ix.no_mark(a.end, ms) or manner(text[a.end : ms])):
                a = None
        a_key = party(a, doc) if a is not None else omitted_subject(ms)[1]
        for h in heads:
            b_key = party(h, doc)
            if a_key and b_key and a_key != b_key:
                out.append(relation(doc, ix, "membership", [a_key, b_key], lead=b_key))
    return out


@cache
def _lead_count() -> re.Pattern[str]:
    """等5家医院 before 牵头: a count closing a list of leaders (data: count classifiers)."""
    counts = re.escape("".join(words("count_classifiers")))
    agents = "|".join(map(re.escape, words("agent_verbs")))
    num = "[0-9一二三四五六七八九十两]+"
    return re.compile(f"等{num}[{counts}][\u4e00-\u9fff]{{0,4}}?(?={agents})")


def _is_grouping(m: Mention) -> bool:
    """A body members join: a regional grouping (晋冀鲁豫…协作区) or an alliance named as a
    body of its own (某省肿瘤专科联盟), not one named by its leading member (甲医院医联体)."""
    if m.attr("grouping"):
        return True
    return (
        m.cls == "Institution"
        and m.subclass == "Association"
        and m.name.endswith(group_words())
        and m.attr("parent") is None
    )


def role_relations(
    doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject
) -> list[Relation]:
    """A 是/成为 B、C 等的 教学医院: A holds a role (data: partnership_roles.tsv) for each."""
    text = doc.text
    roles, auto = role_table()
    out = []
    for s, _e, w in longest_matches(auto, text[ix.st : ix.en]):
        j = s + ix.st
        de = text.rfind("的", max(ix.st, j - ROLE_MODIFIERS), j)
        if de != -1 and ix.no_mark(de, j) and not ix.between(de, j):
            j = de  # 是A的紧密型医联体成员单位: modifiers between 的 and the role
        if text.endswith("等", 0, j):
            j -= 1
        y = ix.by_end.get(j)
        if y is None:  # 是某大学教学医院, read as one name: the role ends a longer name
            ys = _role_in_name(doc, ix, j, j + len(w), w) or _modified(ix, j)
        elif y.cls != "Institution":
            continue
        else:
            ys = ix.listed(y, -1)
        if not ys:
            continue
        k = ys[0].start
        cop = next((c for c in copulas() if text.endswith(c, 0, k)), None)
        if cop is None:
            continue
        k -= len(cop)
        kind, holder = roles[w]
        x = ix.ending(k - GAP, k)
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
            y_key = party(m, doc)
            if x_key and y_key and x_key != y_key:
                out.append(relation(doc, ix, kind, [x_key, y_key]))
    return out


def _role_in_name(doc: Document, ix: SentenceIndex, j: int, end: int, role: str) -> list[Mention]:
    """某大学教学医院 taken as one name: the body before the role, when the report names it."""
    m = ix.by_end.get(end)
    if m is None or m.cls != "Institution" or m.start >= j or role in NAME_ROLES:
        return []
    rest = doc.text[m.start : j]
    partner = next(
        (x for x in doc.mentions if x.cls == "Institution" and rest in (x.name, x.surface)), None
    )
    if partner is None:
        return []
    return [Mention(partner.cls, partner.subclass, partner.key, partner.name, rest, m.start, j)]


def supports(doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject) -> list[Relation]:
    """在 A 的大力支持下，B…; B 在 A 的指导帮助下; A…赴 B 开展对口支援 (support, A leads)."""
    text = doc.text
    out = []
    for m in SUPPORT.finditer(text, ix.st, ix.en):
        a = ix.by_end.get(m.end(1))
        if a is None or a.subclass == "GovernmentAgency":
            continue  # 在省卫健委的指导下: a superior's guidance is administration
        b = ix.ending(m.start() - GAP, m.start())
        if b is not None and not ix.no_mark(b.end, m.start()):
            b = None
        if b is None:
            nxt = m.end() + (1 if text[m.end() : m.end() + 1] in "，," else 0)
            subject = ix.subject_at(nxt) if nxt < ix.en else None
        else:
            subject = b
        a_key, b_key = party(a, doc), resolve_subject(subject)
        if a_key and b_key and a_key != b_key:
            out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    for m in RECEIVED.finditer(text, ix.st, ix.en):  # B得到A等…的支持: A helps B
        givers = [
            x
            for x in ix.between(m.start(1), m.end(1))
            if x.cls in ("Institution", "Place") and x.subclass != "GovernmentAgency"
        ]
        if not givers:
            continue
        b = ix.ending(m.start() - VERB_GAP, m.start())
        if b is not None and not ix.no_mark(b.end, m.start()):
            b = None
        subject = b or ix.subject_at(ix.clause_start(m.start())) or ix.chain_subject(m.start())
        b_key = resolve_subject(subject)
        for a in ix.listed(givers[0], 1):
            a_key = party(a, doc)
            if a_key and b_key and a_key != b_key:
                out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    passive, entrusted = management()
    runs = [*passive.finditer(text, ix.st, ix.en), *entrusted.finditer(text, ix.st, ix.en)]
    for m in runs:  # B由A托管, B委托A运营管理: A runs B
        a = ix.by_end.get(m.end(1))
        if a is None or a.cls != "Institution" or text.startswith("的", m.end()):
            continue
        cs = ix.clause_start(m.start())
        subject = ix.subject_at(cs) if cs < m.start() else None
        if subject is None or subject is a:
            subject = ix.chain_subject(m.start())
        if isinstance(subject, Mention) and subject.cls != "Institution":
            continue
        a_key, b_key = party(a, doc), resolve_subject(subject)
        if a_key and b_key and not _same_body(a_key, b_key):
            out.append(relation(doc, ix, "trusteeship", [a_key, b_key], lead=a_key))
    for m in DISPATCH.finditer(text, ix.st, ix.en):
        b = _destination(ix, m.start(1), m.end(1))
        own = subject_words().get(m.group(1)) if b is None else None
        if b is None and own is None:  # 到我院坐诊: the report's own body is where they go
            continue
        cs = ix.clause_start(m.start())
        sender = None
        for x in ix.between(cs, m.start()):  # 150名上海医生赴…: the place the doctors are from
            if x.cls in ("Place", "Institution") and dispatched().match(text, x.end):
                sender = x
        subject = sender or ix.subject_at(cs) or ix.chain_subject(m.start())
        a_key = resolve_subject(subject)
        b_key = party(b, doc) if b is not None else resolve_subject(own)
        if a_key and b_key and a_key != b_key:
            out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    return out


def prepositions(
    doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject
) -> list[Relation]:
    """A 对 B 进行全面帮扶, A 为 B 提供技术支持: support from the clause's subject to B."""
    text = doc.text
    help_words = help_pattern()
    out = []
    for prep in words("prepositions"):
        pos = text.find(prep, ix.st, ix.en)
        while pos != -1:
            pe = pos + len(prep)
            nxt = text.find(prep, pe, ix.en)
            b = ix.head(ix.by_start.get(pe))
            if b is not None and b.cls in ("Institution", "Place"):
                end = ix.clause_end(b.end)
                if help_words.search(text, b.end, end):
                    a = ix.ending(pos - GAP, pos)
                    if a is not None and not ix.no_mark(a.end, pos):
                        a = None
                    subject = a or ix.subject_at(ix.clause_start(pos))
                    if subject is None:
                        subject = ix.chain_subject(pos)
                    a_key, b_key = resolve_subject(subject), party(b, doc)
                    if a_key and b_key and a_key != b_key:
                        out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
            pos = nxt
    return out


def agreement_titles(doc: Document, ix: SentenceIndex) -> list[Relation]:
    """《甲医院乙市人民政府紧密型医联体合作框架协议》: the bodies its title names sign it."""
    titles = [
        m for m in ix.ms if m.cls == "Program" and m.name.endswith(words("agreement_titles"))
    ][:20]
    if not titles:
        return []
    names: dict[str, str] = {}
    i = bisect.bisect_left(doc.mentions, ix.en, key=lambda m: m.start)
    for m in doc.mentions[max(0, i - TITLE_MENTIONS) : i]:  # the names written up to here
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
            out.append(relation(doc, ix, "agreement", keys))
    return out


def leaders(doc: Document, ix: SentenceIndex) -> list[Relation]:
    """以 A 为龙头，B、C 积极参与 (…组成医联体): each member with its leader."""
    text = doc.text
    out = []
    for word in words("leader_words"):
        pos = text.find("为" + word, ix.st, ix.en)
        while pos != -1:
            a = ix.by_end.get(pos)
            if a is not None and text.endswith("以", 0, a.start):
                end = ix.clause_end(pos)
                start = end + 1
                b = ix.by_start.get(start)
                verb = next((v for v in words("gather_verbs") if text.startswith(v, start)), None)
                if b is None and verb is not None:  # 以A为龙头，整合B、C组建医共体
                    b = ix.by_start.get(start + len(verb))
                if b is not None:
                    members = ix.listed(b, 1)
                    after = text[members[-1].end : members[-1].end + 8]
                    cue = words("member_words") if verb is None else group_words()
                    if any(w in after for w in cue):
                        for m in members:
                            a_key, b_key = party(a, doc), party(m, doc)
                            if a_key and b_key and a_key != b_key:
                                out.append(
                                    relation(doc, ix, "membership", [a_key, b_key], lead=a_key)
                                )
            pos = text.find("为" + word, pos + 1, ix.en)
    return out


@cache
def _list_openers() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words("list_openers"))))


@cache
def _list_cues() -> re.Pattern[str]:
    counts = "".join(words("count_classifiers"))
    cues = "|".join(map(re.escape, words("list_cues")))
    return re.compile(f"[0-9一二三四五六七八九十两]+[{re.escape(counts)}]|{cues}")


def _group_leaders(doc: Document, ix: SentenceIndex) -> list[tuple[int, str, str, int]]:
    """(offset, key, kind, end of its role) of the bodies whose members a list may give:
    甲医院医联体 (a group named by its leader), 由甲医院牵头, 以甲医院为龙头, a named alliance
    (某省胸痛专科联盟), and a body with a role (甲医院的协作医院有…: the role's kind)."""
    text = doc.text
    roles, _ = role_table()
    by_len = sorted(roles, key=len, reverse=True)
    out = []
    for m in ix.ms:
        if m.cls != "Institution":
            continue
        key = party(m, doc)
        if m.subclass == "MedicalGroup" and key != m.key:
            out.append((m.start, key, "membership", -1))
        elif text.startswith(group_words(), m.end) or _is_grouping(m):
            out.append((m.start, key, "membership", -1))
        elif m.start > ix.st and text[m.start - 1] == "由":
            if text.startswith(words("agent_verbs"), m.end):
                out.append((m.start, key, "membership", -1))
        elif m.start > ix.st and text[m.start - 1] == "以":
            if text.startswith(tuple("为" + w for w in words("leader_words")), m.end):
                out.append((m.start, key, "membership", -1))
        else:
            at = m.end + (1 if text.startswith("的", m.end) else 0)
            role = next((r for r in by_len if text.startswith(r, at)), None)
            if role is not None:  # 甲医院的协作医院有乙、丙; 甲大学的教学医院包括乙
                out.append((m.start, key, roles[role][0], at + len(role)))
    return out


def enumerations(doc: Document, ix: SentenceIndex) -> list[Relation]:
    """甲医院医联体采用…模式：…；3家乡镇卫生院：乙、丙、丁; 由甲医院牵头，成员单位包括乙、丙;
    甲医院的协作医院有乙、丙: a list of members after a count (N家), a member word or a role
    joins the group's leader (or the role's holder)."""
    text = doc.text
    leaders_: list[tuple[int, str, str, int]] | None = None
    starts: list[int] = []
    out = []
    for o in _list_openers().finditer(text, ix.st, ix.en):
        os_, oe = o.start(), o.end()
        cs = ix.clause_start(os_)
        members = _members(ix, oe)
        if not members:
            continue
        if leaders_ is None:
            leaders_ = _group_leaders(doc, ix)
            starts = [p for p, *_ in leaders_]
        i = bisect.bisect_left(starts, os_) - 1
        if i < 0 or os_ - starts[i] > WINDOW:
            continue
        _, lead, kind, role_end = leaders_[i]
        if role_end >= 0:  # a role holder: the role is what the clause counts
            if not (cs <= role_end <= os_):
                continue
        elif not _list_cues().search(text, cs, os_):
            continue
        for m in members:
            k = party(m, doc)
            if lead and k and k != lead:
                out.append(relation(doc, ix, kind, [lead, k], lead=lead))
    return out


def _members(ix: SentenceIndex, pos: int) -> list[Mention]:
    """The bodies listed from ``pos`` to the end of the clause, each opening an item of the
    list (after 、/和/及, or at ``pos``); a name read only as its place (柳州市 of a hospital
    the lexicon does not know) is skipped, not the end of the list."""
    text = ix.text
    first = ix.head(ix.starting(pos, pos + GAP))
    if first is None or first.start > pos + GAP:
        return []
    out = []
    for m in ix.between(pos, ix.clause_end(pos)):
        item = m.start <= pos + GAP or text.endswith(LIST_SEPS, 0, m.start)
        if item and m.cls == "Institution" and m.counted and (not out or m.start >= out[-1].end):
            out.append(m)
    return out


def _same_body(a: str, b: str) -> bool:
    """明德医院 and 某大学医学院附属明德医院: one name holding the other is one body (a
    short form the report's own hospital was not resolved to)."""
    x, y = a.split(":", 1)[-1], b.split(":", 1)[-1]
    return x in y or y in x


def _destination(ix: SentenceIndex, lo: int, hi: int) -> Mention | None:
    """Where people are sent: the body opening ``lo`` (赴B开展对口支援), or, when the people are
    named first (派驻专家团队到B坐诊), the body after a word of movement (到, 赴, 前往)."""
    moves = words("dispatch_moves")
    for b in ix.between(lo, hi):
        if b.end > hi + 1 or b.cls not in ("Institution", "Place"):
            continue
        if b.start == lo or ix.text.endswith(moves, lo, b.start):
            return b
    return None


FIELD = 6  # 胸痛 in 加入甲医院胸痛专科联盟: the field between a leader's name and its group


@cache
def _field_group_re() -> re.Pattern[str]:
    groups = "|".join(map(re.escape, group_words()))
    return re.compile(f"[\u4e00-\u9fff]{{0,{FIELD}}}?(?:{groups})")


def _field_group(text: str, pos: int, end: int) -> bool:
    """甲医院专科联盟, 甲医院胸痛专科联盟: a group named by its leader and a short field (a field
    that holds a verb or a conjunction is another clause: 甲医院并成立联盟)."""
    m = _field_group_re().match(text, pos, end)
    return m is not None and not any(c in "的并后和与及" for c in text[pos : m.end()])


def _hosts_after_zai(text: str, ix: SentenceIndex) -> Iterator[tuple[int, Mention]]:
    """Each 在 of the sentence followed by a body that is not a government agency (在B设立…,
    …在B挂牌): the position of 在 and the body B."""
    pos = text.find("在", ix.st, ix.en)
    while pos != -1:
        b = ix.head(ix.by_start.get(pos + 1))
        if b is not None and b.cls == "Institution" and b.subclass != "GovernmentAgency":
            yield pos, b
        pos = text.find("在", pos + 1, ix.en)


STATION = 16  # 设立 + a name of the station (国医大师某某传承工作室)


def stations(doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject) -> list[Relation]:
    """A 在 B 设立专家工作站 / 名医工作室: A sets up a station of its experts at B (support)."""
    text = doc.text
    founds = words("founding_verbs")
    stations_ = words("station_words")
    out = []
    for pos, b in _hosts_after_zai(text, ix):
        verb = next((v for v in founds if text.startswith(v, b.end)), None)
        end = min(ix.clause_end(b.end), b.end + STATION)
        if verb is not None and any(text.find(w, b.end, end) != -1 for w in stations_):
            a = ix.ending(pos - VERB_GAP, pos)
            if a is not None and (not ix.no_mark(a.end, pos) or manner(text[a.end : pos])):
                a = None
            subject = a or ix.subject_at(ix.clause_start(pos)) or ix.chain_subject(pos)
            if isinstance(subject, Mention) and (
                subject.cls != "Institution" or subject.subclass == "GovernmentAgency"
            ):
                subject = None
            a_key, b_key = resolve_subject(subject), party(b, doc)
            if a_key and b_key and not _same_body(a_key, b_key):
                out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
    return out


def settlements(
    doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject
) -> list[Relation]:
    """A 专家团队入驻 B, A 医疗队进驻 B: A's people move in to work at B (support, A leads)."""
    text = doc.text
    people = tuple(words("dispatched"))
    out = []
    for verb in words("settle_verbs"):
        pos = text.find(verb, ix.st, ix.en)
        while pos != -1:
            b = ix.head(ix.by_start.get(pos + len(verb)))
            who = next((w for w in people if text.endswith(w, ix.st, pos)), None)
            if b is not None and who is not None and b.cls == "Institution":
                a = ix.ending(pos - len(who) - GAP, pos - len(who))
                if a is not None and not ix.no_mark(a.end, pos):
                    a = None
                subject = a or ix.subject_at(ix.clause_start(pos)) or ix.chain_subject(pos)
                a_key, b_key = resolve_subject(subject), party(b, doc)
                if a_key and b_key and not _same_body(a_key, b_key):
                    out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
            pos = text.find(verb, pos + 1, ix.en)
    return out


@cache
def _modifier_re() -> re.Pattern[str]:
    mods = sorted([*words("role_modifiers"), *group_words()], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, mods)) + ")+")


def _modified(ix: SentenceIndex, j: int) -> list[Mention]:
    """成为A紧密型医联体成员单位: A, then only modifiers (data) before the role at ``j``."""
    y = ix.ending(max(ix.st, j - ROLE_MODIFIERS), j - 1)
    if y is None or y.cls != "Institution" or _modifier_re().fullmatch(ix.text, y.end, j) is None:
        return []
    return ix.listed(y, -1)


def _joint_signatories(
    doc: Document, ix: SentenceIndex, hits: list[tuple[int, int, str]]
) -> list[Relation]:
    """甲医院党委书记张三、乙医院院长李四代表双方签约: titled people listed by 、 who sign
    together sign for their bodies."""
    text = doc.text
    triggers, _ = trigger_table()
    starts = [h[0] for h in hits]
    out = []
    for m in ix.ms:
        if m.cls != "Person" or not text.startswith("、", m.end):
            continue
        n = ix.by_start.get(_after_title(ix, m.end + 1))
        if n is None or n.cls != "Person":
            continue
        end = n.end
        if text.startswith(("分别代表双方", "代表双方"), end):
            end += 6 if text.startswith("分别", end) else 4
        i = bisect.bisect_left(starts, end)
        if i >= len(hits) or hits[i][0] > end + JOINT_GAP or not ix.no_mark(end, hits[i][0]):
            continue
        if triggers[hits[i][2]] != "agreement":
            continue
        a, b = party(m, doc), party(n, doc)
        if a and b and a != b and not a.startswith("person:") and not b.startswith("person:"):
            out.append(relation(doc, ix, "agreement", [a, b]))
    return out


def _after_title(ix: SentenceIndex, pos: int) -> int:
    """The start of the name after a body and a title (乙医院院长李四 → 李四), else ``pos``."""
    body = ix.by_start.get(pos)
    if body is None or body.cls == "Person":
        return pos
    nxt = ix.starting(body.end, body.end + ROLE_MODIFIERS)
    return nxt.start if nxt is not None and nxt.cls == "Person" else pos


def sendings(doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject) -> list[Relation]:
    """A 向 B 派驻管理团队, A 向 B 选派专家: A sends its people to work at B (support, A leads)."""
    text = doc.text
    verbs = words("send_verbs")
    out = []
    pos = text.find(SENT_TO, ix.st, ix.en)
    while pos != -1:
        b = ix.head(ix.by_start.get(pos + 1))
        if (
            b is not None
            and b.cls == "Institution"
            and b.subclass != "GovernmentAgency"
            and text.startswith(verbs, b.end)
            and not any(  # 向B选派进修医生: staff sent to learn, no partnership
                w in text[b.end : ix.clause_end(b.end)] for w in words("training_words")
            )
        ):
            a = ix.ending(pos - VERB_GAP, pos)
            if a is not None and (not ix.no_mark(a.end, pos) or manner(text[a.end : pos])):
                a = None
            subject = a or ix.subject_at(ix.clause_start(pos)) or ix.chain_subject(pos)
            if isinstance(subject, Mention) and subject.subclass == "GovernmentAgency":
                subject = None  # 省卫健委向某医院派出督导组: administration
            a_key, b_key = resolve_subject(subject), party(b, doc)
            if a_key and b_key and not _same_body(a_key, b_key):
                out.append(relation(doc, ix, "support", [a_key, b_key], lead=a_key))
        pos = text.find(SENT_TO, pos + 1, ix.en)
    return out


SITE_GAP = 4  # 正式 between a branch's name and 在


def branch_sites(doc: Document, ix: SentenceIndex) -> list[Relation]:
    """甲医院某地分院在乙医院挂牌/揭牌: the branch of a parent is set up at a host body, which
    becomes the parent's partner (cooperation, the parent leading)."""
    text = doc.text
    unveil = words("unveil_verbs")
    out = []
    for pos, b in _hosts_after_zai(text, ix):
        tail = text[b.end : min(ix.clause_end(b.end), b.end + SITE_GAP + 2)]
        x = ix.ending(pos - SITE_GAP, pos)
        parent = x.attr("parent") if x is not None and x.cls == "Institution" else None
        station = next((w for w in words("station_words") if text.endswith(w, 0, pos)), None)
        if parent is None and station is not None:  # 甲医院专家工作站在乙医院揭牌
            at = pos - len(station)
            y = ix.ending(at - SITE_GAP, at)  # 甲医院(专家/名医)工作站
            if y is not None and y.cls == "Institution" and text[y.end : at].isalpha():
                x, parent = y, party(y, doc)
        if (
            parent
            and any(v in tail for v in unveil)
            and x is not None
            and ix.no_mark(x.end, pos)
            and (station is not None or not manner(text[x.end : pos]))
        ):
            b_key = party(b, doc)
            if b_key and not _same_body(parent, b_key) and b_key != x.key:
                out.append(relation(doc, ix, "cooperation", [parent, b_key], lead=parent))
    for verb in unveil:  # 乙医院挂牌甲医院某地分院: the host takes its parent's branch name
        pos = text.find(verb, ix.st, ix.en)
        while pos != -1:
            x = ix.by_start.get(pos + len(verb))
            parent = x.attr("parent") if x is not None and x.cls == "Institution" else None
            host = ix.ending(pos - GAP, pos)
            if x is not None and host is not None and x.key == host.key:  # the branch was
                lo = bisect.bisect_left(doc.mentions, x.start, key=lambda m: m.start)
                hi = bisect.bisect_right(doc.mentions, x.start, key=lambda m: m.start)
                inner = [  # resolved to its host: its parent is the name it opens with
                    m
                    for m in doc.mentions[lo : min(hi, lo + 8)]
                    if m.cls == "Institution" and m.end < x.end and m.key != host.key
                ]
                parent = max(inner, key=lambda m: m.end).key if inner else None
            if parent and host is not None and host.cls == "Institution":
                h_key = party(host, doc)
                if h_key and not _same_body(parent, h_key):
                    out.append(relation(doc, ix, "cooperation", [parent, h_key], lead=parent))
            pos = text.find(verb, pos + 1, ix.en)
    return out


def admissions(doc: Document, ix: SentenceIndex, resolve_subject: ResolveSubject) -> list[Relation]:
    """…牵头组建某联盟，吸纳B、C为成员单位 (a leader admits members: data partnership_admit_verbs),
    and 甲医院牵头成立某联盟，B等15家医院加入 (a clause of members after the leader's clause):
    each member with the leader (membership, the leader leading)."""
    text = doc.text
    members_w = words("member_words")
    out = []

    def add(lead: str | None, members: list[Mention]) -> None:
        for m in members:
            k = party(m, doc)
            if lead and k and k != lead:
                out.append(relation(doc, ix, "membership", [lead, k], lead=lead))

    for verb in words("admit_verbs"):
        pos = text.find(verb, ix.st, ix.en)
        while pos != -1:
            b = ix.head(ix.by_start.get(pos + len(verb)))
            if b is not None and b.cls == "Institution":
                members = ix.listed(b, 1)
                if text.startswith(tuple("为" + w for w in ("成员单位", "成员")), members[-1].end):
                    subject = ix.subject_at(ix.clause_start(pos)) or ix.chain_subject(pos)
                    if isinstance(subject, Mention) and subject.cls != "Institution":
                        subject = None
                    add(resolve_subject(subject), members)
            pos = text.find(verb, pos + 1, ix.en)
    for cs in ix.marks:  # 甲医院牵头成立…联盟，B等N家医院加入
        if not (ix.st <= cs < ix.en) or text[cs] != "，":
            continue
        b = ix.by_start.get(cs + 1)
        if b is None or b.cls != "Institution":
            continue
        members = ix.listed(b, 1)
        end = ix.clause_end(members[-1].end)
        tail = text[members[-1].end : end]
        if len(tail) > LIST_TAIL + 4 or not tail.endswith(members_w):
            continue
        prev = ix.clause_start(cs)
        leader = ix.subject_at(prev)
        if isinstance(leader, Mention) and leader.cls == "Institution":
            head = text[leader.end : cs]
        elif isinstance(leader, str):  # 我院牵头组建…联盟: the report's own body
            head = text[prev:cs]
            at = min(
                (j for j in (head.find(v, 0, 8) for v in words("agent_verbs")) if j >= 0),
                default=-1,
            )
            head = head[at:] if at >= 0 else ""
        else:
            continue
        if not any(v in head[:4] for v in words("agent_verbs")) or not any(
            g in head for g in group_words()
        ):
            continue
        add(resolve_subject(leader), members)
    return out
