"""Which project folder a command works in, found the way git finds ``.git``.

From the current folder upwards, the nearest folder that holds a ``kg.toml`` file, or else both
a ``seeds/`` and an ``output/`` folder, is the project. (A ``pyproject.toml`` is not a sign:
the source checkout has seeds/ and output/ anyway, and a user's own project has no reason to
carry this package's pyproject.) The commands' relative defaults are read in the project
folder: reports ``seeds/``, outputs ``output/``, cache ``.kgcache/``, graph ``output/kg.ttl``
(stats, query, push, validate, eval), gold ``tests/gold``. Paths given on the command line stay
relative to the current folder. When no project is found the current folder is used and the
command says so once on stderr.

``kg.toml`` (every key optional; relative paths are relative to the folder of kg.toml)::

    input = "seeds"         # kg build's reports: a path or a list of paths
    out = "output"          # kg build's output folder; the other commands read out/kg.ttl
    cache = ".kgcache"      # kg build's cache folder
    gold = "tests/gold"     # kg eval's gold folder

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     here = Path(tmp).resolve()
...     _ = (here / "kg.toml").write_text('out = "built"\\n', encoding="utf-8")
...     (here / "sub").mkdir()
...     p = discover(here / "sub")
...     (p.found, p.marker, p.graph == here / "built" / "kg.ttl")
(True, 'kg.toml', True)
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError

CONFIG_NAME = "kg.toml"

#: The keys kg.toml may hold, with the default each replaces (relative to the project folder).
DEFAULTS: dict[str, tuple[str, ...]] = {
    "input": ("seeds",),
    "out": ("output",),
    "cache": (".kgcache",),
    "gold": ("tests/gold",),
}

#: Which option of which command takes which project default ("graph" is out/kg.ttl).
OPTIONS: dict[str, dict[str, str]] = {
    "build": {"paths": "input", "out": "out", "cache": "cache"},
    "query": {"graph": "graph"},
    "push": {"ttl": "graph"},
    "stats": {"graph": "graph"},
    "validate": {"file": "graph"},
    "eval": {"graph": "graph", "gold": "gold"},
}

#: A "(default: …)" a help text already carries, replaced by the project's value.
_DEFAULT_IN_HELP_RE = re.compile(r"\s*\(default:?\s[^()]*\)")

_TOML_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    list: "an array",
    dict: "a table",
}


class ProjectError(KGError):
    """A kg.toml that cannot be used (unreadable, not TOML, unknown key, wrong type)."""


@dataclass(frozen=True)
class Project:
    """The folder the relative defaults are read in, and those defaults as paths.

    The paths are ready to use from the current folder: relative (as written) when the
    project is the current folder, absolute otherwise.
    """

    root: Path
    found: bool
    marker: str  # "kg.toml", "seeds/ and output/", or "" when nothing was found
    input: tuple[Path, ...]
    out: Path
    cache: Path
    gold: Path

    @property
    def graph(self) -> Path:
        return self.out / "kg.ttl"

    def value(self, role: str) -> Path | tuple[Path, ...]:
        return self.graph if role == "graph" else getattr(self, role)


def discover(start: Path | None = None) -> Project:
    """The nearest project folder at or above ``start`` (default: the current folder).

    Raises :class:`ProjectError` when the nearest kg.toml cannot be used.
    """
    cwd = Path.cwd()
    here = (start or cwd).resolve()
    for folder in (here, *here.parents):
        config = folder / CONFIG_NAME
        if config.is_file():
            return _project(folder, cwd, CONFIG_NAME, read_config(config))
        if (folder / "seeds").is_dir() and (folder / "output").is_dir():
            return _project(folder, cwd, "seeds/ and output/", {})
    return _project(here, cwd, "", {}, found=False)


def read_config(path: Path) -> dict[str, tuple[str, ...]]:
    """The keys of a kg.toml, each as a tuple of path strings; a one-line error otherwise."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - set(DEFAULTS))
    if unknown:
        raise ProjectError(
            f"{path}: unknown key {', '.join(unknown)} (known: {', '.join(DEFAULTS)})"
        )
    config: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        values = value if key == "input" and isinstance(value, list) else [value]
        bad = [v for v in values if not isinstance(v, str) or not v]
        if bad or not values:
            wanted = "a path or a list of paths" if key == "input" else "a path"
            got = _describe(bad[0] if bad else value)
            example = f'{key} = "{DEFAULTS[key][0]}"'
            raise ProjectError(f"{path}: {key} must be {wanted} in quotes ({example}), not {got}")
        config[key] = tuple(values)
    return config


def _project(
    root: Path, cwd: Path, marker: str, config: dict[str, tuple[str, ...]], found: bool = True
) -> Project:
    def place(text: str) -> Path:
        path = Path(text)
        return path if path.is_absolute() or root == cwd else root / path

    paths = {key: tuple(place(t) for t in config.get(key, d)) for key, d in DEFAULTS.items()}
    return Project(
        root=root,
        found=found,
        marker=marker,
        input=paths["input"],
        out=paths["out"][0],
        cache=paths["cache"][0],
        gold=paths["gold"][0],
    )


def install(sub: argparse._SubParsersAction, project: Project) -> None:
    """Make the project's paths the defaults of the registered commands, shown in --help."""
    for command, options in OPTIONS.items():
        parser = sub.choices.get(command)
        if parser is None:
            continue
        for action in parser._actions:
            role = options.get(action.dest)
            if role is None:
                continue
            value = project.value(role)
            if isinstance(action.default, list):
                action.default = list(value) if isinstance(value, tuple) else [value]
            elif isinstance(action.default, str):
                action.default = str(value)
            else:
                action.default = value
            shown = " ".join(map(str, action.default)) if isinstance(value, tuple) else str(value)
            text = _DEFAULT_IN_HELP_RE.sub("", action.help or "")
            action.help = f"{text} (default: {shown.replace('%', '%%')})".lstrip()


def announce(args: argparse.Namespace, project: Project) -> None:
    """Say once on stderr which folder a command uses when no project was found; fill in
    kg eval's reports folder (texts/ beside the gold when there is one, else the input)."""
    options = OPTIONS.get(args.command, {})
    if args.command == "eval" and getattr(args, "seeds", None) is None:
        if not (args.gold.parent / "texts").is_dir():
            args.seeds = project.input[0]
    if project.found or getattr(args, "quiet", False) or getattr(args, "list", False):
        return
    if any(_same(getattr(args, dest, None), project.value(r)) for dest, r in options.items()):
        print(
            f"kg: no project found above {project.root} (no {CONFIG_NAME}, no folder with "
            f"seeds/ and output/); using {project.root}",
            file=sys.stderr,
        )


def _describe(value: object) -> str:
    if value == "":
        return "an empty string"
    if value == []:
        return "an empty array"
    return _TOML_TYPES.get(type(value), "a date or time")


def _same(given: object, default: Path | tuple[Path, ...]) -> bool:
    if isinstance(default, tuple):
        return isinstance(given, list) and [Path(g) for g in given] == list(default)
    return given is not None and Path(str(given)) == default
