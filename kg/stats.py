"""``kg stats``: a short report on the built graph, aligned text for people or ``--json``.

The report answers the questions a reader of the health-commission reports asks first: what
was extracted (counts per class), who is most connected, which partnerships cross provincial
borders, which groups of places and institutions cluster together, and how many honours each
city collected per year. :func:`summarize` computes it as plain data (the ``--json`` output);
:func:`render` only lays it out, with Chinese text aligned by display width.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Final

import networkx as nx

from kg import analytics
from kg.netx import NODE_CLASSES, load, local_name, to_networkx

#: How many members of a community the report names.
MEMBER_CAP: Final = 8
#: Column key for achievements without a date.
UNDATED: Final = "n.d."


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="summarize the graph: counts, hubs, cross-province partnerships, communities",
        description="Summarize a built graph: counts per class, most connected institutions "
        "and places, cross-province partnerships, communities, achievements per city and year.",
    )
    parser.add_argument(
        "--graph", type=Path, default=Path("output/kg.ttl"), help="graph to read (Turtle)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--top", type=_positive_int, default=10, metavar="N", help="rows per ranking (10)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    G = to_networkx(load(args.graph))
    summary = {"source": str(args.graph), **summarize(G, top=args.top)}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(render(summary, top=args.top), end="")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


# --- the report as data ---------------------------------------------------------------------


def summarize(G: nx.MultiDiGraph, top: int = 10, seed: int = 42) -> dict[str, Any]:
    """The whole report as JSON-ready data (rankings cut at ``top``, other lists complete).

    >>> from kg.netx import example_graph
    >>> s = summarize(example_graph())
    >>> s["graph"]
    {'nodes': 8, 'edges': 8, 'documents': 1}
    >>> s["classes"][0]
    {'class': 'Place', 'count': 3, 'subclasses': {'City': 1, 'Province': 2}}
    """
    partners = analytics.partner_network(G)
    return {
        "graph": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "documents": len(G.graph.get("documents", [])),
        },
        "classes": class_counts(G),
        "most_connected": {
            "institutions": most_connected(G, partners, "Institution", top),
            "places": most_connected(G, partners, "Place", top),
        },
        "cross_province_partnerships": cross_province(G),
        "communities": community_summary(G, top, seed),
        "achievements_by_city_year": achievements_by_city_year(G),
    }


def class_counts(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Nodes per top-level class (ontology order) with their subclasses, then Documents."""
    rows = []
    for top in map(local_name, NODE_CLASSES):
        classes = [d.get("class") for _, d in G.nodes(data=True) if d.get("top_class") == top]
        subclasses = Counter(c for c in classes if c != top)
        rows.append(
            {"class": top, "count": len(classes), "subclasses": dict(sorted(subclasses.items()))}
        )
    rows.append({"class": "Document", "count": len(G.graph.get("documents", [])), "subclasses": {}})
    return rows


def most_connected(
    G: nx.MultiDiGraph, partners: nx.Graph, top_class: str, top: int
) -> list[dict[str, Any]]:
    """Entities of ``top_class`` by distinct partners, then distinct neighbours overall."""
    overall = analytics.centrality(G, "degree")
    in_partnerships = analytics.centrality(partners, "degree")
    rows = [
        {
            "label": data.get("label"),
            "class": data.get("class"),
            "partners": int(in_partnerships.get(node, 0)),
            "degree": int(overall[node]),
            "id": node,
        }
        for node, data in G.nodes(data=True)
        if data.get("top_class") == top_class and overall[node] > 0
    ]
    rows.sort(key=lambda r: (-r["partners"], -r["degree"], str(r["label"]), r["id"]))
    return rows[:top]


def province_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """Id of the province-level place ``node`` is in, following kg:locatedIn upwards.

    Province-level means typed Province, or carrying a GB/T 2260 province-level code
    (``xx0000``): the builder types the municipalities 北京市/上海市/天津市/重庆市 as City
    directly under 中国, yet they are provinces for this purpose. None when unknown.

    >>> from kg.netx import example_graph, _iri
    >>> province_of(example_graph(), _iri("org/a1")) == _iri("place/140000")
    True
    """
    for place in [node, *analytics.located_chain(G, node)]:
        data = G.nodes[place]
        code = str(data.get("admin_code") or "")
        if data.get("class") == "Province" or (
            data.get("top_class") == "Place" and len(code) == 6 and code.endswith("0000")
        ):
            return place
    return None


def cross_province(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Partnerships whose parties lie in different provinces (unknown provinces ignored)."""
    rows = []
    for rel, data in sorted(G.nodes(data=True)):
        if data.get("top_class") != "Partnership":
            continue
        parties = sorted(
            {v for _, v, r in G.out_edges(rel, data="relation") if r in ("partner", "leadPartner")}
        )
        provinces = {p: province_of(G, p) for p in parties}
        if len({v for v in provinces.values() if v}) < 2:
            continue
        described = [
            {"label": G.nodes[p].get("label"), "province": _label(G, provinces[p]), "id": p}
            for p in parties
        ]
        facts = {k: data.get(k) for k in ("label", "kind", "kinds", "date")}
        rows.append({**facts, "parties": described, "id": rel})
    return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", str(r["label"])))


def community_summary(G: nx.MultiDiGraph, top: int, seed: int) -> dict[str, Any]:
    """The ``top`` largest communities (of two or more), most connected members first."""
    found = analytics.communities(G, seed=seed)
    groups = [c for c in found if len(c) > 1]
    degree = analytics.centrality(G, "degree")
    largest = []
    for members in groups[:top]:
        ordered = sorted(members, key=lambda n: (-degree[n], str(G.nodes[n].get("label")), n))
        largest.append(
            {
                "size": len(members),
                "members": [G.nodes[n].get("label") for n in ordered[:MEMBER_CAP]],
                "more": max(0, len(members) - MEMBER_CAP),
            }
        )
    singles = [next(iter(c)) for c in found if len(c) == 1]
    by_class = Counter(str(G.nodes[n].get("top_class") or "?") for n in singles)
    return {
        "count": len(groups),
        "singletons": len(singles),
        "singletons_by_class": dict(sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        "largest": largest,
    }


def achievements_by_city_year(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Achievements counted per city of the achiever (itself, or the city it lies in) and year."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for node, data in sorted(G.nodes(data=True)):
        if data.get("top_class") != "Achievement":
            continue
        year = analytics.year_of(data.get("date"))
        for _, achiever, rel in G.out_edges(node, data="relation"):
            if rel == "achievedBy":
                table[_city_of(G, achiever)][str(year) if year else UNDATED] += 1
    years = sorted(
        {y for counts in table.values() for y in counts}, key=lambda y: (y == UNDATED, y)
    )
    rows = [
        {"city": city, "counts": dict(sorted(c.items())), "total": sum(c.values())}
        for city, c in table.items()
    ]
    rows.sort(key=lambda r: (-r["total"], r["city"]))
    return {"years": years, "rows": rows}


def _city_of(G: nx.MultiDiGraph, node: str) -> str:
    """Label of the first City in ``node``'s location chain, else its nearest place."""
    chain = [node, *analytics.located_chain(G, node)]
    places = [n for n in chain if G.nodes[n].get("top_class") == "Place"]
    cities = [n for n in places if G.nodes[n].get("class") == "City"]
    if cities:
        return _label(G, cities[0]) or "(unplaced)"
    if places:  # a province or the country itself: not a city, and said so
        level = G.nodes[places[0]].get("class")
        label = _label(G, places[0]) or "(unplaced)"
        return f"{label} ({_LEVEL_NAMES.get(level, 'place')})" if level != "City" else label
    return "(unplaced)"


#: How a holder above or below the city level is marked in the "per city" table.
_LEVEL_NAMES = {
    "Province": "province",
    "Country": "national",
    "County": "county",
    "Town": "town",
    "Village": "village",
}


def _label(G: nx.Graph, node: str | None) -> str | None:
    return None if node is None else G.nodes[node].get("label", node)


# --- the report as text ---------------------------------------------------------------------


def render(summary: dict[str, Any], top: int = 10) -> str:
    """Lay the summary out as aligned text; long lists are cut at ``top`` rows."""
    g = summary["graph"]
    head = f"{g['nodes']} nodes, {g['edges']} edges, {g['documents']} documents"
    if "source" in summary:
        head = f"{summary['source']}: {head}"
    sections = [
        [head],
        _classes_section(summary["classes"]),
        _ranking_section("Most connected institutions", summary["most_connected"]["institutions"]),
        _ranking_section("Most connected places", summary["most_connected"]["places"]),
        _cross_section(summary["cross_province_partnerships"], top),
        _community_section(summary["communities"]),
        _achievement_section(summary["achievements_by_city_year"], top),
    ]
    return "\n".join("\n".join(lines) + "\n" for lines in sections)


def _classes_section(classes: list[dict[str, Any]]) -> list[str]:
    rows: list[list[Any]] = []
    for entry in classes:
        rows.append([entry["class"], entry["count"]])
        rows.extend([f"  {name}", count] for name, count in entry["subclasses"].items())
    return ["Classes", *table(["Class", "Count"], rows)]


def _ranking_section(title: str, rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return [title, "  (none)"]
    body = [[r["label"], r["class"], r["partners"], r["degree"]] for r in rows]
    note = "  (partners: distinct partners in partnerships; links: distinct neighbours overall)"
    return [title, *table(["Name", "Class", "Partners", "Links"], body), note]


def _cross_section(rows: list[dict[str, Any]], top: int) -> list[str]:
    title = f"Cross-province partnerships: {len(rows)}"
    body = [
        [
            r["date"] or "",
            ", ".join(r.get("kinds") or ([r["kind"]] if r["kind"] else [])),
            " — ".join(str(p["label"]) for p in r["parties"]),
            " — ".join(str(p["province"] or "?") for p in r["parties"]),
        ]
        for r in rows[:top]
    ]
    lines = [title, *table(["Date", "Kind", "Partners", "Provinces"], body)] if body else [title]
    return lines + _more(len(rows), top)


def _community_section(summary: dict[str, Any]) -> list[str]:
    title = f"Communities: {summary['count']} (plus {summary['singletons']} isolated entities)"
    lines = [title]
    if summary["singletons"]:
        parts = ", ".join(f"{k} {v}" for k, v in summary.get("singletons_by_class", {}).items())
        lines.append(
            f"  isolated ({parts}): named in a report, but in no partnership or achievement "
            "and with no place or parent in the graph (mentioned in passing)"
        )
    for number, group in enumerate(summary["largest"], 1):
        more = f" … +{group['more']}" if group["more"] else ""
        lines.append(f"  {number}. [{group['size']}] {'、'.join(group['members'])}{more}")
    return lines


def _achievement_section(summary: dict[str, Any], top: int) -> list[str]:
    rows = summary["rows"]
    if not rows:
        return ["Achievements per city and year", "  (none)"]
    years = summary["years"]
    body = [[r["city"], *(r["counts"].get(y, "") for y in years), r["total"]] for r in rows[:top]]
    lines = ["Achievements per city and year", *table(["City", *years, "Total"], body)]
    return lines + _more(len(rows), top)


def _more(total: int, shown: int) -> list[str]:
    return [f"  … {total - shown} more (see --json)"] if total > shown else []


def display_width(text: str) -> int:
    """Terminal columns of ``text``: CJK wide/fullwidth characters take two, combining none.

    >>> display_width("长治市 ok")
    9
    """
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Rows aligned under headers; numbers right-aligned, text left-aligned by display width.

    >>> print("\\n".join(table(["City", "N"], [["长治市", 3], ["Beijing", 12]])))
      City      N
      长治市    3
      Beijing  12
    """
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in r] for r in rows]]
    numeric = [
        all(isinstance(r[i], int | float) or r[i] == "" for r in rows) for i in range(len(headers))
    ]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        padded = [_pad(cell, w, right) for cell, w, right in zip(row, widths, numeric, strict=True)]
        lines.append(("  " + "  ".join(padded)).rstrip())
    return lines


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap
