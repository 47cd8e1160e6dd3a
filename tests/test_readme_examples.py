"""README.md's example query outputs are those of the seeds graph (regenerated, never edited)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import readme_examples as rx

ROOT = Path(__file__).resolve().parent.parent
#: The committed seeds build; tests/test_build.py checks it equals a fresh build.
TTL = ROOT / "output" / "kg.ttl"


def test_readme_examples_are_those_of_the_seeds_graph() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert rx.current(readme) == rx.region(TTL), (
        f"README.md's example queries differ from output/kg.ttl: run {rx.REGENERATE}"
    )


@pytest.mark.parametrize("name", rx.QUERIES)
def test_each_example_states_the_real_row_count(name: str) -> None:
    output = rx.query_output(name, TTL)
    total = len(output.splitlines()) - 3  # header, rule, "(N rows)"
    shown = rx.example(name, output)
    assert f"of {total} rows" in shown or f"all {total} rows" in shown
    assert shown.count("\n    ") == 2 + min(rx.FIRST_ROWS, total)


def test_rewrite_replaces_only_the_region() -> None:
    text = f"# T\n\nbefore\n{rx.BEGIN}\nold rows\n{rx.END}\nafter\n"
    new = rx.rewrite(text, "\nnew rows\n")
    assert new == f"# T\n\nbefore\n{rx.BEGIN}\n\nnew rows\n{rx.END}\nafter\n"
    assert rx.rewrite(new, rx.current(new)) == new


def test_a_readme_without_markers_says_what_it_needs() -> None:
    with pytest.raises(ValueError, match="examples:begin"):
        rx.current("# no markers here\n")


def test_check_mode_reports_a_stale_readme(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(f"x\n{rx.BEGIN}\nstale\n{rx.END}\n", encoding="utf-8")
    assert rx.main(["--readme", str(stale), "--graph", str(TTL), "--check"]) == 1
    assert "stale" in stale.read_text(encoding="utf-8")
    assert rx.main(["--readme", str(stale), "--graph", str(TTL)]) == 0
    assert rx.main(["--readme", str(stale), "--graph", str(TTL), "--check"]) == 0
