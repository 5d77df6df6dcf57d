"""Tables 二, 三 and 四 from the markup real pages use (TEMPLATES.md §6.1, §6.4)."""

import random

import pytest
from helpers import document_of, parse_rows

from pipelines.parse.tables.concatenated import read_concatenated
from pipelines.parse.tables.digits import split_digits
from pipelines.parse.tables.disclosure import read_disclosure
from pipelines.parse.tables.outcomes import read_outcomes
from pipelines.parse.tables.review import read_review_litigation
from pipelines.parse.templates import TEMPLATES
from pipelines.parse.templates.common import APPLICANT_KEYS

HEADER = (
    '<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>'
    '<tr><td rowspan="2">{np}</td><td colspan="5">法人或其他组织</td><td rowspan="2">{total}</td></tr>'
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)


def consistent_values(template: str, seed: int) -> dict[str, list[int]]:
    """Table 三 values that satisfy every identity: row sums, outcome sums, balance."""
    rng = random.Random(seed)
    keys = [s.key for s in TEMPLATES[template].outcome_rows]
    outcome_keys = keys[2:-2]
    values = {k: [rng.choice([0, 0, 0, 1, 2, 5, 13]) for _ in range(6)] for k in outcome_keys}
    processed = [sum(values[k][i] for k in outcome_keys) for i in range(6)]
    carried_over = [rng.randint(0, min(p, 3)) for p in processed]
    forward = [rng.randint(0, 4) for _ in range(6)]
    values["carried_over"] = carried_over
    values["new_received"] = [p + f - c for p, f, c in zip(processed, forward, carried_over)]
    values["total_processed"] = processed
    values["carried_forward"] = forward
    return {k: v + [sum(v)] for k, v in values.items()}


def outcome_rows_html(
    template: str, values: dict[str, list], *, labels: bool = True, spaced: bool = False
) -> list[str]:
    """The data rows of table 三 as the template prints them (group labels as rowspans)."""
    specs = TEMPLATES[template].outcome_rows
    rows = []
    for spec in specs:
        label = (
            spec.label.split("）", 1)[-1]
            if spec.key.startswith(("denied", "unavailable", "not_processed", "other_"))
            else spec.label
        )
        if spaced:
            label = " ".join(label)
        cells = "".join(f"<td>{v}</td>" for v in values[spec.key])
        head = ""
        if labels:
            if spec.key == "granted":
                head = f'<td rowspan="{len(specs) - 4}">三、本年度办理结果</td>'
            group = {
                "denied_state_secret": ("（三）不予公开", 8),
                "unavailable_not_held": ("（四）无法提供", 3),
                "not_processed_petition": ("（五）不予处理", 5),
                "other_no_correction": ("（六）其他处理", 3),
            }.get(spec.key)
            if group:
                head += f'<td rowspan="{group[1]}">{group[0]}</td>'
            colspan = (
                3
                if spec.key in ("new_received", "carried_over", "carried_forward")
                else (2 if spec.key in ("granted", "partially_granted", "other", "total_processed") else 1)
            )
            head += f'<td colspan="{colspan}">{label}</td>'
        rows.append(f"<tr>{head}{cells}</tr>")
    return rows


def page(*tables_and_text: str) -> str:
    return "<html><body><p>某局2020年政府信息公开工作年度报告</p>" + "".join(tables_and_text) + "</body></html>"


def outcomes_of(markup: str) -> dict[str, list]:
    read = read_outcomes(document_of(markup.encode()))
    rows: dict[str, list] = {}
    for (row, applicant), fact in read.facts.items():
        rows.setdefault(row, [None] * 7)[APPLICANT_KEYS.index(applicant)] = fact.value
    return rows


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_template_table(template: str) -> None:
    values = consistent_values(template, 1)
    markup = page(
        "<table>" + HEADER.format(np="自然人", total="总计") + "".join(outcome_rows_html(template, values)) + "</table>"
    )
    assert outcomes_of(markup) == values
    assert read_outcomes(document_of(markup.encode())).shape.key == template


def test_table_split_over_two_tables_with_repeated_header_and_a_paragraph_between() -> None:
    values = consistent_values("2019", 2)
    rows = outcome_rows_html("2019", values)
    header = "<table>" + HEADER.format(np="自然人", total="总计")
    markup = page(header + "".join(rows[:9]) + "</table>", "<p>（续表）</p>", header + "".join(rows[9:]) + "</table>")
    assert outcomes_of(markup) == values


def test_letter_spaced_labels_and_headers() -> None:
    values = consistent_values("2021", 3)
    markup = page(
        "<table>"
        + HEADER.format(np="自 然 人", total="总 计")
        + "".join(outcome_rows_html("2021", values, spaced=True))
        + "</table>"
    )
    assert outcomes_of(markup) == values


def test_nested_layout_table() -> None:
    values = consistent_values("2019", 4)
    inner = (
        "<table>" + HEADER.format(np="自然人", total="总计") + "".join(outcome_rows_html("2019", values)) + "</table>"
    )
    markup = page(f"<table><tr><td><p>三、收到和处理政府信息公开申请情况</p>{inner}</td></tr></table>")
    assert outcomes_of(markup) == values


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_lost_labels_are_assigned_by_position(template: str) -> None:
    values = consistent_values(template, 5)
    markup = page(
        "<table>"
        + HEADER.format(np="自然人", total="总计")
        + "".join(outcome_rows_html(template, values, labels=False))
        + "</table>"
    )
    read = read_outcomes(document_of(markup.encode()))
    assert outcomes_of(markup) == values
    assert any(i.code == "labels_lost" for i in read.issues)


def test_short_row_keeps_values_from_the_left_and_warns() -> None:
    values = consistent_values("2019", 6)
    rows = outcome_rows_html("2019", values)
    rows[3] = rows[3].rsplit("<td>", 1)[0] + "</tr>"  # drop the last cell of 部分公开
    markup = page("<table>" + HEADER.format(np="自然人", total="总计") + "".join(rows) + "</table>")
    read = read_outcomes(document_of(markup.encode()))
    assert [read.facts[("partially_granted", a)].value for a in APPLICANT_KEYS] == values["partially_granted"][:6] + [
        None
    ]
    assert read.facts[("partially_granted", "total")].raw is None
    assert [i.code for i in read.issues] == ["short_row"]


def test_subtotal_column_is_tolerated() -> None:
    values = consistent_values("2019", 7)
    with_subtotal = {k: v[:6] + [sum(v[1:6])] + v[6:] for k, v in values.items()}
    header = (
        HEADER.format(np="自然人", total="总计")
        .replace("<td>其他</td>", "<td>其他</td><td>小计</td>")
        .replace('colspan="5"', 'colspan="6"')
    )
    markup = page("<table>" + header + "".join(outcome_rows_html("2019", with_subtotal)) + "</table>")
    assert outcomes_of(markup) == values


def test_review_table_with_header_spans() -> None:
    header = (
        '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td>'
        '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
        "<tr>"
        + "".join(f"<td>{x}</td>" for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + "</tr>"
    )
    data = [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    markup = page(
        "<table>"
        + header
        + "<tr>"
        + "".join(f"<td>{v}</td>" for v in data)
        + "</tr><tr>"
        + "<td></td>" * 15
        + "</tr></table>"
    )
    read = read_review_litigation(document_of(markup.encode()))
    assert [read.facts[k].value for k in read.facts] == data
    assert read.facts[("litigation_direct", "total")].value == 1


def test_disclosure_2019_with_explanations_extra_rows_and_span_disagreement() -> None:
    markup = page(
        "<table>"
        '<tr><td colspan="4">第二十条第（一）项</td></tr>'
        "<tr><td>信息内容</td><td>本年新<br>制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>"
        "<tr><td>规章（设区的市、自治州人民政府应提供相关数据）</td><td>/</td><td>/</td><td>/</td></tr>"
        "<tr><td>规范性文件</td><td>33</td><td>8</td><td>120</td></tr>"
        "<tr><td>其他主动公开文件</td><td>99</td><td>99</td><td>99</td></tr>"
        '<tr><td colspan="4">第二十条第（五）项</td></tr>'
        # header spans [1,1,2,1] against data spans [1,2,1,1] (Shanghai 2019): read in sequence
        '<tr><td>信息内容</td><td>上一年项目数量（指2019年事项数）</td><td colspan="2">本年增/减（减用负值表示，如-8）</td><td>处理决定数量</td></tr>'
        '<tr><td>行政许可</td><td colspan="2">396</td><td>减4</td><td>278</td></tr>'
        '<tr><td colspan="4">第二十条第（八）项</td></tr>'
        "<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td></tr>"
        "<tr><td>行政事业收费</td><td>35</td><td>-15</td></tr>"
        '<tr><td colspan="4">第二十条第（九）项</td></tr>'
        "<tr><td>信息内容</td><td>采购项目数量</td><td>采购总金额</td></tr>"
        "<tr><td>政府集中采购</td><td>5</td><td>52.15</td></tr>"
        "</table>"
    )
    read = read_disclosure(document_of(markup.encode()), TEMPLATES["2019"])
    values = {k: f.value for k, f in read.facts.items()}
    assert values[("regulations", "new_made")] is None and read.facts[("regulations", "new_made")].raw == "/"
    assert (
        values[("normative_documents", "new_made")] == 33 and values[("normative_documents", "total_published")] == 120
    )
    assert [values[("licensing", m)] for m in ("prior_year_count", "change", "decisions")] == [396, -4, 278]
    assert [values[("fees", m)] for m in ("prior_year_count", "change")] == [35, -15]
    assert values[("procurement", "amount")] == 52.15 and read.facts[("procurement", "amount")].unit is None
    assert any(i.code == "amount_unit_unknown" for i in read.issues)
    assert not any(k[0] == "other_documents" for k in values)


def test_disclosure_2021() -> None:
    markup = page(
        "<table>"
        '<tr><td colspan="4">第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>'
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>行政规范性文件</td><td>88</td><td>55</td><td>698</td></tr>"
        '<tr><td colspan="4">第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr><tr><td>行政许可</td><td colspan="3">10690</td></tr>'
        '<tr><td colspan="4">第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr><tr><td>行政事业性收费</td><td colspan="3">9116.36</td></tr>'
        "</table>"
    )
    read = read_disclosure(document_of(markup.encode()), TEMPLATES["2021"])
    assert read.shape.key == "2021"
    assert {k: f.value for k, f in read.facts.items()} == {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 88,
        ("normative_documents", "repealed"): 55,
        ("normative_documents", "in_force"): 698,
        ("licensing", "decisions"): 10690,
        ("fees", "amount"): 9116.36,
    }
    assert read.facts[("fees", "amount")].unit == "万元"


def test_split_digits_only_returns_satisfying_splits() -> None:
    row_sum = lambda v: len(v) < 7 or v[-1] == sum(v[:-1])  # noqa: E731
    assert split_digits("6000017", 7, row_sum) == [[6, 0, 0, 0, 0, 1, 7]]
    assert split_digits("200000121", 7, row_sum) == [[20, 0, 0, 0, 0, 1, 21]]
    assert len(split_digits("3960181", 3, lambda v: True)) > 1  # 396/0/181, 39/60/181, ...: never guessed
    assert split_digits("000", 3, lambda v: True) == [[0, 0, 0]]


def test_concatenated_text_is_split_only_when_unique() -> None:
    text = (
        "二、主动公开政府信息情况 第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件898989"
        "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可3960181"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        "一、本年新收政府信息公开申请数量230 000023二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开7000007"
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）1000001（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
        "（七）总计23 0 00 0 023四、结转下年度继续办理 0 0 00 00 0 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计011021000100000 五、存在的主要问题"
    )
    disclosure, outcomes, review = read_concatenated(text, TEMPLATES["2019"])
    totals = {k: f.value for (k, a), f in outcomes.facts.items() if a == "total"}
    assert totals["new_received"] == 23 and totals["granted"] == 7 and totals["partially_granted"] == 1
    assert totals["total_processed"] == 23 and totals["carried_forward"] == 0 and totals["denied_state_secret"] == 0
    assert [review.facts[k].value for k in review.facts] == [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert disclosure.facts[("regulations", "new_made")].value == 0
    assert disclosure.facts[("normative_documents", "new_made")].value is None  # 89/89/89? 8/98/989? not guessed
    assert disclosure.facts[("licensing", "decisions")].raw == "3960181"
    assert all(i.code == "concatenated_cells" for i in outcomes.issues + review.issues + disclosure.issues)
    assert any("no unique split" in i.message for i in disclosure.issues)


def test_the_2014_national_statistics_table_is_not_table_3_or_4() -> None:
    rows = [
        ("统计指标", "单位", "统计数"),
        ("三、依申请公开情况", "", ""),
        ("（一）收到申请数", "件", "12"),
        ("（三）申请答复数", "件", "11"),
        ("2.同意公开答复数", "件", "7"),
        ("3.同意部分公开答复数", "件", "2"),
        ("4.不同意公开答复数", "件", "2"),
        ("其中：涉及国家秘密", "件", "1"),
        ("四、行政复议数量", "件", "1"),
        ("（一）维持具体行政行为数", "件", "1"),
        ("五、行政诉讼数量", "件", "0"),
        ("（一）维持具体行政行为或者驳回原告诉讼请求数", "件", "0"),
    ]
    table = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"
    markup = (
        "<html><body><p>某县人民政府2016年政府信息公开工作年度报告</p><p>一、概述</p><p>二、主动公开政府信息情况</p><p>三、依申请公开政府信息情况</p>"
        + table
        + "</body></html>"
    )
    parsed = parse_rows(markup.encode(), "2016.html")
    report = parsed.rows["reports"][0]
    assert report["template"] == "pre2019" and report["parse_status"] == "ok"
    facts = {(r["row_key"], r["applicant"]): (r["value"], r["source"]) for r in parsed.rows["application_outcomes"]}
    assert facts[("new_received", "total")] == (12, "table") and facts[("granted", "total")] == (7, "table")
    assert facts[("partially_granted", "total")] == (2, "table") and facts[("total_processed", "total")] == (
        11,
        "table",
    )
    review = {(r["proceeding"], r["outcome"]): r["value"] for r in parsed.rows["review_litigation"]}
    assert review == {("review", "total"): 1, ("litigation", "total"): 0}
