"""Atomic writes: every output goes to a temporary file beside it and is renamed into place,
so a crash or Ctrl-C never leaves a truncated kg.ttl, graph.html or graph.graphml."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder (mode 0644)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes it 0600; outputs are meant to be shared
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """UTF-8 text, whatever the locale (GBK/cp1252 consoles break pyvis's own writer)."""
    return atomic_write_bytes(path, text.encode("utf-8"))
