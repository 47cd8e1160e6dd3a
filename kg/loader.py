"""Stage 1, load: files → ``Document`` (encoding detection, clear errors for bad input).

(Named ``loader`` so that ``kg.load``, the public function reading a built graph, is not
shadowed by this module.)
"""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.document import Document
from kg.errors import InputError
from kg.io import terminal_safe

SUFFIXES = (".txt", ".md")
#: Encodings tried in order after UTF-8 (GB18030, a superset of GBK and GB2312, first: the
#: reports are mainland ones), then charset_normalizer's guess.
FALLBACK_ENCODINGS = ("gb18030", "big5")
#: A decoded text whose share of control characters exceeds this is binary (one stray
#: control character, a NUL in a short text, is not enough).
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
#: An encoding label ending so (``utf-8+replace``) says invalid bytes were replaced by
#: U+FFFD: :func:`decode_as` gives the same text from the same bytes, offsets included.
REPLACE = "+replace"
#: A guessed decoding is taken when at least this share of its characters is what Chinese
#: reports are made of (:func:`plausibility`).
PLAUSIBLE = 0.9
#: Failing that, the most plausible decoding is taken if at least this share of it is.
GUESSED = 0.7
#: UTF-8 with invalid bytes is read as UTF-8 (they become U+FFFD) while at most this share
#: of its non-ASCII bytes is invalid (in GBK or Big5 text nearly all of them are).
UTF8_MAX_BAD_SHARE = 0.1
#: What Chinese reports are made of: ASCII text, CJK ideographs, CJK and full-width
#: punctuation, general punctuation, circled numbers, shapes, the middle dot.
_IMPLAUSIBLE = re.compile(
    "[^\t\n\r\x20-\x7e\u00b7\u2000-\u206f\u2160-\u217f\u2460-\u24ff\u25a0-\u25ff"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_HIGH_BYTES = bytes(range(128, 256))
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read as a report, and why."""

    path: Path
    reason: str


def find_files(
    paths: list[Path], follow_links: bool = False
) -> tuple[list[tuple[Path, Path]], list[Skipped]]:
    """Every ``.txt``/``.md`` file under ``paths`` as (file, root) pairs, sorted.

    ``root`` is the folder names are made relative to. A missing path is an
    error (the user mistyped); a folder without reports is an error too. A symbolic link
    inside a folder that points outside it is not read (said as skipped) unless
    ``follow_links``: a folder of reports should not make the build read ~/.ssh.
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
        inside = p.resolve()
        for f in files:
            if not follow_links and f.is_symlink() and not _within(f.resolve(), inside):
                reason = f"a link to {f.resolve()}, outside {p} (--follow-links reads it)"
                skipped.append(Skipped(f, reason))
                continue
            found.append((f, p))
    if not found:
        listed = ", ".join(str(p) for p in paths)
        raise InputError(f"{listed}: no .txt or .md reports found")
    return found, skipped


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, the encoding label it was read with (:func:`decode_as` reads the same
    bytes to the same text), and what a reader should know about it (None: plain UTF-8)."""

    text: str
    encoding: str
    note: str | None = None


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes (see :func:`decode_report`): (text, encoding label)."""
    d = decode_report(data)
    return d.text, d.encoding


def decode_report(data: bytes) -> Decoded:
    """Decode report bytes: UTF-8 (with or without BOM; a few invalid bytes, as in a file
    cut in the middle of a character, are replaced and counted), UTF-16 (with a BOM, or
    without: told by its NUL bytes), else the first plausible of GB18030, Big5 and
    charset_normalizer's guess (a text of Chinese characters, ASCII and punctuation). More
    than one control byte (and more than 1% of them), outside UTF-16, is a binary file.

    Raises InputError for empty, binary or undecodable data.
    """
    if not data.strip():
        raise InputError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(*_checked(data.decode("utf-16"), "utf-16"))
        except UnicodeDecodeError:
            text = data.decode("utf-16", errors="replace")
            return Decoded(*_checked(text, "utf-16" + REPLACE), "invalid UTF-16 replaced")
    wide = _utf16_without_bom(data)
    if wide is not None:
        return wide
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > max(1, MAX_CONTROL_SHARE * len(data)):
        raise InputError(f"binary file ({control} control bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # a short GBK text can be valid UTF-8 (医院 is ҽԺ): then it is not plausible
        if not _NON_ASCII.search(text) or plausibility(text) >= PLAUSIBLE:
            return Decoded(*_checked(text, "utf-8"))
        other = _plausible(data, ("gb18030",))
        return other or Decoded(*_checked(text, "utf-8"))
    utf8 = _utf8(data, "utf-8")
    if utf8.encoding == "utf-8" + REPLACE:
        return utf8
    guess = _guess(data)
    order = [*FALLBACK_ENCODINGS, *([guess] if guess else [])]
    found = _plausible(data, order) or _plausible(data, order, best=True)
    if found is None:
        _checked(utf8.text, "utf-8")  # binary: say so
        raise InputError("cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5")
    return found


def decode_as(data: bytes, encoding: str) -> str:
    """The text :func:`decode_report` gave for ``data`` with this encoding label (BOM
    removed), or UnicodeDecodeError/LookupError."""
    replace = encoding.endswith(REPLACE)
    codec = encoding.removesuffix(REPLACE)
    text = data.decode(codec, errors="replace" if replace else "strict")
    return text[1:] if text.startswith("\ufeff") else text


def plausibility(text: str, sample: int = 20000) -> float:
    """The share of the text's characters (of its first ``sample``) that Chinese reports
    are made of: ASCII, CJK ideographs, CJK and full-width punctuation."""
    part = text[:sample]
    if not part:
        return 0.0
    return 1.0 - len(_IMPLAUSIBLE.findall(part)) / len(part)


def _utf8(data: bytes, encoding: str) -> Decoded:
    """UTF-8; with a few invalid bytes, UTF-8 with them replaced (counted in the note).
    Otherwise an ``utf-8`` Decoded with the strict error unraised is not returned: the
    caller gets a label without REPLACE and tries other encodings."""
    body = data[3:] if encoding == "utf-8-sig" else data
    try:
        return Decoded(*_checked(body.decode("utf-8"), encoding))
    except UnicodeDecodeError:
        pass
    bad = len(_BAD_BYTE.findall(body.decode("utf-8", errors="surrogateescape")))
    text = body.decode("utf-8", errors="replace")
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    if encoding == "utf-8-sig" or bad <= UTF8_MAX_BAD_SHARE * high:
        label = encoding + REPLACE
        note = f"not valid UTF-8: {bad} invalid byte(s) replaced by U+FFFD"
        return Decoded(*_checked(text, label), note)
    return Decoded(text, encoding)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM, told by its NUL bytes: the high byte of every ASCII character
    (digits, spaces, line ends), all on odd positions (little-endian) or all on even ones."""
    nuls = data.count(0)
    if nuls < 4 or nuls < len(data) * MAX_CONTROL_SHARE:
        return None
    odd = data[1::2].count(0)
    even = nuls - odd
    if max(odd, even) < 0.9 * nuls:
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    found = _plausible(data, (enc,))
    if found is None:
        return None
    return Decoded(found.text, found.encoding, f"no BOM: read as {enc.upper()}")


def _plausible(data: bytes, order: Iterable[str], best: bool = False) -> Decoded | None:
    """The first encoding in ``order`` that decodes the data strictly to a plausible text
    (``best``: the most plausible of them, if it is at least GUESSED plausible)."""
    scored: list[tuple[float, int, str, str]] = []
    for i, enc in enumerate(order):
        try:
            text, enc = _checked(data.decode(enc), enc)
        except (UnicodeDecodeError, LookupError, InputError):
            continue
        score = plausibility(text)
        if score >= PLAUSIBLE and not best:
            return Decoded(text, enc, f"not UTF-8: read as {enc}")
        scored.append((score, -i, enc, text))
    if not best or not scored:
        return None
    score, _, enc, text = max(scored)
    if score < GUESSED:
        return None
    return Decoded(text, enc, f"not UTF-8: read as {enc} (a guess: {score:.0%} plausible)")


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
    if control > max(1, MAX_CONTROL_SHARE * len(text)):
        raise InputError(f"binary file ({control} control characters)")
    return text, encoding


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


#: Reports are read whole; a file larger than this is rejected before it is read (a 2 GB
#: log in the input folder must not fill the memory first).
MAX_REPORT_BYTES = 64 * 1024 * 1024


def check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if size > MAX_REPORT_BYTES:
        raise InputError(
            f"{path}: {size / 2**20:,.0f} MB, larger than a report can be "
            f"({MAX_REPORT_BYTES // 2**20} MB); not read"
        )


def content_hash(path: Path) -> str:
    """The file's SHA-256 (hex), which keys its cached facts: :func:`load_file` gives the
    same as a Document's ``sha256``. Read in blocks: the size limit is the loader's."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


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
    check_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        d = decode_report(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if d.note:  # every fallback is said, by file
        print(terminal_safe(f"kg: {path}: {d.note}"), file=sys.stderr, flush=True)
    return Document(
        path=path,
        name=doc_name(path, root),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=d.encoding,
        raw=d.text,
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
