"""A streaming GraphML writer: node and edge records in, GraphML bytes out.

networkx's writer first copies the whole graph into an XML tree (or an lxml stream fed
attribute by attribute) and needs a networkx graph to begin with; for the build's tens of
thousands of nodes that cost more than extracting them. This writer takes records (id,
attributes) as they come, so the build can write GraphML from cached per-resource records,
and :func:`kg.netx.to_graphml` uses it for any networkx graph. ``nx.read_graphml`` reads
the result back (tests check the round trip).

Keys are declared for every attribute seen (``d0``, ``d1``… in (domain, name) order) with
the GraphML type of its Python values: bool → boolean, int → long, float → double, else
string. Values of None are left out; characters XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.io import atomic_writer

Attrs = Mapping[str, Any]
NodeRecord = tuple[str, Attrs]
EdgeRecord = tuple[str, str, str | None, Attrs]  # source, target, key (multigraphs), attributes

_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_ESCAPE_RE = re.compile('[&<>"]')


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    s = str(value)
    if _SPECIAL.search(s) is None:  # the common case: nothing to drop or escape
        return s
    s = _NOT_XML.sub("", s)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], s)


_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


KeyTable = dict[tuple[str, str], tuple[str, str]]  # (domain, name) -> (key id, GraphML type)


def key_table(types: Mapping[tuple[str, str], str]) -> KeyTable:
    """Key ids ``d0``, ``d1``… for (domain, name) → GraphML type, in sorted order."""
    return {k: (f"d{i}", types[k]) for i, k in enumerate(sorted(types))}


def header(keys: KeyTable, graph_attrs: Attrs, directed: bool = True) -> str:
    """Everything before the first node: declaration, keys, ``<graph>`` and its data."""
    lines = [_HEADER]
    lines += [
        f'<key id="{ident}" for="{domain}" attr.name="{_text(name)}" attr.type="{kind}"/>\n'
        for (domain, name), (ident, kind) in keys.items()
    ]
    lines.append(f'<graph edgedefault="{"directed" if directed else "undirected"}">\n')
    lines += _data(keys, "graph", graph_attrs, "")
    return "".join(lines)


FOOTER = "</graph>\n</graphml>\n"


def node_xml(node: str, attrs: Attrs, keys: KeyTable) -> str:
    return "".join([f'<node id="{_text(node)}">\n', *_data(keys, "node", attrs, "  "), "</node>\n"])


def edge_xml(source: str, target: str, key: str | None, attrs: Attrs, keys: KeyTable) -> str:
    ident = f' id="{_text(key)}"' if key is not None else ""
    return "".join(
        [
            f'<edge source="{_text(source)}" target="{_text(target)}"{ident}>\n',
            *_data(keys, "edge", attrs, "  "),
            "</edge>\n",
        ]
    )


def write_graphml(
    path: str | Path,
    nodes: Iterable[NodeRecord],
    edges: Iterable[EdgeRecord],
    graph_attrs: Attrs | None = None,
    directed: bool = True,
) -> Path:
    """Write a GraphML file atomically; nodes and edges are written in the order given."""
    node_list = nodes if isinstance(nodes, list) else list(nodes)
    edge_list = edges if isinstance(edges, list) else list(edges)
    graph_attrs = graph_attrs or {}
    types: dict[tuple[str, str], str] = {}
    for domain, records in (
        ("graph", [graph_attrs]),
        ("node", [a for _, a in node_list]),
        ("edge", [e[3] for e in edge_list]),
    ):
        for attrs in records:
            for name, value in attrs.items():
                if value is not None:
                    types.setdefault((domain, name), _type(value))
    keys = key_table(types)
    parts = (
        [node_xml(n, a, keys) for n, a in node_list],
        [edge_xml(s, t, k, a, keys) for s, t, k, a in edge_list],
    )
    return write_parts(Path(path), header(keys, graph_attrs, directed), *parts)


def write_parts(path: Path, head: str, *parts: Iterable[str]) -> Path:
    """Stream a header, element texts and the footer into ``path`` atomically."""
    with atomic_writer(path) as raw:
        buf = [head]
        for part in parts:
            for text in part:
                buf.append(text)
                if len(buf) >= 2048:
                    raw.write("".join(buf).encode("utf-8"))
                    buf.clear()
        buf.append(FOOTER)
        raw.write("".join(buf).encode("utf-8"))
    return path


def _data(keys: KeyTable, domain: str, attrs: Attrs, indent: str) -> list[str]:
    return [
        f'{indent}<data key="{keys[domain, name][0]}">{_text(value)}</data>\n'
        for name, value in attrs.items()
        if value is not None
    ]
