"""``kg push URL``: load the built graph into a SPARQL 1.1 Graph Store Protocol endpoint.

Works with any GSP endpoint: Oxigraph (``http://host:7878/store``), Apache Jena Fuseki
(``http://host:3030/DATASET/data``), GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/
service``). ``kg.ttl`` is cut into named graphs, each sent with ``PUT URL?graph=IRI`` as sorted
N-Triples, so pushing again *replaces* a graph instead of adding duplicates:

* one graph per report, named by its ``kg:Document`` IRI: the Document node's triples and those
  of every node ``prov:wasDerivedFrom`` that one document (partnerships, achievements);
* everything else (ontology, and the places, institutions, programs and people merged across
  reports) in one shared graph, :data:`SHARED_GRAPH`. A named graph rather than the default
  graph: a PUT replaces it wholesale, and the default graph may hold other users' data (or be
  the union of all graphs, on some stores). A node derived from several reports is shared too;
  a blank node goes with the subject naming it, relabelled in order of appearance so that the
  same kg.ttl always gives the same bytes.

A state file ``<ttl dir>/.kg-push/<sha256 of URL>.json`` records the sha256 of each graph last
pushed there, so a re-run only sends what changed or failed (``--all`` sends everything: use it
if the store was emptied behind our back), and graphs it recorded whose report is no longer in
``kg.ttl`` are deleted. Only graphs this state file lists are ever deleted.

Transient failures (unreachable server, 5xx, 429 after its ``Retry-After``) are retried with
backoff; another 4xx is not. The first request goes alone, the rest ``--parallel`` at a time.
The push stops at a failure that concerns the endpoint rather than one payload (anything but
400, 413, 422): requests not yet started are not sent, the reports not pushed are named on
stderr, exit 1, and running again is safe.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.graphs import SHARED_GRAPH, NamedGraph
from kg.graphs import partition as graphs_of
from kg.io import atomic_write_text, one_line

DEFAULT_TTL = Path("output") / "kg.ttl"
STATE_DIR = ".kg-push"
PASSWORD_ENV = "KG_PUSH_PASSWORD"
CONTENT_TYPE = "application/n-triples; charset=utf-8"
BACKOFF_SECONDS = 0.5  # before retry n: BACKOFF_SECONDS * 2**(n-1)
#: HTTP errors about one payload: the push goes on with the next graph.
PAYLOAD_ERRORS = frozenset({400, 413, 422})
#: Requests in flight at once (a graph store takes concurrent PUTs of different graphs).
DEFAULT_PARALLEL = 4
#: The longest a 429's Retry-After is honoured, in seconds.
MAX_RETRY_AFTER = 60.0


class PushError(KGError):
    """A push that cannot start, or graphs that did not reach the store."""


def partition(path: Path) -> list[NamedGraph]:
    """The graphs to send (see :func:`kg.graphs.partition`); errors as PushError."""
    return graphs_of(path, error=PushError)


class PushFailure(Exception):
    """One request that failed for good; ``fatal`` when the rest would fail the same way."""

    def __init__(self, reason: str, fatal: bool) -> None:
        super().__init__(reason)
        self.fatal = fatal


@dataclass(frozen=True)
class Endpoint:
    url: str
    authorization: str | None = None
    timeout: float = 120.0
    retries: int = 3

    def send(self, method: str, graph: str, data: bytes | None = None) -> None:
        """PUT or DELETE one graph, retrying transient failures; raise PushFailure."""
        query = urllib.parse.urlencode({"graph": graph})
        url = f"{self.url}{'&' if urllib.parse.urlsplit(self.url).query else '?'}{query}"
        headers = {"Content-Type": CONTENT_TYPE} if data is not None else {}
        if self.authorization:
            headers["Authorization"] = self.authorization
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                status, status_reason, retry_after, body = _request(
                    method, url, data, headers, self.timeout
                )
            except (OSError, http.client.HTTPException, ValueError) as exc:
                reason = one_line(str(getattr(exc, "reason", None) or exc) or type(exc).__name__)
                continue
            if status < 300:
                return
            if method == "DELETE" and status == 404:
                return  # already gone
            text = one_line(body.decode("utf-8", "replace"))
            reason = f"HTTP {status} {one_line(status_reason)}" + (f": {text}" if text else "")
            if status == 429:  # too many requests: transient, wait as long as asked
                _wait_retry_after(retry_after, attempt, self.retries)
            elif 300 <= status < 500:
                raise PushFailure(reason, fatal=status not in PAYLOAD_ERRORS)
        raise PushFailure(f"{reason} (after {self.retries + 1} attempts)", fatal=True)


#: Bytes of an error body kept for the message.
_BODY_LIMIT = 300


def _request(
    method: str, url: str, data: bytes | None, headers: dict[str, str], timeout: float
) -> tuple[int, str, str | None, bytes]:
    """One HTTP request under a deadline for the whole exchange (connect, send, the reply's
    headers and body), not only for each read: a server that drips its answer a byte at a
    time is cut off at ``timeout`` seconds. Returns status, reason, Retry-After and the first
    bytes of the body of an error."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    conn_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    conn = conn_class(host, parts.port, timeout=timeout)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout, cut)
    timer.daemon = True
    timer.start()
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        body = b""
        if response.status >= 300:
            body = response.read(_BODY_LIMIT)
        else:
            while response.read(1 << 16):
                pass
        return response.status, response.reason, response.getheader("Retry-After"), body
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise TimeoutError(f"no complete answer within {timeout:g} s (--timeout)") from None
        raise
    finally:
        timer.cancel()
        conn.close()


def _wait_retry_after(value: str | None, attempt: int, retries: int) -> None:
    """Honour a 429's ``Retry-After`` (seconds; capped) before the next attempt's backoff."""
    if attempt >= retries or not value:
        return
    try:
        seconds = float(value)
    except ValueError:  # an HTTP date: the backoff alone
        return
    time.sleep(min(max(seconds, 0.0), MAX_RETRY_AFTER))


Outcome = PushFailure | None  # None: done
NOT_ATTEMPTED = PushFailure("not attempted (push stopped)", fatal=True)


def send_all(
    endpoint: Endpoint, requests: list[tuple[str, str, bytes | None]], parallel: int
) -> Iterator[Outcome]:
    """Each request's outcome, in order. The first request goes alone: a server that is
    down or refuses us fails it, and nothing else is tried. The rest go ``parallel`` at a
    time; after a failure that concerns the endpoint, requests not yet started are not sent
    (:data:`NOT_ATTEMPTED`)."""
    stop = threading.Event()

    def one(request: tuple[str, str, bytes | None]) -> Outcome:
        if stop.is_set():
            return NOT_ATTEMPTED
        try:
            endpoint.send(*request)
        except PushFailure as exc:
            if exc.fatal:
                stop.set()
            return exc
        return None

    if not requests:
        return
    yield one(requests[0])
    rest = requests[1:]
    if parallel <= 1 or len(rest) <= 1:
        yield from map(one, rest)
        return
    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="kg-push")
    try:
        yield from pool.map(one, rest)
    finally:  # closed early (Ctrl-C): start nothing more, wait only for requests in flight
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


def state_path(ttl: Path, url: str) -> Path:
    return ttl.parent / STATE_DIR / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"


def load_state(path: Path) -> dict[str, dict[str, str | None]]:
    """Graph IRI -> {"sha256", "file"} as last pushed; a missing or broken file is empty."""
    if not path.is_file():
        return {}
    try:
        graphs = json.loads(path.read_text(encoding="utf-8"))["graphs"]
        assert isinstance(graphs, dict) and all(isinstance(v, dict) for v in graphs.values())
        return graphs
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
        print(f"kg: warning: ignoring unreadable push state {path}: {exc}", file=sys.stderr)
        return {}


def push(
    graphs: list[NamedGraph],
    endpoint: Endpoint,
    state_file: Path,
    *,
    force: bool,
    dry_run: bool,
    parallel: int = 1,
) -> int:
    """Send what changed, delete what vanished, save the state; 0 or raise PushError."""
    old = load_state(state_file)
    state = {iri: dict(entry) for iri, entry in old.items()}
    skipped = deleted = triples = 0
    not_pushed: list[str] = []
    todo: list[tuple[NamedGraph, bytes, str]] = []
    for graph in graphs:
        data = graph.payload()
        digest = hashlib.sha256(data).hexdigest()
        if not force and state.get(graph.iri, {}).get("sha256") == digest:
            skipped += 1
            if dry_run:
                print(f"skip    {graph.label} <{graph.iri}>: unchanged")
            continue
        todo.append((graph, data, digest))
    current = {g.iri for g in graphs}
    vanished = sorted(iri for iri in old if iri not in current)
    gone = {
        iri: f"{old[iri].get('file') or iri} <{iri}> (no longer in the build)" for iri in vanished
    }
    pushed = 0
    stack = ExitStack()
    try:
        if dry_run:
            for graph, data, _ in todo:
                size = f"{len(graph.lines)} triples, {len(data)} bytes"
                print(f"PUT     {graph.label} <{graph.iri}>: {size}")
                triples += len(graph.lines)
            for what in gone.values():
                print(f"DELETE  {what}")
            pushed, deleted = len(todo), len(gone)
        else:
            requests = [("PUT", g.iri, data) for g, data, _ in todo]
            requests += [("DELETE", iri, None) for iri in vanished]
            outcomes = stack.enter_context(closing(send_all(endpoint, requests, parallel)))
            for graph, _, digest in todo:  # state follows each answer as it comes
                outcome = next(outcomes)
                what = f"{graph.label} <{graph.iri}>"
                if outcome is None:
                    state[graph.iri] = {"sha256": digest, "file": graph.label}
                    pushed += 1
                    triples += len(graph.lines)
                    continue
                not_pushed.append(f"{what}: {outcome}")
                if graph.iri in state and outcome is not NOT_ATTEMPTED:
                    state[graph.iri]["sha256"] = None  # the store now holds an unknown version
            for iri in vanished:
                outcome = next(outcomes)
                if outcome is None:
                    del state[iri]
                    deleted += 1
                elif outcome is NOT_ATTEMPTED:
                    not_pushed.append(f"{gone[iri]}: not deleted (push stopped)")
                else:
                    not_pushed.append(f"{gone[iri]}: not deleted: {outcome}")
    finally:
        stack.close()
        if not dry_run and state != old:
            document = {"url": redacted(endpoint.url), "graphs": dict(sorted(state.items()))}
            atomic_write_text(state_file, json.dumps(document, ensure_ascii=False, indent=1))
            with contextlib.suppress(OSError):
                os.chmod(state_file, 0o600)  # names of the pushed reports: the user's only
    verb = "would be " if dry_run else ""
    print(
        f"{pushed} graph{'' if pushed == 1 else 's'} {verb}pushed, {skipped} unchanged skipped, "
        f"{deleted} {verb}deleted, {len(not_pushed)} failed; {triples} triples "
        f"{'to send' if dry_run else 'sent'} to {redacted(endpoint.url)}"
    )
    if not_pushed:
        for line in not_pushed:
            print(f"kg: not pushed: {line}", file=sys.stderr)
        raise PushError(
            f"{len(not_pushed)} graph(s) did not reach {redacted(endpoint.url)} (listed above); "
            "run kg push again to retry them"
        )
    return 0


# ---------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "push",
        help="load the built graph into a SPARQL Graph Store (Oxigraph, Fuseki, GraphDB)",
        description=(
            "Send kg.ttl to a SPARQL 1.1 Graph Store Protocol endpoint, one named graph per "
            f"report (its Document IRI) plus {SHARED_GRAPH} for everything shared, each "
            "with HTTP PUT (pushing again replaces, never duplicates). Only graphs changed "
            "since the last push to URL are sent; graphs of reports no longer in the build "
            "are deleted."
        ),
    )
    parser.add_argument("url", metavar="URL", help="GSP endpoint, e.g. http://localhost:7878/store")
    parser.add_argument(
        "--ttl", type=Path, default=DEFAULT_TTL, help=f"graph to push (default: {DEFAULT_TTL})"
    )
    parser.add_argument("--all", action="store_true", help="send every graph, changed or not")
    parser.add_argument("--dry-run", action="store_true", help="print what would be sent")
    parser.add_argument("--user", help=f"basic-auth user (password from ${PASSWORD_ENV})")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per request (default 120)"
    )
    parser.add_argument(
        "--retries", type=int, default=3, help="retries of a transient failure (default 3)"
    )
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        metavar="N",
        help=f"requests in flight at once, after a first one alone (default {DEFAULT_PARALLEL})",
    )
    parser.set_defaults(func=run)


def redacted(url: str) -> str:
    """The URL as printed and saved: query values (?api_key=…) replaced by ***."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return one_line(url)
    if not parts.query:
        return one_line(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(f"{urllib.parse.quote(k)}=***" for k, _ in pairs)
    return one_line(urllib.parse.urlunsplit(parts._replace(query=query)))


def run(args: argparse.Namespace) -> int:
    try:
        parts = urllib.parse.urlsplit(args.url)
        _ = parts.port  # 'http://host:port/' with a bad port raises here
    except ValueError as exc:
        raise PushError(f"not a valid URL: {redacted(args.url)} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"not an http(s) URL: {redacted(args.url)}")
    if parts.username is not None:
        raise PushError(f"put the user in --user and the password in ${PASSWORD_ENV}, not URL")
    if args.parallel < 1:
        raise PushError(f"--parallel must be at least 1, not {args.parallel}")
    if not args.timeout > 0:
        raise PushError(f"--timeout must be a positive number of seconds, not {args.timeout}")
    authorization = None
    if args.user is not None:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            raise PushError(f"--user {args.user} needs the password in ${PASSWORD_ENV}")
        token = base64.b64encode(f"{args.user}:{password}".encode()).decode("ascii")
        authorization = f"Basic {token}"
    endpoint = Endpoint(args.url, authorization, args.timeout, max(args.retries, 0))
    graphs = partition(args.ttl)
    state_file = state_path(args.ttl, args.url)
    return push(
        graphs, endpoint, state_file, force=args.all, dry_run=args.dry_run, parallel=args.parallel
    )
