"""Stage 1, load: files → ``Document`` (encoding detection, clear errors for bad input).

(Named ``loader`` so that ``kg.load``, the public function reading a built graph, is not
shadowed by this module.)
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.document import Document
from kg.errors import InputError

SUFFIXES = (".txt", ".md")
#: Encodings tried in order after UTF-8; GB18030 is a superset of GBK and GB2312.
FALLBACK_ENCODINGS = ("gb18030", "big5", "utf-16")
#: A decoded text whose share of control characters exceeds this is binary.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read as a report, and why."""

    path: Path
    reason: str


def find_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[Skipped]]:
    """Every ``.txt``/``.md`` file under ``paths`` as (file, root) pairs, sorted.

    ``root`` is the folder names are made relative to. A missing path is an
    error (the user mistyped); a folder without reports is an error too.
    """
    found: list[tuple[Path, Path]] = []
    skipped: list[Skipped] = []
    for p in paths:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_file():
            if p.suffix.lower() in SUFFIXES:
                found.append((p, p.parent))
            else:
                skipped.append(Skipped(p, f"not a .txt/.md file ({p.suffix or 'no suffix'})"))
            continue
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        found.extend((f, p) for f in files)
    if not found:
        listed = ", ".join(str(p) for p in paths)
        raise InputError(f"{listed}: no .txt or .md reports found")
    return found, skipped


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030, Big5.

    Returns (text, encoding). Raises InputError for empty, binary or undecodable data.
    """
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16"), "utf-16")
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    for enc in ((guess,) if guess else ()) + FALLBACK_ENCODINGS:
        try:
            return _checked(data.decode(enc), enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError("cannot decode: not UTF-8, GB18030/GBK or Big5")


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    enc = best.encoding.lower()
    # GB2312/GBK guesses decode more reliably as their superset.
    return "gb18030" if enc in {"gb2312", "gbk", "hz"} else enc


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("empty file")
    control = len(_CONTROL.findall(text))
    if control > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"binary file ({control} control characters)")
    return text, encoding


def content_hash(path: Path) -> str:
    """The file's SHA-256 (hex), which keys its cached facts: :func:`load_file` gives the
    same as a Document's ``sha256``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def doc_name(path: Path, root: Path) -> str:
    """A report's name in the graph: its path under the folder it was found in."""
    try:
        return path.relative_to(root).as_posix()  # as found under root: no file system calls
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def load_file(path: Path, root: Path) -> Document:
    """Read one report. Raises InputError with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text, encoding = decode(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return Document(
        path=path,
        name=doc_name(path, root),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        raw=text,
    )


def iter_documents(
    files: list[tuple[Path, Path]],
) -> Iterator[Document | Skipped]:
    """Load each file in turn; unreadable ones come out as ``Skipped``."""
    for path, root in files:
        try:
            yield load_file(path, root)
        except InputError as exc:
            yield Skipped(path, str(exc).removeprefix(f"{path}: "))
