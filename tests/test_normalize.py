"""Normalization repairs PDF damage and every character maps back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.normalize import normalize, same_after_mapping

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)
PIECES = st.one_of(
    st.text(CJK, min_size=1, max_size=8),
    st.sampled_from(
        [" ", "\n", "\n\n", "，", "。", ",", '"', "（", "(", "１２", "ＡＢ", "\u3000", "\r\n"]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4),
)


def _same(orig: str, norm: str) -> bool:
    """A normalized character is the original one or its one-for-one repair."""
    if orig == norm:
        return True
    pairs = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", '"': "“”"}
    if orig in pairs and norm in pairs[orig]:
        return True
    if norm == " " and orig in "\u3000\u00a0":
        return True
    if norm == "\n" and orig.isspace():
        return True
    if same_after_mapping(orig, norm):  # a traditional character and its simplified form
        return True
    return 0xFF01 <= ord(orig) <= 0xFF5E and ord(orig) - 0xFEE0 == ord(norm)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_every_character_maps_back(raw: str) -> None:
    n = normalize(raw)
    assert len(n.offsets) == len(n.text)
    for i, ch in enumerate(n.text):
        assert _same(raw[n.offsets[i]], ch), (i, ch, raw[n.offsets[i]])
    assert list(n.offsets) == sorted(n.offsets)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join), st.data())
def test_any_span_maps_to_a_span_of_the_original(raw: str, data: st.DataObject) -> None:
    n = normalize(raw)
    if not n.text:
        return
    a = data.draw(st.integers(0, len(n.text) - 1))
    b = data.draw(st.integers(a + 1, len(n.text)))
    start, end = n.offsets[a], n.offsets[b - 1] + 1
    span = raw[start:end]
    # the original span holds the normalized characters, in order, plus only deleted ones
    it = iter(range(start, end))
    for k in range(a, b):
        pos = n.offsets[k]
        assert any(p == pos for p in it)
    assert len(span) >= b - a


def test_spaces_inside_chinese_runs_are_removed() -> None:
    raw = "会 议 全 面 贯彻党的二十大精神，会议全面贯彻落实各项部署要求并取得了实效。"
    assert normalize(raw).text.startswith("会议全面贯彻")


def test_word_broken_across_blank_lines_is_joined() -> None:
    raw = "京长合作稳步推进。强化人才交流培\n\n养，我市选派医护骨干赴京培训进修。"
    n = normalize(raw)
    assert "交流培养，我市" in n.text
    a = n.text.index("培养")
    assert raw[n.offsets[a] : n.offsets[a + 1] + 1] == "培\n\n养"


def test_headings_are_not_joined_to_the_next_paragraph() -> None:
    n = normalize("公立医院增实力 基层医疗焕新颜\n\n省级区域医疗中心建设成效明显。")
    assert "焕新颜\n省级" in n.text


def test_paragraph_printed_twice_is_dropped() -> None:
    p = "市、县疾病预防控制中心全部成立，疾控中心重组加速推进，慢性病防治成绩突出。"
    n = normalize(f"{p}\n\n{p}\n\n下一段。")
    assert n.text.count("疾控中心重组") == 1


def test_cut_copy_of_a_later_paragraph_is_dropped() -> None:
    full = "国家卫健委公布全国应急重点城市建设单位名单，平顶山作为全国6个城市之一成功入选，省委办公厅《工作交流》刊发信息。"
    cut = full[:40]
    n = normalize(f"{cut}\n\n{full}")
    assert n.text.count("应急重点城市") == 1


def test_fullwidth_digits_and_ascii_punctuation() -> None:
    n = normalize("２０２３年,我市入选(国家)试点。")
    assert n.text == "2023年，我市入选（国家）试点。"


def test_straight_quotes_become_curly() -> None:
    assert normalize('强化新冠感染"乙类乙管"常态化防控').text == "强化新冠感染“乙类乙管”常态化防控"


def test_traditional_characters_become_simplified_one_for_one() -> None:
    raw = "郟县衛生健康委員會：中小學生近視防控"
    n = normalize(raw)
    assert n.text == "郏县卫生健康委员会：中小学生近视防控"
    assert list(n.offsets) == list(range(len(raw)))


def test_characters_with_several_simplified_readings_are_left_as_written() -> None:
    # 乾县 (a county in Shaanxi) and 於 (a surname) are also simplified characters.
    assert normalize("乾县人民医院於梅主任").text == "乾县人民医院於梅主任"


def test_a_traditional_place_name_is_found_and_keeps_its_printed_form_as_an_alias() -> None:
    from kg.resolve import Resolver
    from tests.conftest import analyse_text

    facts = analyse_text("平顶山市郟县、宝丰县获评国家卫生县城。")
    places = {m.name: m.surface for m in facts.mentions if m.cls == "Place"}
    assert places.get("郏县") == "郟县"
    resolver = Resolver()
    resolver.add(facts)
    county = next(e for e in resolver.entities.values() if e.name == "郏县")
    assert "郟县" in county.aliases
