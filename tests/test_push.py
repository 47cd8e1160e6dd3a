"""kg push: the seeds graph into a real Oxigraph server over the Graph Store Protocol.

A fresh ``oxigraph serve`` per test (skipped only if the binary is absent); failures come from a
closed port and from tiny ``http.server`` stubs, one of which forwards to the real server.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg.push as push_module
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/cn-health-kg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SHARED = push_module.SHARED_GRAPH
PREFIXES = f"PREFIX kg: <{KG}> PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

Triple = tuple[str, str, str]  # N-Triples forms


# ---------------------------------------------------------------- the graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    argv = ["build", "seeds", "--out", str(out), "--no-cache", "--jobs", "1"]
    with contextlib.chdir(ROOT):
        assert main([*argv, "--html", "never", "--graphml", "never", "-q"]) == 0
    return out / "kg.ttl"


@pytest.fixture
def ttl(built: Path, tmp_path: Path) -> Path:
    """A private copy: the push state lives beside it."""
    path = tmp_path / "build" / "kg.ttl"
    path.parent.mkdir()
    shutil.copyfile(built, path)
    return path


def triples(path: Path) -> list[Triple]:
    return [
        (str(q.subject), str(q.predicate), str(q.object))
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    ]


def documents(ts: list[Triple]) -> dict[str, str]:
    """Document IRI -> file name."""
    docs = {s[1:-1] for s, p, o in ts if p == f"<{TYPE}>" and o == f"<{KG}Document>"}
    return {s[1:-1]: o.split('"')[1] for s, p, o in ts if s[1:-1] in docs and "fileName" in p}


def write(path: Path, ts: list[Triple]) -> None:
    path.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in ts), encoding="utf-8")


# ---------------------------------------------------------------- running kg


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def kg(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(["push", *argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# ---------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Oxigraph:
    base: str

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    def select(self, query: str) -> list[dict[str, str]]:
        request = urllib.request.Request(
            f"{self.base}/query",
            data=(PREFIXES + query).encode("utf-8"),
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.load(response)
        if "boolean" in result:
            return [{"boolean": str(result["boolean"])}]
        return [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]

    def count(self, query: str = COUNT_ALL) -> int:
        return int(self.select(query)[0]["n"])

    def put(self, graph: str, ntriples: str) -> None:
        url = f"{self.store}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(
            url,
            data=ntriples.encode("utf-8"),
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(request, timeout=30).close()


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    binary = Path(sys.executable).with_name("oxigraph")
    found = str(binary) if binary.is_file() else shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen(
        [found, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Oxigraph(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"oxigraph serve exited with {process.returncode}: {stderr}")
            try:
                server.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 30 s")
                time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


@dataclass
class Seen:
    method: str
    graph: str
    headers: dict[str, str]


#: (status, body) or (status, body, extra response headers)
Respond = Callable[[str, str, dict[str, str], bytes], tuple[Any, ...]]


@contextlib.contextmanager
def stub(respond: Respond) -> Iterator[tuple[str, list[Seen]]]:
    """A tiny HTTP server in a thread: ``respond(method, path, headers, body)``."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def handle_any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            headers = dict(self.headers.items())
            seen.append(Seen(self.command, query.get("graph", [""])[0], headers))
            status, out, *extra = respond(self.command, self.path, headers, body)
            self.send_response(status)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_PUT = do_POST = do_DELETE = handle_any

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def forward_to(server: Oxigraph) -> Respond:
    def respond(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            server.base + path,
            data=body if method == "PUT" else None,
            method=method,
            headers={"Content-Type": headers["Content-Type"]} if method == "PUT" else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    return respond


# ---------------------------------------------------------------- tests


def test_push_puts_one_graph_per_report_and_the_partnerships_answer(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run]
) -> None:
    ts = triples(ttl)
    docs = documents(ts)
    run = kg(oxigraph.store, "--ttl", str(ttl))
    assert run.code == 0, run.err
    assert run.out.strip() == (
        f"{len(docs) + 1} graphs pushed, 0 unchanged skipped, 0 deleted, 0 failed; "
        f"{len(ts)} triples sent to {oxigraph.store}"
    )
    assert oxigraph.count() == len(ts)
    assert oxigraph.count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 0  # default graph
    graphs = {r["g"] for r in oxigraph.select("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")}
    assert graphs == {SHARED, *docs}

    rows = oxigraph.select(
        f"""SELECT ?p ?g ?doc ?a ?b WHERE {{
          GRAPH ?g {{ ?p a kg:Partnership ; prov:wasDerivedFrom ?doc ; kg:partner ?x, ?y }}
          GRAPH <{SHARED}> {{ ?x rdfs:label ?a . ?y rdfs:label ?b }}
          FILTER(STR(?a) < STR(?b))
        }}"""
    )
    pairs = {(r["a"], r["b"]) for r in rows}
    assert ("北京市", "长治市") in pairs
    assert ("上海中医药大学", "平顶山市") in pairs
    assert all(r["g"] == r["doc"] for r in rows)  # each relation in its report's graph
    partnerships = {s for s, p, o in ts if p == f"<{TYPE}>" and o == f"<{KG}Partnership>"}
    assert len({r["p"] for r in rows}) == len(partnerships) > 0
    in_doc_graphs = oxigraph.count(
        """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
          GRAPH ?g { ?p a ?c ; prov:wasDerivedFrom ?g }
          FILTER(?c IN (kg:Partnership, kg:Achievement))
        }"""
    )
    relations = {
        s
        for s, p, o in ts
        if p == f"<{TYPE}>"
        and o.startswith(f"<{KG}")
        and o[len(KG) + 1 : -1] in ("Partnership", "Achievement")
    }
    assert in_doc_graphs == len(relations)
    statements = oxigraph.count(
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
          GRAPH ?g { ?r kg:statement ?s . ?s a kg:Statement ; prov:wasDerivedFrom ?g }
        }"""
    )
    assert statements == len({s for s, p, o in ts if p == f"<{TYPE}>" and o == f"<{KG}Statement>"})


def test_pushing_again_skips_unchanged_graphs_and_never_duplicates(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run]
) -> None:
    n = len(triples(ttl))
    graphs = len(documents(triples(ttl))) + 1
    assert kg(oxigraph.store, "--ttl", str(ttl)).code == 0
    again = kg(oxigraph.store, "--ttl", str(ttl))
    assert again.code == 0, again.err
    assert again.out.startswith(f"0 graphs pushed, {graphs} unchanged skipped, 0 deleted, 0 failed")
    assert oxigraph.count() == n
    forced = kg(oxigraph.store, "--ttl", str(ttl), "--all")
    assert forced.code == 0, forced.err
    assert forced.out.startswith(f"{graphs} graphs pushed, 0 unchanged skipped")
    assert oxigraph.count() == n
    state_files = list((ttl.parent / ".kg-push").glob("*.json"))
    assert len(state_files) == 1
    recorded = json.loads(state_files[0].read_text(encoding="utf-8"))
    assert recorded["url"] == oxigraph.store
    assert set(recorded["graphs"]) == {SHARED, *documents(triples(ttl))}


def test_a_changed_build_replaces_changed_graphs_and_deletes_vanished_reports(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run]
) -> None:
    other = "http://example.org/someone-elses-graph"
    oxigraph.put(other, '<http://example.org/a> <http://example.org/b> "keep me" .\n')
    ts = triples(ttl)
    assert kg(oxigraph.store, "--ttl", str(ttl)).code == 0

    docs = documents(ts)
    derived = {s: o[1:-1] for s, p, o in ts if p == f"<{DERIVED}>"}
    size = {d: sum(1 for s, _, _ in ts if s[1:-1] == d or derived.get(s) == d) for d in docs}
    gone, changed = min(docs, key=size.__getitem__), max(docs, key=size.__getitem__)
    relation = min(s for s, d in derived.items() if d == changed)
    new_label = '"改过的标签"@zh'
    modified = [
        (s, p, new_label if (s, p) == (relation, f"<{LABEL}>") else o)
        for s, p, o in ts
        if gone not in (s[1:-1], o[1:-1], derived.get(s))
    ]
    write(ttl, modified)

    run = kg(oxigraph.store, "--ttl", str(ttl))
    assert run.code == 0, run.err
    # shared changed too: its entities no longer say kg:mentionedIn the vanished report
    assert run.out.startswith(
        f"2 graphs pushed, {len(docs) - 2} unchanged skipped, 1 deleted, 0 failed"
    )
    assert oxigraph.count() == len(modified) + 1  # + the foreign triple
    assert oxigraph.select(f"ASK {{ GRAPH <{gone}> {{ ?s ?p ?o }} }}") == [{"boolean": "False"}]
    labels = oxigraph.select(f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ {relation} rdfs:label ?l }} }}")
    assert labels == [{"g": changed, "l": "改过的标签"}]  # replaced, not added beside the old
    assert (
        oxigraph.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{other}> {{ ?s ?p ?o }} }}") == 1
    )
    state = json.loads(next((ttl.parent / ".kg-push").glob("*.json")).read_text(encoding="utf-8"))
    assert gone not in state["graphs"]

    again = kg(oxigraph.store, "--ttl", str(ttl))  # nothing left to delete or send
    assert again.out.startswith(f"0 graphs pushed, {len(docs)} unchanged skipped, 0 deleted")
    assert oxigraph.count() == len(modified) + 1


def test_dry_run_sends_nothing(ttl: Path, kg: Callable[..., Run]) -> None:
    docs = documents(triples(ttl))
    with stub(lambda *_: (201, b"")) as (url, seen):
        run = kg(url, "--ttl", str(ttl), "--dry-run")
    assert run.code == 0, run.err
    assert seen == []
    assert not (ttl.parent / ".kg-push").exists()
    puts = [line for line in run.out.splitlines() if line.startswith("PUT")]
    assert len(puts) == len(docs) + 1
    assert all(name in run.out for name in docs.values())
    assert f"{len(docs) + 1} graphs would be pushed" in run.out


def test_unreachable_server_names_every_report_then_a_real_push_succeeds(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run]
) -> None:
    docs = documents(triples(ttl))
    closed = f"http://127.0.0.1:{_free_port()}/store"
    run = kg(closed, "--ttl", str(ttl), "--retries", "0")
    assert run.code == 1
    for iri, name in docs.items():
        assert name in run.err and iri in run.err
    assert run.err.splitlines()[-1].startswith("kg: error: ")
    assert f"0 graphs pushed, 0 unchanged skipped, 0 deleted, {len(docs) + 1} failed" in run.out
    assert not (ttl.parent / ".kg-push").exists()  # nothing pushed, nothing recorded

    ok = kg(oxigraph.store, "--ttl", str(ttl))
    assert ok.code == 0, ok.err
    assert oxigraph.count() == len(triples(ttl))


def test_5xx_is_retried_then_the_push_stops(
    ttl: Path, kg: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push_module, "BACKOFF_SECONDS", 0.0)
    docs = documents(triples(ttl))
    with stub(lambda *_: (500, b"boom")) as (url, seen):
        run = kg(url, "--ttl", str(ttl), "--retries", "2")
    assert run.code == 1
    assert [s.graph for s in seen] == [SHARED] * 3  # 1 + 2 retries, then no more requests
    assert "HTTP 500" in run.err
    assert all(name in run.err for name in docs.values())


def test_partial_failure_is_reported_and_a_retry_sends_only_what_failed(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push_module, "BACKOFF_SECONDS", 0.0)
    ts = triples(ttl)
    docs = documents(ts)
    bad_iri = sorted(docs)[0]
    mode = {"reject": bad_iri, "flaky": "", "down": ""}
    forward = forward_to(oxigraph)

    def respond(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["graph"][0]
        if mode["down"]:
            return 503, b"down for maintenance"
        if graph == mode["reject"]:
            return 400, b"rejected"
        if graph == mode["flaky"]:
            mode["flaky"] = ""
            return 503, b"try later"
        return forward(method, path, headers, body)

    with stub(respond) as (url, seen):
        first = kg(url, "--ttl", str(ttl))
        assert first.code == 1
        assert f"{len(docs)} graphs pushed, 0 unchanged skipped, 0 deleted, 1 failed" in first.out
        assert docs[bad_iri] in first.err and bad_iri in first.err and "HTTP 400" in first.err
        assert all(name not in first.err for iri, name in docs.items() if iri != bad_iri)
        assert sum(1 for s in seen if s.graph == bad_iri) == 1  # a 4xx is not retried

        mode.update(reject="", flaky=bad_iri)
        seen.clear()
        second = kg(url, "--ttl", str(ttl))
        assert second.code == 0, second.err
        assert second.out.startswith(f"1 graph pushed, {len(docs)} unchanged skipped")
        assert [s.graph for s in seen] == [bad_iri, bad_iri]  # 503, then the retry
        assert oxigraph.count() == len(ts)

        # the shared graph and one report change; the server is down: the shared graph fails
        # for good, the report is not attempted, the unchanged reports are not "failures"
        changed = sorted(docs)[-1]
        extra = [
            ("<http://example.org/new>", f"<{LABEL}>", '"新"@zh'),
            (f"<{changed}>", "<http://example.org/note>", '"changed"'),
        ]
        write(ttl, ts + extra)
        mode["down"] = "yes"
        down = kg(url, "--ttl", str(ttl), "--retries", "1")
        assert down.code == 1
        assert (
            f"0 graphs pushed, {len(docs) - 1} unchanged skipped, 0 deleted, 2 failed" in down.out
        )
        assert "shared" in down.err and docs[changed] in down.err and "not attempted" in down.err
        assert all(name not in down.err for iri, name in docs.items() if iri != changed)
        mode["down"] = ""
        up = kg(url, "--ttl", str(ttl))
        assert up.code == 0, up.err
        assert up.out.startswith(f"2 graphs pushed, {len(docs) - 1} unchanged skipped")
    assert oxigraph.count() == len(ts) + 2


def test_basic_auth_sends_the_password_from_the_environment(
    ttl: Path, kg: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    with stub(lambda *_: (201, b"")) as (url, seen):
        monkeypatch.delenv(push_module.PASSWORD_ENV, raising=False)
        missing = kg(url, "--ttl", str(ttl), "--user", "alice")
        assert missing.code == 1 and "KG_PUSH_PASSWORD" in missing.err
        assert seen == []
        monkeypatch.setenv(push_module.PASSWORD_ENV, "s3cret")
        run = kg(url, "--ttl", str(ttl), "--user", "alice", "--timeout", "5")
    assert run.code == 0, run.err
    token = base64.b64encode(b"alice:s3cret").decode()
    assert seen and all(s.headers.get("Authorization") == f"Basic {token}" for s in seen)
    assert all(s.headers["Content-Type"].startswith("application/n-triples") for s in seen)
    assert "s3cret" not in run.out + run.err


@pytest.mark.parametrize(
    ("setup", "url", "message"),
    [
        ("missing", "http://127.0.0.1:9/store", "graph not found"),
        ("garbage", "http://127.0.0.1:9/store", "cannot parse"),
        ("ok", "ftp://example.org/store", "not an http(s) URL"),
        ("ok", "http://bob:pw@127.0.0.1:9/store", "--user"),
        ("ok", "http://[::1/store", "not a valid URL"),
        ("ok", "http://127.0.0.1:99999/store", "not a valid URL"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(
    ttl: Path, kg: Callable[..., Run], setup: str, url: str, message: str
) -> None:
    if setup == "missing":
        ttl.unlink()
    elif setup == "garbage":
        ttl.write_text("<http://a> <http://b> this is not turtle\n", encoding="utf-8")
    run = kg(url, "--ttl", str(ttl))
    assert run.code == 1
    assert run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith("kg: error: ")
    assert message in run.err


def test_partition_keeps_blank_nodes_with_their_owner_and_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "kg.ttl"
    path.write_text(
        f"""@prefix kg: <{KG}> . @prefix prov: <http://www.w3.org/ns/prov#> .
        <http://x/doc/1> a kg:Document ; kg:fileName "a.txt" .
        <http://x/doc/2> a kg:Document .
        <http://x/p/1> a kg:Partnership ; prov:wasDerivedFrom <http://x/doc/1> ;
            kg:note [ kg:text "嵌套" ; kg:more [ kg:text "deeper" ] ] .
        <http://x/p/2> a kg:Partnership ; prov:wasDerivedFrom <http://x/doc/1>, <http://x/doc/2> .
        <http://x/e> a kg:Place ; kg:mentionedIn <http://x/doc/1> .
        <http://x/q> prov:wasDerivedFrom <http://x/not-a-document> .
        """,
        encoding="utf-8",
    )
    graphs = push_module.partition(path)
    assert [(g.iri, g.label, len(g.lines)) for g in graphs] == [
        (SHARED, "shared", 6),  # p/2 (two reports), e (an entity), q (not from a Document)
        ("http://x/doc/1", "a.txt", 8),  # the Document, p/1 and both blank nodes under it
        ("http://x/doc/2", "http://x/doc/2", 1),  # no kg:fileName: named by its IRI
    ]
    assert b'_:b1 <https://w3id.org/cn-health-kg/ontology#text> "deeper" .' in graphs[1].payload()
    again = push_module.partition(path)
    assert [g.payload() for g in graphs] == [g.payload() for g in again]


def _concurrency(ttl: Path, kg: Callable[..., Run], *argv: str) -> tuple[Run, int, list[Seen]]:
    """Push to a stub that holds each request a moment; the most requests it saw at once."""
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def respond(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return 204, b""

    with stub(respond) as (url, seen):
        run = kg(url, "--ttl", str(ttl), *argv)
    return run, state["most"], seen


def test_requests_go_in_parallel_after_a_first_one_alone(ttl: Path, kg: Callable[..., Run]) -> None:
    graphs = len(documents(triples(ttl))) + 1
    run, most, seen = _concurrency(ttl, kg, "--parallel", "4")
    assert run.code == 0, run.err
    assert run.out.startswith(f"{graphs} graphs pushed")
    assert sorted(s.graph for s in seen) == sorted([SHARED, *documents(triples(ttl))])
    assert seen[0].graph == SHARED  # the probe: the first graph in order, alone
    assert 2 <= most <= 4

    serial, most_serial, _ = _concurrency(ttl, kg, "--parallel", "1", "--all")
    assert serial.code == 0, serial.err
    assert most_serial == 1


def test_429_waits_as_told_and_is_retried(
    ttl: Path, oxigraph: Oxigraph, kg: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push_module, "BACKOFF_SECONDS", 0.0)
    waits: list[float] = []
    monkeypatch.setattr(push_module.time, "sleep", waits.append)
    forward = forward_to(oxigraph)
    busy = {"left": 1}

    def respond(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        if busy["left"]:
            busy["left"] -= 1
            return 429, b"slow down", {"Retry-After": "2"}
        return forward(method, path, headers, body)

    with stub(respond) as (url, seen):
        run = kg(url, "--ttl", str(ttl))
    assert run.code == 0, run.err
    assert [s.graph for s in seen[:2]] == [SHARED, SHARED]  # the 429, then the retry
    assert 2.0 in waits  # its Retry-After
    assert oxigraph.count() == len(triples(ttl))


def test_parallel_must_be_positive(ttl: Path, kg: Callable[..., Run]) -> None:
    run = kg("http://127.0.0.1:9/store", "--ttl", str(ttl), "--parallel", "0")
    assert run.code == 1
    assert "--parallel must be at least 1" in run.err


@contextlib.contextmanager
def dripping() -> Iterator[str]:
    """A server that answers one byte of its status line every 0.4 s, for ever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                    if stop.wait(0.4):
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/store"
    finally:
        stop.set()
        thread.join()
        server.close()


def test_a_server_that_drips_its_answer_is_cut_off_at_the_timeout(
    ttl: Path, kg: Callable[..., Run]
) -> None:
    with dripping() as url:
        started = time.monotonic()
        run = kg(url, "--ttl", str(ttl), "--timeout", "1", "--retries", "0")
        took = time.monotonic() - started
    assert run.code == 1
    assert "within 1 s" in run.err
    assert took < 10  # one request, bounded whole: not a byte every 0.4 s for ever


def test_escapes_from_the_server_and_tokens_in_the_url_stay_out_of_the_terminal(
    ttl: Path, kg: Callable[..., Run]
) -> None:
    hostile = b"\x1b]0;owned\x07\x1b[2J bad request \xe2\x80\xae"

    answered: list[int] = []

    def respond(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        answered.append(1)
        return (204, b"") if len(answered) == 1 else (400, hostile)  # one graph lands

    with stub(respond) as (url, _):
        run = kg(url + "?api_key=SECRET123", "--ttl", str(ttl), "--parallel", "1")
    assert run.code == 1
    assert "\x1b" not in run.out + run.err and "\u202e" not in run.err
    assert "\\x1b]0;owned" in run.err  # shown, escaped
    assert "SECRET123" not in run.out + run.err
    states = list((ttl.parent / ".kg-push").glob("*.json"))
    assert states and all("SECRET123" not in p.read_text(encoding="utf-8") for p in states)
    assert all(p.stat().st_mode & 0o077 == 0 for p in states)
