"""Place abbreviations in compounds (京长合作) and dispatches (选派专家来长坐诊, 赴京培训)."""

from __future__ import annotations

import re
from functools import cache

from kg.document import Document, Mention, Relation, Sentence
from kg.extract.partnerships.clauses import (
    SentenceIndex,
)
from kg.extract.places import abbreviation_places
from kg.gazetteer import load_gazetteer


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


def compounds(doc: Document, sent: Sentence, self_key: str | None) -> list[Relation]:
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


def exchanges(doc: Document, ix: SentenceIndex, self_key: str | None) -> list[Relation]:
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
