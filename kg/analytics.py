"""Network analysis of the knowledge graph: who partners with whom, who is central, who clusters.

Functions follow networkx conventions: they take the graph made by :func:`kg.netx.to_networkx`
(or the :func:`partner_network` derived from it), return plain data, and are deterministic:
graphs are rebuilt in sorted order before any algorithm whose result depends on insertion
order, randomised algorithms take a ``seed``, and scores are rounded so that ties stay ties.

People name things, not IRIs: every function that takes an entity accepts its label, one of its
aliases, or its IRI, and raises :class:`UnknownNameError` when that matches nothing (or several).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations, pairwise
from types import MappingProxyType
from typing import Any, Final

import networkx as nx

from kg.errors import KGError
from kg.netx import ENTITY_CLASSES
from kg.vocab import KG

#: Centrality measures :func:`rank` knows.
MEASURES: Final = ("degree", "pagerank", "betweenness")
#: Edge relation -> (reading subject to object, reading object to subject), for :func:`path`.
PHRASES: Final = MappingProxyType(
    {
        "partner": ("has partner", "is partner in"),
        "leadPartner": ("is led by", "leads"),
        "achievedBy": ("was achieved by", "achieved"),
        "program": ("belongs to program", "includes"),
        "locatedIn": ("is located in", "contains"),
        "coBuilt": ("co-built", "was co-built in"),
        "parentOrganization": ("belongs to", "is the parent organization of"),
        "affiliation": ("is affiliated with", "has affiliated person"),
        "awardedBy": ("was awarded by", "awarded"),
    }
)
_PARTY_RELATIONS: Final = ("partner", "leadPartner")


class UnknownNameError(KGError, LookupError):
    """A name that matches no entity, or several (the message lists the candidates)."""


def partner_network(G: nx.MultiDiGraph) -> nx.Graph:
    """The entity–entity graph of partnerships: parties are linked when they share one.

    Edge attributes: ``weight`` (number of shared partnerships), ``kinds`` and ``years``
    (sorted lists), ``partnerships`` (sorted IRIs). Nodes are the parties of at least one
    partnership, with their ``label``, ``class`` and ``top_class``.

    >>> from kg.netx import example_graph
    >>> P = partner_network(example_graph())
    >>> [(P.nodes[u]["label"], P.nodes[v]["label"], d["weight"], d["years"])
    ...  for u, v, d in P.edges(data=True)]
    [('长治市人民医院', '北京肿瘤医院', 1, []), ('北京市', '长治市', 1, [2023])]
    """
    links: dict[tuple[str, str], dict[str, set[Any]]] = defaultdict(
        lambda: {"kinds": set(), "years": set(), "partnerships": set()}
    )
    parties: set[str] = set()
    for rel in sorted(n for n, d in G.nodes(data=True) if d.get("top_class") == "Partnership"):
        members = _targets(G, rel, _PARTY_RELATIONS)
        parties.update(members)
        data = G.nodes[rel]
        for pair in combinations(members, 2):
            link = links[pair]
            link["partnerships"].add(rel)
            link["kinds"].update(data.get("kinds") or ([data["kind"]] if data.get("kind") else []))
            if year := year_of(data.get("date")):
                link["years"].add(year)
    P = nx.Graph()
    for node in sorted(parties):
        attrs = G.nodes[node]
        P.add_node(node, **{k: attrs.get(k) for k in ("label", "class", "top_class")})
    for (u, v), link in sorted(links.items()):
        lists = {key: sorted(values) for key, values in link.items()}
        P.add_edge(u, v, weight=len(link["partnerships"]), **lists)
    return P


def centrality(G: nx.Graph, by: str = "degree") -> dict[str, float]:
    """Score every node of ``G`` viewed as a simple undirected graph; rounded to 6 digits.

    ``degree`` is the number of distinct neighbours (edge directions and parallel edges
    ignored: a partnership counts once even when a city is both partner and lead);
    ``pagerank`` uses edge ``weight`` when present; ``betweenness`` is normalised.

    >>> from kg.netx import example_graph, _iri
    >>> centrality(example_graph())[_iri("place/140400")]
    4.0
    """
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}: choose one of {', '.join(MEASURES)}")
    U = _simple(G)
    if by == "degree":
        scores = {n: float(U.degree(n)) for n in U}
    elif by == "pagerank":
        scores = _pagerank(U)
    else:
        scores = nx.betweenness_centrality(U)
    return {n: round(score, 6) for n, score in scores.items()}


def rank(
    G: nx.Graph, by: str = "degree", cls: str | None = None, top: int | None = 10
) -> list[tuple[str, float]]:
    """The ``top`` entities by a :func:`centrality` measure, as (label, score), ties by label.

    Relation nodes take part in the computation (they are the bridges) but are not ranked.
    ``cls`` keeps one class, specific or top-level ("Hospital", "Institution", "City"…).

    >>> from kg.netx import example_graph
    >>> rank(example_graph(), cls="Place", top=2)
    [('长治市', 4.0), ('北京市', 2.0)]
    """
    if cls is not None and not _known_class(G, cls):
        raise UnknownNameError(f"unknown class {cls!r} (e.g. Place, City, Institution, Hospital)")
    scores = centrality(G, by)
    rows = [
        (str(data.get("label", node)), scores[node], node)
        for node, data in G.nodes(data=True)
        if _is_entity(data) and (cls is None or cls in (data.get("class"), data.get("top_class")))
    ]
    rows.sort(key=lambda row: (-row[1], row[0], row[2]))
    return [(label, score) for label, score, _ in rows[:top]]


def communities(G: nx.Graph, seed: int = 42) -> list[set[str]]:
    """Louvain communities of the entities, largest first (ties by sorted members).

    Runs on the undirected entity projection: entities linked by a direct edge (locatedIn,
    affiliation…) or by a shared relation node (the parties of a partnership, an achiever and
    its program). The projection is built in sorted order, so the result depends only on the
    graph's content and ``seed``, not on insertion order. Every entity is in exactly one set.

    >>> from kg.netx import example_graph
    >>> G = example_graph()
    >>> [sorted(G.nodes[n]["label"] for n in c) for c in communities(G)]
    [['北京市', '北京肿瘤医院', '长治市人民医院'], ['山西省', '长治市']]
    """
    projection = entity_projection(G)
    if projection.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(projection, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def entity_projection(G: nx.Graph) -> nx.Graph:
    """Entities only, linked with ``weight`` = number of facts (edges or relations) they share.

    >>> from kg.netx import example_graph, _iri
    >>> entity_projection(example_graph()).degree(_iri("place/140400"))
    3
    """
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, data in G.edges(data=True):
        if u != v and _is_entity(G.nodes[u]) and _is_entity(G.nodes[v]):
            weights[_pair(u, v)] += 1 if G.is_multigraph() else data.get("weight", 1)
    for relation in (n for n, d in G.nodes(data=True) if d.get("top_class") not in ENTITY_CLASSES):
        members = sorted(n for n in _neighbours(G, relation) if _is_entity(G.nodes[n]))
        for pair in combinations(members, 2):
            weights[pair] += 1
    P = nx.Graph()
    P.add_nodes_from((n, G.nodes[n]) for n in sorted(n for n in G if _is_entity(G.nodes[n])))
    P.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return P


def resolve(G: nx.Graph, name: str) -> str:
    """The id of the entity called ``name``: an IRI, else a label, else an alias.

    >>> from kg.netx import example_graph
    >>> resolve(example_graph(), "长治")
    'https://w3id.org/cn-health-kg/id/place/140400'
    >>> resolve(example_graph(), "长治县")
    Traceback (most recent call last):
    ...
    kg.analytics.UnknownNameError: no entity named '长治县'
    """
    name = name.strip()
    if name in G and _is_entity(G.nodes[name]):
        return name
    entities = [(n, d) for n, d in G.nodes(data=True) if _is_entity(d)]
    matches = sorted(n for n, d in entities if d.get("label") == name) or sorted(
        n for n, d in entities if name in d.get("aliases", ())
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = "; ".join(f"{_describe(G, n)} <{n}>" for n in matches)
        raise UnknownNameError(f"{name!r} is ambiguous, pass one of the IRIs: {options}")
    similar = sorted({str(d.get("label")) for _, d in entities if name in str(d.get("label"))})
    hint = f" (did you mean: {', '.join(similar[:5])}?)" if similar else ""
    raise UnknownNameError(f"no entity named {name!r}{hint}")


def path(G: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest chain of facts linking two named entities, edges walked both ways.

    Each step reads ``{from} {relation} {to}``; ``predicate`` is the property local name and
    ``inverse`` tells whether the step walks the property backwards. Returns ``[]`` when the
    two are the same entity or not connected; raises :class:`UnknownNameError` for bad names.

    >>> from kg.netx import example_graph
    >>> for s in path(example_graph(), "北京肿瘤医院", "长治市"):
    ...     print(s["from"], "|", s["relation"], "|", s["to"])
    北京肿瘤医院 | is partner in | 长治市人民医院—北京肿瘤医院 合作
    长治市人民医院—北京肿瘤医院 合作 | has partner | 长治市人民医院
    长治市人民医院 | is located in | 长治市
    """
    source, target = resolve(G, a), resolve(G, b)
    try:
        nodes = nx.shortest_path(_simple(G), source, target)
    except nx.NetworkXNoPath:
        return []
    return [_step(G, u, v) for u, v in pairwise(nodes)]


def profile(G: nx.MultiDiGraph, name: str) -> dict[str, Any]:
    """Everything the graph says about one entity (usually a city or an institution).

    Keys: id, label, class, top_class, aliases, documents (plus lat/lon when known),
    located_in (the chain upwards), contains, partners, achievements, programs, people,
    parent_organizations, co_built_by. Lists are sorted; dated items chronologically.

    >>> from kg.netx import example_graph
    >>> p = profile(example_graph(), "长治市")
    >>> [x["label"] for x in p["located_in"]], [x["partner"] for x in p["partners"]]
    (['山西省'], ['北京市'])
    >>> [(a["title"], a["date"]) for a in p["achievements"]]
    [('全省人口和生育政策保障工作先进市', '2023-06')]
    """
    node = resolve(G, name)
    data = G.nodes[node]
    keys = ("label", "class", "top_class", "aliases", "documents", "lat", "lon")
    achievements = [_achievement(G, a) for a in _sources(G, node, ("achievedBy",))]
    return {
        "id": node,
        **{k: data[k] for k in keys if k in data},
        "located_in": [_brief(G, n) for n in located_chain(G, node)],
        "contains": _briefs(G, _sources(G, node, ("locatedIn",))),
        "partners": _by_date(_partners(G, node), "partner"),
        "achievements": _by_date(achievements, "title"),
        "programs": sorted({p for a in achievements for p in a["programs"]}),
        "people": [
            {"name": G.nodes[p].get("label"), "role": G.nodes[p].get("role"), "id": p}
            for p in _sources(G, node, ("affiliation",))
        ],
        "parent_organizations": _briefs(G, _targets(G, node, ("parentOrganization",))),
        "co_built_by": [
            {"partnership": G.nodes[r].get("label"), "date": G.nodes[r].get("date"), "id": r}
            for r in _sources(G, node, ("coBuilt",))
        ],
    }


def located_chain(G: nx.MultiDiGraph, node: str) -> list[str]:
    """Ids of the places ``node`` lies in, nearest first (first parent by IRI if several).

    >>> from kg.netx import example_graph, _iri
    >>> located_chain(example_graph(), _iri("org/a1"))[-1].endswith("place/140000")
    True
    """
    chain: list[str] = []
    current = node
    while parents := [p for p in _targets(G, current, ("locatedIn",)) if p not in chain]:
        if parents[0] == node:
            break
        chain.append(parents[0])
        current = parents[0]
    return chain


def year_of(date: str | None) -> int | None:
    """The year of an xsd:gYear/gYearMonth/date lexical form.

    >>> year_of("2023-08"), year_of(None)
    (2023, None)
    """
    return int(date[:4]) if date and date[:4].isdigit() else None


# --- helpers --------------------------------------------------------------------------------


def _is_entity(data: dict[str, Any]) -> bool:
    return data.get("top_class") in ENTITY_CLASSES


def _known_class(G: nx.Graph, cls: str) -> bool:
    """A class present in ``G``, or any class the vocabulary defines (so absence is not a typo)."""
    present = {v for _, d in G.nodes(data=True) for v in (d.get("class"), d.get("top_class"))}
    return cls in present or (cls[:1].isupper() and hasattr(KG, cls))


def _relation(data: dict[str, Any]) -> str:
    return str(data.get("relation", "partner"))


def _targets(G: nx.Graph, node: str, relations: Iterable[str]) -> list[str]:
    """Sorted distinct objects of ``node``'s out-edges with one of ``relations``."""
    wanted = set(relations)
    edges = G.out_edges(node, data=True) if G.is_directed() else G.edges(node, data=True)
    return sorted({v for _, v, d in edges if _relation(d) in wanted})


def _sources(G: nx.Graph, node: str, relations: Iterable[str]) -> list[str]:
    """Sorted distinct subjects of edges into ``node`` with one of ``relations``."""
    wanted = set(relations)
    edges = G.in_edges(node, data=True) if G.is_directed() else G.edges(node, data=True)
    return sorted({u if G.is_directed() else v for u, v, d in edges if _relation(d) in wanted})


def _neighbours(G: nx.Graph, node: str) -> set[str]:
    if G.is_directed():
        return set(G.successors(node)) | set(G.predecessors(node))
    return set(G.neighbors(node))


def _pair(u: str, v: str) -> tuple[str, str]:
    return (u, v) if u <= v else (v, u)


def _simple(G: nx.Graph) -> nx.Graph:
    """``G`` as a simple undirected graph in sorted order; weight 1 per linked pair unless
    ``G`` carries weights (the partner network), which are then summed."""
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, data in G.edges(data=True):
        if u != v:
            pair = _pair(u, v)
            weights[pair] = 1 if G.is_multigraph() else weights[pair] + data.get("weight", 1)
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return U


def _pagerank(U: nx.Graph, alpha: float = 0.85, tol: float = 1e-12) -> dict[str, float]:
    """Weighted PageRank by power iteration (networkx's own needs scipy, not a dependency)."""
    nodes = list(U)
    if not nodes:
        return {}
    strength = dict(U.degree(weight="weight"))
    scores = dict.fromkeys(nodes, 1.0 / len(nodes))
    for _ in range(1000):
        dangling = alpha * sum(scores[n] for n in nodes if not strength[n]) / len(nodes)
        new = {
            n: (1 - alpha) / len(nodes)
            + dangling
            + alpha * sum(scores[m] * d["weight"] / strength[m] for m, d in U.adj[n].items())
            for n in nodes
        }
        error = sum(abs(new[n] - scores[n]) for n in nodes)
        scores = new
        if error < tol * len(nodes):
            break
    return scores


def _step(G: nx.Graph, u: str, v: str) -> dict[str, Any]:
    """One path step read from ``u`` to ``v``, preferring an edge that points that way."""
    forward = sorted(_relation(d) for d in _edge_data(G, u, v))
    backward = [] if not G.is_directed() else sorted(_relation(d) for d in _edge_data(G, v, u))
    inverse = not forward
    predicate = (forward or backward)[0]
    phrases = PHRASES.get(predicate, (predicate, f"is {predicate} of"))
    return {
        "from": G.nodes[u].get("label", u),
        "relation": phrases[1] if inverse else phrases[0],
        "to": G.nodes[v].get("label", v),
        "predicate": predicate,
        "inverse": inverse,
        "from_id": u,
        "to_id": v,
    }


def _edge_data(G: nx.Graph, u: str, v: str) -> list[dict[str, Any]]:
    data = G.get_edge_data(u, v)
    if data is None:
        return []
    return list(data.values()) if G.is_multigraph() else [data]


def _describe(G: nx.Graph, node: str) -> str:
    data = G.nodes[node]
    places = [G.nodes[p].get("label") for p in located_chain(G, node)[:2]]
    where = f", in {'/'.join(map(str, places))}" if places else ""
    return f"{data.get('label')} ({data.get('class')}{where})"


def _brief(G: nx.Graph, node: str) -> dict[str, Any]:
    return {"label": G.nodes[node].get("label"), "class": G.nodes[node].get("class"), "id": node}


def _briefs(G: nx.Graph, nodes: Iterable[str]) -> list[dict[str, Any]]:
    briefs = [_brief(G, n) for n in nodes]
    return sorted(briefs, key=lambda b: (str(b["class"]), str(b["label"]), b["id"]))


def _by_date(items: list[dict[str, Any]], then: str) -> list[dict[str, Any]]:
    """Chronological, undated last, then by ``then`` and id (deterministic)."""
    return sorted(items, key=lambda x: (x["date"] is None, x["date"] or "", str(x[then]), x["id"]))


def _partners(G: nx.Graph, node: str) -> list[dict[str, Any]]:
    rows = []
    for rel in _sources(G, node, ("partner",)):
        data = G.nodes[rel]
        lead = [G.nodes[n].get("label") for n in _targets(G, rel, ("leadPartner",))]
        facts = {k: data.get(k) for k in ("kind", "date", "evidence", "documents")}
        for other in (n for n in _targets(G, rel, ("partner",)) if n != node):
            partner = {"partner": G.nodes[other].get("label"), "partner_id": other}
            rows.append({**partner, **facts, "lead": (lead or [None])[0], "id": rel})
    return rows


def _achievement(G: nx.Graph, node: str) -> dict[str, Any]:
    data = G.nodes[node]
    return {
        "title": data.get("label"),
        **{k: data.get(k) for k in ("date", "kind", "level", "evidence", "documents")},
        "programs": [G.nodes[p].get("label") for p in _targets(G, node, ("program",))],
        "awarded_by": [G.nodes[o].get("label") for o in _targets(G, node, ("awardedBy",))],
        "id": node,
    }
