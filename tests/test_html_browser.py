"""The HTML view in headless Chromium: it loads offline, filters, searches and runs no data.

Pages are rendered from the fixture graphs into tmp_path and opened from disk with every
request routed: file: URLs pass, anything else is recorded and aborted, and the tests assert
nothing else was even attempted. Skipped only when Debian's /usr/bin/chromium or playwright
is missing (playwright's own browser download does not work on these machines).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

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

    def centre(self) -> str | None:
        return self.js("() => kgView.centre()")

    def card(self) -> str:
        return self.page.inner_text("#kg-details")

    def section(self, name: str) -> list[str]:
        """The items of one card section (its English heading word, e.g. partners)."""
        return self.js(
            """name => Array.from(document.querySelectorAll(
                 `#kg-details .kg-section[data-section="${name}"] li`)).map(li => li.innerText)""",
            name,
        )

    def fits(self) -> tuple[float, float]:
        """Share of the canvas width and height the drawn nodes span; asserts all are inside."""
        box = self.js(
            """() => { const net = kgView.network, ids = kgView.nodes.getIds();
                       const r = document.getElementById('kg-network').getBoundingClientRect();
                       const xs = [], ys = [];
                       ids.forEach(id => { const p = net.canvasToDOM(net.getPosition(id));
                                           xs.push(p.x); ys.push(p.y); });
                       return [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys),
                               r.width, r.height]; }"""
        )
        x0, x1, y0, y1, w, h = box
        assert -1 <= x0 and x1 <= w + 1 and -1 <= y0 and y1 <= h + 1, box
        return (x1 - x0) / w, (y1 - y0) / h

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
            if url.startswith(("file:", "data:", "blob:")):
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


def test_sample_opens_offline_on_the_overview(open_page: Any) -> None:
    graph = load("html_sample.ttl")
    view = open_page(graph)
    view.assert_clean()
    assert view.js("() => kgView.total") == typed_entities(graph) == 17
    assert view.js("() => kgView.mode()") == "overview"
    drawn = view.visible_ids()
    assert {"place/140400", "place/110000", "org/5b1d0c3e9a41"} <= drawn
    assert not any(d.startswith(("partnership/", "achievement/")) for d in drawn)
    # the two partnerships are aggregated edges between their parties
    agg = view.js("() => kgView.edges.get().filter(e => e.kind === 'agg').map(e => e.value)")
    assert sorted(agg) == [1, 1]
    assert "总览 overview" in view.page.inner_text("#kg-stats")
    legend = view.page.inner_text("#kg-legend")
    for row in ("地市 City\n1", "医院 Hospital\n2", "合作关系 Partnership\n2"):
        assert row in legend
    assert "node size = degree" in view.page.inner_text("#kg-legend-note")
    assert view.js("() => kgView.timings.firstPaint") > 0
    view.fits()
    ARTIFACTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(ARTIFACTS / "graph.png"))
    assert (ARTIFACTS / "graph.png").stat().st_size > 10_000


def test_search_suggests_while_typing_and_enter_focuses(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    view.page.click("#kg-search")
    view.page.keyboard.type("长治", delay=30)
    view.page.wait_for_selector("#kg-suggest li", state="visible")
    items = view.js(
        "() => Array.from(document.querySelectorAll('#kg-suggest li')).map(li => li.dataset.node)"
    )
    assert items[0] == "place/140400"  # exact alias beats name prefixes
    assert "org/5b1d0c3e9a41" in items  # 长治市人民医院: a name prefix
    view.page.keyboard.press("Enter")
    view.page.wait_for_function("() => kgView.mode() === 'focus'")
    assert view.centre() == "place/140400"
    assert view.page.is_visible("#kg-details")
    assert "长治市" in view.card()
    view.page.fill("#kg-search", "")
    view.page.keyboard.type("市医院", delay=30)  # an alias
    view.page.wait_for_selector("#kg-suggest li", state="visible")
    view.page.click("#kg-search-form button[type=submit]")
    assert view.centre() == "org/5b1d0c3e9a41"
    # single-character aliases (京) are not search names
    assert "京" not in " ".join(
        view.js("() => Array.from(document.querySelectorAll('.kg-salias')).map(x => x.textContent)")
    )
    assert view.js("() => kgView.matches('京')").count("place/110000") <= 1
    view.page.fill("#kg-search", "不存在的机构")
    view.page.press("#kg-search", "Enter")
    assert "未找到" in view.page.inner_text("#kg-search-status")
    view.page.click("#kg-clear")
    assert view.js("() => kgView.mode()") == "overview"
    view.assert_clean()


def test_city_card_lists_partners_and_clicks_through(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    view.js("() => kgView.focus('place/140400')")
    partners = view.section("partners")
    assert len(partners) == 1
    assert "北京市" in partners[0] and "合作" in partners[0] and "2023-08" in partners[0]
    assert "证据 1 句" in partners[0] and "1 篇" in partners[0]  # sentences, reports
    assert any("长治市卫生健康委员会" in x for x in view.section("institutions"))
    achievements = view.section("achievements")
    assert len(achievements) == 2 and any("国家级" in a for a in achievements)
    assert any("普惠托育示范项目" in x for x in view.section("programs"))
    drawn = view.visible_ids()
    assert {"partnership/6f0e3b8a2c17", "achievement/3c8f1d5a9e60", "place/140000"} <= drawn
    view.fits()
    # click through to the partner, then back along the breadcrumb
    view.page.click('#kg-details .kg-section[data-section="partners"] button.kg-item')
    assert view.centre() == "place/110000"
    crumbs = view.page.inner_text("#kg-crumbs")
    assert "总览" in crumbs and "长治市" in crumbs and "北京市" in crumbs
    view.page.click("#kg-crumbs button:has-text('长治市')")
    assert view.centre() == "place/140400"
    # the partnership's card: parties, evidence, its document and what is around it
    view.js("() => kgView.focus('partnership/b2d94e6c0a85')")
    card = view.card()
    assert "北京肿瘤医院" in card and "长治市人民医院" in card and "牵头方" in card
    assert "市医院与北京肿瘤医院合作" in card
    assert "000_1cbb400f197cc45a.txt" in card and "2023" in card
    assert "京长合作稳步推进。" in card  # the nearest other evidence of the same report
    view.js("() => kgView.focus('achievement/d17b6e2f4c93')")
    assert view.section("holders") == ["长治市"]
    assert view.section("by") == ["国家卫生健康委员会"]
    assert "国家级" in view.card()
    view.js("() => kgView.focus('place/140400')")
    view.page.select_option("#kg-hops", "2")
    assert len(view.visible_ids()) > len(drawn)
    view.page.click("#kg-crumbs button:has-text('总览')")
    assert view.js("() => kgView.mode()") == "overview"
    view.assert_clean()


def test_filters_change_and_refit_the_view(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    everything = view.visible_ids()
    view.page.uncheck("#kg-class-filters input[data-cls=Institution]")
    drawn = view.visible_ids()
    assert drawn and not any(d.startswith("org/") for d in drawn)
    assert max(view.fits()) > 0.5
    view.page.check("#kg-class-filters input[data-cls=Institution]")
    assert view.visible_ids() == everything
    view.page.select_option("#kg-year-filter", "2025")
    drawn = view.visible_ids()
    assert drawn and drawn < everything
    assert "place/110000" not in drawn  # 北京市 is only in the 2023 report
    assert max(view.fits()) > 0.5
    view.page.select_option("#kg-year-filter", "")
    view.page.select_option(
        "#kg-doc-filter", "about:" + str(view.js("() => kgView.nodeIndex('place/140400')"))
    )
    assert "place/140400" in view.visible_ids()
    view.page.select_option("#kg-doc-filter", "")
    view.page.uncheck("#kg-hierarchy")
    assert "place/140000" not in view.visible_ids()  # 山西省 only serves the hierarchy
    view.page.check("#kg-hierarchy")
    assert view.visible_ids() == everything
    # in a focus, filters apply to the neighbourhood
    view.js("() => kgView.focus('place/140400')")
    view.page.uncheck("#kg-class-filters input[data-cls=Achievement]")
    assert not any(d.startswith("achievement/") for d in view.visible_ids())
    view.fits()
    view.assert_clean()


def test_map_layout_and_back(open_page: Any) -> None:
    view = open_page(load("html_sample.ttl"))
    before = view.js("() => kgView.positions()")
    view.page.click("#kg-layout")
    assert view.js("() => kgView.layout()") == "map"
    pos = view.js("() => kgView.positions()")
    beijing, changzhi = pos["place/110000"], pos["place/140400"]
    assert beijing[0] > changzhi[0]  # 116.4°E is east of 113.1°E
    assert beijing[1] < changzhi[1]  # 39.9°N is north of 36.2°N: up on the screen
    hospital = pos["org/5b1d0c3e9a41"]  # in 潞州区 (no coordinates) of 长治市
    assert abs(hospital[0] - changzhi[0]) < 200 and abs(hospital[1] - changzhi[1]) < 200
    view.fits()
    view.page.click("#kg-layout")
    assert view.js("() => kgView.layout()") == "graph"
    assert view.js("() => kgView.positions()") == before
    view.assert_clean()


def test_table_sorts_and_exports_csv_and_png(open_page: Any, tmp_path: Path) -> None:
    graph = load("html_sample.ttl")
    view = open_page(graph)
    view.page.click("#kg-table-toggle")
    assert view.page.is_visible("#kg-table")
    rows = view.page.locator("#kg-table-grid tbody tr")
    assert rows.count() == len(view.visible_ids())
    view.page.click("#kg-table-grid th[data-col='4']")  # degree, ascending
    view.page.click("#kg-table-grid th[data-col='4']")  # descending
    first = view.page.inner_text("#kg-table-grid tbody tr:first-child td:nth-child(2)")
    assert first == "长治市"  # the hub
    with view.page.expect_download() as info:
        view.page.click("#kg-csv")
    path = tmp_path / "entities.csv"
    info.value.save_as(path)
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert table[0][:3] == ["id", "名称 name", "类别 class"]
    assert {r[0] for r in table[1:]} == view.visible_ids()
    for row in table[1:]:
        assert str(graph.value(ID[row[0]], RDFS.label)) == row[1]
    # partnerships of a focus
    view.js("() => kgView.focus('place/140400')")
    view.page.click("#kg-table-tabs button[data-tab=partnerships]")
    with view.page.expect_download() as info:
        view.page.click("#kg-csv")
    info.value.save_as(path)
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in table[1:]] == ["partnership/6f0e3b8a2c17"]
    assert table[1][2] == "北京市；长治市" and table[1][6] == "京长合作稳步推进。"
    with view.page.expect_download() as info:
        view.page.click("#kg-png")
    info.value.save_as(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    view.assert_clean()


def hover_node(view: Opened, node_id: str) -> None:
    """Move the mouse onto a drawn node and wait for its vis tooltip."""
    x, y = view.js(
        """id => { const net = kgView.network, k = kgView.nodeIndex(id);
                   const p = net.canvasToDOM(net.getPosition(k));
                   const r = document.getElementById('kg-network').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    view.page.mouse.move(x + 40, y + 40)
    view.page.mouse.move(x, y, steps=4)
    view.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)


def test_injected_markup_runs_nothing_and_shows_literally(open_page: Any) -> None:
    view = open_page(load("injection.ttl"))
    hostile = "<script>window.__pwned=1;alert(1)</script>长治市"
    view.page.fill("#kg-search", "长治市")
    view.page.press("#kg-search", "Enter")
    assert view.centre() == "place/140400"
    details = view.card()
    assert hostile in details
    assert '<img src=x onerror="window.__pwned=2;alert(2)">' in details
    assert "</script><script>window.__pwned=3</script>" in details
    for node in view.visible_ids():
        hover_node(view, node)
    view.js("() => kgView.focus('partnership/deadbeef0002')")
    card = view.card()
    assert "<b onclick=alert(7)>合作</b>" in card
    assert "证据<script>window.__pwned=8</script><img src=x onerror=window.__pwned=9>" in card
    assert 'x"><img src=x onerror=window.__pwned=13>.txt' in card
    view.js("() => kgView.focus('achievement/deadbeef0003')")
    assert '"); window.__pwned=11; ("</script>' in view.card()
    view.page.click("#kg-table-toggle")
    view.page.click("#kg-clear")
    view.page.fill("#kg-search", "")
    view.page.click("#kg-search")
    view.page.keyboard.type("长治", delay=20)
    view.page.wait_for_selector("#kg-suggest li", state="visible")
    suggested = view.page.inner_text("#kg-suggest")
    assert hostile in suggested
    view.page.keyboard.press("Escape")
    options = view.js(
        "() => Array.from(document.querySelectorAll('option')).map(o => o.textContent)"
    )
    assert any(o.startswith("<style>body{display:none}</style>") for o in options)
    assert view.js("() => window.__pwned") is None
    assert view.js("() => document.querySelectorAll('img, iframe, svg, b, object').length") == 0
    assert view.js("() => document.scripts.length") == 3
    assert view.js("() => getComputedStyle(document.body).display") != "none"
    view.assert_clean()


def test_large_graph_draws_a_bounded_overview_and_focus(open_page: Any) -> None:
    from bench.html_bench import synthetic_graph

    view = open_page(synthetic_graph(4000))
    assert view.js("() => kgView.total") > 3500
    assert 0 < len(view.visible_ids()) <= 2000
    hub = view.js("() => kgView.visibleNodeIds()[0]")
    view.js("id => kgView.focus(id)", hub)
    view.page.select_option("#kg-hops", "2")
    assert 0 < len(view.visible_ids()) <= 2000
    view.assert_clean()


def test_a_hubs_partnerships_become_weighted_partner_lines(open_page: Any) -> None:
    """50 cities in one or two partnerships each with a hub: at 1 hop the hub's focus draws
    the 50 partners with one line each (weight = partnerships), not 75 diamonds."""
    g = Graph()
    hub = ID["place/hub"]
    g.add((hub, RDF.type, KG.City))
    g.add((hub, RDFS.label, Literal("中心市", lang="zh")))
    for i in range(50):
        city = ID[f"place/c{i}"]
        g.add((city, RDF.type, KG.City))
        g.add((city, RDFS.label, Literal(f"伙伴{i}市", lang="zh")))
        for j in range(1 + i % 2):
            rel = ID[f"partnership/{i}-{j}"]
            g.add((rel, RDF.type, KG.Partnership))
            g.add((rel, KG.partner, hub))
            g.add((rel, KG.partner, city))
    view = open_page(g)
    view.js("() => kgView.focus('place/hub')")
    drawn = view.visible_ids()
    assert len(drawn) == 51 and not any(d.startswith("partnership/") for d in drawn)
    weights = view.js("() => kgView.edges.get().filter(e => e.kind === 'agg').map(e => e.value)")
    assert sorted(weights) == [1] * 25 + [2] * 25
    assert len(view.section("partners")) == 50
    view.page.select_option("#kg-hops", "2")  # two hops show the partnerships themselves
    assert sum(d.startswith("partnership/") for d in view.visible_ids()) == 75
    view.assert_clean()


def test_an_empty_graph_opens_and_says_so(open_page: Any) -> None:
    view = open_page(Graph())
    assert view.js("() => kgView.total") == 0
    assert view.page.is_visible("#kg-empty")
    view.page.click("#kg-layout")
    view.page.click("#kg-table-toggle")
    assert view.page.locator("#kg-table-grid tbody tr").count() == 0
    view.assert_clean()


def test_committed_output_page(open_page: Any) -> None:
    """output/graph.html, when the repository has a built graph, holds all of its entities."""
    ttl, page = ROOT / "output" / "kg.ttl", ROOT / "output" / "graph.html"
    if not ttl.exists():
        pytest.skip("output/kg.ttl is not built")
    assert page.exists(), "output/kg.ttl exists but output/graph.html does not"
    view = open_page(page)
    view.assert_clean()
    assert view.js("() => kgView.total") == typed_entities(Graph().parse(ttl))
    view.page.click("#kg-search")
    view.page.keyboard.type("长治", delay=20)
    view.page.wait_for_selector("#kg-suggest li", state="visible")
    view.page.keyboard.press("Enter")
    assert view.centre() is not None
    assert view.section("partners")
    view.assert_clean()


def test_partnership_card_lists_every_sentence_and_the_other_reports(
    open_page: Any, tmp_path: Path
) -> None:
    """One node per partner set and report (issue 18): the card shows each of its sentences,
    and links the same partners' nodes of the other reports."""
    from kg.pipeline import build

    report = (
        "宜昌市卫生健康委员会2024年工作总结\n\n"
        "宜昌市中心人民医院与武汉大学人民医院签订合作协议。"
        "一年来，宜昌市中心人民医院与武汉大学人民医院合作共建胸痛中心。\n"
    )
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(report, encoding="utf-8")
    (src / "b.txt").write_text(report.replace("2024", "2025"), encoding="utf-8")
    graph = build([src]).graph()
    nodes = sorted(
        str(p).split("/id/")[1]
        for p in graph.subjects(RDF.type, KG.Partnership)
        if {str(o) for x in graph.objects(p, KG.partner) for o in graph.objects(x, RDFS.label)}
        == {"宜昌市中心人民医院", "武汉大学人民医院"}
    )
    assert len(nodes) == 2
    view = open_page(graph)
    view.js(f"() => kgView.focus('{nodes[0]}')")
    card = view.card()
    assert "签订合作协议" in card and "合作共建胸痛中心" in card  # both sentences
    others = view.section("reports")
    assert len(others) == 1 and "证据 2 句" in others[0]
    view.page.click('#kg-details .kg-section[data-section="reports"] button.kg-item')
    assert view.centre() == nodes[1]
    view.assert_clean()
