"""Commands find their project folder as git finds .git (kg.toml, or seeds/ and output/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.project import discover

SAMPLE = Path(__file__).parent / "fixtures" / "analytics_sample.ttl"
REPORT = "2024年，临汾市人民医院与复旦大学附属中山医院签署合作协议，共建胸痛中心。\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A project folder as `kg build` leaves it: seeds/ and output/kg.ttl."""
    root = tmp_path / "proj"
    (root / "seeds").mkdir(parents=True)
    (root / "output").mkdir()
    shutil.copy(SAMPLE, root / "output" / "kg.ttl")
    return root


def test_stats_from_a_subfolder_reads_the_project_graph(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = built / "notes" / "2024"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    code, out, err = _run(capsys, "stats")
    assert code == 0, err
    assert out.startswith(f"{built / 'output' / 'kg.ttl'}: ")
    assert err == ""


def test_stats_in_the_project_folder_keeps_relative_paths(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(built)
    code, out, err = _run(capsys, "stats")
    assert (code, err) == (0, "")
    assert out.startswith("output/kg.ttl: ")


def test_outside_any_project_the_folder_used_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "stats")
    here = tmp_path.resolve()
    assert code == 1
    assert err.splitlines() == [
        f"kg: no project found above {here} (no kg.toml, no folder with seeds/ and output/); "
        f"using {here}",
        "kg: error: no graph at output/kg.ttl (build it first with `kg build`)",
    ]


def test_explicit_paths_stay_relative_to_the_current_folder(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = built / "sub"
    sub.mkdir()
    shutil.copy(SAMPLE, sub / "mine.ttl")
    monkeypatch.chdir(sub)
    code, out, err = _run(capsys, "stats", "--graph", "mine.ttl")
    assert (code, err) == (0, "")
    assert out.startswith("mine.ttl: ")


def test_kg_toml_marks_the_project_and_overrides_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "analysis"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "a.txt").write_text(REPORT, encoding="utf-8")
    (root / "kg.toml").write_text(
        'input = ["reports"]\nout = "built"\ncache = "cache"\n', encoding="utf-8"
    )
    sub = root / "work"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, _, err = _run(capsys, "build", "--jobs", "1", "--html", "never", "--graphml", "never")
    assert code == 0, err
    assert (root / "built" / "kg.ttl").is_file()
    assert (root / "cache").is_dir()
    assert sorted(p.name for p in sub.iterdir()) == []  # nothing written where it ran
    code, out, err = _run(capsys, "stats")
    assert code == 0, err
    assert out.startswith(f"{root / 'built' / 'kg.ttl'}: ")


def test_the_nearest_marker_wins(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    inner = outer / "inner"
    (inner / "deep").mkdir(parents=True)
    (outer / "kg.toml").write_text('out = "o"\n', encoding="utf-8")
    (inner / "seeds").mkdir()
    (inner / "output").mkdir()
    found = discover(inner / "deep")
    assert (found.root, found.marker) == (inner.resolve(), "seeds/ and output/")
    assert discover(outer).marker == "kg.toml"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('outt = "x"\n', "unknown key outt (known: input, out, cache, gold)"),
        ("out = 3\n", 'out must be a path in quotes (out = "output"), not an integer'),
        ('input = ["a", true]\n', "input must be a path or a list of paths in quotes"),
        ("input = []\n", "not an empty array"),
        ("out = \n", "not valid TOML: "),
    ],
)
def test_a_bad_kg_toml_is_a_one_line_usage_error(
    toml: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "kg.toml").write_text(toml, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, "stats")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"kg: error: {tmp_path.resolve() / 'kg.toml'}: ")
    assert message in err


@pytest.mark.parametrize(
    ("command", "option", "default"),
    [
        ("build", "--out OUT", "output"),
        ("build", "--cache CACHE", ".kgcache"),
        ("build", "paths", "seeds"),
        ("stats", "--graph GRAPH", "output/kg.ttl"),
        ("query", "--graph GRAPH", "output/kg.ttl"),
        ("push", "--ttl TTL", "output/kg.ttl"),
        ("validate", "file", "output/kg.ttl"),
        ("eval", "--graph GRAPH", "output/kg.ttl"),
        ("eval", "--gold GOLD", "tests/gold"),
    ],
)
def test_help_shows_each_path_default_in_the_project(
    command: str,
    option: str,
    default: str,
    built: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per option: no path broken by wrapping
    sub = built / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    with pytest.raises(SystemExit):
        main([command, "--help"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith(option))
    assert line.rstrip().endswith(f"(default: {built / default})")
    assert line.count("(default:") == 1
