"""Achievements: holder + trigger + title, with date, level, awarding body and program.

The holder is the subject before the trigger in the same clause (several when
coordinated with 、); 我市/全市 and an omitted subject are the report's city. A
department written after its hospital (市医院普外科) makes the hospital the
holder and goes into the title; people who end the subject (市中心医院王建华主任获评…) hold
it themselves. Plans and targets (要, 将, 力争 …) are skipped.
"""

from __future__ import annotations

import re
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.common import (
    MAX_CLAUSE,
    automaton,
    clause_end,
    clause_start,
    clause_topic,
    date_before,
    evidence_span,
    longest_matches,
    strip_quotes,
    within,
)
from kg.lexicon import read_tsv, read_words

_TRIM_HEAD = re.compile(r"^(?:了|为|成为|到|至|上|获得|得)+")
_TRIM_TAIL = re.compile(r"(?:荣誉称号|称号|的良好成绩|的好成绩|的成绩|荣誉|等荣誉)$")
_DEPT = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:科|科室|中心|病区|党支部|党总支|支部))")


_PARTY = ("Institution", "Place")


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


def extract_achievements(
    doc: Document, sent: Sentence, mentions: list[Mention], self_key: str | None
) -> list[Relation]:
    text = doc.text
    triggers, auto = _triggers()
    plan = read_words("patterns/plan_markers.txt")
    out: list[Relation] = []
    found = list(longest_matches(auto, text[sent.start : sent.end]))
    for i, (s0, e0, w) in enumerate(found):
        s, e = s0 + sent.start, e0 + sent.start
        kind, needs, mode = triggers[w]
        contains = mode == "contains"
        cs, ce = clause_start(text, s, sent.start), clause_end(text, s, sent.end)
        if i + 1 < len(found) and found[i + 1][0] + sent.start < ce:
            nxt = found[i + 1][0] + sent.start
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
        title = text[given.end if given is not None else e : ce]
        title = _TRIM_TAIL.sub("", _TRIM_HEAD.sub("", title)).strip()
        if len(strip_quotes(title)) < 2:
            continue
        if needs and not (any(n in title for n in needs) if contains else title.endswith(needs)):
            continue
        if any(p in subject for p in plan):
            continue
        if given is not None:
            giver = [m for m in within(mentions, cs, s) if m.cls == "Institution"]
            holders, depts = [given.key], [None]
            awarded = giver[-1].key if giver else None
        else:
            holders, depts, awarded = _holders(text, cs, s, mentions, self_key, sent.start)
        if not holders:
            continue
        program = next((m.key for m in within(mentions, e, ce) if m.cls == "Program"), None)
        date = date_before(text[max(sent.start, s - MAX_CLAUSE) : s], doc.year)
        level = _level(title) or (_level(text[s:e]) if awarded else None)
        for i, h in enumerate(holders):
            dept = depts[i]
            label = f"{dept} {title}" if dept else title
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
    return out


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


def _holders(
    text: str, cs: int, s: int, mentions: list[Mention], self_key: str | None, floor: int
) -> tuple[list[str], list[str | None], str | None]:
    """Subjects between the clause start and the trigger, their departments, the awarder.

    A clause with no subject of its own continues the topic of the sentence: its holder is
    the entity the clause before starts with (市中医医院同…合作迈出步伐，入选X),
    else the report's city."""
    region = [m for m in within(mentions, cs, s) if m.cls != "Program"]
    awarded = None
    bei = text.rfind("被", cs, s)
    if bei != -1:
        by = [m for m in region if m.start > bei]
        if by and by[0].cls == "Institution":
            awarded = by[0].key
        region = [m for m in region if m.start < bei]
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
    people = _trailing_people(text, top, s)
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
        dm = _DEPT.match(text, m.end) if m.cls == "Institution" else None
        holders.append(m.key)
        depts.append(dm.group(1) if dm and dm.end() <= s else None)
    if not holders:
        rest = re.sub(
            r"[\d年月日底初]|今年|去年|再次|成功|先后|相继|同时|顺利|均|已|还|也|并|又",
            "",
            text[cs:s],
        )
        if not rest.strip():
            topic = clause_topic(text, cs, mentions, floor) or self_key
            if topic:
                return [topic], [None], awarded
    return holders, depts, awarded
