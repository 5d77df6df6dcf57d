"""The same reports as mirrors and older CMSs serve them: traditional script with and
without Taiwan vocabulary, GB18030 or Big5 with or without a charset, a BOM, text with
`|` rows or run-together cells. Every copy must give the hand-checked answers."""

import json
import re

import opencc
import pytest
from helpers import FIXTURES_DIR, RAW_DIR, parse_rows

from pipelines.evaluate import FieldResult, field_value, flatten_truth, key_columns
from pipelines.warehouse.rows import FACT_TABLES

PAGES = {"002": "002.html", "004": "004.html", "009": "009.html", "014": "014.html", "023": "023.txt", "502": "502.txt"}
_CHARSET_META = re.compile(r"<meta[^>]*charset[^>]*>", re.I)


def variant(data: bytes, kind: str) -> bytes:
    text = data.decode("utf-8")
    if kind in ("s2t", "s2tw", "s2twp", "s2hk"):
        return opencc.OpenCC(kind).convert(text).encode("utf-8")
    if kind == "gb18030_undeclared":
        return _CHARSET_META.sub("", text).encode("gb18030")
    if kind == "big5_declared":
        return _CHARSET_META.sub('<meta charset="big5">', opencc.OpenCC("s2tw").convert(text)).encode("big5", "replace")
    if kind == "big5_undeclared":
        return _CHARSET_META.sub("", opencc.OpenCC("s2tw").convert(text)).encode("big5", "replace")
    if kind == "utf8_bom":
        return b"\xef\xbb\xbf" + data
    raise ValueError(kind)


def misses(stem: str, data: bytes) -> list[FieldResult]:
    parsed = parse_rows(data, PAGES[stem])
    assert parsed.is_report, parsed.rows["parse_issues"]
    report = parsed.rows["reports"][0]
    facts = {
        (table, row[key_columns(table)[0]], row[key_columns(table)[1]]): row["value"]
        for table in FACT_TABLES
        for row in parsed.rows[table]
    }
    truth = flatten_truth(json.loads((FIXTURES_DIR / f"{stem}.truth.json").read_text("utf-8")))
    results = [
        FieldResult(stem, f, expected, field_value(report, f, lambda t, a, b: facts.get((t, a, b))))
        for f, expected in truth.items()
    ]
    return [r for r in results if not r.correct]


@pytest.mark.parametrize("stem", sorted(PAGES))
@pytest.mark.parametrize(
    "kind", ["s2t", "s2tw", "s2twp", "s2hk", "gb18030_undeclared", "big5_declared", "big5_undeclared", "utf8_bom"]
)
def test_every_copy_reads_like_the_original(stem: str, kind: str) -> None:
    data = (RAW_DIR / "fixtures" / PAGES[stem]).read_bytes()
    assert misses(stem, data) == []
    assert misses(stem, variant(data, kind)) == []


def test_pipe_table_text_with_cells_run_together() -> None:
    """502 as an archive keeps it: one line, no separators. Tables 三 and 四 split by
    their identities; table 二's multi-cell rows cannot be split and stay NULL."""
    text = (RAW_DIR / "fixtures" / "502.txt").read_text("utf-8")
    flat = "".join("".join(c.strip() for c in line.split("|")) if "|" in line else line for line in text.splitlines())
    wrong = {r.field for r in misses("502", flat.encode())}
    assert wrong == {"table2.normative_docs_new", "table2.licensing_decisions", "table2.penalty_decisions"}
