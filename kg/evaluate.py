"""``kg eval``: score the built graph against the hand-made gold annotations in ``tests/gold``.

The scores are read from the Turtle the builder wrote, never from its Python objects, so the
yardstick stays independent of the code it measures and also scores graphs built by older
versions. The gold format and the annotation guidelines are in ``tests/gold/README.md``.

Scores are micro-averaged over documents: true positives, false positives and false negatives
are summed over all documents before precision, recall and F1 are computed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import InputError
from kg.io import read_rdf
from kg.vocab import KG, KG_NS

#: The entity classes scored, in report order (the top-level classes of the ontology).
ENTITY_CLASSES: tuple[str, ...] = ("Place", "Institution", "Program", "Person")
#: The classes a plain NER tagger can produce; "overall-NER" compares on these only.
NER_CLASSES: tuple[str, ...] = ("Place", "Institution", "Person")
#: The relation rows of the report.
RELATION_CLASSES: tuple[str, ...] = ("Partnership", "Achievement")
PARTNERSHIP_KINDS = frozenset(
    {
        "cooperation",
        "agreement",
        "coConstruction",
        "trusteeship",
        "membership",
        "support",
        "exchange",
    }
)
ACHIEVEMENT_KINDS = frozenset(
    {"honour", "selection", "approval", "designation", "certification", "promotion", "ranking"}
)
#: Minimum character-bigram Dice coefficient for two achievement titles to match.
TITLE_DICE_THRESHOLD = 0.5

_TOP_CLASSES: dict[URIRef, str] = {KG[name]: name for name in ENTITY_CLASSES}
_QUOTES = "“”\"‘’'「」『』《》〈〉"
_DROP_QUOTES = str.maketrans("", "", _QUOTES)
_WHITESPACE = re.compile(r"\s+")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class GoldError(InputError):
    """A gold annotation file that is missing or does not follow tests/gold/README.md."""


# --------------------------------------------------------------------------- normalisation


def normalize_name(text: str) -> str:
    """Comparable form of a name: NFKC (full-width → half-width), no whitespace, no quotes.

    Reports print the same name with full-width or ASCII brackets, with OCR spaces inside words
    and with or without quotes; none of that makes a different name.
    """
    folded = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub("", folded).translate(_DROP_QUOTES)


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character-bigram multisets of two normalised strings."""
    grams_a = Counter(a[i : i + 2] for i in range(len(a) - 1))
    grams_b = Counter(b[i : i + 2] for i in range(len(b) - 1))
    total = sum(grams_a.values()) + sum(grams_b.values())
    if not total:
        return 1.0 if a == b and a else 0.0
    return 2 * sum((grams_a & grams_b).values()) / total


def title_score(predicted: str, gold: str) -> float | None:
    """Similarity of two achievement titles, or None when they do not match.

    Titles are paraphrased more than names (with or without the department, a year, a
    verb), so they match by containment or by bigram Dice ≥ 0.5. The returned score orders
    competing candidates: containment ranks above any Dice value.
    """
    a, b = normalize_name(predicted), normalize_name(gold)
    if not a or not b:
        return None
    dice = bigram_dice(a, b)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return 1.0 + dice
    return dice if dice >= TITLE_DICE_THRESHOLD else None


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldEntity:
    """One named entity of a gold document."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    subtype: str | None = None
    role: str | None = None
    surface: str | None = None
    #: A reasonable analyst could go either way: neither a miss nor, when predicted, a false hit.
    optional: bool = False

    @property
    def forms(self) -> frozenset[str]:
        """Normalised name and aliases: what a predicted label must equal."""
        return frozenset(normalize_name(form) for form in (self.name, *self.aliases))


@dataclass(frozen=True)
class GoldPartnership:
    """One distinct partner set of a gold document."""

    partners: tuple[str, ...]
    kind: str
    evidence: str
    also_kinds: tuple[str, ...] = ()
    lead: str | None = None
    co_built: str | None = None
    date: str | None = None
    optional: bool = False

    @property
    def accepted_kinds(self) -> frozenset[str]:
        """Kinds that count as right for this partner set."""
        return frozenset((self.kind, *self.also_kinds))


@dataclass(frozen=True)
class GoldAchievement:
    """One honour, status or selection obtained by one or more holders."""

    holders: tuple[str, ...]
    title: str
    date: str | None
    evidence: str
    department: str | None = None
    kind: str | None = None
    awarded_by: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class GoldDocument:
    """The gold annotation of one report."""

    document: str
    city: str
    province: str
    year: int
    entities: tuple[GoldEntity, ...]
    partnerships: tuple[GoldPartnership, ...]
    achievements: tuple[GoldAchievement, ...]


def _is_str_list(value: Any, minimum: int = 0) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= minimum
        and all(isinstance(item, str) and item for item in value)
    )


def _entity_problems(entities: Any) -> list[str]:
    if not isinstance(entities, list):
        return ["'entities' is not a list"]
    problems: list[str] = []
    seen: dict[str, str] = {}
    for i, entity in enumerate(entities):
        where = f"entities[{i}]"
        if not isinstance(entity, dict):
            problems.append(f"{where} is not an object")
            continue
        if entity.get("type") not in ENTITY_CLASSES:
            problems.append(f"{where}: type must be one of {', '.join(ENTITY_CLASSES)}")
        name = entity.get("name")
        if not isinstance(name, str) or not name:
            problems.append(f"{where}: missing name")
            continue
        if not _is_str_list(entity.get("aliases")):
            problems.append(f"{where} {name}: aliases must be a list of strings")
            continue
        for key in ("subtype", "role", "surface", "note"):
            if key in entity and not isinstance(entity[key], str):
                problems.append(f"{where} {name}: {key} must be a string")
        problems += _optional_problems(entity, f"{where} {name}")
        for form in (name, *entity["aliases"]):
            key = normalize_name(form)
            if key in seen and seen[key] != name:
                problems.append(f"{where} {name}: form {form!r} also belongs to {seen[key]}")
            elif key in seen and form != name:
                problems.append(f"{where} {name}: alias {form!r} repeats a form of the entity")
            seen[key] = name
    return problems


def _optional_problems(item: Mapping[str, Any], where: str) -> list[str]:
    if "optional" in item and not isinstance(item["optional"], bool):
        return [f"{where}: optional must be true or false"]
    return []


def _relation_problems(data: Mapping[str, Any], names: set[str]) -> list[str]:
    problems: list[str] = []
    partnerships = data.get("partnerships")
    if not isinstance(partnerships, list):
        problems.append("'partnerships' is not a list")
        partnerships = []
    seen_sets: set[frozenset[str]] = set()
    for i, item in enumerate(partnerships):
        where = f"partnerships[{i}]"
        if not isinstance(item, dict) or not _is_str_list(item.get("partners"), 2):
            problems.append(f"{where}: partners must list at least two names")
            continue
        refs = list(item["partners"]) + [item[k] for k in ("lead", "coBuilt") if k in item]
        problems += [f"{where}: {ref!r} is not an entity name" for ref in refs if ref not in names]
        kinds = [item.get("kind"), *item.get("also_kinds", [])]
        problems += [f"{where}: unknown kind {k!r}" for k in kinds if k not in PARTNERSHIP_KINDS]
        if not isinstance(item.get("evidence"), str) or not item["evidence"]:
            problems.append(f"{where}: missing evidence")
        if item.get("date") is not None and not _DATE.match(str(item["date"])):
            problems.append(f"{where}: date {item['date']!r} is not YYYY[-MM[-DD]]")
        problems += _optional_problems(item, where)
        partner_set = frozenset(item["partners"])
        if partner_set in seen_sets:
            problems.append(f"{where}: partner set listed twice")
        seen_sets.add(partner_set)
    achievements = data.get("achievements")
    if not isinstance(achievements, list):
        problems.append("'achievements' is not a list")
        achievements = []
    for i, item in enumerate(achievements):
        where = f"achievements[{i}]"
        if not isinstance(item, dict) or not _is_str_list(item.get("holders"), 1):
            problems.append(f"{where}: holders must list at least one name")
            continue
        refs = list(item["holders"]) + ([item["awardedBy"]] if "awardedBy" in item else [])
        problems += [f"{where}: {ref!r} is not an entity name" for ref in refs if ref not in names]
        if not isinstance(item.get("title"), str) or not item["title"]:
            problems.append(f"{where}: missing title")
        if not isinstance(item.get("evidence"), str) or not item["evidence"]:
            problems.append(f"{where}: missing evidence")
        if "date" not in item:
            problems.append(f"{where}: missing date (use null when the text gives none)")
        elif item["date"] is not None and not _DATE.match(str(item["date"])):
            problems.append(f"{where}: date {item['date']!r} is not YYYY[-MM[-DD]]")
        problems += _optional_problems(item, where)
        if "kind" in item and item["kind"] not in ACHIEVEMENT_KINDS:
            problems.append(f"{where}: unknown kind {item['kind']!r}")
        department = item.get("department")
        if department and not str(item.get("title", "")).startswith(f"{department} "):
            problems.append(f"{where}: title must start with the department and a space")
    return problems


def gold_problems(data: Any) -> list[str]:
    """Schema problems of one parsed gold file (empty when it is valid)."""
    if not isinstance(data, dict):
        return ["the file is not a JSON object"]
    problems = [
        f"missing or empty {key!r}"
        for key in ("document", "city", "province")
        if not isinstance(data.get(key), str) or not data[key]
    ]
    if not isinstance(data.get("year"), int):
        problems.append("'year' must be an integer")
    problems += _entity_problems(data.get("entities"))
    entities = data.get("entities") if isinstance(data.get("entities"), list) else []
    names = {e["name"] for e in entities if isinstance(e, dict) and isinstance(e.get("name"), str)}
    return problems + _relation_problems(data, names)


def text_problems(gold: GoldDocument, original: str) -> list[str]:
    """Problems only the report text reveals: evidence not verbatim, entity without surface form.

    Kept apart from the schema check because it needs the seed file, which the graph-only
    evaluation does not otherwise require for gold loading.
    """
    problems = [
        f"evidence not verbatim in {gold.document}: {relation.evidence!r}"
        for relation in (*gold.partnerships, *gold.achievements)
        if relation.evidence not in original
    ]
    flat = normalize_name(original)
    for entity in gold.entities:
        forms = [entity.surface] if entity.surface else [entity.name, *entity.aliases]
        if not any(normalize_name(form) in flat for form in forms):
            problems.append(f"no surface form of {entity.name} in {gold.document}")
    return problems


def parse_gold(data: Mapping[str, Any]) -> GoldDocument:
    """Build a GoldDocument from a dict that passed ``gold_problems``."""
    entities = tuple(
        GoldEntity(
            type=e["type"],
            name=e["name"],
            aliases=tuple(e["aliases"]),
            subtype=e.get("subtype"),
            role=e.get("role"),
            surface=e.get("surface"),
            optional=bool(e.get("optional", False)),
        )
        for e in data["entities"]
    )
    partnerships = tuple(
        GoldPartnership(
            partners=tuple(p["partners"]),
            kind=p["kind"],
            evidence=p["evidence"],
            also_kinds=tuple(p.get("also_kinds", ())),
            lead=p.get("lead"),
            co_built=p.get("coBuilt"),
            date=p.get("date"),
            optional=bool(p.get("optional", False)),
        )
        for p in data["partnerships"]
    )
    achievements = tuple(
        GoldAchievement(
            holders=tuple(a["holders"]),
            title=a["title"],
            date=a["date"],
            evidence=a["evidence"],
            department=a.get("department"),
            kind=a.get("kind"),
            awarded_by=a.get("awardedBy"),
            optional=bool(a.get("optional", False)),
        )
        for a in data["achievements"]
    )
    return GoldDocument(
        document=data["document"],
        city=data["city"],
        province=data["province"],
        year=data["year"],
        entities=entities,
        partnerships=partnerships,
        achievements=achievements,
    )


def load_gold(gold_dir: Path) -> list[GoldDocument]:
    """Read and validate every ``*.json`` in ``gold_dir``, sorted by file name."""
    if not gold_dir.is_dir():
        raise GoldError(f"gold folder not found: {gold_dir}")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise GoldError(f"no gold files (*.json) in {gold_dir}")
    documents: list[GoldDocument] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path}: cannot read gold file: {exc}") from exc
        problems = gold_problems(data)
        if problems:
            raise GoldError(f"{path}: " + "; ".join(problems))
        documents.append(parse_gold(data))
    return documents


# --------------------------------------------------------------------------- graph side


@dataclass(frozen=True)
class Candidate:
    """A predicted entity: a graph resource, or a peer's surface string."""

    type: str
    labels: tuple[str, ...]
    ident: str
    subtypes: frozenset[str] = frozenset()
    #: Not mentioned, only implied (the place a mentioned institution is located in): a hit
    #: when the gold lists it, otherwise not counted.
    implied: bool = False

    @property
    def forms(self) -> frozenset[str]:
        return frozenset(normalize_name(label) for label in self.labels) - {""}

    @property
    def display(self) -> str:
        return self.labels[0] if self.labels else self.ident


@dataclass(frozen=True)
class PredictedPartnership:
    """A kg:Partnership node; partners are given by their labels."""

    ident: str
    partners: tuple[tuple[str, tuple[str, ...]], ...]  # (partner IRI, its labels)
    kinds: frozenset[str]


@dataclass(frozen=True)
class PredictedAchievement:
    """A kg:Achievement node; holders are given by their labels."""

    ident: str
    holders: tuple[tuple[str, tuple[str, ...]], ...]
    titles: tuple[str, ...]
    dates: frozenset[str]
    departments: tuple[str, ...] = ()


def _local_name(node: object) -> str:
    text = str(node)
    return text[len(KG_NS) :] if text.startswith(KG_NS) else text.rsplit("/", 1)[-1]


def _labels(graph: Graph, node: object) -> tuple[str, ...]:
    preferred = sorted(str(o) for o in graph.objects(node, RDFS.label))
    alternative = sorted(str(o) for o in graph.objects(node, SKOS.altLabel))
    return tuple(dict.fromkeys(preferred + alternative))


def document_nodes(graph: Graph) -> dict[str, URIRef]:
    """Document resources by kg:fileName (and by its last path component)."""
    found: dict[str, URIRef] = {}
    for node, name in graph.subject_objects(KG.fileName):
        if isinstance(node, URIRef):
            found.setdefault(str(name), node)
            found.setdefault(Path(str(name)).name, node)
    return found


def graph_entities(graph: Graph, doc: URIRef) -> list[Candidate]:
    """Resources of a top-level class that are kg:mentionedIn the document, and the places
    its mentioned institutions are kg:locatedIn.

    A place read only inside an institution's name (中阳县 in 中阳县人民医院) may be in the
    gold as a place of the document; such an implied place is a hit when the gold lists it and
    is not counted otherwise (the seeds' gold does not list them). The corpus scorer, which
    scores the graph as a whole, also charges a wrong one (瑞金医院 placed in 瑞金市).
    """
    result: list[Candidate] = []
    mentioned = set(graph.subjects(KG.mentionedIn, doc))
    located = {
        place
        for node in mentioned
        if (node, RDF.type, KG.Place) not in graph
        for place in graph.objects(node, KG.locatedIn)
    }
    for node in sorted(mentioned | located, key=str):
        types = set(graph.objects(node, RDF.type))
        subtypes = frozenset(_local_name(t) for t in types if t not in _TOP_CLASSES)
        for top, name in _TOP_CLASSES.items():
            if top in types:
                implied = node not in mentioned
                result.append(Candidate(name, _labels(graph, node), str(node), subtypes, implied))
    return result


def _derived_from(graph: Graph, cls: URIRef, doc: URIRef) -> list[URIRef]:
    nodes = {n for n in graph.subjects(RDF.type, cls) if (n, PROV.wasDerivedFrom, doc) in graph}
    return sorted((n for n in nodes if isinstance(n, URIRef)), key=str)


def graph_partnerships(graph: Graph, doc: URIRef) -> list[PredictedPartnership]:
    result = []
    for node in _derived_from(graph, KG.Partnership, doc):
        partners = set(graph.objects(node, KG.partner)) | set(graph.objects(node, KG.leadPartner))
        result.append(
            PredictedPartnership(
                ident=str(node),
                partners=tuple((str(p), _labels(graph, p)) for p in sorted(partners, key=str)),
                kinds=frozenset(_local_name(k) for k in graph.objects(node, KG.partnershipKind)),
            )
        )
    return result


def graph_achievements(graph: Graph, doc: URIRef) -> list[PredictedAchievement]:
    result = []
    for node in _derived_from(graph, KG.Achievement, doc):
        holders = sorted(set(graph.objects(node, KG.achievedBy)), key=str)
        labels = sorted(str(o) for o in graph.objects(node, RDFS.label))
        departments = sorted(str(o) for o in graph.objects(node, KG.department))
        titles = labels + [f"{d} {label}" for d in departments for label in labels]
        result.append(
            PredictedAchievement(
                ident=str(node),
                holders=tuple((str(h), _labels(graph, h)) for h in holders),
                titles=tuple(titles),
                departments=tuple(departments),
                dates=frozenset(str(o) for o in graph.objects(node, KG.date)),
            )
        )
    return result


# --------------------------------------------------------------------------- scores


@dataclass
class Score:
    """True positives, false positives and false negatives, with the derived metrics."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Ratio:
    """A count of right answers among the cases where the question applies."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, float | int | None]:
        value = self.value
        return {
            "correct": self.correct,
            "total": self.total,
            "value": None if value is None else round(value, 4),
        }


@dataclass
class EvalError:
    """One miss (gold not predicted) or false hit (predicted, not in gold)."""

    document: str
    category: str
    kind: str  # "miss" or "false"
    text: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return dict(vars(self))


@dataclass
class EvidenceStats:
    """How many relation nodes carry evidence that is verbatim at its offsets (a node counts
    as verbatim when every one of its statements is)."""

    total: int = 0
    statements: int = 0
    verbatim: int = 0
    elsewhere: int = 0  # occurs in the file, but not at [start, end)
    missing: int = 0  # no kg:evidence or no offsets
    unreadable: int = 0  # the original file could not be read

    @property
    def fraction(self) -> float | None:
        return self.verbatim / self.total if self.total else None

    def to_dict(self) -> dict[str, float | int | None]:
        fraction = self.fraction
        return {
            **vars(self),
            "fraction": None if fraction is None else round(fraction, 4),
        }


@dataclass
class EntityMatch:
    """Outcome of matching one document's predicted entities to its gold entities."""

    scores: dict[str, Score]
    pairs: list[tuple[GoldEntity, Candidate]]
    misses: list[GoldEntity]
    false_hits: list[Candidate]


def _bipartite(adjacency: Sequence[Sequence[int]], right_size: int) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn): left index → right index.

    A maximum matching, rather than first-come greedy, so that the order of resources in the
    graph cannot turn a hit into a miss when two predictions share a label.
    """
    owner: list[int | None] = [None] * right_size

    def augment(left: int, seen: set[int]) -> bool:
        for right in adjacency[left]:
            if right in seen:
                continue
            seen.add(right)
            current = owner[right]
            if current is None or augment(current, seen):
                owner[right] = left
                return True
        return False

    for left in range(len(adjacency)):
        augment(left, set())
    return {left: right for right, left in enumerate(owner) if left is not None}


def match_required_first(
    adjacency: Sequence[Sequence[int]], optional: Sequence[bool]
) -> tuple[dict[int, int], set[int]]:
    """A maximum matching to the required gold items, then the rest to the optional ones.

    Returns the matching of predictions to required items (hits) and the predictions matched
    to optional items: those are neutral, neither hits nor false hits, as an unmatched optional
    item is no miss. A prediction that could only match an item already taken stays unmatched
    (a duplicate node is a false hit).
    """
    required = [[j for j in row if not optional[j]] for row in adjacency]
    matching = _bipartite(required, len(optional))
    rest = [
        [] if i in matching else [j for j in row if optional[j]] for i, row in enumerate(adjacency)
    ]
    neutral = set(_bipartite(rest, len(optional)))
    return matching, neutral


def match_entities(gold: Sequence[GoldEntity], predicted: Sequence[Candidate]) -> EntityMatch:
    """Match predictions to gold one-to-one within each class, by normalised name or alias.

    A second prediction for an already matched gold entity (a duplicate node, an unmerged
    alias) is a false hit: coreference is part of the job.
    """
    scores = {cls: Score() for cls in ENTITY_CLASSES}
    pairs: list[tuple[GoldEntity, Candidate]] = []
    misses: list[GoldEntity] = []
    false_hits: list[Candidate] = []
    for cls in ENTITY_CLASSES:
        gold_cls = [g for g in gold if g.type == cls]
        pred_cls = [p for p in predicted if p.type == cls]
        adjacency = [
            [] if p.implied else [j for j, g in enumerate(gold_cls) if p.forms & g.forms]
            for p in pred_cls
        ]
        matching, neutral = match_required_first(adjacency, [g.optional for g in gold_cls])
        # Implied candidates only take required gold that no prediction matched.
        taken = set(matching.values())
        implied = [
            [
                j
                for j, g in enumerate(gold_cls)
                if j not in taken and not g.optional and p.forms & g.forms
            ]
            if p.implied
            else []
            for p in pred_cls
        ]
        matching |= _bipartite(implied, len(gold_cls))
        neutral |= {i for i, p in enumerate(pred_cls) if p.implied and i not in matching}
        matched_gold = set(matching.values())
        pairs += [(gold_cls[j], pred_cls[i]) for i, j in matching.items()]
        misses += [g for j, g in enumerate(gold_cls) if j not in matched_gold and not g.optional]
        false_hits += [p for i, p in enumerate(pred_cls) if i not in matching and i not in neutral]
        required = sum(not g.optional for g in gold_cls)
        scores[cls] = Score(
            tp=len(matching),
            fp=len(pred_cls) - len(matching) - len(neutral),
            fn=required - len(matching),
        )
    return EntityMatch(scores, pairs, misses, false_hits)


def entity_errors(document: str, gold: Sequence[GoldEntity], match: EntityMatch) -> list[EvalError]:
    """Misses and false hits, noting when the name was found under another class."""
    errors: list[EvalError] = []
    for miss in match.misses:
        other = sorted({p.type for p in match.false_hits if p.forms & miss.forms})
        note = f"predicted as {', '.join(other)}" if other else ""
        errors.append(EvalError(document, miss.type, "miss", miss.name, note))
    for hit in match.false_hits:
        same_class = [g.name for g in gold if g.type == hit.type and hit.forms & g.forms]
        other = sorted({g.type for g in gold if g.type != hit.type and hit.forms & g.forms})
        if same_class:
            note = f"duplicate of {same_class[0]}"
        elif other:
            note = f"gold class {', '.join(other)}"
        else:
            note = ""
        errors.append(EvalError(document, hit.type, "false", hit.display, note))
    return errors


def resolve(labels: Iterable[str], gold: Sequence[GoldEntity]) -> frozenset[str]:
    """Gold entity names whose name or alias equals one of the labels."""
    forms = {normalize_name(label) for label in labels}
    return frozenset(g.name for g in gold if g.forms & forms)


def _partners_match(candidates: Sequence[frozenset[str]], gold_partners: Sequence[str]) -> bool:
    if len(candidates) != len(gold_partners):
        return False
    adjacency = [[j for j, g in enumerate(gold_partners) if g in c] for c in candidates]
    return len(_bipartite(adjacency, len(gold_partners))) == len(gold_partners)


@dataclass
class RelationOutcome:
    """Scores and errors of one relation class in one document."""

    score: Score = field(default_factory=Score)
    secondary: Ratio = field(default_factory=Ratio)  # kind accuracy or date accuracy
    split: int = 0  # achievements only: further holders of a matched honour
    errors: list[EvalError] = field(default_factory=list)


def _partner_text(partners: Iterable[tuple[str, tuple[str, ...]]]) -> str:
    return " + ".join(labels[0] if labels else iri for iri, labels in partners)


def score_partnerships(
    document: str,
    gold: GoldDocument,
    predicted: Sequence[PredictedPartnership],
) -> RelationOutcome:
    """Match partner sets (order and kind ignored); report kind accuracy on the matches.

    Every node counts: the gold lists each partner set of a document once, so a second node
    for a set already matched (a duplicate) is a false hit, as is any node no gold row has."""
    outcome = RelationOutcome()
    merged = list(predicted)
    resolved = [[resolve(labels, gold.entities) for _, labels in p.partners] for p in merged]
    adjacency = [
        [j for j, g in enumerate(gold.partnerships) if _partners_match(cands, g.partners)]
        for cands in resolved
    ]
    matching, neutral = match_required_first(adjacency, [g.optional for g in gold.partnerships])
    for i, j in matching.items():
        outcome.secondary.total += 1
        if merged[i].kinds & gold.partnerships[j].accepted_kinds:
            outcome.secondary.correct += 1
    matched_gold = set(matching.values())
    for j, g in enumerate(gold.partnerships):
        if j not in matched_gold and not g.optional:
            text = " + ".join(g.partners)
            outcome.errors.append(EvalError(document, "Partnership", "miss", text, g.kind))
    for i, p in enumerate(merged):
        if i not in matching and i not in neutral:
            note = ", ".join(sorted(p.kinds))
            if any(matching.get(k) in adjacency[i] for k in matching):
                note += "; duplicate of a matched node"
            outcome.errors.append(
                EvalError(document, "Partnership", "false", _partner_text(p.partners), note)
            )
    outcome.score = Score(
        tp=len(matching),
        fp=len(merged) - len(matching) - len(neutral),
        fn=sum(not g.optional for g in gold.partnerships) - len(matching),
    )
    return outcome


def departments_agree(predicted: Sequence[str], gold: str | None) -> bool:
    """False only when both sides name a department and no pair is equal or nested.

    The title rule alone would let 呼吸与危重症医学中心's honour match the same honour of
    创伤中心 in the same hospital; a wrong department is a wrong fact.
    """
    if not gold or not predicted:
        return True
    want = normalize_name(gold)
    return any((have := normalize_name(d)) and (have in want or want in have) for d in predicted)


def _achievement_pairs(
    gold: GoldDocument, predicted: Sequence[PredictedAchievement]
) -> list[tuple[float, int, int, frozenset[str]]]:
    """Candidate (score, predicted index, gold index, shared holders), best first."""
    pairs = []
    for i, p in enumerate(predicted):
        holders = frozenset().union(*(resolve(labels, gold.entities) for _, labels in p.holders))
        for j, g in enumerate(gold.achievements):
            shared = holders & set(g.holders)
            if not shared or not departments_agree(p.departments, g.department):
                continue
            scores = [s for t in p.titles if (s := title_score(t, g.title)) is not None]
            if scores:
                pairs.append((max(scores), i, j, shared))
    # Required honours take their predictions first; an optional one only what is left.
    pairs.sort(key=lambda pair: (gold.achievements[pair[2]].optional, -pair[0], pair[1], pair[2]))
    return pairs


def score_achievements(
    document: str,
    gold: GoldDocument,
    predicted: Sequence[PredictedAchievement],
) -> RelationOutcome:
    """Match on any shared holder plus title similarity, best pairs first; score dates.

    A gold achievement with several holders is one node with several holders. A further
    node matching an already matched honour through a holder not yet covered (the honour
    split by holder) is counted in ``split`` and charged as a false hit, as every extra node
    is (the official scorer does the same).
    """
    outcome = RelationOutcome()
    matched: dict[int, int] = {}  # predicted → gold
    covered: dict[int, set[str]] = {}  # gold → holders covered so far
    pairs = _achievement_pairs(gold, predicted)
    for _, i, j, shared in pairs:
        if i in matched or j in covered:
            continue
        matched[i] = j
        covered[j] = set(shared)
        if gold.achievements[j].date is not None:
            outcome.secondary.total += 1
            outcome.secondary.correct += gold.achievements[j].date in predicted[i].dates
    split: set[int] = set()
    for _, i, j, shared in pairs:
        if i in matched or i in split or j not in covered or shared <= covered[j]:
            continue
        split.add(i)
        covered[j] |= shared
    optional = {j for j, g in enumerate(gold.achievements) if g.optional}
    for j, g in enumerate(gold.achievements):
        if j not in covered and j not in optional:
            text = f"{' + '.join(g.holders)}: {g.title}"
            outcome.errors.append(EvalError(document, "Achievement", "miss", text))
    for i, p in enumerate(predicted):
        if i not in matched:
            title = p.titles[0] if p.titles else "(no label)"
            text = f"{_partner_text(p.holders)}: {title}"
            note = "splits a matched honour by holder" if i in split else ""
            outcome.errors.append(EvalError(document, "Achievement", "false", text, note))
    neutral = sum(1 for i, j in matched.items() if j in optional)
    hits = len(matched) - neutral
    false_hits = len(predicted) - len(matched)
    required = len(gold.achievements) - len(optional)
    outcome.score = Score(tp=hits, fp=false_hits, fn=required - hits)
    outcome.split = len(split)
    return outcome


# --------------------------------------------------------------------------- evidence


def read_original(path: Path, encoding: str | None = None) -> str:
    """The decoded original file without BOM: the text kg:evidenceStart/End count in."""
    from kg.loader import decode_as

    data = path.read_bytes()
    for candidate in (encoding, "utf-8", "gb18030"):
        if not candidate:
            continue
        try:
            return decode_as(data, candidate)  # "utf-8+replace": as the build decoded it
        except (LookupError, UnicodeDecodeError):
            continue
    raise UnicodeDecodeError("unknown", data, 0, len(data), f"cannot decode {path}")


def _int_value(graph: Graph, node: Node, prop: URIRef) -> int | None:
    for value in graph.objects(node, prop):
        try:
            return int(str(value))
        except ValueError:
            return None
    return None


def check_evidence(graph: Graph, files_root: Path) -> EvidenceStats:
    """Check every Partnership and Achievement node of every document in the graph."""
    stats = EvidenceStats()
    texts: dict[URIRef, str | None] = {}
    for cls in (KG.Partnership, KG.Achievement):
        for node in sorted(set(graph.subjects(RDF.type, cls)), key=str):
            stats.total += 1
            statements: list[Node] = sorted(set(graph.objects(node, KG.statement)), key=str)
            if not statements:  # a graph of another tool: offsets on the relation itself
                statements = [node]
            doc = next(iter(graph.objects(node, PROV.wasDerivedFrom)), None)
            outcomes = []
            for st in statements:
                stats.statements += 1
                outcomes.append(_statement_outcome(graph, st, doc, texts, files_root))
            if not outcomes or "missing" in outcomes:
                stats.missing += 1
            elif "unreadable" in outcomes:
                stats.unreadable += 1
            elif all(o == "verbatim" for o in outcomes):
                stats.verbatim += 1
            elif all(o in ("verbatim", "elsewhere") for o in outcomes):
                stats.elsewhere += 1
    return stats


def _statement_outcome(
    graph: Graph,
    statement: Node,
    doc: Node | None,
    texts: dict[URIRef, str | None],
    files_root: Path,
) -> str:
    """verbatim, elsewhere (in the file but not at its offsets), wrong, missing or unreadable."""
    evidence = next((str(o) for o in graph.objects(statement, KG.evidence)), None)
    start = _int_value(graph, statement, KG.evidenceStart)
    end = _int_value(graph, statement, KG.evidenceEnd)
    source = next(iter(graph.objects(statement, PROV.wasDerivedFrom)), None)
    if evidence is None or start is None or end is None or not isinstance(source, URIRef):
        return "missing"
    if doc is not None and source != doc:
        return "missing"
    if source not in texts:
        texts[source] = _document_text(graph, source, files_root)
    text = texts[source]
    if text is None:
        return "unreadable"
    if text[start:end] == evidence:
        return "verbatim"
    return "elsewhere" if evidence in text else "wrong"


def _document_text(graph: Graph, doc: URIRef, files_root: Path) -> str | None:
    name = next((str(o) for o in graph.objects(doc, KG.fileName)), None)
    encoding = next((str(o) for o in graph.objects(doc, KG.encoding)), None)
    if name is None:
        return None
    try:
        return read_original(files_root / name, encoding)
    except (OSError, UnicodeDecodeError):
        return None


# --------------------------------------------------------------------------- report


@dataclass
class PeerReport:
    """A baseline tagger's entity scores on the same gold (filled in by kg.peers)."""

    name: str
    available: bool
    message: str = ""
    entities: dict[str, Score] = field(default_factory=dict)
    seconds_setup: float = 0.0
    seconds_total: float = 0.0
    documents: int = 0
    characters: int = 0
    errors: list[EvalError] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        return _sum_scores(self.entities, ENTITY_CLASSES)

    @property
    def overall_ner(self) -> Score:
        return _sum_scores(self.entities, NER_CLASSES)

    @property
    def seconds_per_document(self) -> float:
        return self.seconds_total / self.documents if self.documents else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "available": self.available,
            "message": self.message,
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "overall": self.overall.to_dict(),
            "overall_ner": self.overall_ner.to_dict(),
            "seconds_setup": round(self.seconds_setup, 3),
            "seconds_total": round(self.seconds_total, 3),
            "seconds_per_document": round(self.seconds_per_document, 3),
            "documents": self.documents,
            "characters": self.characters,
            "errors": [e.to_dict() for e in self.errors],
        }


def _sum_scores(scores: Mapping[str, Score], classes: Iterable[str]) -> Score:
    total = Score()
    for cls in classes:
        if cls in scores:
            total.add(scores[cls])
    return total


@dataclass
class EvalReport:
    """Everything ``kg eval`` prints, as plain data."""

    documents: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    entities: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in ENTITY_CLASSES})
    per_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    subtype: Ratio = field(default_factory=Ratio)
    partnerships: Score = field(default_factory=Score)
    partnership_kind: Ratio = field(default_factory=Ratio)
    achievements: Score = field(default_factory=Score)
    achievement_date: Ratio = field(default_factory=Ratio)
    achievement_split: int = 0
    evidence: EvidenceStats = field(default_factory=EvidenceStats)
    errors: list[EvalError] = field(default_factory=list)
    peers: list[PeerReport] = field(default_factory=list)
    graph_scored: bool = True

    @property
    def overall(self) -> Score:
        return _sum_scores(self.entities, ENTITY_CLASSES)

    @property
    def overall_ner(self) -> Score:
        return _sum_scores(self.entities, NER_CLASSES)

    def f1_of(self, name: str) -> float:
        """F1 of a class, 'overall', 'overall-NER', 'Partnership' or 'Achievement'."""
        return self.score_of(name).f1

    def score_of(self, name: str) -> Score:
        key = _class_key(name)
        if key == "overall":
            return self.overall
        if key == "overall-NER":
            return self.overall_ner
        if key == "Partnership":
            return self.partnerships
        if key == "Achievement":
            return self.achievements
        return self.entities[key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "graph_scored": self.graph_scored,
            "documents": self.documents,
            "missing_documents": self.missing_documents,
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "overall": self.overall.to_dict(),
            "overall_ner": self.overall_ner.to_dict(),
            "per_document": {
                doc: {k: v.to_dict() for k, v in scores.items()}
                for doc, scores in self.per_document.items()
            },
            "subtype_agreement": self.subtype.to_dict(),
            "partnerships": self.partnerships.to_dict(),
            "partnership_kind_accuracy": self.partnership_kind.to_dict(),
            "achievements": self.achievements.to_dict(),
            "achievement_date_accuracy": self.achievement_date.to_dict(),
            "achievement_split_nodes": self.achievement_split,
            "evidence": self.evidence.to_dict(),
            "errors": [e.to_dict() for e in self.errors],
            "peers": [p.to_dict() for p in self.peers],
        }


SCORE_NAMES: tuple[str, ...] = (*ENTITY_CLASSES, "overall", "overall-NER", *RELATION_CLASSES)


def _class_key(name: str) -> str:
    for known in SCORE_NAMES:
        if known.lower() == name.strip().lower():
            return known
    raise ValueError(f"unknown class {name!r} (one of {', '.join(SCORE_NAMES)})")


def _subtype_agreement(pairs: Iterable[tuple[GoldEntity, Candidate]]) -> Ratio:
    ratio = Ratio()
    for gold, predicted in pairs:
        if gold.subtype and predicted.ident.startswith(("http://", "https://")):
            ratio.total += 1
            ratio.correct += gold.subtype in predicted.subtypes
    return ratio


def evaluate_graph(graph: Graph, gold_dir: Path, files_root: Path) -> EvalReport:
    """Score ``graph`` against every gold file in ``gold_dir``.

    ``files_root`` is the folder the builder read (seeds/): kg:fileName is relative to it, and
    evidence offsets are checked against the files there. A gold document absent from the graph
    scores all its gold items as misses.
    """
    gold_documents = load_gold(gold_dir)
    report = EvalReport()
    docs = document_nodes(graph)
    for gold in gold_documents:
        report.documents.append(gold.document)
        doc = docs.get(gold.document)
        if doc is None:
            report.missing_documents.append(gold.document)
        _score_document(report, gold, graph, doc)
    report.evidence = check_evidence(graph, files_root)
    return report


def _score_document(
    report: EvalReport, gold: GoldDocument, graph: Graph, doc: URIRef | None
) -> None:
    name = gold.document
    entities = graph_entities(graph, doc) if doc is not None else []
    match = match_entities(gold.entities, entities)
    report.per_document[name] = match.scores
    for cls, score in match.scores.items():
        report.entities[cls].add(score)
    sub = _subtype_agreement(match.pairs)
    report.subtype.correct += sub.correct
    report.subtype.total += sub.total
    report.errors += entity_errors(name, gold.entities, match)
    partnerships = score_partnerships(
        name, gold, graph_partnerships(graph, doc) if doc is not None else []
    )
    report.partnerships.add(partnerships.score)
    report.partnership_kind.correct += partnerships.secondary.correct
    report.partnership_kind.total += partnerships.secondary.total
    report.errors += partnerships.errors
    achievements = score_achievements(
        name, gold, graph_achievements(graph, doc) if doc is not None else []
    )
    report.achievements.add(achievements.score)
    report.achievement_date.correct += achievements.secondary.correct
    report.achievement_date.total += achievements.secondary.total
    report.achievement_split += achievements.split
    report.errors += achievements.errors


def gold_only_report(gold_dir: Path) -> EvalReport:
    """A report with the gold counts only, for ``--peers-only`` (no graph to score)."""
    report = EvalReport(graph_scored=False)
    for gold in load_gold(gold_dir):
        report.documents.append(gold.document)
        match = match_entities(gold.entities, [])
        report.per_document[gold.document] = match.scores
        for cls, score in match.scores.items():
            report.entities[cls].add(score)
        report.partnerships.fn += len(gold.partnerships)
        report.achievements.fn += len(gold.achievements)
    return report


# --------------------------------------------------------------------------- formatting


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:5.1f}"


def _score_row(label: str, score: Score) -> str:
    return (
        f"{label:<13}{_pct(score.precision):>7}{_pct(score.recall):>7}{_pct(score.f1):>7}"
        f"{score.tp + score.fn:>7}{score.tp + score.fp:>7}{score.tp:>6}{score.fp:>6}{score.fn:>6}"
    )


def _table(report: EvalReport) -> list[str]:
    header = (
        f"{'class':<13}{'P%':>7}{'R%':>7}{'F1%':>7}"
        f"{'gold':>7}{'pred':>7}{'tp':>6}{'fp':>6}{'fn':>6}"
    )
    lines = [header, "-" * len(header)]
    lines += [_score_row(cls, report.entities[cls]) for cls in ENTITY_CLASSES]
    lines.append(_score_row("overall", report.overall))
    lines.append(_score_row("overall-NER", report.overall_ner))
    lines.append("-" * len(header))
    lines.append(_score_row("Partnership", report.partnerships))
    lines.append(_score_row("Achievement", report.achievements))
    return lines


def _per_document_lines(report: EvalReport) -> list[str]:
    lines = [f"{'document':<28}" + "".join(f"{c[:11]:>13}" for c in ENTITY_CLASSES)]
    for doc, scores in report.per_document.items():
        cells = "".join(
            f"{_pct(scores[c].f1).strip():>7}/{scores[c].tp + scores[c].fn:<5}"
            for c in ENTITY_CLASSES
        )
        lines.append(f"{doc:<28}{cells}")
    lines.append("(cells: F1% / gold count)")
    return lines


def _ratio_text(ratio: Ratio) -> str:
    return f"{_pct(ratio.value).strip()}% ({ratio.correct}/{ratio.total})"


def _error_lines(errors: Sequence[EvalError], limit: int, title: str) -> list[str]:
    if limit <= 0 or not errors:
        return []
    lines = [f"{title} ({len(errors)}{', first ' + str(limit) if len(errors) > limit else ''}):"]
    for error in errors[:limit]:
        note = f"  [{error.note}]" if error.note else ""
        lines.append(f"  {Path(error.document).stem}  {error.category:<12} {error.text}{note}")
    return lines


def peer_table(report: EvalReport) -> list[str]:
    """Ours vs each peer, per class: P/R/F1 side by side, then speed."""
    columns = [("ours", report.entities, report.graph_scored)] + [
        (p.name, p.entities, p.available) for p in report.peers
    ]
    width = 21
    header = f"{'class':<13}" + "".join(f"{name:^{width}}" for name, _, _ in columns)
    sub = f"{'':<13}" + "".join(f"{'P%':>7}{'R%':>7}{'F1%':>7}" for _ in columns)
    lines = [header, sub, "-" * len(sub)]
    rows: list[tuple[str, Callable[[Mapping[str, Score]], Score]]] = [
        (cls, lambda scores, c=cls: scores.get(c, Score())) for cls in ENTITY_CLASSES
    ]
    rows.append(("overall", lambda scores: _sum_scores(scores, ENTITY_CLASSES)))
    rows.append(("overall-NER", lambda scores: _sum_scores(scores, NER_CLASSES)))
    for label, pick in rows:
        cells = ""
        for _, scores, usable in columns:
            if not usable:
                cells += f"{'-':>7}{'-':>7}{'-':>7}"
                continue
            score = pick(scores)
            cells += f"{_pct(score.precision):>7}{_pct(score.recall):>7}{_pct(score.f1):>7}"
        lines.append(f"{label:<13}{cells}")
    lines.append("")
    for peer in report.peers:
        if not peer.available:
            lines.append(f"{peer.name}: skipped ({peer.message})")
            continue
        rate = peer.characters / peer.seconds_total if peer.seconds_total else 0.0
        lines.append(
            f"{peer.name}: {peer.seconds_per_document:.3f} s/document "
            f"({peer.documents} documents, {rate:,.0f} chars/s, setup {peer.seconds_setup:.2f} s)"
        )
    timed = [p for p in report.peers if p.available and p.seconds_per_document > 0]
    if len(timed) >= 2:
        fastest = min(timed, key=lambda p: p.seconds_per_document)
        for peer in timed:
            if peer is not fastest:
                ratio = peer.seconds_per_document / fastest.seconds_per_document
                lines.append(f"{peer.name} is {ratio:.1f}x slower than {fastest.name}")
    return lines


def format_report(report: EvalReport, show_errors: int = 20) -> str:
    """Human-readable report: tables, secondary accuracies, then misses and false hits.

    ``show_errors`` caps each error list (0 hides them).
    """
    lines: list[str] = []
    if report.graph_scored:
        lines.append(f"kg eval: {len(report.documents)} gold documents")
        if report.missing_documents:
            lines.append(
                "not in the graph (all their gold counted as misses): "
                + ", ".join(report.missing_documents)
            )
        lines += ["", *_table(report), ""]
        lines += _per_document_lines(report)
        lines.append("")
        lines.append(f"subtype agreement on matched entities: {_ratio_text(report.subtype)}")
        lines.append(
            f"partnership kind accuracy on matches:  {_ratio_text(report.partnership_kind)}"
        )
        lines.append(
            f"achievement date accuracy on matches:  {_ratio_text(report.achievement_date)}"
        )
        if report.achievement_split:
            lines.append(
                f"achievement nodes splitting a matched honour by holder: "
                f"{report.achievement_split} (counted as false hits)"
            )
        ev = report.evidence
        lines.append(
            f"evidence verbatim at its offsets: {_pct(ev.fraction).strip()}%"
            f" ({ev.verbatim}/{ev.total} relation nodes, {ev.statements} statements;"
            f" elsewhere in file {ev.elsewhere}, no evidence/offsets {ev.missing},"
            f" unreadable file {ev.unreadable})"
        )
    else:
        lines.append(f"kg eval (peers only, no graph): {len(report.documents)} gold documents")
        overall = report.overall
        lines.append(f"gold entities: {overall.fn}")
    if report.peers:
        lines += [
            "",
            "Peers (same gold entities; peers have no Program class):",
            *peer_table(report),
        ]
    if report.graph_scored:
        misses = [e for e in report.errors if e.kind == "miss"]
        false_hits = [e for e in report.errors if e.kind == "false"]
        for block in (
            _error_lines(misses, show_errors, "Misses (gold not found)"),
            _error_lines(false_hits, show_errors, "False hits (predicted, not gold)"),
        ):
            if block:
                lines += ["", *block]
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def _threshold(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected CLASS=VALUE, got {text!r}")
    try:
        key = _class_key(name)
        number = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if number > 1:
        number /= 100  # accept percentages: Place=80
    return key, number


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``eval`` sub-command to the ``kg`` parser."""
    parser = sub.add_parser(
        "eval",
        help="score the built graph against the gold annotations",
        description=(
            "Score output/kg.ttl against tests/gold (precision, recall, F1 per class), "
            "optionally beside the jieba-POS and LAC taggers."
        ),
    )
    parser.add_argument("--graph", type=Path, default=Path("output/kg.ttl"), help="Turtle graph")
    parser.add_argument("--gold", type=Path, default=Path("tests/gold"), help="gold folder")
    parser.add_argument(
        "--seeds",
        "--texts",
        dest="seeds",
        type=Path,
        default=None,
        help="folder of the original reports (default: texts/ beside the gold folder when "
        "there is one, as in ../shared/corpus, else seeds/)",
    )
    parser.add_argument("--peers", action="store_true", help="also score jieba-POS and LAC")
    parser.add_argument(
        "--peers-only", action="store_true", help="score the peers only (no graph needed)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--show-errors", type=int, default=20, metavar="N", help="misses/false hits shown per list"
    )
    parser.add_argument(
        "--min-f1",
        type=_threshold,
        action="append",
        default=[],
        metavar="CLASS=VALUE",
        help="fail (exit 1) when the F1 of CLASS is below VALUE (0-1 or percent); "
        f"CLASS is one of {', '.join(SCORE_NAMES)}",
    )
    parser.set_defaults(func=run)


def load_graph(path: Path) -> Graph:
    """Parse the builder's output graph, or raise InputError."""
    return read_rdf(
        path, missing=f"graph not found: {path} (run `kg build` first, or pass --graph)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``kg eval``; exit 1 when a ``--min-f1`` threshold is not met."""
    if args.seeds is None:
        beside = args.gold.parent / "texts"
        args.seeds = beside if beside.is_dir() else Path("seeds")
    if not args.seeds.is_dir():
        raise InputError(f"seeds folder not found: {args.seeds}")
    if args.peers_only:
        report = gold_only_report(args.gold)
    else:
        report = evaluate_graph(load_graph(args.graph), args.gold, args.seeds)
    if args.peers or args.peers_only:
        from kg.peers import evaluate_peers  # imported late: loads jieba and onnxruntime

        report.peers = evaluate_peers(load_gold(args.gold), args.seeds)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, args.show_errors))
    failed = [
        (name, minimum, report.f1_of(name))
        for name, minimum in args.min_f1
        if report.graph_scored and report.f1_of(name) < minimum
    ]
    for name, minimum, value in failed:
        print(f"kg eval: {name} F1 {value:.3f} is under {minimum:.3f}", file=sys.stderr)
    return 1 if failed else 0
