"""Linear time on long sentences (issue 17, item 5).

A line without punctuation (a flattened table, a run-on paragraph) is one "sentence" of the
whole line; every scan around a trigger or a name must stay bounded, so such a line costs
about what the same characters cost with a full stop every 100 characters. Timings are
compared as a ratio of two builds on this machine, never against an absolute figure.
"""

from __future__ import annotations

import time
from pathlib import Path

from kg.cli import main
from tests.conftest import analyse_text

#: Invented clauses (no real report): names, achievement triggers, a partnership verb.
_PIECES = (
    "青川市第一人民医院获评省级文明单位",
    "青川市卫生健康委员会组织开展基层卫生服务能力提升行动",
    "白河县人民医院成为国家级胸痛中心",
    "全市卫生健康系统持续推进公立医院高质量发展",
    "青川市中医医院入选国家中医药传承创新项目",
)


def _line(n: int) -> str:
    base = "".join(_PIECES)
    return (base * (n // len(base) + 1))[:n]


def _build_seconds(folder: Path, text: str, out: Path) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "r.txt").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    rc = main(
        [
            "build",
            str(folder),
            "--out",
            str(out),
            "--no-cache",
            "--jobs",
            "1",
            "--html",
            "never",
            "--graphml",
            "never",
        ]
    )
    assert rc == 0
    return time.perf_counter() - t0


def test_a_line_without_punctuation_costs_what_the_same_with_full_stops_costs(
    tmp_path: Path,
) -> None:
    n = 50_000
    long_line = _line(n)
    stopped = "。".join(long_line[i : i + 100] for i in range(0, n, 100))
    # warm the lexicons and the segmenter so that neither build pays for loading them
    _build_seconds(tmp_path / "warm", stopped[:2000], tmp_path / "out-warm")
    t_stopped = _build_seconds(tmp_path / "stopped", stopped, tmp_path / "out-stopped")
    t_long = _build_seconds(tmp_path / "long", long_line, tmp_path / "out-long")
    assert t_long < 4 * t_stopped + 0.5, (t_long, t_stopped)


def test_a_normal_sentence_inside_a_long_line_is_still_read() -> None:
    filler = "全市卫生健康系统持续推进公立医院高质量发展" * 1500  # 30k characters, no stop
    text = (
        "青川市卫生健康委员会2024年工作总结\n"
        + filler
        + "。2024年6月，青川市第一人民医院获评省级文明单位。"
        + filler
    )
    facts = analyse_text(text)
    names = {m.key: m.name for m in facts.mentions}
    got = [
        (names.get(r.parties[0]), r.title, r.date)
        for r in facts.relations
        if r.kind == "Achievement"
    ]
    assert ("青川市第一人民医院", "省级文明单位", "2024-06") in got, got
    for r in facts.relations:  # evidence stays the sentence, or a bounded window of a long one
        assert r.sentence_end - r.sentence_start <= 1000
