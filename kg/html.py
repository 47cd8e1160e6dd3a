"""The knowledge graph as one self-contained, interactive HTML page (vis-network).

The page holds the whole graph's data but draws a bounded part of it (at most ``DRAW_LIMIT``
nodes at once): it opens on an *overview* (the places and the strongest institutions, each
partnership drawn as one aggregated, weighted edge between its parties) and *focuses* a node
on demand (its 1- or 2-hop neighbourhood, with a breadcrumb back). Cards, search, filters, a
table with CSV export, PNG export and a longitude/latitude map layout run in the page script
(``kg/templates/page.js``) on compact column arrays, not one vis object per node: the page of
the 10 MB bench corpus graph is a few megabytes, not 28.

pyvis ships the vis-network build that is inlined here; its page template is not used (it
links Bootstrap from a CDN, and its ``write_html`` uses the locale's encoding). Data is JSON
with ``<``, ``>`` and ``&`` escaped inside ``<script type="application/json">``, and the page
script puts data text into the DOM only through ``textContent``. Nothing is loaded from the
network (the CSP forbids it anyway).

The overview layout is computed here (seeded networkx spring layout per connected component,
packed to fit a landscape window); focus and map layouts are computed in the page. Same graph
in, byte-identical page out: everything is sorted, the layout is seeded and rounded, and the
page carries no timestamp or random id.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Final

import networkx as nx
import numpy as np
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.io import atomic_write_bytes
from kg.vocab import GEO, ID_NS, KG

DEFAULT_TITLE: Final = "卫生健康知识图谱 · Health-commission knowledge graph"
#: Seed of every layout computation: the same graph always gets the same picture.
LAYOUT_SEED: Final = 20240521
#: Components up to this size get a full networkx spring layout; bigger ones a skeleton layout.
DIRECT_LAYOUT_LIMIT: Final = 400
#: Above this size even the sampled refinement of a skeleton layout is not worth its time.
REFINE_LIMIT: Final = 5000
#: Repulsion in the refinement is computed against this many nodes (a seeded sample, scaled),
#: not all n: O(n·m) per step instead of O(n²) (3,000 nodes: 3.4 s → 0.2 s).
REPULSION_SAMPLE: Final = 256
#: Preferred edge length in pixels of the overview layout.
EDGE_LENGTH: Final = 140
#: Longer labels are cut on the canvas (the card, table and search keep the full text).
CANVAS_LABEL_MAX: Final = 14
#: The page never draws more nodes than this at once (overview or focus).
DRAW_LIMIT: Final = 2000
#: A focus draws at most this many (first hop first, the best-connected first): a hub's 2-hop
#: neighbourhood can hold thousands, which vis takes over half a second to build and nobody
#: reads; the card lists all of them and the filters narrow the neighbourhood.
FOCUS_LIMIT: Final = 600
#: The overview shows at most this many places and institutions (the page script uses the
#: same numbers and the same ranking: relations first, then degree, then graph order).
OVERVIEW_PLACES: Final = 300
OVERVIEW_INSTITUTIONS: Final = 150
#: Relations whose objects are the parties of a Partnership (aggregated in the overview).
PARTY_RELATIONS: Final = ("partner", "leadPartner", "coBuilt")

_TEMPLATES: Final = resources.files("kg") / "templates"
_VIS: Final = resources.files("pyvis") / "lib" / "vis-9.1.2"
_YEAR: Final = re.compile(r"^-?(\d{4})")
_STYLE: Final = json.loads((_TEMPLATES / "style.json").read_text(encoding="utf-8"))
#: Top-level classes shown as nodes, in precedence order (first wins on a double typing).
NODE_CLASSES: Final = tuple((KG[c["key"]], c) for c in _STYLE["classes"])
CLASS_KEYS: Final = tuple(c["key"] for c in _STYLE["classes"])
CLASS_STYLE: Final = {c["key"]: c for c in _STYLE["classes"]}
#: Subclass IRI -> {"of": top-level key, "zh", "color" (None: the class colour)}.
SUBCLASSES: Final = {KG[k]: v for k, v in _STYLE["subclasses"].items()}
SUB_KEYS: Final = tuple(_STYLE["subclasses"])
#: Object properties drawn as edges (subject -> object) -> {"zh", "color"}.
RELATIONS: Final = {KG[k]: v for k, v in _STYLE["relations"].items()}
REL_KEYS: Final = tuple(_STYLE["relations"])
#: Fallback Chinese labels of kinds and levels (the graph's own rdfs:label@zh wins).
CONCEPT_LABELS: Final = {KG[k]: v for k, v in _STYLE["concepts"].items()}
#: Literal facts shown in cards: (property, 中文, English).
FACTS: Final = tuple((KG[p], zh, en) for p, zh, en in _STYLE["facts"])


def local_name(iri: Node) -> str:
    """The last segment of an IRI (``kg:partner`` -> ``partner``), for keys and fallbacks."""
    return re.split(r"[#/]", str(iri))[-1]


def _tail(iri: str) -> str:
    """An IRI without the data namespace (``id:org/1`` -> ``org/1``): the page's node ids."""
    return iri[len(ID_NS) :] if iri.startswith(ID_NS) else iri


def _zh_first(values: Iterable[Node]) -> list[str]:
    """Distinct literal texts, Chinese-tagged ones first, each group sorted (deterministic)."""
    lits = {v for v in values if isinstance(v, Literal)}
    zh = sorted({str(v) for v in lits if (v.language or "").startswith("zh")})
    return zh + sorted({str(v) for v in lits} - set(zh))


def label_of(graph: Graph, node: Node) -> str:
    """rdfs:label, preferring @zh; the IRI's last segment when the graph has none."""
    labels = _zh_first(graph.objects(node, RDFS.label))
    return next((x for x in labels if x.strip()), local_name(node))


def classify(graph: Graph, node: Node) -> tuple[str, Node | None] | None:
    """(top-level class key, most specific known subclass) of a node, None if not shown.

    A subclass alone is enough: the contract asks for both types, but a view should not lose a
    resource whose top-level type was forgotten.
    """
    types = set(graph.objects(node, RDF.type))
    subs = sorted((t for t in types if t in SUBCLASSES), key=str)
    for cls, style in NODE_CLASSES:
        mine = [s for s in subs if SUBCLASSES[s]["of"] == style["key"]]
        if cls in types or mine:
            return style["key"], (mine[0] if mine else None)
    return None


def _years(values: Iterable[Node]) -> set[str]:
    """Four-digit years of xsd:gYear/gYearMonth/date literals."""
    return {m.group(1) for v in values if (m := _YEAR.match(str(v)))}


def collect_documents(graph: Graph) -> dict[str, dict[str, Any]]:
    """Documents by IRI: headline, file name, the places they are about, the years they cover."""
    docs: dict[str, dict[str, Any]] = {}
    for doc in sorted(set(graph.subjects(RDF.type, KG.Document)), key=str):
        headline = _zh_first(graph.objects(doc, KG.headline)) or [label_of(graph, doc)]
        docs[str(doc)] = {
            "headline": headline[0],
            "fileName": next(iter(_zh_first(graph.objects(doc, KG.fileName))), ""),
            "about": sorted(str(p) for p in graph.objects(doc, KG.about)),
            "years": sorted(_years(graph.objects(doc, KG.coversYear))),
        }
    return docs


def _concept_label(graph: Graph, concept: Node) -> str:
    """Chinese label of a SKOS concept: the graph's own, else the built-in table."""
    own = _zh_first(graph.objects(concept, RDFS.label))
    return own[0] if own else CONCEPT_LABELS.get(concept, local_name(concept))


def _number(graph: Graph, node: Node, prop: Node) -> float | None:
    for value in sorted(graph.objects(node, prop), key=str):
        try:
            return float(str(value))
        except ValueError:
            continue
    return None


def node_info(graph: Graph, node: Node, docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the card, the filters and the map need about one node (text only, no markup)."""
    facts = []
    for i, (prop, _zh, _en) in enumerate(FACTS):
        for value in sorted(graph.objects(node, prop), key=str):
            text = _concept_label(graph, value) if isinstance(value, URIRef) else str(value)
            facts.append([i, text])
    doc_ids = {
        str(d) for p in (KG.mentionedIn, PROV.wasDerivedFrom) for d in graph.objects(node, p)
    }
    years = _years(graph.objects(node, KG.date))
    for d in doc_ids & docs.keys():
        years.update(docs[d]["years"])
    lat, lon = _number(graph, node, GEO.lat), _number(graph, node, GEO.long)
    source = sorted(str(d) for d in graph.objects(node, PROV.wasDerivedFrom))
    return {
        "aliases": [a for a in _zh_first(graph.objects(node, SKOS.altLabel)) if a.strip()],
        "docs": sorted(doc_ids & docs.keys()),
        "years": sorted(years),
        "facts": facts,
        "evidence": _statements(graph, node),
        "source": source[0] if source else None,
        "geo": [round(lat, 4), round(lon, 4)] if lat is not None and lon is not None else None,
    }


def _statements(graph: Graph, node: Node) -> list[tuple[str, int]]:
    """(sentence, offset) of each kg:Statement of a relation node, in text order; a graph
    without statements (written by another tool) gives its kg:evidence at offset -1."""
    found = []
    for st in graph.objects(node, KG.statement):
        start = _number(graph, st, KG.evidenceStart)
        for text in _zh_first(graph.objects(st, KG.evidence)):
            found.append((text, -1 if start is None else int(start)))
    if not found:
        found = [(text, -1) for text in _zh_first(graph.objects(node, KG.evidence))]
    return sorted(set(found), key=lambda x: (x[1], x[0]))


def collect_nodes(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every shown resource by IRI (in IRI order): label, class key, subclass, info."""
    docs = collect_documents(graph)
    found: dict[str, dict[str, Any]] = {}
    for subject in sorted(set(graph.subjects(RDF.type, None)), key=str):
        kind = classify(graph, subject) if isinstance(subject, URIRef) else None
        if kind is None:
            continue
        info = node_info(graph, subject, docs)
        sub = local_name(kind[1]) if kind[1] is not None else None
        found[str(subject)] = {
            "cls": kind[0], "sub": sub, "label": label_of(graph, subject), "info": info
        }  # fmt: skip
    return found


def collect_edges(graph: Graph, nodes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Relation edges between shown nodes, sorted; a lead partner is one 牵头方 edge, not two.

    ``hier`` marks the place hierarchy (a Place locatedIn a Place), which the page can hide.
    """
    edges: set[tuple[str, str, str]] = set()
    for prop in RELATIONS:
        for s, o in graph.subject_objects(prop):
            if str(s) in nodes and str(o) in nodes and s != o:
                edges.add((str(s), str(o), local_name(prop)))
    lead = {(s, o) for s, o, rel in edges if rel == "leadPartner"}
    edges = {e for e in edges if not (e[2] == "partner" and (e[0], e[1]) in lead)}
    places = {iri for iri, n in nodes.items() if n["cls"] == "Place"}
    hier = {(s, o) for s, o, rel in edges if rel == "locatedIn" and s in places and o in places}
    return [{"from": s, "to": o, "rel": r, "hier": (s, o) in hier} for s, o, r in sorted(edges)]


def hierarchy_only(nodes: dict[str, dict[str, Any]], edges: list[dict[str, Any]]) -> set[str]:
    """Places only there for the hierarchy: hierarchy edges only, mentioned in no document."""
    kinds: dict[str, set[bool]] = defaultdict(set)
    for e in edges:
        kinds[e["from"]].add(e["hier"])
        kinds[e["to"]].add(e["hier"])
    return {
        iri
        for iri, n in nodes.items()
        if n["cls"] == "Place" and kinds.get(iri) == {True} and not n["info"]["docs"]
    }


def _refine(pos: np.ndarray, edges: np.ndarray, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold steps in numpy (no scipy), starting cool from ``pos``.

    Repulsion comes from a seeded random sample of ``REPULSION_SAMPLE`` nodes per step,
    scaled by n/m: an unbiased estimate of the all-pairs force at a fraction of the cost.
    """
    n = len(pos)
    k = 1.0 / math.sqrt(n)
    temp = 0.05 * float(np.ptp(pos, axis=0).max())
    rng = np.random.default_rng(LAYOUT_SEED)
    m = min(n, REPULSION_SAMPLE)
    for i in range(iterations):
        ref = pos if m == n else pos[rng.choice(n, m, replace=False)]
        dx = pos[:, 0, None] - ref[None, :, 0]
        dy = pos[:, 1, None] - ref[None, :, 1]
        rep = (k * k) / np.maximum(dx * dx + dy * dy, 1e-6) * (n / m)
        force = np.stack([(dx * rep).sum(1), (dy * rep).sum(1)], axis=1)
        span = pos[edges[:, 1]] - pos[edges[:, 0]]
        pull = span * np.sqrt((span * span).sum(1, keepdims=True)) / k
        np.add.at(force, edges[:, 0], pull)
        np.add.at(force, edges[:, 1], -pull)
        length = np.sqrt((force * force).sum(1, keepdims=True)) + 1e-9
        pos = pos + force / length * np.minimum(length, temp * (1 - i / iterations))
    return pos


def _induced(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A sorted copy of an induced subgraph. ``g.subgraph`` iterates a set, whose order
    changes with PYTHONHASHSEED, and a seeded layout is only as stable as its node order."""
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges(keep) if e[1] in keep))
    return sub


def _component_layout(sub: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded layout of one connected component, about [-1, 1]².

    networkx's spring layout needs scipy from 500 nodes on and its dense solver is slow there,
    so a big component gets a skeleton layout instead: a spring layout of its best-connected
    nodes, every other node beside its placed neighbours, then a few dense numpy FR steps.
    """
    if len(sub) <= DIRECT_LAYOUT_LIMIT:
        return nx.spring_layout(sub, seed=LAYOUT_SEED, iterations=120, method="force")
    ranked = sorted(sub, key=lambda n: (-sub.degree(n), n))[: DIRECT_LAYOUT_LIMIT // 2]
    pos = nx.spring_layout(_induced(sub, ranked), seed=LAYOUT_SEED, iterations=80, method="force")
    spacing = 0.5 / math.sqrt(len(sub))
    for i, n in enumerate(nx.bfs_tree(sub, ranked[0])):
        if n not in pos:
            placed = np.array([pos[m] for m in sorted(sub[n]) if m in pos] or [(0.0, 0.0)])
            angle = i * 2.399963  # golden angle: the leaves of one hub fan out evenly
            pos[n] = placed.mean(axis=0) + spacing * np.array([math.cos(angle), math.sin(angle)])
    order = sorted(sub)
    arr = np.array([pos[n] for n in order], dtype=np.float32)
    if len(sub) <= REFINE_LIMIT:
        index = {n: i for i, n in enumerate(order)}
        edges = np.array(sorted((index[a], index[b]) for a, b in sub.edges()), dtype=np.intp)
        arr = _refine(arr, edges, 40)
    arr = (arr - arr.mean(axis=0)) / max(float(np.abs(arr - arr.mean(axis=0)).max()), 1e-9)
    return {n: (float(x), float(y)) for n, (x, y) in zip(order, arr, strict=True)}


def _landscape(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Rotate a component so its long axis is horizontal: screens are wider than tall, so a
    wide drawing fits at a larger zoom, with more legible labels."""
    if len(pos) < 3:
        return pos
    names = list(pos)
    arr = np.array([pos[n] for n in names], dtype=float)
    arr -= arr.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(arr.T))
    major = vectors[:, 1]  # eigenvector of the largest eigenvalue
    major = -major if major[0] < 0 else major  # its sign is LAPACK's choice: fix it
    rot = np.array([[major[0], major[1]], [-major[1], major[0]]])
    arr = arr @ rot.T
    arr /= max(float(np.abs(arr).max()), 1e-9)
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, arr, strict=True)}


Box = tuple[dict[str, tuple[float, float]], float, float]  # positions around 0, width, height
#: Aspect ratio of the drawing area the packing aims for (a landscape browser window).
VIEW_W, VIEW_H = 1100, 800


def _shelf(boxes: list[Box], width: float) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Pack component boxes into rows of ``width``: positions, used width, used height."""
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = used_w = 0.0
    for pos, w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out.update({n: (x + w / 2 + px, y + h / 2 + py) for n, (px, py) in pos.items()})
        x, row_h, used_w = x + w, max(row_h, h), max(used_w, x + w)
    return out, used_w, y + row_h


def _box(g: nx.Graph, comp: list[str]) -> Box:
    """One component laid out in pixels, with the room its labels need around it."""
    if len(comp) == 1:
        return {comp[0]: (0.0, 0.0)}, EDGE_LENGTH, EDGE_LENGTH * 0.6
    radius = EDGE_LENGTH * math.sqrt(len(comp))
    raw = _landscape(_component_layout(_induced(g, comp)))
    pos = {n: (x * radius, y * radius) for n, (x, y) in raw.items()}
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    return pos, max(xs) - min(xs) + EDGE_LENGTH * 1.2, max(ys) - min(ys) + EDGE_LENGTH * 0.8


def compute_layout(node_ids: list[str], edges: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Initial pixel positions: each component laid out alone, the biggest at the origin and
    the others packed in a block to its right or below it, whichever fits a window better.

    One spring layout over disconnected components flings the small ones to the rim and
    squeezes the big one; laying them out separately keeps everything readable at fit zoom.
    """
    g = nx.Graph()
    g.add_nodes_from(node_ids)
    g.add_edges_from((e["from"], e["to"]) for e in edges)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    boxes = [_box(g, comp) for comp in comps]
    if not boxes:
        return {}
    (main, main_w, main_h), rest = boxes[0], boxes[1:]
    positions = {n: (round(x), round(y)) for n, (x, y) in main.items()}
    if not rest:
        return positions
    widest = max(w for _, w, _ in rest)
    area = sum(w * h for _, w, h in rest)
    right = _shelf(rest, max(widest, math.sqrt(area * VIEW_W / VIEW_H)))
    below = _shelf(rest, max(widest, main_w))
    fit_right = min(VIEW_W / (main_w + right[1]), VIEW_H / max(main_h, right[2]))
    fit_below = min(VIEW_W / max(main_w, below[1]), VIEW_H / (main_h + below[2]))
    gap = EDGE_LENGTH + 0.1 * max(main_w, main_h)  # physics may still spread the main one
    if fit_right >= fit_below:
        packed, dx, dy = right[0], main_w / 2 + gap, -main_h / 2
    else:
        packed, dx, dy = below[0], -main_w / 2, main_h / 2 + gap
    positions.update({n: (round(dx + x), round(dy + y)) for n, (x, y) in packed.items()})
    return positions


def _rank(members: list[int], strength: list[int], degree: list[int], cap: int) -> list[int]:
    """The ``cap`` strongest nodes: most relations, then most edges, then graph order."""
    return sorted(members, key=lambda i: (-strength[i], -degree[i], i))[:cap]


def overview(
    classes: list[str], edges: list[tuple[int, int, str]]
) -> tuple[list[int], list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Members of the opening view, its aggregated partnership edges ``(a, b, weight)`` and
    its structural edges (locatedIn, parentOrganization between members).

    Members are the places and institutions with the most relations (the page script ranks
    the same way when a filter changes the candidates). A partnership becomes one edge per
    pair of its parties; a party outside the overview is represented by the nearest place up
    its locatedIn chain that is in it, so a hospital's partnership shows between cities.
    """
    n = len(classes)
    degree, strength = [0] * n, [0] * n
    parents: dict[int, list[int]] = defaultdict(list)
    parties: dict[int, list[int]] = defaultdict(list)
    relation = {i for i, c in enumerate(classes) if c in ("Partnership", "Achievement")}
    for a, b, rel in edges:
        degree[a] += 1
        degree[b] += 1
        if a in relation and b not in relation:
            strength[b] += 1
        if rel == "locatedIn" and classes[b] == "Place":
            parents[a].append(b)
        if rel in PARTY_RELATIONS and classes[a] == "Partnership":
            parties[a].append(b)
    places = [i for i, c in enumerate(classes) if c == "Place" and degree[i]]
    insts = [i for i, c in enumerate(classes) if c == "Institution" and degree[i]]
    members = sorted(
        _rank(places, strength, degree, OVERVIEW_PLACES)
        + _rank(insts, strength, degree, OVERVIEW_INSTITUTIONS)
    )
    member = set(members)

    def rep(i: int) -> int | None:
        for _ in range(5):
            if i in member:
                return i
            up = sorted(parents.get(i, ()))
            if not up:
                return None
            i = up[0]
        return None

    weights: dict[tuple[int, int], int] = defaultdict(int)
    for r in sorted(parties):
        reps = sorted({x for p in parties[r] if (x := rep(p)) is not None})
        for j, a in enumerate(reps):
            for b in reps[j + 1 :]:
                weights[(a, b)] += 1
    structural = sorted(
        {(a, b) for a, b, rel in edges
         if rel in ("locatedIn", "parentOrganization") and a in member and b in member}
    )  # fmt: skip
    return members, [(a, b, w) for (a, b), w in sorted(weights.items())], structural


def overview_layout(
    members: list[int], weighted: list[tuple[int, int, int]], structural: list[tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """Seeded pixel positions of the overview members (see :func:`compute_layout`)."""
    key = {i: f"{i:07d}" for i in members}
    pairs = [(a, b) for a, b, _ in weighted] + structural
    edges = [{"from": key[a], "to": key[b]} for a, b in sorted(set(pairs))]
    pos = compute_layout([key[i] for i in members], edges)
    return {i: pos[key[i]] for i in members}


def view_data(graph: Graph) -> dict[str, Any]:
    """The JSON the page runs on: node columns, an edge array, documents and the overview.

    Nodes are numbered in IRI order; ``edges`` is a flat ``[from, to, relation, ...]`` array
    of those numbers; sparse columns (aliases, facts, coordinates, evidence) are objects keyed
    by node number. Years of a node are not stored: the page takes them from its date and
    documents, as the filters need.
    """
    nodes = collect_nodes(graph)
    edges = collect_edges(graph, nodes)
    hier = hierarchy_only(nodes, edges)
    docs = collect_documents(graph)
    index = {iri: i for i, iri in enumerate(nodes)}
    doc_index = {iri: i for i, iri in enumerate(docs)}
    rel_index = {k: i for i, k in enumerate(REL_KEYS)}
    sub_index = {k: i for i, k in enumerate(SUB_KEYS)}
    classes = [n["cls"] for n in nodes.values()]
    triples = [(index[e["from"]], index[e["to"]], e["rel"]) for e in edges]
    members, weighted, structural = overview(classes, triples)
    layout = overview_layout(members, weighted, structural)
    aliases, facts, geo, evidence = {}, {}, {}, {}
    for i, n in enumerate(nodes.values()):
        info = n["info"]
        if info["aliases"]:
            aliases[str(i)] = info["aliases"]
        if info["facts"]:
            facts[str(i)] = info["facts"]
        if info["geo"]:
            geo[str(i)] = info["geo"]
        if info["evidence"]:
            source = doc_index.get(info["source"], -1) if info["source"] else -1
            evidence[str(i)] = [[text, source, start] for text, start in info["evidence"]]
    options = json.loads((_TEMPLATES / "options.json").read_text(encoding="utf-8"))
    return {
        "base": ID_NS,
        "nodes": {
            "id": [_tail(iri) for iri in nodes],
            "label": [n["label"] for n in nodes.values()],
            "cls": [CLASS_KEYS.index(c) for c in classes],
            "sub": [sub_index[n["sub"]] if n["sub"] else -1 for n in nodes.values()],
            "docs": [[doc_index[d] for d in n["info"]["docs"]] for n in nodes.values()],
            "alias": aliases,
            "facts": facts,
            "geo": geo,
            "evidence": evidence,
            "hier": sorted(index[iri] for iri in hier),
        },
        "edges": [x for f, t, r in triples for x in (f, t, rel_index[r])],
        "docs": [
            [
                _tail(iri),
                d["headline"],
                d["fileName"],
                [index[p] for p in d["about"] if p in index],
                d["years"],
            ]
            for iri, d in docs.items()
        ],
        "overview": [x for i in members for x in (i, *layout[i])],
        "years": sorted({y for n in nodes.values() for y in n["info"]["years"]}),
        "limits": {
            "draw": DRAW_LIMIT,
            "focus": FOCUS_LIMIT,
            "places": OVERVIEW_PLACES,
            "institutions": OVERVIEW_INSTITUTIONS,
        },
        "options": options,
        "style": {
            "classes": _STYLE["classes"],
            "subclasses": [dict(key=k, **_STYLE["subclasses"][k]) for k in SUB_KEYS],
            "relations": [dict(key=k, **_STYLE["relations"][k]) for k in REL_KEYS],
            "facts": [[zh, en] for _, zh, en in FACTS],
            "labelMax": CANVAS_LABEL_MAX,
        },
    }


_JSON_ESCAPES: Final = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_JSON_UNSAFE: Final = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def embed_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or raw
    U+2028/2029 (and lone surrogates escaped, so any Python string can be written as UTF-8)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), text)


def _inline(text: str, closing: str) -> str:
    """Vendor or own code to inline; refuse any that could end its element early."""
    if re.search(rf"</{closing}|<!--", text, re.IGNORECASE):
        raise RuntimeError(f"cannot inline code containing </{closing} or <!--")
    return text


def _csp_hash(script: str) -> str:
    """CSP source allowing exactly this inline script: injected handlers stay blocked."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render_html(graph: Graph, *, title: str = DEFAULT_TITLE) -> str:
    """A complete page showing ``graph``: inline vis-network, own UI, data as escaped JSON."""
    page = Template((_TEMPLATES / "page.html").read_text(encoding="utf-8"))
    vis_js = _inline((_VIS / "vis-network.min.js").read_text(encoding="utf-8"), "script")
    page_js = _inline((_TEMPLATES / "page.js").read_text(encoding="utf-8"), "script")
    return page.substitute(
        title=html.escape(title, quote=True),
        script_hashes=f"{_csp_hash(vis_js)} {_csp_hash(page_js)}",
        vis_css=_inline((_VIS / "vis-network.css").read_text(encoding="utf-8"), "style"),
        page_css=_inline((_TEMPLATES / "page.css").read_text(encoding="utf-8"), "style"),
        vis_js=vis_js,
        page_js=page_js,
        data=embed_json(view_data(graph)),
    )


def write_html(graph: Graph, path: Path, *, title: str = DEFAULT_TITLE) -> None:
    """Write the page as UTF-8, atomically: a temp file beside ``path``, then os.replace.

    Never through pyvis's ``write_html``, which encodes with the locale (GBK, cp1252) and
    fails on, or mangles, Chinese text. Readers never see a half-written page.
    """
    path = Path(path)
    atomic_write_bytes(path, render_html(graph, title=title).encode("utf-8"))
