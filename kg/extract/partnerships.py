"""Partnerships: grammar over the resolved mentions of a sentence.

Patterns (triggers and conjunctions are data under ontology/patterns/):
- ``A 与/同/和 B … TRIGGER`` (合作, 签约, 共建, 托管 …) in the same sentence;
  an omitted A (``与王琦院士签订合作协议``) is the report's city;
- ``A 托管 B``; ``A 加入由 B 牵头组建的 C`` (membership, B leads);
- compound abbreviations ``京长合作`` (北京市–长治市, 长 = the report's own city);
- ``X 选派专家来长坐诊`` (support), ``赴京培训进修`` (exchange).
"""

from __future__ import annotations

import re
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import (
    CLAUSE_MARKS,
    automaton,
    clause_start,
    clause_topic,
    date_before,
    has_cjk,
    longest_matches,
)
from kg.extract.places import abbreviation_places
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words

_GAP = 2  # characters allowed between a party and the conjunction next to it
_VERB_GAP = 8  # adverbs and a verb between a clause's subject and 与 (持续深化, 进一步加强)

#: In partnership sentences a colon ends a clause too.
_MARKS = CLAUSE_MARKS + "："


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


def _party_before(text: str, mentions: list[Mention], pos: int) -> Mention | None:
    """The mention ending at most ``_GAP`` characters before ``pos``, in the same clause."""
    return next(
        (
            m
            for m in reversed(mentions)
            if pos - _GAP <= m.end <= pos and not any(ch in _MARKS for ch in text[m.end : pos])
        ),
        None,
    )


def _clause_subject(text: str, mentions: list[Mention], start: int, cs: int) -> Mention | None:
    """The entity opening the clause when only a few words (adverbs and a verb, no other
    entity) stand between it and 与: 我市持续深化与…, 市卫健委积极推进与…."""
    inside = [m for m in mentions if start <= m.start and m.end <= cs]
    if not inside or inside[0].start != start or len(inside) > 1:
        return None
    gap = text[inside[0].end : cs]
    return inside[0] if 0 < len(gap) <= _VERB_GAP and has_cjk(gap) and gap.isalpha() else None


def _listed(text: str, mentions: list[Mention], m: Mention, step: int) -> list[Mention]:
    """``m`` and the mentions listed with it by 、/和/及, in text order, going left (-1) or
    right (+1) from it."""
    out = [m]
    by_start = {x.start: x for x in mentions}
    by_end = {x.end: x for x in mentions}
    while True:
        cur = out[-1]
        if step > 0:
            nxt = by_start.get(cur.end + 1) if text[cur.end : cur.end + 1] in "、和及" else None
        else:
            sep = text[cur.start - 1 : cur.start] if cur.start else ""
            nxt = by_end.get(cur.start - 1) if sep and sep in "、和及" else None
        if nxt is None or nxt in out:
            break
        out.append(nxt)
    return out if step > 0 else out[::-1]


def _respective(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    """Pairs of 分别: the i-th with the i-th, or one with each of the others."""
    if len(left) == len(right):
        return list(zip(left, right, strict=True))
    if len(left) == 1 or len(right) == 1:
        return [(x, y) for x in left for y in right]
    return [(left[-1], right[0])]  # lists that do not line up: only the adjacent pair


def _party(m: Mention, by_key: dict[str, Mention]) -> str:
    """A research centre inside a hospital partners through its hospital."""
    parent = m.attr("parent")
    if m.subclass == "ResearchCenter" and parent:
        return parent
    return m.key


def extract_partnerships(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    text = doc.text
    st, en = sent.start, sent.end
    s_text = text[st:en]
    triggers, auto = _triggers()
    hits = [(s + st, e + st, w) for s, e, w in longest_matches(auto, s_text)]
    out: list[Relation] = []
    by_key = {m.key: m for m in mentions}

    def rel(
        kind: str, parties: list[str], lead: str | None = None, co_built: str | None = None
    ) -> None:
        uniq = tuple(sorted(set(parties)))
        if len(uniq) >= 2:
            out.append(
                Relation(
                    "Partnership",
                    kind,
                    uniq,
                    st,
                    en,
                    lead=lead,
                    co_built=co_built,
                    date=date_before(s_text, doc.year),
                )
            )

    # A 与 B ... trigger
    for c in re.finditer(
        "|".join(sorted(read_words("patterns/conjunctions.txt"), key=len, reverse=True)), s_text
    ):
        cs, ce = c.start() + st, c.end() + st
        trig = next(((s, e, w) for s, e, w in hits if s >= ce), None)
        if trig is None or text.find("。", ce, trig[0]) != -1:
            continue
        b = next((m for m in mentions if ce <= m.start <= ce + _GAP), None)
        if b is None:
            continue
        a = _party_before(text, mentions, cs)
        if a is not None:
            a_key = _party(a, by_key)
        else:
            start = clause_start(text, cs, st, _MARKS)
            before = text[start:cs]
            subject = _clause_subject(text, mentions, start, cs)
            if subject is not None:  # 我市持续深化与B的合作: the clause's subject, then a verb
                a_key = _party(subject, by_key)
            elif re.sub(r"[\d年月日底初]|今年|去年|同时|此外|积极|主动", "", before).strip():
                continue
            else:
                # 市中医院牵头成立X联盟，与Y签订…: the clause before names who signs
                topic = clause_topic(text, start, mentions, st)
                if topic is None and self_key is None:
                    continue
                a_key = topic or self_key
        kind = triggers[trig[2]]
        co = None
        for ts, te, tw in hits:
            if ts >= trig[0] and triggers[tw] == "coConstruction":
                co = next(
                    (m for m in mentions if te <= m.start <= te + 2 and m.cls == "Institution"),
                    None,
                )
                if co is not None:
                    kind = "coConstruction"
                    break
        pairs = [(a_key, _party(b, by_key))]
        if a is not None and text[cs - 2 : cs] == "分别":  # A、B分别与C、D…: respectively
            pairs = _respective(
                [_party(m, by_key) for m in _listed(text, mentions, a, -1)],
                [_party(m, by_key) for m in _listed(text, mentions, b, 1)],
            )
        for left, right in pairs:
            rel(
                kind,
                [_as_city(left, doc), _as_city(right, doc)],
                co_built=co.key if co is not None else None,
            )
    # A 托管 B, A 对口帮扶 B: the verb's subject leads, its object is the partner
    for s, e, w in hits:
        if w not in _direct_triggers():
            continue
        a = _party_before(text, mentions, s)
        b = next((m for m in mentions if e <= m.start <= e + _GAP), None)
        if a is not None and b is not None:
            rel(triggers[w], [a.key, b.key], lead=a.key)
    # A 加入由 B 牵头组建的 C
    for m in re.finditer(r"加入由", s_text):
        ms, me = m.start() + st, m.end() + st
        b = next((x for x in mentions if me <= x.start <= me + _GAP), None)
        if b is None or "牵头" not in text[b.end : b.end + 4]:
            continue
        a = next((x for x in reversed(mentions) if ms - _GAP <= x.end <= ms), None)
        a_key = a.key if a is not None else self_key
        if a_key:
            rel("membership", [a_key, b.key], lead=b.key)
    out.extend(_compounds(doc, sent, self_key))
    out.extend(_exchanges(doc, sent, mentions, self_key))
    return out


def _as_city(key: str, doc: Document) -> str:
    """市政府 signing for the city stands for the city itself (平顶山市–上海中医药大学)."""
    city = load_gazetteer().get(doc.city or "")
    if city is not None and key == f"org:{city.name}人民政府":
        return f"place:{city.key}"
    return key


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


def _exchanges(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    """X 选派专家来长坐诊 (support), 我市选派骨干赴京培训 (exchange)."""
    amap = _abbr_map(doc)
    text = doc.text
    out = []
    pat = re.compile(
        r"(选派|派出|派驻|组织|推荐)[^，。；]{0,12}?(来|到|赴|去|参加)([\u4e00-\u9fff]{1,4}?)"
        r"(访问学者|坐诊|帮扶|指导|会诊|支援|培训|进修|交流|学习)"
    )
    for m in pat.finditer(text, sent.start, sent.end):
        target_text = m.group(3)
        target = next(
            (
                x.key
                for x in mentions
                if x.start == m.start(3) and x.cls in ("Place", "Institution")
            ),
            None,
        )
        if target is None and len(target_text) == 1:
            target = amap.get(target_text)
        src = next(
            (
                x
                for x in reversed(mentions)
                if x.end <= m.start() and x.end >= clause_start(text, m.start(), sent.start, _MARKS)
            ),
            None,
        )
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
                sent.start,
                sent.end,
                lead=src_key if kind == "support" else None,  # the supporter leads
            )
        )
    return out


def _binds(pair: str) -> bool:
    from kg.segment import get_segmenter

    return get_segmenter().tokenizer.FREQ.get(pair, 0) > 0
