"""Stage 4: run the registered extractors over one document.

Entity extractors run in a fixed order because longer names claim their spans
first: programs (quoted, 《》) before institutions, institutions before places
(the 长治 inside 长治市人民医院 is not counted as a mention of the city).
Relation extractors then work sentence by sentence over the resolved mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from kg.document import PLACE, Document, Mention, Relation, Sentence
from kg.extract.achievements import extract_achievements
from kg.extract.common import SpanIndex
from kg.extract.institutions import extract_institutions
from kg.extract.partnerships import compound_places, extract_partnerships
from kg.extract.people import extract_people
from kg.extract.places import extract_places, get_matcher, infer_context
from kg.extract.programs import extract_programs
from kg.gazetteer import load_gazetteer
from kg.resolve import relation_identity
from kg.segment import get_segmenter, split_sentences

#: Version of the extraction rules: part of the cache key of incremental builds.
EXTRACTOR_VERSION = "1"

RelationExtractor = Callable[[Document, Sentence, list[Mention], str | None], list[Relation]]
#: Relation extractors by name, in the order they run.
RELATION_EXTRACTORS: dict[str, RelationExtractor] = {
    "partnerships": extract_partnerships,
    "achievements": extract_achievements,
}

_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|19[5-9]\d)年")
#: How a report names its own place, by the level of that place (a county-level city's
#: report says 我市 too).
_SELF = {
    "City": re.compile(r"我市|本市|全市"),
    "County": re.compile(r"我市|本市|全市|我县|本县|全县|我区|本区|全区"),
    "Province": re.compile(r"我省|本省|全省"),
}


def extract(doc: Document) -> Document:
    """Fill sentences, context (city, year, headline), mentions and relations."""
    seg = get_segmenter()
    doc.sentences = split_sentences(doc)
    hits = get_matcher().hits(doc.text)
    infer_context(doc, hits)
    _years(doc)
    doc.headline = _headline(doc)
    places = extract_places(doc, hits)
    programs = extract_programs(doc, hits)
    claimed = SpanIndex(programs)
    insts = extract_institutions(doc, places, claimed, seg)
    for m in insts:
        claimed.add(m.start, m.end)
    people = extract_people(doc, claimed, seg, insts, places)
    for m in people:
        claimed.add(m.start, m.end)
    counted_places = [_count(p, claimed) for p in places] + compound_places(doc)
    mentions = sorted(programs + insts + people + counted_places, key=lambda m: (m.start, m.end))
    doc.mentions = mentions
    doc.relations = _relations(doc, mentions)
    return doc


def _count(p: Mention, claimed: SpanIndex) -> Mention:
    if claimed.covering(p.start, p.end):
        return Mention(p.cls, p.subclass, p.key, p.name, p.surface, p.start, p.end, False, p.attrs)
    return p


def _self_mentions(doc: Document) -> list[Mention]:
    own = load_gazetteer().get(doc.own_place or "")
    if own is None or own.level not in _SELF:
        return []
    return [
        Mention(PLACE, own.level, f"place:{own.key}", "", m.group(), m.start(), m.end(), False)
        for m in _SELF[own.level].finditer(doc.text)
    ]


def _relations(doc: Document, mentions: list[Mention]) -> list[Relation]:
    self_key = f"place:{doc.own_place}" if doc.own_place else None
    allm = sorted(mentions + _self_mentions(doc), key=lambda m: (m.start, m.end))
    # Parties are the outermost mentions: a place inside an institution name is not one.
    outer = [m for m in allm if m.counted or (m.cls == PLACE and not m.name)]  # or 我市
    out: list[Relation] = []
    seen: set[tuple[str, ...]] = set()
    i = 0
    for sent in doc.sentences:
        while i < len(outer) and outer[i].end <= sent.start:
            i += 1
        j = i
        while j < len(outer) and outer[j].start < sent.end:
            j += 1
        local = outer[i:j]
        for fn in RELATION_EXTRACTORS.values():
            for r in fn(doc, sent, local, self_key):
                key = (*relation_identity(r), str(sent.start))  # every sentence is evidence
                if key not in seen:
                    seen.add(key)
                    out.append(r)
    return out


def _years(doc: Document) -> None:
    counts = Counter(int(y) for y in _YEAR.findall(doc.text))
    if not counts:
        return
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))
    doc.year = ranked[0][0]
    doc.years = tuple(sorted(y for y, n in ranked[:3] if n >= 2)) or (doc.year,)


def _headline(doc: Document) -> str:
    """The first line that reads as a title: short, no sentence punctuation."""
    for line in doc.text.split("\n")[:40]:
        t = line.strip().lstrip("#").strip()
        if 4 <= len(t) <= 40 and not re.search(r"[。，,；]", t) and not t.startswith(("图", "▲")):
            return t
    return doc.name
