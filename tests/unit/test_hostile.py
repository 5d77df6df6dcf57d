"""Hostile documents: each becomes a parse_issues row or a bounded value — never a crash,
a hang, or an unbounded value."""

import time

import pytest
from helpers import HEAD, HOSTILE, OUTCOME_TABLE, TAIL, parse_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipelines.parse.parser as parse_module
from pipelines.issues import DocumentError
from pipelines.parse.normalise import BIGINT_MAX


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_document_is_a_report_or_an_issue(name: str) -> None:
    result = parse_rows(HOSTILE[name].encode(), name)
    assert result.is_report or result.rows["parse_issues"]
    codes = [i["code"] for i in result.rows["parse_issues"]]
    assert "timeout" not in codes and "internal_error" not in codes, codes


def test_zero_width_and_control_characters_in_labels_and_absurd_numbers() -> None:
    cells = "".join(
        f"<td>{v}</td>"
        for v in ["1e308", "９９９９９９９９９９９９９９９９９９９", "0", "0", "0", "0", "\u200b1\u200b"]
    )
    markup = HEAD + OUTCOME_TABLE.format(label="一、本\u200b年\x07新\ufeff收政府信息公开申请数量", cells=cells) + TAIL
    result = parse_rows(markup.encode(), "controls.html")
    values = {(r["row_key"], r["applicant"]): r for r in result.rows["application_outcomes"]}
    assert (
        values[("new_received", "natural_person")]["value"] is None
        and values[("new_received", "natural_person")]["raw_value"] == "1e308"
    )
    assert values[("new_received", "commercial")]["value"] is None
    assert values[("new_received", "total")]["value"] == 1
    assert {i["code"] for i in result.rows["parse_issues"]} >= {"bad_value"}
    assert all(r["value"] is None or abs(r["value"]) <= BIGINT_MAX for r in result.rows["application_outcomes"])


def test_the_time_limit_turns_a_hang_into_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(page):  # noqa: ANN001, ANN202
        time.sleep(5)

    monkeypatch.setattr(parse_module, "TIME_LIMIT_SECONDS", 1)
    monkeypatch.setattr(parse_module, "read_document", hang)
    result = parse_rows(HOSTILE["many_tables"].encode(), "slow.html")
    assert [i["code"] for i in result.rows["parse_issues"]] == ["timeout"] and not result.is_report


def test_an_unexpected_failure_is_an_issue_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(page):  # noqa: ANN001, ANN202
        raise KeyError("surprise")

    monkeypatch.setattr(parse_module, "read_document", broken)
    result = parse_rows(HOSTILE["many_tables"].encode(), "broken.html")
    assert [i["code"] for i in result.rows["parse_issues"]] == ["internal_error"]


def test_pages_over_the_cap_are_refused() -> None:
    result = parse_rows(b"<html>" + b"x" * 2000, "big.html", max_bytes=1000)
    assert [i["code"] for i in result.rows["parse_issues"]] == ["too_large"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000) | st.text(max_size=3000).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = parse_rows(data, "fuzz")
    assert result.is_report or result.rows["parse_issues"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["自然人", "总计", "（一）予以公开", "本年新收", "1", "0", "", "-", "减4", "<b>", "rowspan", "9" * 25]
            ),
            max_size=12,
        ),
        max_size=30,
    ),
    st.lists(st.integers(-5, 10**10), max_size=30),
)
def test_random_tables_never_raise(cells: list[list[str]], spans: list[int]) -> None:
    span = iter(spans)
    rows = "".join(
        "<tr>" + "".join(f'<td rowspan="{next(span, 1)}" colspan="{next(span, 1)}">{c}</td>' for c in row) + "</tr>"
        for row in cells
    )
    result = parse_rows((HEAD + f"<table>{rows}</table>" + TAIL).encode(), "random")
    assert result.is_report or result.rows["parse_issues"]
    for row in result.rows["application_outcomes"] + result.rows["review_litigation"]:
        assert row["value"] is None or abs(row["value"]) <= BIGINT_MAX


def test_the_library_error_type() -> None:
    from pipelines.parse.decode import decode

    with pytest.raises(DocumentError):
        decode(b"\x00\x01")
