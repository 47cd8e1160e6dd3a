"""A small read-only triple index: what the views need from a graph, without rdflib's store.

``kg build`` already holds its triples as rdflib terms in a list. Loading them into an
``rdflib.Graph`` only to ask ``objects(s, p)`` and ``subjects(p, o)`` of it costs more than
writing the Turtle (its memory store keeps every triple in three indexes plus contexts).
:class:`TripleIndex` answers the same three questions (the subset of rdflib's ``Graph`` API
that :mod:`kg.html` and :mod:`kg.netx` use) from two plain dicts, so the views accept either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleIndex:
    """Triples indexed by subject → predicate → objects and predicate → object → subjects.

    Duplicates are dropped and insertion order is kept, like a set with a stable order.
    """

    __slots__ = ("_pos", "_spo")

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self.update(triples)

    def add(self, triple: Triple) -> None:
        self.update((triple,))

    def update(self, triples: Iterable[Triple]) -> None:
        """Add every triple (one loop with local names: views index every triple of a build)."""
        spo, pos = self._spo, self._pos
        for s, p, o in triples:
            by_p = spo.get(s)
            if by_p is None:
                by_p = spo[s] = {}
            objs = by_p.get(p)
            if objs is None:
                by_p[p] = {o: None}
            else:
                objs[o] = None
            by_o = pos.get(p)
            if by_o is None:
                by_o = pos[p] = {}
            subs = by_o.get(o)
            if subs is None:
                by_o[o] = {s: None}
            else:
                subs[s] = None

    def __len__(self) -> int:
        return sum(len(objs) for preds in self._spo.values() for objs in preds.values())

    def __iter__(self) -> Iterator[Triple]:
        for s, preds in self._spo.items():
            for p, objs in preds.items():
                for o in objs:
                    yield s, p, o

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        yield from self._spo.get(subject, {}).get(predicate, ())

    def subjects(self, predicate: Node, obj: Node | None = None) -> Iterator[Node]:
        """Subjects with ``predicate`` (and object ``obj`` when given); each subject once."""
        by_object = self._pos.get(predicate, {})
        if obj is not None:
            yield from by_object.get(obj, ())
            return
        seen: dict[Node, None] = {}
        for subjects in by_object.values():
            seen.update(subjects)
        yield from seen

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for o, subjects in self._pos.get(predicate, {}).items():
            for s in subjects:
                yield s, o
