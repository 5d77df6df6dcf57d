"""Tables as text copies flatten them: one cell per line, each cell closed by `|`, rows
without `|`, a blank 总计 column, signed cells run together, table 四's header and value
rows of different widths. When a table found yields no value, the figures the prose
states stand; a sentence listing outcomes with counts is never a table row."""

from __future__ import annotations

import pytest
from helpers import parse_rows

ROWS = [
    ("一、本年新收政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
    ("二、上年结转政府信息公开申请数量", [0] * 7),
    ("（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("（七）总计", [3, 0, 0, 0, 0, 0, 3]),
    ("四、结转下年度继续办理", [0] * 7),
]
HEAD = [
    "石川县民政局2020年政府信息公开工作年度报告",
    "一、总体情况",
    "2020年，我局全年共收到政府信息公开申请3件，其中予以公开2件，部分公开1件。",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
]
TAIL = ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]


def parse(lines: list[str]) -> dict[str, dict]:
    rows = parse_rows("\n".join(lines).encode("utf-8"), "export.txt").rows
    outcomes = {f"{r['row_key']}/{r['applicant']}": r for r in rows["application_outcomes"]}
    review = {f"{r['proceeding']}/{r['outcome']}": r for r in rows["review_litigation"]}
    disclosure = {f"{r['item']}/{r['metric']}": r for r in rows["disclosure_stats"]}
    return {**outcomes, **review, **disclosure, "issues": {i["code"]: i for i in rows["parse_issues"]}}


def cell_per_line(closing: str) -> list[str]:
    lines = [f"自然人{closing}", f"商业企业{closing}", f"总计{closing}"]
    for label, values in ROWS:
        lines += [f"{label}{closing}", *(f"{v}{closing}" for v in values), closing.strip()]
    return [line for line in lines if line]


@pytest.mark.parametrize("closing", ["", " |"], ids=["one cell per line", "each cell closed by |"])
def test_a_table_printed_one_cell_per_line_is_read(closing: str) -> None:
    facts = parse([*HEAD, *cell_per_line(closing), *TAIL])
    assert {k: facts[k]["value"] for k in ("new_received/total", "granted/total", "partially_granted/total")} == {
        "new_received/total": 3,
        "granted/total": 2,
        "partially_granted/total": 1,
    }
    assert facts["granted/total"]["source"] == "table"


def test_a_table_found_but_unreadable_leaves_the_prose_figures_standing() -> None:
    # Every cell blank: the table is found, and no value is read from it.
    lines = [*HEAD, *(f"{label} | | | | | | | |" for label, _ in ROWS), *TAIL]
    facts = parse(lines)
    assert {k: (facts[k]["value"], facts[k]["source"]) for k in ("new_received/total", "granted/total")} == {
        "new_received/total": (3, "prose"),
        "granted/total": (2, "prose"),
    }


def test_a_sentence_listing_outcomes_is_no_run_together_row() -> None:
    sentence = "全年共收到政府信息公开申请3件，其中予以公开2件，部分公开1件，本机关不掌握相关政府信息0件，重复申请0件，其他处理0件。"
    facts = parse([*HEAD[:2], sentence, *HEAD[3:], *TAIL])
    assert facts["new_received/total"]["value"] == 3
    assert facts["granted/total"]["value"] == 2
    assert "concatenated_cells" not in facts["issues"]


def test_a_blank_total_column_is_filled_from_the_applicant_cells() -> None:
    """A `|` copy drops a blank last cell with the padding: when no row prints its 总计,
    the column is blank, and each blank total is derived (SCHEMA.md)."""
    lines = [*HEAD, *(f"{label} | {' | '.join(map(str, values[:6]))} | | |" for label, values in ROWS), *TAIL]
    facts = parse(lines)
    for row in ("new_received", "granted", "partially_granted"):
        fact = facts[f"{row}/total"]
        assert (fact["value"], fact["derived"], fact["raw_value"]) == (dict(ROWS)[_label(row)][6], True, ""), row


def test_a_single_short_row_stays_short() -> None:
    lines = [f"{label} | {' | '.join(map(str, values))} |" for label, values in ROWS]
    lines[3] = f"{ROWS[3][0]} | 1 | 0 | 0 | 0 | 0 | 0 | | |"
    facts = parse([*HEAD, *lines, *TAIL])
    assert facts["partially_granted/total"]["value"] is None
    assert "short_row" in facts["issues"]


def _label(row: str) -> str:
    return {"new_received": ROWS[0][0], "granted": ROWS[2][0], "partially_granted": ROWS[3][0]}[row]


def test_signed_changes_split_run_together_rows_of_table_two() -> None:
    lines = [
        *HEAD[:4],
        "第二十条第(一)项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 规章000 规范性文件555",
        "第二十条第(五)项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政许可20+1737 其他对外管理服务事项000",
        "第二十条第(六)项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政处罚338-89249 行政强制000",
        "第二十条第(八)项 信息内容 上一年项目数量 本年增/减 行政事业性收费5-1",
        *HEAD[4:],
        *TAIL,
    ]
    facts = parse(lines)
    read = {k: facts[k]["value"] for k in facts if k.startswith(("licensing", "penalty", "fees"))}
    assert read == {
        "licensing/prior_year_count": 20,
        "licensing/change": 17,
        "licensing/decisions": 37,
        "penalty/prior_year_count": 338,
        "penalty/change": -89,
        "penalty/decisions": 249,
        "fees/prior_year_count": 5,
        "fees/change": -1,
    }


H1 = "行政复议 | 行政诉讼 |"
H2 = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |"
H3 = " | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + " |"
VALUES = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "1", "0", "1"]


@pytest.mark.parametrize(
    "table",
    [
        pytest.param([H1, H2, H3, " | ".join(VALUES) + " |"], id="as the template prints it"),
        pytest.param([H1, H2, H3, " ".join(VALUES)], id="value row without |"),
        pytest.param(
            [H1, H2, H3, *(" | ".join(VALUES[i : i + 5]) + " |" for i in (0, 5, 10))], id="a value line per proceeding"
        ),
        pytest.param(
            [
                "| 行政复议 | 行政诉讼 |",
                "|---|---|",
                "| " + H2,
                "| " + H3,
                "|" + "---|" * 15,
                "| " + " | ".join(VALUES) + " |",
            ],
            id="markdown",
        ),
        pytest.param(["行政复议", "行政诉讼", H2, H3, " | ".join(VALUES) + " |"], id="header words without |"),
    ],
)
def test_table_four_whatever_the_widths_of_its_header_and_value_rows(table: list[str]) -> None:
    facts = parse([*HEAD, *TAIL[:1], *table, *TAIL[1:]])
    assert [facts[f"{p}/total"]["value"] for p in ("review", "litigation_direct", "litigation_after_review")] == [
        1,
        0,
        1,
    ]


def test_blank_cells_of_a_table_printed_one_cell_per_line_keep_their_columns() -> None:
    """A lone `|` is a blank cell, `||||` a separator: only the 总计 printed, in its column."""
    lines = ["自然人 |", "法人或其他组织 |", "总计 |", "|||||||"]
    for label, values in ROWS:
        lines += [f"{label} |", *["|"] * 6, f"{values[6]} |", "||"]
    facts = parse([*HEAD, *lines, *TAIL])
    assert facts["new_received/total"]["value"] == 3
    assert facts["new_received/natural_person"]["value"] is None
    assert facts["granted/total"]["value"] == 2
