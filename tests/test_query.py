"""kg query: every named query answers correctly on the hand-written sample graph."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.cli import main
from kg.errors import QueryError
from kg.query import (
    QUERIES_DIR,
    QueryResult,
    Term,
    bind_params,
    display_width,
    format_csv,
    format_json,
    format_table,
    load_graph,
    named_queries,
    resolve_query,
    run_query,
    run_query_on_store,
)

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample.ttl"
ID = "https://w3id.org/cn-health-kg/id/"
KG = "https://w3id.org/cn-health-kg/ontology#"
EXPECTED_QUERIES = {
    "partnerships",
    "institutions-of-city",
    "achievements-by-year",
    "national-pilots",
    "cross-province-partnerships",
    "multi-report-entities",
    "entity-profile",
    "evidence-of",
    "people-and-roles",
    "place-hierarchy",
    "documents",
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(SAMPLE)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample in an on-disk pyoxigraph store, in a named graph (queried as the union)."""
    path = tmp_path_factory.mktemp("store")
    store = ox.Store(str(path))
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ID + "graph"))
    store.flush()
    del store
    return path


def named(name: str, graph: Graph) -> QueryResult:
    return run_query(resolve_query(name), graph)


def cells(result: QueryResult, *columns: str) -> list[tuple[str, ...]]:
    """The rows as display strings, restricted to ``columns``."""
    index = [result.variables.index(c) for c in columns]
    return [tuple(row[i].display() if row[i] else "" for i in index) for row in result.rows]


# ---------------------------------------------------------------- the named queries


def test_every_expected_query_is_shipped_with_a_description() -> None:
    queries = {q.name: q for q in named_queries()}
    assert set(queries) >= EXPECTED_QUERIES
    for q in queries.values():
        first = q.path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and q.description == first[2:].strip()
        assert "PREFIX" not in q.path.read_text(encoding="utf-8"), "prefixes are predeclared"


def test_partnerships(graph: Graph) -> None:
    result = named("partnerships", graph)
    rows = cells(result, "partnerA", "partnerB", "kinds", "sentences", "year")
    assert sorted(rows) == sorted(
        [
            ("北京市", "长治市", "合作", "1", ""),
            # one node for the pair, both kinds, both sentences; the lead comes first
            ("北京肿瘤医院", "长治市人民医院", "合作、加入", "2", "2023"),
            ("王琦", "长治市", "签约", "1", ""),
            ("长治附属和济医院", "潞城区医疗集团", "托管", "1", ""),
        ]
    )
    assert {r[0] for r in cells(result, "file")} == {"000_1cbb400f197cc45a.txt"}


def test_institutions_of_city_reaches_counties(graph: Graph) -> None:
    rows = cells(named("institutions-of-city", graph), "name", "type", "place")
    assert ("长治市人民医院", "kg:Hospital", "长治市") in rows
    assert ("黎城县医疗集团", "kg:MedicalGroup", "黎城县") in rows  # via 黎城县 ⊂ 长治市
    assert ("潞城区医疗集团", "kg:MedicalGroup", "潞城区") in rows
    assert ("长治医学院", "kg:University", "长治市") in rows
    assert len(rows) == 8
    assert "北京肿瘤医院" not in {r[0] for r in rows}
    assert "国家卫生健康委员会" not in {r[0] for r in rows}


def test_institutions_of_another_city_by_its_parameter(graph: Graph) -> None:
    text = resolve_query("institutions-of-city")
    bindings = bind_params(text, ["city_name=北京市"])
    got = cells(run_query(text, graph, bindings), "name", "type")
    assert got == [("北京肿瘤医院", "kg:Hospital")]


def test_achievements_by_year(graph: Graph) -> None:
    result = named("achievements-by-year", graph)
    rows = cells(result, "year", "achievement", "achievedBy", "kind", "level", "date")
    assert [r[0] for r in rows] == ["2023", "2023", "2023", "2023", "2024"]
    assert rows[-1] == (
        "2024",
        "全省完成年度目标责任优秀市",
        "长治市",
        "kg:honour",
        "kg:provincialLevel",
        "2024-01-17",
    )
    assert ("2023", "全省人口和生育政策保障工作先进市", "长治市", "kg:honour") in [
        r[:4] for r in rows
    ]
    assert ("入选“千县工程”县医院综合能力提升项目", "黎城县医疗集团") in [r[1:3] for r in rows]


def test_national_pilots(graph: Graph) -> None:
    rows = cells(named("national-pilots", graph), "who", "whoType", "achievement", "level")
    assert sorted(rows) == sorted(
        [
            ("长治市", "kg:City", "入选国家紧密型城市医疗集团建设试点", "kg:nationalLevel"),
            # no level, but its programme is a kg:Pilot
            ("长治市", "kg:City", "中央财政支持中医药传承创新发展示范试点项目市", ""),
            (
                "黎城县医疗集团",
                "kg:MedicalGroup",
                "入选“千县工程”县医院综合能力提升项目",
                "kg:nationalLevel",
            ),
        ]
    )


def test_cross_province_partnerships(graph: Graph) -> None:
    rows = cells(
        named("cross-province-partnerships", graph),
        "metroParty",
        "metro",
        "otherParty",
        "otherProvince",
        "kind",
    )
    assert sorted(rows) == sorted(
        [
            ("北京市", "北京市", "长治市", "山西省", "kg:cooperation"),
            ("北京肿瘤医院", "北京市", "长治市人民医院", "山西省", "kg:cooperation"),
            ("北京肿瘤医院", "北京市", "长治市人民医院", "山西省", "kg:membership"),
        ]
    )  # not 王琦 (no location), not the trusteeship inside 长治市


def test_multi_report_entities(graph: Graph) -> None:
    rows = cells(named("multi-report-entities", graph), "name", "class", "reports", "mentions")
    assert rows == [
        ("长治市", "kg:Place", "2", "19"),
        ("长治市人民医院", "kg:Institution", "2", "9"),
        ("长治市卫生健康委员会", "kg:Institution", "2", "7"),
    ]


def test_entity_profile(graph: Graph) -> None:
    rows = cells(named("entity-profile", graph), "direction", "property", "value", "valueLabel")
    assert ("out", "kg:locatedIn", "place:140000", "山西省") in rows
    assert ("out", "kg:adminCode", "140400", "") in rows
    assert ("in", "kg:locatedIn", "place:140426", "黎城县") in rows
    assert (
        "in",
        "kg:achievedBy",
        "achievement:320db743707574e8",
        "全省人口和生育政策保障工作先进市",
    ) in rows
    assert rows.index(("out", "rdf:type", "kg:City", "")) < rows.index(
        ("in", "kg:about", "doc:1cbb400f197c", "回应人民期盼 守护人民健康")
    )


def test_evidence_of(graph: Graph) -> None:
    result = named("evidence-of", graph)
    rows = cells(result, "as", "start", "end", "file")
    assert rows == [
        ("kg:partner", "1152", "1202", "000_1cbb400f197cc45a.txt"),
        ("kg:partner", "1243", "1296", "000_1cbb400f197cc45a.txt"),
    ]
    evidence = [row[result.variables.index("evidence")] for row in result.rows]
    assert evidence[0] is not None and "市医院与北京肿瘤医院合作" in evidence[0].value
    assert evidence[0].lang == "zh"


def test_evidence_offsets_point_into_the_seed_file(graph: Graph) -> None:
    """The fixture is honest: original[start:end] == evidence for every relation."""
    seeds = SAMPLE.parents[2] / "seeds"
    text = """SELECT ?file ?evidence ?start ?end WHERE {
        ?r kg:evidence ?evidence ; kg:evidenceStart ?start ; kg:evidenceEnd ?end ;
            prov:wasDerivedFrom/kg:fileName ?file }"""
    result = run_query(text, graph)
    assert len(result.rows) == 10
    for file, evidence, start, end in result.rows:
        assert file and evidence and start and end
        original = (seeds / file.value).read_text(encoding="utf-8-sig")
        assert original[int(start.value) : int(end.value)] == evidence.value


def test_people_and_roles(graph: Graph) -> None:
    rows = cells(named("people-and-roles", graph), "name", "roles", "relations", "reports")
    assert rows == [("王琦", "院士", "长治市—王琦 签约", "1")]


def test_place_hierarchy(graph: Graph) -> None:
    rows = cells(
        named("place-hierarchy", graph), "name", "class", "adminCode", "parent", "province"
    )
    assert ("黎城县", "kg:County", "140426", "长治市", "山西省") in rows
    assert ("长治市", "kg:City", "140400", "山西省", "山西省") in rows
    assert ("北京市", "kg:City", "110000", "中国", "北京市") in rows  # a municipality
    assert ("中国", "kg:Country", "", "", "") in rows
    assert len(rows) == 6


def test_documents(graph: Graph) -> None:
    rows = cells(named("documents", graph), "file", "years", "characters", "entities", "relations")
    assert rows == [
        ("000_1cbb400f197cc45a.txt", "2023", "3013", "18", "9"),  # relation nodes, not sentences
        ("001_c701ebf2b2720683.txt", "2024", "2827", "4", "0"),
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED_QUERIES))
def test_pyoxigraph_store_gives_the_same_answers(graph: Graph, store_dir: Path, name: str) -> None:
    text = resolve_query(name)
    assert run_query_on_store(text, store_dir) == run_query(text, graph)


# ---------------------------------------------------------------- finding the query


def test_resolve_by_name_file_or_text(tmp_path: Path) -> None:
    by_name = resolve_query("partnerships")
    assert by_name == (QUERIES_DIR / "partnerships.rq").read_text(encoding="utf-8")
    assert resolve_query("partnerships.rq") == by_name
    path = tmp_path / "mine.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(str(path)) == "ASK { ?s ?p ?o }"
    assert resolve_query("SELECT * { ?s ?p ?o }") == "SELECT * { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no query file or named query 'partnership'"):
        resolve_query("partnership")


def test_prefixes_are_predeclared_and_can_be_redeclared(graph: Graph) -> None:
    result = run_query("SELECT ?name { place:140400 rdfs:label ?name }", graph)
    assert cells(result, "name") == [("长治市",)]
    own = "PREFIX p: <https://w3id.org/cn-health-kg/id/place/>\nASK { p:140426 kg:locatedIn+ p:CN }"
    assert run_query(own, graph).boolean is True


def test_ask_and_construct(graph: Graph) -> None:
    assert run_query("ASK { ?x a kg:Pilot }", graph).boolean is True
    assert format_table(run_query("ASK { ?x a kg:Award }", graph)) == "no"
    built = run_query("CONSTRUCT { ?c a kg:Place } WHERE { ?c a kg:City }", graph)
    assert built.variables == ("subject", "predicate", "object")
    assert [r[0].display() for r in built.rows if r[0]] == ["place:110000", "place:140400"]


# ---------------------------------------------------------------- output formats


def test_display_width_counts_cjk_double() -> None:
    assert display_width("abc") == 3
    assert display_width("长治市") == 6
    assert display_width("『医靠』") == 8
    assert display_width("全角ＡＢ") == 8
    assert display_width("e\u0301") == 1  # combining accent takes no column


def test_table_aligns_chinese_columns(graph: Graph) -> None:
    table = format_table(named("institutions-of-city", graph))
    lines = table.splitlines()
    header, rule, *rows, count = lines
    assert count == "(8 rows)"
    assert set(rule) <= {"-", "+"}

    def bars(line: str) -> list[int]:
        """Display columns of the ' | ' separators."""
        return [display_width(line[:i]) for i, ch in enumerate(line) if ch == "|"]

    expected = bars(header)
    assert len(expected) == 3
    assert [display_width(rule[:i]) for i, ch in enumerate(rule) if ch == "+"] == expected
    for row in rows:
        assert bars(row) == expected, row
    assert any(row.startswith("长治市中医药传承创新治未病示范中心 | ") for row in rows)
    assert "inst:55414adc166c" in table  # IRIs shortened with the data prefixes


def test_table_right_aligns_numbers_and_cuts_long_cells(graph: Graph) -> None:
    result = named("evidence-of", graph)
    table = format_table(result, max_width=20)
    row = table.splitlines()[2]
    assert "| 强化中西医优势专科… |" in row  # 18 columns of text + the ellipsis
    assert all(display_width(cell.strip()) <= 20 for cell in row.split(" | "))
    result = named("documents", graph)
    lines = format_table(result).splitlines()
    column = lines[0].split(" | ").index("characters")
    assert lines[2].split(" | ")[column] == "      3013"  # right-aligned under the header


def test_empty_result_table() -> None:
    empty = QueryResult(variables=("x",), rows=())
    assert format_table(empty) == "x\n-\n(0 rows)"


def test_csv_has_compact_names_for_spreadsheets(graph: Graph) -> None:
    text = format_csv(named("partnerships", graph))
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "partnerA", "partnerB", "kinds", "sentences", "year", "date", "file", "partnership"
    ]  # fmt: skip
    assert ["北京市", "长治市", "合作", "1", "", "", "000_1cbb400f197cc45a.txt"] in [
        r[:7] for r in rows
    ]
    assert all(r[7].startswith("partnership:") for r in rows[1:])
    assert len(rows) == 5


def test_json_is_sparql_results_json(graph: Graph) -> None:
    document = json.loads(format_json(named("multi-report-entities", graph)))
    variables = ["name", "class", "reports", "mentions", "first", "last", "entity"]
    assert document["head"]["vars"] == variables
    first = document["results"]["bindings"][0]
    assert first["name"] == {"type": "literal", "value": "长治市", "xml:lang": "zh"}
    assert first["class"] == {"type": "uri", "value": KG + "Place"}
    assert first["reports"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert first["reports"]["value"] == "2"
    assert first["entity"] == {"type": "uri", "value": ID + "place/140400"}
    assert json.loads(format_json(QueryResult((), (), boolean=False))) == {
        "head": {},
        "boolean": False,
    }


def test_json_leaves_unbound_variables_out(graph: Graph) -> None:
    document = json.loads(format_json(named("partnerships", graph)))
    undated = [b for b in document["results"]["bindings"] if "date" not in b]
    assert len(undated) == 3


def test_term_display() -> None:
    assert Term("uri", KG + "City").display() == "kg:City"
    assert Term("uri", "http://example.org/x").display() == "http://example.org/x"
    assert Term("literal", "长治", lang="zh").display() == "长治"


# ---------------------------------------------------------------- errors


def test_malformed_query_reports_line_and_column(graph: Graph) -> None:
    text = "SELECT ?s\nWHERE {\n  ?s ?p ?o\n  FILTER (?s = )\n}"
    with pytest.raises(QueryError) as info:
        run_query(text, graph)
    message = str(info.value)
    assert message.startswith("malformed SPARQL query at line 4, column 3 near 'FILTER (?s = )'")
    assert "\n" not in message


def test_malformed_query_on_the_store_reports_line_and_column(store_dir: Path) -> None:
    with pytest.raises(QueryError, match=r"^malformed SPARQL query at line 1, column \d+"):
        run_query_on_store("SELECT ?s WHER { ?s ?p ?o }", store_dir)


@pytest.mark.parametrize("engine", ["rdflib", "pyoxigraph"])
def test_unknown_prefix_is_named(graph: Graph, store_dir: Path, engine: str) -> None:
    text = "SELECT ?s {\n  ?s foo:bar ?o\n}"
    with pytest.raises(QueryError) as info:
        if engine == "rdflib":
            run_query(text, graph)
        else:
            run_query_on_store(text, store_dir)
    assert str(info.value) == (
        "malformed SPARQL query at line 2, column 6 near 'foo:bar ?o': unknown prefix 'foo'"
    )


def test_missing_graph_and_store(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="graph not found"):
        load_graph(tmp_path / "kg.ttl")
    with pytest.raises(QueryError, match="store not found"):
        run_query_on_store("ASK {}", tmp_path / "store")
    assert not (tmp_path / "store").exists()


# ---------------------------------------------------------------- command line


def test_cli_named_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "cross-province-partnerships", "--graph", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("metroParty   | metro  | otherParty")
    assert out.endswith("(3 rows)\n")


def test_cli_formats_and_store(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["query", "people-and-roles", "--store", str(store_dir), "--format", "json"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["results"]["bindings"][0]["name"]["value"] == "王琦"
    argv = ["query", "SELECT ?n { place:140426 rdfs:label ?n }", "--graph", str(SAMPLE)]
    assert main([*argv, "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\r\n黎城县\r\n"


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert {line.split()[0] for line in heads} == {q.name for q in named_queries()}
    after = lines[lines.index(next(x for x in heads if x.startswith("entity-profile "))) + 1]
    assert after.split()[:2] == ["--param", "name=…"] and "default 长治市" in after
    partnerships = next(line for line in lines if line.startswith("partnerships "))
    assert partnerships.endswith(
        "All partnerships with both partners, their kinds, year, sentences and source file."
    )


def test_cli_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELECT ?s WHER { ?s ?p ?o }", "--graph", str(SAMPLE)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kg: error: malformed SPARQL query at line 1, column 11")
    assert err.count("\n") == 1
    assert main(["query", "--graph", str(SAMPLE)]) == 1
    assert "kg query --list" in capsys.readouterr().err


# ---------------------------------------------------------------- parameters, traps, limits


@pytest.mark.parametrize("engine", ["graph", "store"])
def test_cli_binds_a_parameter_with_the_engine(
    engine: str, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--graph", str(SAMPLE)] if engine == "graph" else ["--store", str(store_dir)]
    argv = ["query", "institutions-of-city", *where, "--format", "csv"]
    assert main([*argv, "--param", "city_name=北京市"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[:2] for r in rows[1:]] == [["北京肿瘤医院", "kg:Hospital"]]
    # a hostile value is a value: it matches nothing and changes nothing around it
    hostile = 'x"@zh . } } DELETE { ?a ?b ?c } WHERE { ?a ?b ?c } #'
    assert main([*argv, "--param", f"city_name={hostile}"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["name,type,place,institution"]


def test_an_undeclared_parameter_is_named_with_the_declared_ones() -> None:
    text = resolve_query("entity-profile")
    with pytest.raises(QueryError, match=r"no parameter 'city'.*its parameters: name"):
        bind_params(text, ["city=长治市"])
    with pytest.raises(QueryError, match="NAME=VALUE"):
        bind_params(text, ["长治市"])


def test_a_missing_query_file_is_file_not_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "/tmp/nope-kg-query.rq", "--graph", str(SAMPLE)]) == 1
    assert "file not found: /tmp/nope-kg-query.rq" in capsys.readouterr().err


def test_a_plain_string_against_zh_labels_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    query = 'SELECT ?x { ?x rdfs:label "长治市" }'
    assert main(["query", query, "--graph", str(SAMPLE)]) == 0
    captured = capsys.readouterr()
    assert "(0 rows)" in captured.out
    assert '"长治市"@zh' in captured.err
    assert main(["query", query.replace('"长治市"', '"长治市"@zh'), "--graph", str(SAMPLE)]) == 0
    assert capsys.readouterr().err == ""


def test_service_is_refused_unless_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert main(["query", query, "--graph", str(SAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "--allow-service" in err and err.count("\n") == 1
    # the word in a string or a comment is no SERVICE clause
    ok = 'SELECT ?x { ?x rdfs:label "SERVICE"@zh } # SERVICE'
    assert main(["query", ok, "--graph", str(SAMPLE)]) == 0


@pytest.mark.parametrize("engine", ["graph", "store"])
def test_a_query_that_runs_too_long_is_stopped(
    engine: str, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--graph", str(SAMPLE)] if engine == "graph" else ["--store", str(store_dir)]
    endless = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    assert main(["query", endless, *where, "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "longer than 1 s" in err and err.count("\n") == 1


def test_a_deeply_nested_query_fails_in_one_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
    code = main(["query", deep, "--store", str(store_dir), "--timeout", "30"])
    err = capsys.readouterr().err
    assert code in (0, 1)
    if code == 1:
        assert err.count("\n") == 1 and "Traceback" not in err


def test_csv_makes_line_breaks_inside_a_sentence_one_space() -> None:
    result = QueryResult(("e",), ((Term("literal", "培\n\n养人才", lang="zh"),),))
    assert format_csv(result) == "e\r\n培 养人才\r\n"
