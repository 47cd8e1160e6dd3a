"""Quality floor on the hand-written gold: the build must keep these F1 scores.

Targets from the entity and relation issues: places, institutions and people
≥ 0.90, partnerships ≥ 0.85, achievements ≥ 0.75, verbatim evidence 100%.
Programs ≥ 0.80 (the README gives the current figures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.evaluate import evaluate_graph

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "Place": 0.90,
    "Institution": 0.90,
    "Person": 0.90,
    "Program": 0.80,
    "Partnership": 0.85,
    "Achievement": 0.80,
    "overall-NER": 0.90,
}


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    graph = kg.build([ROOT / "seeds"])
    return evaluate_graph(graph, ROOT / "tests" / "gold", ROOT / "seeds")


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_f1_floor(report, name: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    assert report.f1_of(name) >= floor, f"{name} F1 {report.f1_of(name):.3f} < {floor}"


def test_every_relation_has_verbatim_evidence(report) -> None:  # type: ignore[no-untyped-def]
    assert report.evidence.total >= 40
    assert report.evidence.fraction == 1.0
