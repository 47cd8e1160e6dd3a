"""Bad input gets a one-line reason and loses nothing."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.loader import decode, find_files, load_file

TEXT = "长治市卫生健康委员会：2023年，我市成功入选国家紧密型城市医疗集团建设试点。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    text, enc = decode(data)
    assert text == TEXT
    assert enc == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_bad_files_have_a_clear_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode(data)


def test_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(codecs.BOM_UTF8 + TEXT.encode())
    assert load_file(p, tmp_path).raw == TEXT


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        find_files([tmp_path / "nope"])


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no \.txt or \.md"):
        find_files([tmp_path])


def test_files_are_found_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.md", "1.txt", "b/skip.pdf"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    files, _ = find_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p, _ in files] == ["1.txt", "b/2.md"]


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_one_bad_document_is_skipped_and_reported(tmp_path: Path, root: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "empty.md").write_bytes(b"")
    r = _kg("build", str(src), "--out", str(tmp_path / "out"), "--no-cache", cwd=root)
    assert r.returncode == 1
    assert "skipped" in r.stderr and "bad.txt" in r.stderr and "empty.md" in r.stderr
    assert "Traceback" not in r.stderr
    assert (tmp_path / "out" / "kg.ttl").read_text(encoding="utf-8").count("kg:Document") >= 1
    strict = _kg("build", str(src), "--out", str(tmp_path / "o2"), "--strict", cwd=root)
    assert strict.returncode == 1 and "--strict" in strict.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("build", "does/not/exist"), "no such file"),
        (("build", "--jobs", "0"), "--jobs"),
    ],
)
def test_usage_errors_are_one_line(args: tuple[str, ...], message: str, root: Path) -> None:
    r = _kg(*args, cwd=root)
    assert r.returncode in (1, 2)
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_unwritable_output_folder(tmp_path: Path, root: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = _kg("build", "seeds", "--out", str(blocker / "out"), cwd=root)
    assert r.returncode == 1
    assert "cannot write output" in r.stderr
    assert "Traceback" not in r.stderr


def test_outputs_are_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import io

    target = tmp_path / "kg.ttl"
    target.write_text("old", encoding="utf-8")

    def boom(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), io.atomic_writer(target) as out:
        out.write(b"half of a stream")  # a build interrupted while streaming kg.ttl
        boom()
    assert target.read_text(encoding="utf-8") == "old"
    monkeypatch.setattr(io.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        io.atomic_write_text(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_a_link_out_of_the_input_folder_is_not_read_unless_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("不该读到的文字。", encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("长治市卫生健康委员会工作总结。", encoding="utf-8")
    (folder / "b.txt").symlink_to(outside)
    (folder / "c.txt").symlink_to(folder / "a.txt")  # a link inside the folder is fine
    found, skipped = find_files([folder])
    assert [f.name for f, _ in found] == ["a.txt", "c.txt"]
    assert len(skipped) == 1 and "--follow-links" in skipped[0].reason
    found, skipped = find_files([folder], follow_links=True)
    assert [f.name for f, _ in found] == ["a.txt", "b.txt", "c.txt"] and not skipped


def test_a_huge_file_is_rejected_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.loader as loader

    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: large on paper, nothing to read
        f.truncate(loader.MAX_REPORT_BYTES + 1)

    def no_read(self: Path) -> bytes:
        raise AssertionError("read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(InputError, match="larger than a report can be"):
        load_file(big, tmp_path)


def test_temp_files_of_a_killed_writer_are_swept(tmp_path: Path) -> None:
    import os

    from kg.io import atomic_write_text

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".kg.ttl.{dead.stdout.strip()}.abc123.tmp"
    stale.write_bytes(b"half a graph")
    live = tmp_path / f".kg.ttl.{os.getpid()}.zzz999.tmp"  # a writer still running
    live.write_bytes(b"being written")
    atomic_write_text(tmp_path / "kg.ttl", "done")
    assert not stale.exists() and live.exists()
    assert (tmp_path / "kg.ttl").read_text() == "done"
