"""Generate a benchmark corpus: realistic report pages made from the real fixture pages.

    python -m benchmarks.generate --n N --seed S --out DIR      # a new corpus
    python -m benchmarks.generate --out DIR --mutate FRACTION   # new numbers on that fraction of its pages

writes `DIR/pages/<province>/<city>/<index>.html` (the raw folder to point the pipeline at),
`DIR/truth.jsonl` (what each page prints: identity and the numbers of tables 二, 三 and 四)
and `DIR/corpus.json` (n, seed, how many mutations).

Each fixture is read once into a template: its markup as printed, with the value cells of
tables 二/三/四 (or of the pre-2019 statistics table), the prose sentences that repeat
those numbers, the agency, place names, years and dates cut out as slots, and long prose
paragraphs kept as sentences to shuffle. A page is that template filled in: a region
and agency kind from the cpca gazetteer, a year of the template's era, and numbers drawn
so that every identity of TEMPLATES.md §5 holds. Every draw comes from random.Random
seeded with the seed and the page's index (and, for the numbers, how often the page was
mutated), so a page does not depend on the others or on the number of processes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import importlib.util
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_DIR / "data" / "raw" / "fixtures"
PAGES_DIR = "pages"
TRUTH_FILE = "truth.jsonl"
CORPUS_FILE = "corpus.json"

# --- the official tables: canonical keys and a word of each printed label --------

APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
_OUTCOME_HEAD = [
    ("new_received", "本年新收"),
    ("carried_over", "上年结转"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("denied_state_secret", "国家秘密"),
    ("denied_law_prohibited", "禁止公开"),
    ("denied_three_safeties", "三安全一稳定"),
    ("denied_third_party", "第三方"),
    ("denied_internal_affairs", "内部事务"),
    ("denied_process_info", "过程性"),
    ("denied_enforcement_file", "执法案卷"),
    ("denied_admin_query", "行政查询"),
    ("unavailable_not_held", "不掌握"),
    ("unavailable_needs_creation", "另行制作"),
    ("unavailable_unclear", "仍不明确"),
    ("not_processed_petition", "信访"),
    ("not_processed_duplicate", "重复申请"),
    ("not_processed_publication", "出版物"),
    ("not_processed_excessive", "大量反复"),
    ("not_processed_confirmation", "重新出具"),
]
_OUTCOME_OTHER = {
    "2019": [("other", "其他处理")],
    "2021": [("other_no_correction", "逾期不补正"), ("other_unpaid_fee", "收费通知"), ("other_misc", "其他")],
}
_OUTCOME_TAIL = [("total_processed", "总计"), ("carried_forward", "结转下年度")]
OUTCOME_ROWS = {t: _OUTCOME_HEAD + other + _OUTCOME_TAIL for t, other in _OUTCOME_OTHER.items()}
# The rows that add up to （七）总计.
OUTCOME_PARTS = {t: [k for k, _ in rows[2:-2]] for t, rows in OUTCOME_ROWS.items()}
# Relative frequency of each outcome (before a per-page perturbation).
_OUTCOME_WEIGHTS = {
    "granted": 30,
    "partially_granted": 8,
    "denied_state_secret": 0.3,
    "denied_law_prohibited": 0.5,
    "denied_three_safeties": 0.3,
    "denied_third_party": 1.5,
    "denied_internal_affairs": 1.5,
    "denied_process_info": 2,
    "denied_enforcement_file": 0.8,
    "denied_admin_query": 1,
    "unavailable_not_held": 25,
    "unavailable_needs_creation": 3,
    "unavailable_unclear": 2,
    "not_processed_petition": 4,
    "not_processed_duplicate": 3,
    "not_processed_publication": 0.5,
    "not_processed_excessive": 0.5,
    "not_processed_confirmation": 0.5,
    "other": 5,
    "other_no_correction": 3,
    "other_unpaid_fee": 0.2,
    "other_misc": 2,
}
_APPLICANT_WEIGHTS = [88, 6, 0.5, 0.5, 1.5, 3.5]

PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]

# Table 二: (item, a word of its label, metrics in column order).
DISCLOSURE_ROWS = {
    "2019": [
        ("regulations", "规章", ("new_made", "new_published", "total_published")),
        ("normative_documents", "规范性文件", ("new_made", "new_published", "total_published")),
        ("licensing", "行政许可", ("prior_year_count", "change", "decisions")),
        ("other_services", "其他对外管理服务事项", ("prior_year_count", "change", "decisions")),
        ("penalty", "行政处罚", ("prior_year_count", "change", "decisions")),
        ("coercion", "行政强制", ("prior_year_count", "change", "decisions")),
        ("fees", "行政事业性收费", ("prior_year_count", "change")),
        ("procurement", "政府集中采购", ("projects", "amount")),
    ],
    "2021": [
        ("regulations", "规章", ("issued", "repealed", "in_force")),
        ("normative_documents", "行政规范性文件", ("issued", "repealed", "in_force")),
        ("licensing", "行政许可", ("decisions",)),
        ("penalty", "行政处罚", ("decisions",)),
        ("coercion", "行政强制", ("decisions",)),
        ("fees", "行政事业性收费", ("amount",)),
    ],
}

# Pre-2019 statistics tables: (key, a word of the row label) in printed order. Keys
# starting pub_/recv_/ans_ add up to proactive/received/answered.
_STATS_009 = [
    ("proactive", "主动公开文件数"),
    ("pub_web", "政府网站公开"),
    ("pub_gazette", "政府公报公开"),
    ("received", "受理依申请公开"),
    ("recv_in_person", "当面申请"),
    ("recv_online", "网上申请"),
    ("recv_mail_fax", "信函、传真"),
    ("answered", "答复总数"),
    ("ans_granted", "同意公开"),
    ("ans_partial", "同意部分公开"),
    ("ans_refused", "不予公开"),
    ("ans_other", "其他类型"),
    ("fee_waived", "收费减免"),
    ("complaints", "举报"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼数"),
]
_STATS_014 = [
    ("proactive", "主动公开信息数"),
    ("pub_web", "网站公开"),
    ("pub_gazette", "政府公报公开"),
    ("received", "受理依申请公开"),
    ("recv_in_person", "当面申请"),
    ("recv_fax", "传真申请"),
    ("recv_email", "电子邮件申请"),
    ("recv_online", "网上申请"),
    ("recv_mail", "信函申请"),
    ("recv_other", "其它形式申请"),
    ("answered", "答复数"),
    ("ans_granted", "同意公开"),
    ("ans_partial", "同意部分公开"),
    ("ans_refused", "否决公开"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
    ("appeals", "行政申诉"),
]
STATS_SUMS = {"proactive": "pub_", "received": "recv_", "answered": "ans_"}
_STATS_WEIGHTS = {
    "recv_in_person": 5,
    "recv_online": 4,
    "recv_mail_fax": 1,
    "recv_fax": 0.3,
    "recv_email": 1,
    "recv_mail": 1,
    "recv_other": 0.3,
    "ans_granted": 7,
    "ans_partial": 1,
    "ans_refused": 1,
    "ans_other": 1,
}
_CHANNEL_WORDS_014 = {
    "recv_in_person": "当面申请数",
    "recv_fax": "传真申请数",
    "recv_email": "电子邮件申请数",
    "recv_online": "网上申请数",
    "recv_mail": "信函申请数",
    "recv_other": "其它形式申请数",
}


# --- numbers --------------------------------------------------------------------


@dataclass
class Tables:
    """The numbers a page prints: table 三 rows of 7, table 四 proceedings of 5, table 二 items,
    and the pre-2019 statistics rows as [this year, cumulative]."""

    outcomes: dict[str, list[int]] = field(default_factory=dict)
    review: dict[str, list[int]] = field(default_factory=dict)
    disclosure: dict[str, dict[str, float]] = field(default_factory=dict)
    stats: dict[str, list[int]] = field(default_factory=dict)


def _count(rng: random.Random, typical: float, zero: float) -> int:
    """0 with probability `zero`, else a log-normal count around `typical`."""
    if rng.random() < zero:
        return 0
    return max(1, round(rng.lognormvariate(math.log(typical), 1.0)))


def _split(rng: random.Random, n: int, keys: list[str], weights: list[float]) -> dict[str, int]:
    """n items spread over keys (a multinomial draw)."""
    counts = Counter(rng.choices(keys, weights, k=n)) if n else Counter()
    return {k: counts[k] for k in keys}


def _outcome_table(rng: random.Random, template: str) -> dict[str, list[int]]:
    """Table 三 where every identity of TEMPLATES.md §5.1 holds."""
    size = rng.random()
    new_total = 0 if size < 0.25 else _count(rng, 4 if size < 0.65 else 40 if size < 0.92 else 400, 0)
    columns = APPLICANTS[:-1]
    new = _split(rng, new_total, columns, [w * rng.uniform(0.2, 2) for w in _APPLICANT_WEIGHTS])
    carried = {c: rng.randint(0, new[c] // 8 + 1) if new[c] and rng.random() < 0.3 else 0 for c in columns}
    forward = {
        c: rng.randint(0, (new[c] + carried[c]) // 6 + 1) if new[c] and rng.random() < 0.3 else 0 for c in columns
    }
    forward = {c: min(forward[c], new[c] + carried[c]) for c in columns}
    parts = OUTCOME_PARTS[template]
    weights = [_OUTCOME_WEIGHTS[p] * rng.choice((0, 0.3, 1, 3)) for p in parts]
    weights[0] = weights[0] or _OUTCOME_WEIGHTS["granted"]
    rows: dict[str, list[int]] = {key: [0] * 7 for key, _ in OUTCOME_ROWS[template]}
    for i, column in enumerate(columns):
        processed = new[column] + carried[column] - forward[column]
        for part, n in _split(rng, processed, parts, weights).items():
            rows[part][i] = n
        rows["new_received"][i] = new[column]
        rows["carried_over"][i] = carried[column]
        rows["total_processed"][i] = processed
        rows["carried_forward"][i] = forward[column]
    for values in rows.values():
        values[6] = sum(values[:6])
    return rows


def _review_table(rng: random.Random, applications: int) -> dict[str, list[int]]:
    """Table 四: each proceeding's 总计 is the sum of its four outcomes."""
    table = {}
    for proceeding, chance in zip(PROCEEDINGS, (0.3, 0.2, 0.08)):
        total = rng.randint(1, 2 + applications // 40) if rng.random() < chance else 0
        outcomes = _split(rng, total, REVIEW_OUTCOMES[:4], [6, 1.5, 1.5, 2])
        table[proceeding] = [*outcomes.values(), total]
    return table


def _disclosure_table(rng: random.Random, template: str, makes_rules: bool) -> dict[str, dict[str, float]]:
    """Table 二 in the template's own metrics (amounts in 元 for 2019, 万元 for 2021)."""
    regulations = _count(rng, 2, 0.6) if makes_rules else 0
    normative = _count(rng, 8, 0.3)
    if template == "2019":

        def made(n: int, stock: float) -> dict[str, float]:
            published = n - (rng.randint(0, n) if rng.random() < 0.2 else 0)
            return {"new_made": n, "new_published": published, "total_published": published + _count(rng, stock, 0.2)}

        def items(prior: float, decisions: float, zero: float) -> dict[str, float]:
            count = _count(rng, prior, zero)
            return {
                "prior_year_count": count,
                "change": rng.randint(-(count // 5), count // 3 + 5),
                "decisions": _count(rng, decisions, zero),
            }

        fees = _count(rng, 10, 0.5)
        projects = _count(rng, 40, 0.4)
        return {
            "regulations": made(regulations, 20 if makes_rules else 1),
            "normative_documents": made(normative, 60),
            "licensing": items(200, 1500, 0.3),
            "other_services": items(30, 300, 0.4),
            "penalty": items(150, 800, 0.3),
            "coercion": items(20, 50, 0.5),
            "fees": {"prior_year_count": fees, "change": rng.randint(-(fees // 3), 3)},
            "procurement": {"projects": projects, "amount": round(projects * rng.uniform(5e3, 3e5), 2)},
        }
    stock = _count(rng, 60, 0.2)
    return {
        "regulations": {
            "issued": regulations,
            "repealed": _count(rng, 1, 0.8) if makes_rules else 0,
            "in_force": regulations + (_count(rng, 20, 0.3) if makes_rules else 0),
        },
        "normative_documents": {
            "issued": normative,
            "repealed": rng.randint(0, stock // 4),
            "in_force": normative + stock,
        },
        "licensing": {"decisions": _count(rng, 1500, 0.3)},
        "penalty": {"decisions": _count(rng, 800, 0.3)},
        "coercion": {"decisions": _count(rng, 50, 0.5)},
        "fees": {"amount": 0 if rng.random() < 0.6 else round(rng.uniform(0.5, 20000), 2)},
    }


def _stats_table(rng: random.Random, rows: list[tuple[str, str]]) -> dict[str, list[int]]:
    """A pre-2019 statistics table: totals are the sums of their parts, in both columns,
    and every application received was answered (this year and cumulatively)."""
    keys = [key for key, _ in rows]
    history = rng.uniform(1, 10)  # earlier years' total, in multiples of this year's

    def with_earlier(value: int) -> list[int]:
        return [value, value + round(value * history * rng.uniform(0.5, 1.5))]

    leaves = {
        "pub_web": _count(rng, 800, 0.05),
        "pub_gazette": _count(rng, 20, 0.7),
        "review": _count(rng, 1, 0.85),
        "litigation": _count(rng, 1, 0.9),
        "complaints": _count(rng, 2, 0.8),
        "appeals": _count(rng, 1, 0.9),
        "fee_waived": 0,
    }
    table = {k: with_earlier(v) for k, v in leaves.items() if k in keys}
    received = 0 if rng.random() < 0.45 else _count(rng, 8, 0)
    channels = [k for k in keys if k.startswith("recv_")]
    for key, value in _split(rng, received, channels, [_STATS_WEIGHTS[k] for k in channels]).items():
        table[key] = with_earlier(value)
    received_earlier = sum(table[k][1] - table[k][0] for k in channels)
    answers = [k for k in keys if k.startswith("ans_")]
    weights = [_STATS_WEIGHTS[k] for k in answers]
    this_year, earlier = _split(rng, received, answers, weights), _split(rng, received_earlier, answers, weights)
    table |= {k: [this_year[k], this_year[k] + earlier[k]] for k in answers}
    for total, prefix in STATS_SUMS.items():
        parts = [table[k] for k in keys if k.startswith(prefix)]
        table[total] = [sum(p[0] for p in parts), sum(p[1] for p in parts)]
    return {k: table[k] for k in keys}


def _amount(value: float, unit: str = "") -> str:
    return f"0{unit}" if value == 0 else f"{value:.2f}{unit}"


def _percent(part: int, whole: int, digits: int) -> str:
    return f"{100 * part / whole:.{digits}f}" if whole else "0"


# --- layouts: each fixture, its era, and how its prose repeats the numbers -----------

Values = dict[str, str]


@dataclass(frozen=True)
class Layout:
    """A fixture page used as a template."""

    fixture: str
    template: str  # 2019, 2021 or pre2019
    years: tuple[int, int]  # report years this layout is used for
    year: int  # the fixture's report year
    published: str  # the fixture's publication time as its meta tag prints it
    agency: str  # how the fixture names its agency
    prose: tuple[tuple[str, str], ...]  # text → replacement with {slot}s (sentences repeating numbers)
    prose_values: Callable[[random.Random, Tables], Values]
    stats_rows: tuple[tuple[str, str], ...] = ()


def _prose_002(rng: random.Random, tables: Tables) -> Values:
    return {"p.proactive": str(_count(rng, 2000, 0))}


def _prose_004(rng: random.Random, tables: Tables) -> Values:
    # As in the fixture, "收到…申请" counts this year's and last year's applications.
    new, carried = tables.outcomes["new_received"], tables.outcomes["carried_over"]
    return {
        "p.proactive": str(_count(rng, 5000, 0)),
        "p.received": str(new[6] + carried[6]),
        "p.received_person": str(new[0] + carried[0]),
        "p.received_company": str(new[1] + carried[1]),
        "p.litigation": str(tables.review["litigation_direct"][4] + tables.review["litigation_after_review"][4]),
    }


def _split_sentence(rng: random.Random, total: int, digits: int) -> Values:
    """The proactive total split between two kinds of unit, with percentages."""
    part = round(total * rng.uniform(0.3, 0.7))
    return {
        "p.part_a": str(part),
        "p.pct_a": _percent(part, total, digits),
        "p.part_b": str(total - part),
        "p.pct_b": _percent(total - part, total, digits),
    }


def _prose_009(rng: random.Random, tables: Tables) -> Values:
    s = {k: v[0] for k, v in tables.stats.items()}
    applications = (
        f"共收到政府信息公开申请{s['received']}条，答复{s['answered']}条，其中同意公开{s['ans_granted']}条，同意部分公开{s['ans_partial']}条。"
        if s["received"]
        else "未收到有关政府信息公开申请。"
    )
    review = (
        f"因政府信息公开申请行政复议{s['review']}件，提起行政诉讼{s['litigation']}件。"
        if s["review"] or s["litigation"]
        else "未收到有关政府信息公开行政复议、提起行政诉讼的申请。"
    )
    return {"p.applications": applications, "p.review": review, **_split_sentence(rng, s["proactive"], 0)}


def _prose_014(rng: random.Random, tables: Tables) -> Values:
    s = {k: v[0] for k, v in tables.stats.items()}
    channels = [f"{word}{s[key]}条" for key, word in _CHANNEL_WORDS_014.items() if s[key]] or ["当面申请数0条"]
    if s["review"] or s["litigation"]:
        review = f"收到有关政府信息公开行政复议申请{s['review']}件，行政诉讼{s['litigation']}件。"
    else:
        review = "未收到有关政府信息公开行政复议申请。"
    on_request = _count(rng, 30, 0.3)
    not_public = _count(rng, 500, 0.3)
    return {
        "p.channels": "，".join(channels),
        "p.review": review,
        "p.on_request": str(on_request),
        "p.not_public": str(not_public),
        "p.made": str(s["proactive"] + on_request + not_public),
        **_split_sentence(rng, s["proactive"], 1),
    }


LAYOUTS = {
    "002": Layout(
        "002.html",
        "2019",
        (2019, 2020),
        2020,
        "2021-03-05 08:58",
        "平潭综合实验区",
        (
            ("共受理政府信息公开申请21件", "共受理政府信息公开申请{t3.new_received.total}件"),
            ("共公布政府信息2602条", "共公布政府信息{p.proactive}条"),
        ),
        _prose_002,
    ),
    "004": Layout(
        "004.html",
        "2021",
        (2021, 2024),
        2022,
        "2023-02-20 15:07",
        "平潭综合实验区",
        (
            ("共主动公开政府信息14571条", "共主动公开政府信息{p.proactive}条"),
            ("现行有效行政规范性文件698件", "现行有效行政规范性文件{t2.normative_documents.in_force}件"),
            ("本年度制发的规范性文件88件", "本年度制发的规范性文件{t2.normative_documents.issued}件"),
            (
                "收到政府信息公开申请75件，涉及自然人72件、商业企业3件",
                "收到政府信息公开申请{p.received}件，涉及自然人{p.received_person}件、商业企业{p.received_company}件",
            ),
            (
                "共有行政诉讼案件1件、行政复议案件2件",
                "共有行政诉讼案件{p.litigation}件、行政复议案件{t4.review.total}件",
            ),
        ),
        _prose_004,
    ),
    "009": Layout(
        "009.html",
        "pre2019",
        (2010, 2018),
        2016,
        "2017-01-18 15:57",
        "平潭综合实验区",
        (
            (
                "主动公开政府信息3460条。其中，区管委会及区直各部门主动公开政府信息1822条，占53%。各乡镇主动公开政府信息1638条，占47%",
                "主动公开政府信息{st.proactive.0}条。其中，区管委会及区直各部门主动公开政府信息{p.part_a}条，占{p.pct_a}%。各乡镇主动公开政府信息{p.part_b}条，占{p.pct_b}%",
            ),
            ("未收到有关政府信息公开申请。", "{p.applications}"),
            ("未收到有关政府信息公开行政复议、提起行政诉讼的申请。", "{p.review}"),
        ),
        _prose_009,
        tuple(_STATS_009),
    ),
    "014": Layout(
        "014.html",
        "pre2019",
        (2010, 2018),
        2012,
        "2013-01-17 00:00",
        "平潭县人民政府",
        (
            (
                "制作、获取政府信息总数3978条，其中主动公开政府信息2026条，作为依申请公开信息数46条，不予公开信息数1854条。"
                "主动公开的政府信息，县直各单位主动公开政府信息2475条，占62.2%。各乡镇主动公开政府信息1503条，占37.8%。",
                "制作、获取政府信息总数{p.made}条，其中主动公开政府信息{st.proactive.0}条，作为依申请公开信息数{p.on_request}条，不予公开信息数{p.not_public}条。"
                "主动公开的政府信息，县直各单位主动公开政府信息{p.part_a}条，占{p.pct_a}%。各乡镇主动公开政府信息{p.part_b}条，占{p.pct_b}%。",
            ),
            ("主动公开的2026条", "主动公开的{st.proactive.0}条"),
            ("主动公开信息数为1795条", "主动公开信息数为{st.pub_web.0}条"),
            (
                "共收到有关政府信息公开的申请21条，其中当面申请数18条，电子邮件申请数3条；对依申请公开的答复总数21条，"
                "其中同意公开答复数17条，其它公开答复数2条，免于公开答复数2条；未收到有关政府信息公开行政复议申请。",
                "共收到有关政府信息公开的申请{st.received.0}条，其中{p.channels}；对依申请公开的答复总数{st.answered.0}条，"
                "其中同意公开答复数{st.ans_granted.0}条，其它公开答复数{st.ans_partial.0}条，免于公开答复数{st.ans_refused.0}条；{p.review}",
            ),
        ),
        _prose_014,
        tuple(_STATS_014),
    ),
}
# (layout, weight): the share of each era in the corpus.
_LAYOUT_WEIGHTS = [("009", 0.15), ("014", 0.15), ("002", 0.2), ("004", 0.5)]
TRADITIONAL_SHARE = 0.03  # served converted to traditional script (like fixture 302)
GB18030_SHARE = 0.10  # served as GB18030 without a charset declaration (like fixture 404)


# --- templates: a fixture cut into literal markup and slots ---------------------------


@dataclass(frozen=True)
class Slot:
    """A place in a template filled from the page's values."""

    name: str


@dataclass(frozen=True)
class Shuffle:
    """A run of prose: its first sentence and an unfinished last one (continued in the
    next run of text) stay in place; the sentences between are reordered and thinned per page."""

    lead: tuple[str | Slot, ...]
    middle: tuple[tuple[str | Slot, ...], ...]
    tail: tuple[str | Slot, ...]


Piece = str | Slot | Shuffle


@dataclass
class _Segment:
    start: int  # offset in the markup
    end: int
    text: str
    table: _Table | None  # innermost open table
    in_head: bool
    position: int = 0  # offset in the page text (all segments joined)


@dataclass
class _Table:
    rows: list[list[list[_Segment]]] = field(default_factory=list)  # rows of cells of segments
    nested: bool = False  # holds another table: a layout table, not a data table
    in_cell: bool = False


class _Scanner(HTMLParser):
    """A page's text segments with their markup offsets, and its leaf tables' cells."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self.segments: list[_Segment] = []
        self.tables: list[_Table] = []
        self._open: list[_Table] = []
        self._skip = 0
        self._in_head = False
        self.feed(markup)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        elif tag == "table":
            if self._open:
                self._open[-1].nested = True
            self._open.append(_Table())
        elif self._open and tag == "tr":
            self._open[-1].rows.append([])
            self._open[-1].in_cell = False
        elif self._open and tag in ("td", "th"):
            table = self._open[-1]
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append([])
            table.in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "head":
            self._in_head = False
        elif tag == "table" and self._open:
            table = self._open.pop()
            if not table.nested:
                self.tables.append(table)
        elif self._open and tag in ("td", "th"):
            self._open[-1].in_cell = False

    def _add(self, start: int, end: int, text: str) -> None:
        if self._skip:
            return
        table = self._open[-1] if self._open else None
        segment = _Segment(start, end, text, table, self._in_head)
        self.segments.append(segment)
        if table is not None and table.in_cell:
            table.rows[-1][-1].append(segment)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._add(start, start + len(data), data)

    def _reference(self, prefix: str) -> None:
        start = self._offset()
        end = start + len(prefix)
        if self.markup.startswith(";", end):
            end += 1
        self._add(start, end, html.unescape(self.markup[start:end]))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)


_VALUE = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:元|万元)?$")
_SLOT_MARK = re.compile(r"\{([^{}]+)\}")
_SENTENCE = re.compile(r"[^。]*。|[^。]+$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Edits:
    """Replacements of ranges of the page text; a range is taken at most once."""

    def __init__(self, length: int) -> None:
        self.taken = bytearray(length)
        self.edits: list[tuple[int, int, list[Piece]]] = []

    def add(self, start: int, end: int, pieces: list[Piece]) -> bool:
        if any(self.taken[start:end]):
            return False
        self.taken[start:end] = b"\x01" * (end - start)
        self.edits.append((start, end, pieces))
        return True


def _cell_range(cell: list[_Segment]) -> tuple[int, int]:
    """The page-text range of a cell's value, without surrounding whitespace."""
    text = "".join(s.text for s in cell)
    lead = len(text) - len(text.lstrip())
    return cell[0].position + lead, cell[0].position + len(text.rstrip())


def _value_rows(tables: list[_Table]) -> list[tuple[str, list[list[_Segment]]]]:
    """(label, value cells) of every row of the tables that ends in numbers."""
    rows = []
    for table in tables:
        for cells in table.rows:
            texts = [_squash("".join(s.text for s in cell)) for cell in cells]
            n = 0
            while n < len(cells) and _VALUE.match(texts[len(cells) - 1 - n]):
                n += 1
            if n:
                rows.append(("".join(texts[: len(cells) - n]), cells[len(cells) - n :]))
    return rows


def _table_kind(table: _Table) -> str | None:
    text = _squash("".join(s.text for row in table.rows for cell in row for s in cell))
    if "本年新收" in text and "结转下年度" in text:
        return "三"
    if "行政复议" in text and "直接起诉" in text:
        return "四"
    if "第二十条" in text:
        return "二"
    if "指标名称" in text:
        return "stats"
    return None


def _cell_slots(scanner: _Scanner, layout: Layout) -> dict[str, list[_Segment]]:
    """Slot name → value cell, for every value cell of the layout's template tables."""
    by_kind: dict[str, list[_Table]] = {}
    for table in scanner.tables:
        kind = _table_kind(table)
        if kind:
            by_kind.setdefault(kind, []).append(table)
    # Per table kind, the expected value rows: (slot prefix, a word of the label, columns).
    kinds: dict[str, list[tuple[str, str, list[str]]]]
    if layout.template == "pre2019":
        kinds = {"stats": [(f"st.{key}", word, ["0", "1"]) for key, word in layout.stats_rows]}
    else:
        outcomes = [(f"t3.{key}", word, APPLICANTS) for key, word in OUTCOME_ROWS[layout.template]]
        review = [("t4", "", [f"{p}.{o}" for p in PROCEEDINGS for o in REVIEW_OUTCOMES])]
        disclosure = [(f"t2.{item}", word, list(metrics)) for item, word, metrics in DISCLOSURE_ROWS[layout.template]]
        kinds = {"三": outcomes, "四": review, "二": disclosure}
    slots: dict[str, list[_Segment]] = {}
    for kind, rows in kinds.items():
        found = [
            (label, cells)
            for label, cells in _value_rows(by_kind.get(kind, []))
            if len(cells) in {len(c) for _, _, c in rows}
        ]
        if len(found) < len(rows):
            raise ValueError(f"{layout.fixture}: table {kind} has {len(found)} value rows, {len(rows)} expected")
        for (prefix, word, columns), (label, cells) in zip(rows, found):
            if word not in label or len(cells) != len(columns):
                raise ValueError(
                    f"{layout.fixture}: table {kind} row {label!r} is not {prefix} ({word}, {len(columns)} values)"
                )
            slots |= {f"{prefix}.{column}": cell for column, cell in zip(columns, cells)}
    return slots


class Template:
    """A layout's fixture as literal markup and slots; `render` fills them in."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        markup = (FIXTURES / layout.fixture).read_text("utf-8")
        scanner = _Scanner(markup)
        position = 0
        for segment in scanner.segments:
            segment.position = position
            position += len(segment.text)
        text = "".join(s.text for s in scanner.segments)
        self._slot_of = self._name_slots()
        literals = sorted(self._slot_of, key=len, reverse=True)
        self._names = re.compile("|".join(map(re.escape, literals)) + r"|(?<!\d)20[0-2]\d(?=\s*年)")
        self.charset_meta = ""
        edits = _Edits(len(text))
        for name, cell in _cell_slots(scanner, layout).items():
            if not edits.add(*_cell_range(cell), [Slot(name)]):
                raise ValueError(f"{layout.fixture}: cell {name} overlaps another")
        for phrase, replacement in layout.prose:
            matches = [m.start() for m in re.finditer(re.escape(phrase), text)]
            if not matches or not all(
                edits.add(start, start + len(phrase), self._format(replacement)) for start in matches
            ):
                raise ValueError(f"{layout.fixture}: prose {phrase[:30]!r} not found, or overlapping a table cell")
        for segment in scanner.segments:
            if (
                segment.table is None
                and not segment.in_head
                and len(segment.text) >= 100
                and segment.text.count("。") >= 2
            ):
                lead, *middle = [tuple(self._compile(s)) for s in _SENTENCE.findall(segment.text) if s]
                tail = middle.pop() if not segment.text.rstrip().endswith("。") else ()
                edits.add(segment.position, segment.position + len(segment.text), [Shuffle(lead, tuple(middle), tail)])
        for match in self._names.finditer(text):
            edits.add(match.start(), match.end(), [self._slot(match.group(0))])
        self.pieces = _merge(self._markup_pieces(markup, scanner.segments, edits))

    def _name_slots(self) -> dict[str, str]:
        """The fixture's agency, place names and dates → their slots (years are matched apart)."""
        published = self.layout.published[:10].replace("-", "")
        names: dict[str, str] = {
            self.layout.published: "published",
            f"{published[:6]}/t{published}": "url_date",
            "平潭综合实验区党工委管委会": "site",
            self.layout.agency: "agency",
        }
        for literal, slot in (
            ("平潭综合实验区", "place"),
            ("平潭县人民政府", "site"),
            ("平潭县", "place"),
            ("平潭", "place_short"),
        ):
            names.setdefault(literal, slot)
        return names

    def _slot(self, matched: str) -> Slot:
        if matched in self._slot_of:
            return Slot(self._slot_of[matched])
        return Slot(f"year{int(matched) - self.layout.year:+d}")

    def _compile(self, text: str) -> list[Piece]:
        """Text with the fixture's names, dates and years as slots."""
        pieces: list[Piece] = []
        position = 0
        for match in self._names.finditer(text):
            pieces += [text[position : match.start()], self._slot(match.group(0))]
            position = match.end()
        pieces.append(text[position:])
        return pieces

    def _format(self, replacement: str) -> list[Piece]:
        """A prose replacement: its {name} marks become slots."""
        pieces: list[Piece] = []
        for i, part in enumerate(_SLOT_MARK.split(replacement)):
            pieces += [Slot(part)] if i % 2 else self._compile(part)
        return pieces

    def _markup_pieces(self, markup: str, segments: list[_Segment], edits: _Edits) -> list[Piece]:
        """The markup with every text edit applied where its text is printed, and the
        head's meta contents and charset declaration made slots."""
        starts = [s.position for s in segments]
        raw: list[tuple[int, int, list[Piece]]] = []
        for start, end, pieces in edits.edits:
            first = True
            for segment in segments[bisect_right(starts, start) - 1 :]:
                if segment.position >= end:
                    break
                low = max(start, segment.position) - segment.position
                high = min(end, segment.position + len(segment.text)) - segment.position
                if segment.end - segment.start != len(segment.text):  # a character reference
                    low, high = 0, segment.end - segment.start
                raw.append((segment.start + low, segment.start + high, pieces if first else []))
                first = False
        charset = re.search(r"<meta charset=[^>]*>", markup)
        if charset:
            raw.append((charset.start(), charset.end(), [Slot("charset_meta")]))
            self.charset_meta = charset.group(0)
        for match in re.finditer(r'content="([^"]*)"', markup[: markup.find("</head>")]):
            if not (charset and charset.start() <= match.start() < charset.end()):
                raw.append((match.start(1), match.end(1), self._compile(match.group(1))))
        raw.sort(key=lambda edit: edit[0])
        pieces: list[Piece] = []
        position = 0
        for start, end, replacement in raw:
            if start < position:
                raise ValueError(f"{self.layout.fixture}: overlapping edits at offset {start}")
            pieces.append(markup[position:start])
            pieces += replacement
            position = end
        pieces.append(markup[position:])
        return pieces

    def render(self, values: Values, rng: random.Random) -> str:
        """The page: slots filled from `values`, shuffled paragraphs drawn with `rng`."""
        out: list[str] = []
        for piece in self.pieces:
            if type(piece) is str:
                out.append(piece)
            elif type(piece) is Slot:
                out.append(values[piece.name])
            else:
                middle = list(piece.middle)
                rng.shuffle(middle)
                for sentence in [piece.lead, *(s for s in middle if rng.random() < 0.8), piece.tail]:
                    out.extend(p if type(p) is str else values[p.name] for p in sentence)
        return "".join(out)


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent literal pieces joined, empty ones dropped."""
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str):
            if not piece:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += piece
                continue
        merged.append(piece)
    return merged


@cache
def templates() -> dict[str, Template]:
    return {key: Template(layout) for key, layout in LAYOUTS.items()}


# --- who publishes: regions and agencies -------------------------------------------

_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_NOT_COVERED = {"台湾省", "香港特别行政区", "澳门特别行政区"}
_PROVINCE_KINDS = [
    "应急管理厅",
    "公安厅",
    "自然资源厅",
    "人民防空办公室",
    "市场监督管理局",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "教育厅",
    "民政厅",
    "财政厅",
    "审计厅",
    "统计局",
    "水利厅",
    "农业农村厅",
    "卫生健康委员会",
    "司法厅",
    "医疗保障局",
    "林业局",
    "人力资源和社会保障厅",
]
_LOCAL_KINDS = [
    "应急管理局",
    "公安局",
    "自然资源局",
    "自然资源和规划局",
    "人防办",
    "人民防空办公室",
    "市场监督管理局",
    "行政审批服务局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "教育局",
    "民政局",
    "财政局",
    "审计局",
    "统计局",
    "水利局",
    "农业农村局",
    "卫生健康局",
    "司法局",
    "医疗保障局",
    "人力资源和社会保障局",
    "文化和旅游局",
    "退役军人事务局",
]
_SHORT_NAME = re.compile(r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|自治县|特别行政区|省|市|区|县|旗|盟)$")


@dataclass(frozen=True)
class Region:
    province: str
    city: str | None
    county: str | None
    ambiguous: bool = False  # the county's name is not unique in the country


@cache
def regions() -> dict[str, list[Region]]:
    """Provinces, cities and counties of the cpca gazetteer (adcodes.csv)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        raise RuntimeError("cpca is not installed")
    path = Path(spec.origin).parent / "resources" / "adcodes.csv"
    with open(path, encoding="utf-8") as handle:
        names = {row["adcode"][:6]: row["name"] for row in csv.DictReader(handle) if len(row["adcode"]) == 12}
    provinces = {code: name for code, name in names.items() if code.endswith("0000") and name not in _NOT_COVERED}
    city_names = {code: name for code, name in names.items() if code[4:] == "00" and code[2:4] != "00"}
    county_codes = [
        code
        for code, name in names.items()
        if code[4:] != "00" and code[:2] + "0000" in provinces and name not in _PLACEHOLDERS
    ]
    repeated = Counter(names[code] for code in county_codes)
    result: dict[str, list[Region]] = {"province": [Region(p, None, None) for p in sorted(provinces.values())]}
    result["city"] = [
        Region(provinces[code[:2] + "0000"], name, None)
        for code, name in sorted(city_names.items())
        if code[:2] + "0000" in provinces and name not in _PLACEHOLDERS
    ]
    result["county"] = []
    for code in sorted(county_codes):
        city = city_names.get(code[:4] + "00")
        result["county"].append(
            Region(
                provinces[code[:2] + "0000"],
                None if city in _PLACEHOLDERS else city,
                names[code],
                repeated[names[code]] > 1,
            )
        )
    return result


@dataclass(frozen=True)
class Identity:
    """Who published a page, about which year, when, and how the site serves it."""

    layout: str
    year: int
    agency: str
    region: Region
    place: str  # the agency's own region: county, city or province
    published: dt.datetime
    encoding: str  # utf-8 or gb18030
    script: str  # simplified or traditional

    @property
    def path(self) -> str:
        return f"{self.region.province}/{self.region.city or self.region.province}"


def _agency(rng: random.Random, level: str, region: Region) -> tuple[str, str, bool]:
    """(agency name, its place, whether it is a people's government)."""
    if level == "province":
        place = prefix = region.province
        kinds = _LOCAL_KINDS if region.province.endswith("市") else _PROVINCE_KINDS
    elif level == "city":
        place = prefix = region.city or region.province
        kinds = _LOCAL_KINDS
    else:
        place = region.county or region.province
        parent = region.city or region.province
        prefix = parent + place if region.ambiguous or rng.random() < 0.5 else place
        kinds = _LOCAL_KINDS
    choice = rng.random()
    if choice < 0.25:
        return f"{prefix}人民政府", place, True
    if choice < 0.3:
        return f"国家税务总局{prefix}税务局", place, False
    return prefix + rng.choice(kinds), place, False


def identity(seed: int, index: int) -> Identity:
    """The identity of page `index`: it never changes when the page is mutated."""
    rng = random.Random(f"{seed}:{index}")
    layout = rng.choices([k for k, _ in _LAYOUT_WEIGHTS], [w for _, w in _LAYOUT_WEIGHTS])[0]
    first, last = LAYOUTS[layout].years
    year = rng.randint(first, last)
    level = rng.choices(["province", "city", "county"], [0.1, 0.3, 0.6])[0]
    region = rng.choice(regions()[level])
    agency, place, government = _agency(rng, level, region)
    deadline = dt.date(year + 1, 3, 31) if government else dt.date(year + 1, 1, 31)
    day = dt.date(year + 1, 1, 5) + dt.timedelta(days=rng.randint(0, (deadline - dt.date(year + 1, 1, 5)).days + 20))
    published = dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)))
    encoding = "gb18030" if rng.random() < GB18030_SHARE else "utf-8"
    script = (
        "traditional"
        if rng.random() < TRADITIONAL_SHARE and _round_trips(f"{agency}{year}年度政府信息公开工作年度报告")
        else "simplified"
    )
    return Identity(layout, year, agency, region, place, published, encoding, script)


@cache
def _converters() -> tuple[Any, Any]:
    import opencc

    # s2twp is how fixture 302 was made from 002; tw2sp is what the parser applies.
    return opencc.OpenCC("s2twp"), opencc.OpenCC("tw2sp")


def _round_trips(text: str) -> bool:
    """True when converting to traditional and back gives the text again."""
    to_traditional, to_simplified = _converters()
    return to_simplified.convert(to_traditional.convert(text)) == text


# --- pages ---------------------------------------------------------------------------


def _tables(rng: random.Random, ident: Identity) -> Tables:
    layout = LAYOUTS[ident.layout]
    if layout.template == "pre2019":
        return Tables(stats=_stats_table(rng, list(layout.stats_rows)))
    outcomes = _outcome_table(rng, layout.template)
    makes_rules = ident.agency.endswith("人民政府") and ident.region.county is None
    return Tables(
        outcomes=outcomes,
        review=_review_table(rng, outcomes["new_received"][6]),
        disclosure=_disclosure_table(rng, layout.template, makes_rules),
    )


def _values(ident: Identity, tables: Tables, rng: random.Random, template: Template) -> Values:
    """Every slot's text for one page."""
    layout = template.layout
    published = ident.published
    values: Values = {
        "agency": ident.agency,
        "site": f"{ident.place}人民政府",
        "place": ident.place,
        "place_short": _SHORT_NAME.sub("", ident.place) if len(ident.place) > 2 else ident.place,
        "published": published.strftime("%Y-%m-%d %H:%M"),
        "url_date": published.strftime("%Y%m/t%Y%m%d"),
        "charset_meta": "" if ident.encoding == "gb18030" else template.charset_meta,
    }
    values |= {f"year{k:+d}": str(ident.year + k) for k in range(-20, 10)}
    for row, cells in tables.outcomes.items():
        values |= {f"t3.{row}.{a}": str(v) for a, v in zip(APPLICANTS, cells)}
    for proceeding, cells in tables.review.items():
        values |= {f"t4.{proceeding}.{o}": str(v) for o, v in zip(REVIEW_OUTCOMES, cells)}
    for item, metrics in tables.disclosure.items():
        for metric, value in metrics.items():
            if metric == "amount":
                text = _amount(value, "元" if layout.template == "2019" else "")
            else:
                text = str(value)
            values[f"t2.{item}.{metric}"] = text
    for key, (this_year, cumulative) in tables.stats.items():
        values |= {f"st.{key}.0": str(this_year), f"st.{key}.1": str(cumulative)}
    values |= layout.prose_values(rng, tables)
    return values


def _truth(ident: Identity, tables: Tables, path: str, index: int, revision: int) -> dict[str, object]:
    """What the page prints, keyed as the warehouse keys it (SCHEMA.md)."""
    layout = LAYOUTS[ident.layout]
    truth: dict[str, object] = {
        "path": path,
        "index": index,
        "revision": revision,
        "layout": ident.layout,
        "template": layout.template,
        "year": ident.year,
        "agency": ident.agency,
        "province": ident.region.province,
        "city": ident.region.city,
        "county": ident.region.county,
        "published_date": ident.published.date().isoformat(),
        "encoding": ident.encoding,
        "script": ident.script,
    }
    if layout.template == "pre2019":
        s = {k: v[0] for k, v in tables.stats.items()}
        blank = [None] * 6
        truth["table3"] = {
            "new_received": [*blank, s["received"]],
            "total_processed": [*blank, s["answered"]],
            "granted": [*blank, s["ans_granted"]],
            "partially_granted": [*blank, s["ans_partial"]],
        }
        truth["table4"] = {"review": [None] * 4 + [s["review"]], "litigation": [None] * 4 + [s["litigation"]]}
        truth["table2"] = {"proactive_total": {"published": s["proactive"]}}
        truth["stats"] = tables.stats
    else:
        truth["table3"] = tables.outcomes
        truth["table4"] = tables.review
        truth["table2"] = tables.disclosure
    return truth


def make_page(seed: int, index: int, revision: int = 0) -> tuple[str, bytes, dict[str, object]]:
    """(relative path, bytes, truth) of page `index`; `revision` > 0 redraws its numbers."""
    ident = identity(seed, index)
    template = templates()[ident.layout]
    numbers = random.Random(f"{seed}:{index}:numbers:{revision}")
    tables = _tables(numbers, ident)
    values = _values(ident, tables, numbers, template)
    page = template.render(values, random.Random(f"{seed}:{index}:text"))
    if ident.script == "traditional":
        page = _converters()[0].convert(page)
    path = f"{ident.path}/{index:06d}.html"
    return path, page.encode(ident.encoding), _truth(ident, tables, path, index, revision)


# --- the corpus on disk ----------------------------------------------------------------


def _write_page(job: tuple[Path, int, int, int]) -> tuple[str, int]:
    out, seed, index, revision = job
    path, data, truth = make_page(seed, index, revision)
    target = out / PAGES_DIR / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return json.dumps(truth, ensure_ascii=False), len(data)


def _write_pages(out: Path, seed: int, jobs: list[tuple[int, int]], processes: int) -> Iterator[tuple[int, str, int]]:
    """Write pages (index, revision) in parallel; yields (index, truth line, bytes) in job order."""
    templates()  # parse the fixtures once, before the workers fork
    regions()
    work = [(out, seed, index, revision) for index, revision in jobs]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for (index, _revision), (line, size) in zip(jobs, pool.imap(_write_page, work, chunksize=32)):
            yield index, line, size


def generate(out: Path, n: int, seed: int, processes: int | None = None) -> int:
    """Write a new corpus of n pages into `out` (its pages folder is replaced); bytes written."""
    shutil.rmtree(out / PAGES_DIR, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    with open(out / TRUTH_FILE, "w", encoding="utf-8") as truth:
        for _index, line, size in _write_pages(out, seed, [(i, 0) for i in range(n)], processes or os.cpu_count() or 1):
            truth.write(line + "\n")
            total += size
    (out / CORPUS_FILE).write_text(json.dumps({"n": n, "seed": seed, "mutations": 0}) + "\n", "utf-8")
    return total


def read_corpus(out: Path) -> dict[str, int]:
    """The corpus description: n, seed, mutations."""
    return json.loads((out / CORPUS_FILE).read_text("utf-8"))


def mutate(out: Path, fraction: float, processes: int | None = None) -> list[int]:
    """Rewrite `fraction` of the corpus's pages with new numbers (same identity); their indices."""
    corpus = read_corpus(out)
    n, seed = corpus["n"], corpus["seed"]
    revision = corpus["mutations"] + 1
    chosen = sorted(random.Random(f"{seed}:mutate:{revision}").sample(range(n), max(1, round(fraction * n))))
    lines = {
        index: line
        for index, line, _size in _write_pages(
            out, seed, [(i, revision) for i in chosen], processes or os.cpu_count() or 1
        )
    }
    truth = (out / TRUTH_FILE).read_text("utf-8").splitlines()
    for index, line in lines.items():
        truth[index] = line
    (out / TRUTH_FILE).write_text("".join(line + "\n" for line in truth), "utf-8")
    (out / CORPUS_FILE).write_text(json.dumps({**corpus, "mutations": revision}) + "\n", "utf-8")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, help="pages to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="corpus folder (pages in OUT/pages)")
    parser.add_argument(
        "--mutate", type=float, metavar="FRACTION", help="rewrite this fraction of an existing corpus's pages"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.mutate is not None:
        if not 0 < args.mutate <= 1:
            parser.error("--mutate takes a fraction in (0, 1]")
        chosen = mutate(args.out, args.mutate, args.jobs)
        print(f"rewrote {len(chosen)} pages of {args.out} in {time.perf_counter() - started:.1f} s")
        return 0
    if not args.n or args.n < 1:
        parser.error("--n is required (a positive number) unless --mutate is given")
    total = generate(args.out, args.n, args.seed, args.jobs)
    seconds = time.perf_counter() - started
    print(
        f"wrote {args.n} pages ({total / 1e6:.1f} MB) to {args.out / PAGES_DIR} in {seconds:.1f} s ({args.n / seconds:.0f} pages/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
