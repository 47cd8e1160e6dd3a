"""The HTML view in headless Chromium: it loads offline, filters, searches and runs no data.

Pages are rendered from the fixture graphs into tmp_path and opened from disk with every
request routed: file: URLs pass, anything else is recorded and aborted, and the tests assert
nothing else was even attempted. Skipped only when Debian's /usr/bin/chromium or playwright
is missing (playwright's own browser download does not work on these machines).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from bench.html_bench import CHROMIUM_ARGS  # one set of launch flags for tests and bench
from kg.html import render_html
from kg.vocab import ID, KG

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = ROOT / "test-artifacts"
TOP_CLASSES = ("Place", "Institution", "Program", "Person", "Partnership", "Achievement")


@dataclass
class Opened:
    """A page and what it did: console errors, page errors, dialogs, blocked requests."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def visible_ids(self) -> set[str]:
        return set(self.js("() => kgView.visibleNodeIds()"))

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert self.offsite == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """open_page(path or Graph) -> Opened, waiting until the layout has settled."""
    contexts = []

    def opener(source: Path | Graph) -> Opened:
        if isinstance(source, Graph):
            path = tmp_path / f"graph{len(contexts)}.html"
            path.write_text(render_html(source), encoding="utf-8")
        else:
            path = source
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        opened = Opened(context.new_page())

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                opened.offsite.append(url)
                r.abort()

        context.route("**/*", route)
        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        # a function, not an expression string: the page's CSP forbids eval
        page.wait_for_function("() => window.kgView && window.kgView.ready", timeout=60_000)
        return opened

    yield opener
    for context in contexts:
        context.close()


def load(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def typed_entities(graph: Graph) -> int:
    """Distinct resources typed with a top-level class (the nodes the view must show)."""
    classes = " ".join(f"<{KG[c]}>" for c in TOP_CLASSES)
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}"
    return int(next(iter(graph.query(query)))[0])


def iri(path: str) -> str:
    return str(ID[path])


def test_sample_loads_offline_with_every_node_and_edge(open_page: Any) -> None:
    graph = load("html_sample.ttl")
    view = open_page(graph)
    view.assert_clean()
    assert view.js("() => kgView.nodes.length") == typed_entities(graph) == 17
    assert view.js("() => kgView.edges.length") == 18
    assert len(view.visible_ids()) == 17
    assert len(view.js("() => kgView.visibleEdgeIds()")) == 18
    assert view.js("() => kgView.network.physics.options.enabled") is False  # settled
    assert "17 / 17" in view.page.inner_text("#kg-stats")
    legend = view.page.inner_text("#kg-legend")
    for row in ("地市 City\n1", "医院 Hospital\n2", "合作关系 Partnership\n2"):
        assert row in legend
    assert "合作伙伴 partner" in view.page.inner_text("#kg-rel-legend")
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / "graph.png"))
    assert (ARTIFACTS / "graph.png").stat().st_size > 10_000


def test_search_selects_and_focuses_a_node(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    view.page.fill("#kg-search", "长治市")
    view.page.press("#kg-search", "Enter")
    assert view.js("() => kgView.network.getSelectedNodes()") == [iri("place/140400")]
    assert view.page.is_visible("#kg-details")
    assert "长治市" in view.page.inner_text("#kg-details")
    view.page.fill("#kg-search", "市医院")  # an alias
    view.page.click("#kg-search-form button[type=submit]")
    assert view.js("() => kgView.network.getSelectedNodes()") == [iri("org/5b1d0c3e9a41")]
    view.page.click("#kg-clear")
    assert view.js("() => kgView.network.getSelectedNodes()") == []
    assert not view.page.is_visible("#kg-details")
    view.page.fill("#kg-search", "不存在的机构")
    view.page.press("#kg-search", "Enter")
    assert "未找到" in view.page.inner_text("#kg-search-status")
    view.assert_clean()


def test_class_filter_removes_and_restores_places(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    box = "#kg-class-filters input[data-cls=Place]"
    view.page.uncheck(box)
    classes = view.js("() => kgView.nodesView.get().map(n => n.cls)")
    assert "Place" not in classes and len(classes) == 13
    edges = view.js("() => kgView.edgesView.get()")
    assert all("/place/" not in e["from"] + e["to"] for e in edges)
    view.page.check(box)
    assert len(view.visible_ids()) == 17
    view.assert_clean()


def test_place_hierarchy_toggle(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    view.page.uncheck("#kg-hierarchy")
    visible = view.visible_ids()
    assert iri("place/140000") not in visible  # 山西省 only serves the hierarchy
    assert iri("place/140403") in visible  # 潞州区 holds a hospital
    assert len(visible) == 16
    assert not any(e["hier"] for e in view.js("() => kgView.edgesView.get()"))
    assert len(view.js("() => kgView.visibleEdgeIds()")) == 16
    view.page.check("#kg-hierarchy")
    assert len(view.visible_ids()) == 17
    view.assert_clean()


def test_document_city_and_year_filters(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    view.page.select_option("#kg-doc-filter", f"doc:{iri('doc/c701ebf2b272')}")
    assert view.visible_ids() == {
        iri(p)
        for p in ("place/140400", "org/5b1d0c3e9a41", "org/7d3b5e9f1a02", "org/a8e04c6f2d91",
                  "org/c1f9a7b3e650", "program/e35c7a19b024", "achievement/d17b6e2f4c93")
    }  # fmt: skip
    assert len(view.js("() => kgView.visibleEdgeIds()")) == 5
    view.page.select_option("#kg-doc-filter", f"about:{iri('place/140400')}")
    assert len(view.visible_ids()) == 15  # all but the unmentioned 山西省 and 潞州区
    view.page.select_option("#kg-doc-filter", "")
    view.page.select_option("#kg-year-filter", "2023")
    visible = view.visible_ids()
    assert len(visible) == 11
    assert iri("achievement/3c8f1d5a9e60") in visible
    assert iri("achievement/d17b6e2f4c93") not in visible  # 2025
    view.page.select_option("#kg-year-filter", "")
    assert len(view.visible_ids()) == 17
    view.assert_clean()


def test_tooltip_is_built_from_text(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    hover_node(view, iri("partnership/6f0e3b8a2c17"))
    tip = view.page.inner_text("div.vis-tooltip")
    for text in ("北京市—长治市 合作", "合作关系", "京长合作稳步推进。", "2023-08", "回应人民期盼"):
        assert text in tip
    view.assert_clean()


def hover_node(view: Opened, node_id: str) -> None:
    """Move the mouse onto a node and wait for its vis tooltip."""
    x, y = view.js(
        """id => { const net = kgView.network, p = net.canvasToDOM(net.getPosition(id));
                   const r = document.getElementById('kg-network').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    view.page.mouse.move(x + 40, y + 40)
    view.page.mouse.move(x, y, steps=4)
    view.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)


def test_injected_markup_runs_nothing_and_shows_literally(open_page: Any) -> None:
    view = open_page(load("injection.ttl"))
    place = iri("place/140400")
    hostile = "<script>window.__pwned=1;alert(1)</script>长治市"
    view.page.fill("#kg-search", "长治市")
    view.page.press("#kg-search", "Enter")
    assert view.js("() => kgView.network.getSelectedNodes()") == [place]
    details = view.page.inner_text("#kg-details")
    assert hostile in details
    assert '<img src=x onerror="window.__pwned=2;alert(2)">' in details
    assert "</script><script>window.__pwned=3</script>" in details
    assert 'x"><img src=x onerror=window.__pwned=13>.txt' in details
    for node in view.js("() => kgView.nodes.getIds()"):
        hover_node(view, node)
    view.page.click("#kg-clear")
    view.page.fill("#kg-search", "证据")
    options = view.js("() => Array.from(document.querySelectorAll('option')).map(o => o.text)")
    assert any(o.startswith("<style>body{display:none}</style>") for o in options)
    assert view.js("() => window.__pwned") is None
    assert view.js("() => document.querySelectorAll('img, iframe, svg, b, object').length") == 0
    assert view.js("() => document.scripts.length") == 3
    assert view.js("() => getComputedStyle(document.body).display") != "none"
    view.assert_clean()


def test_committed_output_page(open_page: Any) -> None:
    """output/graph.html, when the repository has a built graph, shows all of its entities."""
    ttl, page = ROOT / "output" / "kg.ttl", ROOT / "output" / "graph.html"
    if not ttl.exists():
        pytest.skip("output/kg.ttl is not built")
    assert page.exists(), "output/kg.ttl exists but output/graph.html does not"
    view = open_page(page)
    view.assert_clean()
    assert view.js("() => kgView.nodes.length") == typed_entities(Graph().parse(ttl))
