"""Place abbreviations in compounds (京长合作), regional groupings (晋冀鲁豫…协作区) and
dispatches (选派专家来长坐诊; 赴京培训 is training, no partnership)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from kg.document import Document, Mention, Relation
from kg.extract.institutions import groupings as grouping_names
from kg.extract.partnerships.clauses import SentenceIndex, relation
from kg.extract.places import abbreviation_places
from kg.gazetteer import load_gazetteer
from kg.lexicon import read_tsv, read_words
from kg.segment import get_segmenter


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
    """The places named by one-character abbreviations in compounds (京 in 京长合作) and
    in the names of regional groupings (晋 in 晋冀鲁豫“四省六市”疾控协作区)."""
    pat = compound_pattern(doc)
    if pat is None:
        return []
    amap = _abbr_map(doc)
    gaz = load_gazetteer()
    out = []
    seen: set[int] = set()

    def add(key: str, s: int) -> None:
        d = gaz.get(key.removeprefix("place:"))
        if d is not None and s not in seen:
            seen.add(s)
            out.append(Mention("Place", d.level, key, d.name, doc.text[s], s, s + 1))

    for m in pat.finditer(doc.text):
        if m.start() > 0 and _binds(doc.text[m.start() - 1 : m.start() + 1]):
            continue
        for i, ch in enumerate(m.group(1)):
            add(amap[ch], m.start() + i)
    for g in grouping_names(doc.text, get_segmenter()):
        for s, key in g.members:
            add(key, s)
    return sorted(out, key=lambda m: m.start)


def compounds(doc: Document, ix: SentenceIndex) -> list[Relation]:
    """京长合作, 沪滇协作: two or more one-character place abbreviations. In the name of a
    regional grouping (晋冀鲁豫…协作区) they are its members, not partners pair by pair
    (``groupings``)."""
    amap = _abbr_map(doc)
    pat = compound_pattern(doc)
    if pat is None:
        return []
    out = []
    for m in pat.finditer(doc.text, ix.st, ix.en):
        if m.start() > ix.st and _binds(doc.text[m.start() - 1 : m.start() + 1]):
            continue  # 南京长江: the first character belongs to a longer word
        body = ix.by_start.get(m.start())
        if body is not None and body.attr("grouping"):
            continue
        keys = tuple(sorted({amap[c] for c in m.group(1)}))
        if len(keys) >= 2:
            kind = "support" if m.group(2) in ("对口", "帮扶") else "cooperation"
            out.append(Relation("Partnership", kind, keys, ix.st, ix.en))
    return out


def groupings(ix: SentenceIndex) -> list[Relation]:
    """晋冀鲁豫“四省六市”疾控协作区: each member its name lists joins the grouping."""
    out = []
    for body in ix.ms:
        members = body.attr("members") if body.attr("grouping") else None
        for key in (members or "").split():
            out.append(relation(ix.doc, ix, "membership", [key, body.key]))
    return out


@cache
def _dispatch() -> tuple[re.Pattern[str], dict[str, str]]:
    """Sender verb … move word + destination (1-4 characters: 京, 北大) + activity."""
    kinds = {r["word"]: r["kind"] for r in read_tsv("patterns/partnership_dispatch_activities.tsv")}
    acts = {**dict.fromkeys(read_words("patterns/partnership_training_words.txt"), ""), **kinds}

    def alt(ws: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))

    senders = read_words("patterns/partnership_senders.txt")
    moves = read_words("patterns/partnership_dispatch_moves.txt")
    pattern = re.compile(
        f"({alt(senders)})[^，。；]{{0,12}}?({alt(moves)})([\u4e00-\u9fff]{{1,4}}?)({alt(acts)})"
    )
    return pattern, acts


def dispatches(doc: Document, ix: SentenceIndex, self_key: str | None) -> list[Relation]:
    """X 选派专家来长坐诊: support from the sender, who leads. 推荐3人参加北大访问学者培训,
    选派骨干赴京进修: training and visits, no partnership (partnership_training_words.txt)."""
    pattern, acts = _dispatch()
    amap = _abbr_map(doc)
    text = doc.text
    out = []
    for m in pattern.finditer(text, ix.st, ix.en):
        kind = acts[m.group(4)]
        if not kind:
            continue  # staff sent to learn: the host is not the sender's partner
        target_text = m.group(3)
        t = ix.by_start.get(m.start(3))
        target = t.key if t is not None and t.cls in ("Place", "Institution") else None
        if target is None and len(target_text) == 1:
            target = amap.get(target_text)
        src = ix.ending(ix.clause_start(m.start()), m.start())
        src_key = src.key if src is not None else self_key
        if not target or not src_key or target == src_key:
            continue
        parties = tuple(sorted({src_key, target}))
        out.append(Relation("Partnership", kind, parties, ix.st, ix.en, lead=src_key))
    return out


def _binds(pair: str) -> bool:
    from kg.segment import get_segmenter

    return get_segmenter().tokenizer.FREQ.get(pair, 0) > 0
