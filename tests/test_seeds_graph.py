"""The three uses on the real seeds graph (output/kg.ttl): SPARQL, networkx, analytics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg import analytics
from kg.query import QUERIES_DIR

ROOT = Path(__file__).resolve().parent.parent
TTL = ROOT / "output" / "kg.ttl"


@pytest.fixture(scope="module")
def G():  # type: ignore[no-untyped-def]
    return kg.to_networkx(kg.load(TTL))


def _label(G, node: str) -> str:  # type: ignore[no-untyped-def]
    return G.nodes[node]["label"] if node in G.nodes else node


def _query(name: str) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "kg", "query", name, "--graph", str(TTL), "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("partnerships", ["上海中医药大学", "平顶山市", "北京肿瘤医院", "长治市人民医院"]),
        ("institutions-of-city", ["长治市人民医院", "Hospital"]),
        ("achievements-by-year", ["国家紧密型城市医疗集团建设试点", "2023"]),
        ("national-pilots", ["千县工程"]),
        ("cross-province-partnerships", ["北京市", "长治市"]),
        ("multi-report-entities", ["长治市", "国家卫生健康委员会"]),
    ],
)
def test_named_queries_answer_on_the_seeds(name: str, expected: list[str]) -> None:
    out = _query(name)
    for value in expected:
        assert value in out, f"{name}: {value} not in\n{out[:800]}"


def test_every_named_query_runs_on_the_seeds() -> None:
    for q in sorted(QUERIES_DIR.glob("*.rq")):
        assert _query(q.stem).strip(), q.stem


def test_partner_network_has_the_headline_partnerships(G) -> None:  # type: ignore[no-untyped-def]
    P = analytics.partner_network(G)
    pairs = {frozenset((_label(G, a), _label(G, b))) for a, b in P.edges}
    assert frozenset(("北京市", "长治市")) in pairs
    assert frozenset(("上海中医药大学", "平顶山市")) in pairs


def test_path_from_a_beijing_hospital_to_changzhi(G) -> None:  # type: ignore[no-untyped-def]
    steps = analytics.path(G, "北京肿瘤医院", "长治市")
    assert steps and all(isinstance(s, dict) for s in steps)
    assert len(steps) <= 4


def test_communities_are_reproducible(G) -> None:  # type: ignore[no-untyped-def]
    assert analytics.communities(G) == analytics.communities(G)


def test_profile_of_changzhi(G) -> None:  # type: ignore[no-untyped-def]
    p = analytics.profile(G, "长治市")
    text = repr(p)
    assert "北京市" in text and "国家紧密型城市医疗集团建设试点" in text
