"""A small warehouse with known numbers for the SQL models (sql/), and the models' figures
computed independently in Python from the same rows.

`build_rows()` returns the rows of every SCHEMA.md table; `write_warehouse()` loads them into a
DuckDB file through pipelines.load; `run_dbt()` runs dbt on it. The `expected_*` functions are
the reference: plain Python over the inserted rows, following the rules the models' YAML states.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.parse.metadata import SPECIAL_ZONES, region_of
from pipelines.warehouse.load import connect, create_schema
from pipelines.warehouse.schema import TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2]
SQL_DIR = PROJECT_DIR / "sql"
DBT = str(Path(sys.executable).with_name("dbt"))

APPLICANTS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]
DENIED = [
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_three_safeties",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
]
UNAVAILABLE = ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"]
NOT_PROCESSED = [
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
]
OTHER_2021 = ["other_no_correction", "other_unpaid_fee", "other_misc"]
PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending"]
SECTIONS_POST2019 = ["overview", "proactive", "applications", "review_litigation", "problems", "other"]
SECTIONS_PRE2019 = ["proactive", "applications", "review_litigation", "problems"]

# The kind of agency each fixture name must get (the seed agency_categories' contract).
CATEGORY_OF = {
    "鼎城区应急管理局": "emergency_management",
    "常德市人民政府": "government",
    "常德市": "government",  # a bare region name
    "平潭综合实验区": "government",  # a special zone
    "平潭综合实验区管委会": "government",
    "平潭县人民政府": "government",
    "湖南省人防办": "civil_air_defense",
    "白山市人防办": "civil_air_defense",
    "衡阳市行政审批服务局": "administrative_approval",
    "公安县人民政府": "government",  # not 公安: 公安县 is a county
    "公安县公安局": "public_security",
    "湖南省人民政府办公厅": "government_office",
    "常德市人民政府人民防空办公室": "civil_air_defense",  # not the government office
    "长沙市教育局": "education",
    "岳阳市生态环境局": "ecology_environment",
    "两江新区": "government",  # a special zone
    "长沙县": "government",  # a bare region name
    "湖南省": "government",
    "常德市发展和改革委员会": "development_reform",
    "湖南省卫生健康委员会": "health",
    "国家税务总局常德市税务局": "taxation",
    "常德市住房和城乡建设局": "housing_construction",
    "平潭综合实验区市场监督管理局": "market_regulation",
    "档案馆": "other",
}


@dataclass
class Report:
    report_id: str
    agency: str | None
    year: int | None
    template: str
    format: str = "html"
    script: str = "simplified"
    parse_status: str = "ok"
    published_date: dt.date | None = None
    fetched_at: dt.datetime | None = dt.datetime(2024, 1, 1, 12, 0)
    region: tuple[str | None, str | None, str | None] | None = None  # default: region_of(agency)

    def row(self) -> dict:
        province, city, county = (
            self.region
            if self.region is not None
            else (
                (lambda r: (r.province, r.city, r.county))(region_of(self.agency))
                if self.agency
                else (None, None, None)
            )
        )
        level = "county" if county else "city" if city else "province" if province else None
        return {
            "report_id": self.report_id,
            "source_uri": f"fixtures/{self.report_id}.{'html' if self.format == 'html' else 'txt'}",
            "content_sha256": self.report_id * 4,
            "title": f"{self.agency or ''}{self.year or ''}年政府信息公开工作年度报告",
            "agency": self.agency,
            "province": province,
            "city": city,
            "county": county,
            "admin_level": level,
            "year": self.year,
            "published_date": self.published_date,
            "template": self.template,
            "script": self.script,
            "parse_status": self.parse_status,
            "parser_version": "test",
            "format": self.format,
            "encoding": "utf-8",
            "raw_path": f"fixtures/{self.report_id}",
            "fetched_at": self.fetched_at,
        }


@dataclass
class Rows:
    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, **row) -> None:
        self.tables[table].append(row)

    # --- fact tables -------------------------------------------------------------------------

    def outcome(self, report_id: str, row_key: str, applicant: str, value: int | None, source: str = "table") -> None:
        self.add(
            "application_outcomes",
            report_id=report_id,
            row_key=row_key,
            applicant=applicant,
            value=value,
            raw_value="" if value is None else str(value),
            derived=False,
            source=source,
            evidence=f"{source}: {row_key}/{applicant}",
        )

    def table_3(
        self,
        report_id: str,
        template: str,
        rng: random.Random,
        *,
        carried_over: int,
        carried_forward: int,
        blanks: set[tuple[str, str]] = frozenset(),
        omit: set[str] = frozenset(),
        override: dict[tuple[str, str], int] | None = None,
    ) -> None:
        """Table 三 with random cells; totals are the sum of the six columns, （七）总计 the sum of the outcome rows."""
        outcome_rows = [
            "granted",
            "partially_granted",
            *DENIED,
            *UNAVAILABLE,
            *NOT_PROCESSED,
            *(["other"] if template == "2019" else OTHER_2021),
        ]
        cells: dict[tuple[str, str], int | None] = {}
        for row_key in ["new_received", *outcome_rows]:
            for applicant in APPLICANTS:
                cells[(row_key, applicant)] = rng.randint(0, 4)
        for applicant in APPLICANTS:
            cells[("total_processed", applicant)] = sum(cells[(r, applicant)] for r in outcome_rows)
            cells[("carried_over", applicant)] = carried_over if applicant == "natural_person" else 0
            cells[("carried_forward", applicant)] = carried_forward if applicant == "natural_person" else 0
        for row_key in {k for k, _ in cells}:
            cells[(row_key, "total")] = sum(cells[(row_key, a)] for a in APPLICANTS)
        cells.update(override or {})
        for key in blanks:
            cells[key] = None
        for (row_key, applicant), value in cells.items():
            if row_key not in omit:
                self.outcome(report_id, row_key, applicant, value)

    def table_4(self, report_id: str, rng: random.Random, blanks: set[tuple[str, str]] = frozenset()) -> None:
        for proceeding in PROCEEDINGS:
            values = {o: rng.randint(0, 3) for o in OUTCOMES}
            values["total"] = sum(values.values())
            for outcome, value in values.items():
                if (proceeding, outcome) in blanks:
                    value = None
                self.proceeding(report_id, proceeding, outcome, value)

    def proceeding(
        self, report_id: str, proceeding: str, outcome: str, value: int | None, source: str = "table"
    ) -> None:
        self.add(
            "review_litigation",
            report_id=report_id,
            proceeding=proceeding,
            outcome=outcome,
            value=value,
            raw_value="" if value is None else str(value),
            derived=False,
            source=source,
            evidence=f"{source}: {proceeding}/{outcome}",
        )

    def stat(
        self, report_id: str, template: str, item: str, metric: str, value: float | None, source: str = "table"
    ) -> None:
        self.add(
            "disclosure_stats",
            report_id=report_id,
            template=template,
            item=item,
            metric=metric,
            value=value,
            unit=None,
            raw_value="" if value is None else str(value),
            derived=False,
            source=source,
            evidence=f"{item}/{metric}",
        )

    def table_2(
        self,
        report_id: str,
        template: str,
        rng: random.Random,
        normative: tuple[int | None, int | None, int | None] | None = None,
    ) -> None:
        if template == "2019":
            for item in ["regulations", "normative_documents"]:
                for metric in ["new_made", "new_published", "total_published"]:
                    self.stat(report_id, "2019", item, metric, float(rng.randint(0, 9)))
            self.stat(report_id, "2019", "procurement", "projects", float(rng.randint(0, 9)))
        else:
            issued, repealed, in_force = (
                normative if normative else (rng.randint(0, 5), rng.randint(0, 2), rng.randint(5, 20))
            )
            for metric, value in [("issued", issued), ("repealed", repealed), ("in_force", in_force)]:
                self.stat(report_id, "2021", "normative_documents", metric, None if value is None else float(value))
            self.stat(report_id, "2021", "licensing", "decisions", float(rng.randint(0, 99)))

    def sections(self, report_id: str, kinds: list[str | None]) -> None:
        for ordinal, kind in enumerate(kinds, start=1):
            self.add(
                "sections", report_id=report_id, ordinal=ordinal, heading=f"{ordinal}、{kind}", kind=kind, text="…"
            )

    def checks(self, report_id: str, results: dict[str, bool]) -> None:
        for name, passed in results.items():
            self.add(
                "report_checks",
                report_id=report_id,
                check_name=name,
                passed=passed,
                expected=1.0,
                actual=1.0 if passed else 2.0,
                detail=name,
            )

    def issue(self, report_id: str | None, severity: str, code: str) -> None:
        self.add(
            "parse_issues",
            source_uri=f"fixtures/{report_id}",
            report_id=report_id,
            severity=severity,
            code=code,
            message=code,
        )


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, 0)


def build_rows() -> dict[str, list[dict]]:
    """The fixture: every case the models must handle, with its numbers."""
    rng = random.Random(20240101)
    rows = Rows()
    reports: list[Report] = []
    d = dt.date

    def post2019(
        report: Report,
        *,
        carried_over: int = 0,
        carried_forward: int = 0,
        checks: dict | None = None,
        sections: list | None = None,
        blanks=frozenset(),
        omit=frozenset(),
        override=None,
        table4_blanks=frozenset(),
        normative=None,
        tables=("二", "三", "四"),
        seed: int | None = None,
    ) -> None:
        """A 2019/2021-template report; `seed` repeats the random figures of another copy."""
        reports.append(report)
        r = random.Random(seed) if seed is not None else rng
        if "三" in tables:
            rows.table_3(
                report.report_id,
                report.template,
                r,
                carried_over=carried_over,
                carried_forward=carried_forward,
                blanks=blanks,
                omit=omit,
                override=override,
            )
        if "四" in tables:
            rows.table_4(report.report_id, r, blanks=table4_blanks)
        if "二" in tables:
            rows.table_2(report.report_id, report.template, r, normative)
        rows.sections(report.report_id, sections if sections is not None else SECTIONS_POST2019)
        rows.checks(
            report.report_id, checks if checks is not None else {"balance:total": True, "outcomes_sum:total": True}
        )

    # 鼎城区应急管理局, a county department: four years, three copies of 2020, broken carry-over 2020→2021.
    post2019(
        Report("r24_dingcheng19", "鼎城区应急管理局", 2019, "2019", published_date=d(2020, 1, 31)),
        carried_forward=2,
        # A printed （七）总计 of 1 beside larger cells: disclosure_rate > 1 (a warn test, not an error).
        override={("total_processed", "total"): 1},
        # Every 不予公开 total blank: denied is NULL, not 0.
        blanks={(k, "total") for k in DENIED},
        checks={"outcomes_sum:total": False, "applicant_sum:granted": False, "balance:total": True},
    )
    post2019(
        Report(
            "r01_dingcheng20_html", "鼎城区应急管理局", 2020, "2019", published_date=d(2021, 1, 20), fetched_at=_at(1)
        ),
        carried_over=2,
        carried_forward=3,
        seed=1,
        # One 不予公开 total blank: denied is the sum of the other seven.
        blanks={("denied_state_secret", "total")},
    )
    post2019(
        Report("r02_dingcheng20_text", "鼎城区应急管理局", 2020, "2019", format="text", fetched_at=_at(5)),
        carried_over=2,
        carried_forward=3,
        seed=1,
    )
    rows.issue("r02_dingcheng20_text", "warning", "short_row")
    rows.stat("r02_dingcheng20_text", "2019", "procurement", "amount", 5.0)  # the text copy has MORE facts, still loses
    post2019(
        Report(
            "r03_dingcheng20_trad",
            "鼎城区应急管理局",
            2020,
            "2019",
            script="traditional",
            parse_status="partial",
            published_date=d(2021, 1, 20),
            fetched_at=_at(9),
        ),
        carried_over=2,
        carried_forward=3,
        seed=1,
        tables=("三",),
        checks={},
    )
    rows.issue("r03_dingcheng20_trad", "warning", "table_missing")
    rows.issue("r03_dingcheng20_trad", "warning", "table_missing")
    post2019(
        Report("r04_dingcheng21", "鼎城区应急管理局", 2021, "2021", published_date=d(2022, 2, 10)),
        carried_over=5,
        carried_forward=4,  # 2020 carried forward 3: flagged
        normative=(2, 0, 7),
        checks={"balance:total": False, "outcomes_sum:total": True},
    )
    post2019(
        Report("r05_dingcheng22", "鼎城区应急管理局", 2022, "2021"),
        carried_over=4,
        carried_forward=0,  # = 2021's carried_forward
        normative=(3, 1, 9),  # 7 + 3 − 1 = 9: consistent
        blanks={("partially_granted", "total")},
    )

    # 常德市人民政府, a city government: deadlines on both sides, a more-facts duplicate, broken normative documents.
    post2019(
        Report("r06_changde_gov19", "常德市人民政府", 2019, "2019", published_date=d(2020, 3, 15)),
        carried_forward=1,
        sections=[s for s in SECTIONS_POST2019 if s != "other"] + [None],
    )
    post2019(
        Report("r07_changde_gov20_full", "常德市人民政府", 2020, "2019", published_date=d(2021, 4, 2)),
        carried_over=1,
        carried_forward=0,
        seed=7,
        checks={
            "balance:total": False,
            "outcomes_sum:total": False,
            "applicant_sum:granted": False,
            "group_sum:review": True,
        },
    )
    post2019(
        Report(
            "r08_changde_gov20_less", "常德市人民政府", 2020, "2019", published_date=d(2021, 4, 2), fetched_at=_at(20)
        ),
        carried_over=1,
        carried_forward=0,
        seed=7,
        omit={"carried_forward", "carried_over"},
    )
    post2019(
        Report("r09_changde_gov21", "常德市人民政府", 2021, "2021", published_date=d(2022, 3, 31)),
        normative=(1, 0, 10),
        table4_blanks={("litigation_direct", "total"), ("litigation_direct", "corrected")},
    )
    post2019(
        Report("r10_changde_gov22", "常德市人民政府", 2022, "2021", published_date=d(2023, 2, 1)), normative=(3, 1, 15)
    )  # 10 + 3 − 1 = 12 ≠ 15: flagged
    # 常德市, a government named by its bare region: 1 March is on time for it (late for a department).
    post2019(Report("r11_changde22", "常德市", 2022, "2021", published_date=d(2023, 3, 1)))

    # 平潭综合实验区, a special zone: html vs text, later fetch, report_id tie-break.
    post2019(
        Report("r12_pingtan20_html", "平潭综合实验区", 2020, "2019", published_date=d(2021, 3, 5), fetched_at=_at(1)),
        seed=12,
    )
    post2019(Report("r13_pingtan20_text", "平潭综合实验区", 2020, "2019", format="text", fetched_at=_at(2)), seed=12)
    post2019(
        Report("r14_pingtan21_old", "平潭综合实验区", 2021, "2021", published_date=d(2022, 3, 1), fetched_at=_at(3)),
        seed=14,
    )
    post2019(
        Report("r15_pingtan21_new", "平潭综合实验区", 2021, "2021", published_date=d(2022, 3, 1), fetched_at=_at(4)),
        seed=14,
    )
    post2019(
        Report("r16_pingtan22_a", "平潭综合实验区", 2022, "2021", published_date=d(2023, 3, 1), fetched_at=_at(6)),
        seed=16,
    )
    post2019(
        Report("r17_pingtan22_b", "平潭综合实验区", 2022, "2021", published_date=d(2023, 3, 1), fetched_at=_at(6)),
        seed=16,
    )
    # A slightly different name of the same zone: a separate agency (grouping is on the exact name).
    post2019(
        Report("r18_pingtan_gwh20", "平潭综合实验区管委会", 2020, "2019", published_date=d(2021, 2, 1)),
        blanks={("new_received", a) for a in APPLICANTS},
    )  # applicant columns blank: not in applicant_mix

    # Pre-2019 reports: prose figures, and a statistics table.
    reports.append(
        Report("r19_hunan_rfb17", "湖南省人防办", 2017, "pre2019", format="text", published_date=d(2018, 3, 20))
    )
    for key, value in [("new_received", 5), ("granted", 3), ("total_processed", 5)]:
        rows.outcome("r19_hunan_rfb17", key, "total", value, source="prose")
    rows.proceeding("r19_hunan_rfb17", "review", "total", 1, source="prose")
    rows.proceeding("r19_hunan_rfb17", "litigation", "total", 2, source="prose")
    rows.stat("r19_hunan_rfb17", "pre2019", "proactive_total", "published", 120.0, source="prose")
    rows.sections("r19_hunan_rfb17", SECTIONS_PRE2019 + ["fees"])
    rows.issue("r19_hunan_rfb17", "info", "region_inferred")

    reports.append(
        Report("r20_baishan17", "白山市人防办", 2017, "pre2019", format="text", published_date=d(2018, 4, 5))
    )
    for key, value in [("new_received", 2), ("granted", 1), ("partially_granted", 1), ("total_processed", 2)]:
        rows.outcome("r20_baishan17", key, "total", value, source="prose")
    rows.proceeding("r20_baishan17", "review", "total", 0, source="prose")
    rows.proceeding("r20_baishan17", "litigation", "total", 0, source="prose")
    rows.sections("r20_baishan17", ["proactive", "applications", "review_litigation", None])

    # 白山市人防办 again in 2019, after a gap (no 2018): no carry-over pair.
    post2019(Report("r25_baishan19", "白山市人防办", 2019, "2019", published_date=d(2020, 1, 15)), carried_over=9)

    reports.append(Report("r21_pingtanxian12", "平潭县人民政府", 2012, "pre2019", published_date=d(2013, 1, 17)))
    for key, value in [("new_received", 21), ("granted", 17), ("partially_granted", 2), ("total_processed", 21)]:
        rows.outcome("r21_pingtanxian12", key, "total", value, source="table")
    rows.proceeding("r21_pingtanxian12", "review", "total", 0)
    rows.proceeding("r21_pingtanxian12", "litigation", "total", 1)
    rows.proceeding("r21_pingtanxian12", "litigation", "corrected", 1)
    rows.sections("r21_pingtanxian12", SECTIONS_PRE2019)

    # Reports the per-agency models must leave out: no agency, no year.
    reports.append(
        Report("r22_no_agency", None, 2020, "2019", format="text", parse_status="partial", published_date=d(2021, 1, 5))
    )
    rows.sections("r22_no_agency", ["overview"])
    reports.append(Report("r26_blank_agency", "  ", 2020, "2019", format="text", parse_status="partial"))
    reports.append(
        Report("r23_no_year", "衡阳市行政审批服务局", None, "unknown", format="text", parse_status="partial")
    )
    rows.issue("r23_no_year", "warning", "year_unknown")
    rows.issue(None, "error", "binary")  # a file that became no report

    # One report per kind of agency (the category mapping), some with prose figures.
    extra = [name for name in CATEGORY_OF if name not in {r.agency for r in reports}]
    for i, name in enumerate(extra):
        report_id = f"r3{i:02d}_extra"
        reports.append(
            Report(report_id, name, 2018, "pre2019", published_date=d(2019, 3, 31) + dt.timedelta(days=i % 3 - 1))
        )
        if i % 2 == 0:
            received = rng.randint(0, 30)
            rows.outcome(report_id, "new_received", "total", received, source="prose")
            rows.outcome(report_id, "total_processed", "total", received, source="prose")
            rows.outcome(report_id, "granted", "total", rng.randint(0, received), source="prose")
        rows.sections(report_id, SECTIONS_PRE2019)

    rows.tables["reports"] = [r.row() for r in reports]
    return dict(rows.tables)


def write_warehouse(path: Path, tables: dict[str, list[dict]]) -> None:
    """Create the warehouse schema (pipelines.load) and insert the rows (as typed polars frames)."""
    import polars as pl

    con = connect(path)
    try:
        create_schema(con)
        for name, spec in TABLES.items():
            rows = tables.get(name, [])
            if not rows:
                continue
            frame = pl.DataFrame(
                [{c: row.get(c) for c in spec.column_names} for row in rows], schema=spec.polars_schema
            )
            con.register("_rows", frame)
            quoted = ", ".join(f'"{c}"' for c in spec.column_names)
            con.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM _rows')
            con.unregister("_rows")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def run_dbt(db_path: Path, work_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """dbt against `db_path`, with its own target and log folders (never sql/target)."""
    env = {**os.environ, "GOVREPORTS_DBT_DB": str(db_path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [
            DBT,
            *args,
            "--project-dir",
            str(SQL_DIR),
            "--profiles-dir",
            str(SQL_DIR),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- the reference: the models' figures, computed in Python ----------------------------------------


def _sum(values) -> int | None:
    """Sum of the known values; None when none is known (a blank cell is not 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _median(values) -> float | None:
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def _share(rows: list[dict], part: str, whole: str) -> float | None:
    both = [r for r in rows if r[part] is not None and r[whole] is not None and r[whole] > 0]
    denominator = sum(r[whole] for r in both)
    return sum(r[part] for r in both) / denominator if denominator else None


def expected_report_summary(tables: dict[str, list[dict]]) -> dict[str, dict]:
    totals: dict[str, dict[str, int | None]] = defaultdict(dict)
    for row in tables["application_outcomes"]:
        if row["applicant"] == "total":
            totals[row["report_id"]][row["row_key"]] = row["value"]
    proceedings: dict[str, dict[tuple[str, str], int | None]] = defaultdict(dict)
    for row in tables["review_litigation"]:
        proceedings[row["report_id"]][(row["proceeding"], row["outcome"])] = row["value"]
    facts: dict[str, int] = defaultdict(int)
    for table in ("application_outcomes", "disclosure_stats", "review_litigation"):
        for row in tables.get(table, []):
            facts[row["report_id"]] += row["value"] is not None

    out = {}
    for report in tables["reports"]:
        rid = report["report_id"]
        t, p = totals.get(rid, {}), proceedings.get(rid, {})
        direct, after = p.get(("litigation_direct", "total")), p.get(("litigation_after_review", "total"))
        if direct is None and after is None:
            lawsuits, lawsuits_corrected = p.get(("litigation", "total")), p.get(("litigation", "corrected"))
        else:
            lawsuits = (direct or 0) + (after or 0)
            lawsuits_corrected = _sum(
                [p.get(("litigation_direct", "corrected")), p.get(("litigation_after_review", "corrected"))]
            )
        processed, granted, partial = t.get("total_processed"), t.get("granted"), t.get("partially_granted")
        other = _sum([t.get(k) for k in OTHER_2021])
        out[rid] = {
            **{
                k: report[k]
                for k in (
                    "report_id",
                    "agency",
                    "province",
                    "city",
                    "county",
                    "admin_level",
                    "year",
                    "template",
                    "parse_status",
                    "format",
                    "script",
                    "published_date",
                    "fetched_at",
                )
            },
            "new_received": t.get("new_received"),
            "carried_over": t.get("carried_over"),
            "processed": processed,
            "granted": granted,
            "partially_granted": partial,
            "denied": _sum([t.get(k) for k in DENIED]),
            "unavailable": _sum([t.get(k) for k in UNAVAILABLE]),
            "not_processed": _sum([t.get(k) for k in NOT_PROCESSED]),
            "other": other if other is not None else t.get("other"),
            "carried_forward": t.get("carried_forward"),
            "reviews": p.get(("review", "total")),
            "reviews_corrected": p.get(("review", "corrected")),
            "lawsuits": lawsuits,
            "lawsuits_corrected": lawsuits_corrected,
            "disclosure_rate": ((granted or 0) + (partial or 0)) / processed
            if processed and (granted is not None or partial is not None)
            else None,
            "non_null_facts": facts.get(rid, 0),
        }
    return out


def copy_order(summary: dict) -> tuple:
    """Sort key of the copies of one (agency, year): the first is the one agency_year keeps."""
    fetched = summary["fetched_at"]
    return (
        summary["format"] != "html",
        summary["parse_status"] != "ok",
        -summary["non_null_facts"],
        fetched is None,
        -(fetched.timestamp() if fetched else 0),
        summary["report_id"],
    )


def expected_agency_year(tables: dict[str, list[dict]]) -> dict[tuple[str, int], dict]:
    summaries = expected_report_summary(tables)
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for s in summaries.values():
        if s["agency"] and s["agency"].strip() and s["year"] is not None:
            groups[(s["agency"], s["year"])].append(s)
    out = {}
    for key, copies in groups.items():
        copies.sort(key=copy_order)
        chosen = copies[0]
        if len(copies) == 1:
            because = "only_copy"
        else:
            runner = copies[1]
            because = next(
                (
                    reason
                    for reason, differs in [
                        ("html_over_text", (chosen["format"] == "html") != (runner["format"] == "html")),
                        ("ok_over_partial", (chosen["parse_status"] == "ok") != (runner["parse_status"] == "ok")),
                        ("more_facts", chosen["non_null_facts"] != runner["non_null_facts"]),
                        ("later_fetch", chosen["fetched_at"] != runner["fetched_at"]),
                    ]
                    if differs
                ),
                "report_id_tiebreak",
            )
        out[key] = {
            **chosen,
            "copies": len(copies),
            "chosen_because": because,
            "copy_report_ids": [c["report_id"] for c in copies],
            "agency_category": CATEGORY_OF[chosen["agency"]],
        }
    return out


AGGREGATE_COLUMNS = [
    "agencies",
    "reports_covered",
    "copies_ingested",
    "reports_with_applications",
    "reports_with_proceedings",
    "new_received",
    "new_received_median",
    "processed",
    "processed_median",
    "granted",
    "partially_granted",
    "denied",
    "unavailable",
    "not_processed",
    "other",
    "granted_share",
    "partially_granted_share",
    "denied_share",
    "unavailable_share",
    "not_processed_share",
    "other_share",
    "disclosure_rate",
    "disclosure_rate_median",
    "reviews",
    "reviews_median",
    "reviews_corrected",
    "reviews_corrected_share",
    "lawsuits",
    "lawsuits_median",
    "lawsuits_corrected",
    "lawsuits_corrected_share",
]


def _aggregate(rows: list[dict]) -> dict:
    rated = [r for r in rows if r["disclosure_rate"] is not None]
    rated_processed = sum(r["processed"] for r in rated)
    out = {
        "agencies": len({r["agency"] for r in rows}),
        "reports_covered": len(rows),
        "copies_ingested": sum(r["copies"] for r in rows),
        "reports_with_applications": sum(r["new_received"] is not None or r["processed"] is not None for r in rows),
        "reports_with_proceedings": sum(r["reviews"] is not None or r["lawsuits"] is not None for r in rows),
        "disclosure_rate": sum((r["granted"] or 0) + (r["partially_granted"] or 0) for r in rated) / rated_processed
        if rated_processed
        else None,
        "disclosure_rate_median": _median([r["disclosure_rate"] for r in rows]),
    }
    for column in [
        "new_received",
        "processed",
        "granted",
        "partially_granted",
        "denied",
        "unavailable",
        "not_processed",
        "other",
        "reviews",
        "reviews_corrected",
        "lawsuits",
        "lawsuits_corrected",
    ]:
        out[column] = _sum([r[column] for r in rows])
    for column in ["new_received", "processed", "reviews", "lawsuits"]:
        out[f"{column}_median"] = _median([r[column] for r in rows])
    for part in ["granted", "partially_granted", "denied", "unavailable", "not_processed", "other"]:
        out[f"{part}_share"] = _share(rows, part, "processed")
    out["reviews_corrected_share"] = _share(rows, "reviews_corrected", "reviews")
    out["lawsuits_corrected_share"] = _share(rows, "lawsuits_corrected", "lawsuits")
    return out


def region_keys(row: dict) -> list[tuple]:
    """(region_level, province, city, county) of every region the row counts in."""
    keys = [("national", None, None, None)]
    if row["province"]:
        keys.append(("province", row["province"], None, None))
    if row["city"]:
        keys.append(("city", row["province"], row["city"], None))
    if row["county"]:
        keys.append(("county", row["province"], row["city"], row["county"]))
    return keys


def expected_region_year(tables: dict[str, list[dict]]) -> dict[tuple, dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in expected_agency_year(tables).values():
        for key in region_keys(row):
            groups[(*key, row["year"])].append(row)
    return {key: _aggregate(rows) for key, rows in groups.items()}


def expected_agency_category_year(tables: dict[str, list[dict]]) -> dict[tuple, dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in expected_agency_year(tables).values():
        groups[(row["agency_category"], row["year"])].append(row)
    return {key: _aggregate(rows) for key, rows in groups.items()}


def expected_applicant_mix(tables: dict[str, list[dict]]) -> dict[tuple, dict]:
    cells: dict[str, dict[str, int | None]] = defaultdict(dict)
    for row in tables["application_outcomes"]:
        if row["row_key"] == "new_received" and row["applicant"] in APPLICANTS:
            cells[row["report_id"]][row["applicant"]] = row["value"]
    groups: dict[tuple, list[dict[str, int]]] = defaultdict(list)
    for row in expected_agency_year(tables).values():
        mix = cells.get(row["report_id"], {})
        if all(v is None for v in mix.values()):
            continue
        counts = {a: mix.get(a) or 0 for a in APPLICANTS}
        for key in region_keys(row):
            groups[(*key, row["year"])].append(counts)
    out = {}
    for key, reports in groups.items():
        sums = {a: sum(r[a] for r in reports) for a in APPLICANTS}
        total = sum(sums.values())
        legal = total - sums["natural_person"]
        out[key] = {
            "reports_covered": len(reports),
            "new_applications": total,
            "legal_person": legal,
            **sums,
            **{f"{a}_share": sums[a] / total if total else None for a in APPLICANTS},
            "legal_person_share": legal / total if total else None,
        }
    return out


def expected_carryover(tables: dict[str, list[dict]]) -> dict[tuple[str, int], dict]:
    agency_years = expected_agency_year(tables)
    normative: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in tables["disclosure_stats"]:
        if row["template"] == "2021" and row["item"] == "normative_documents":
            normative[row["report_id"]][row["metric"]] = row["value"]
    out = {}
    for (agency, year), row in agency_years.items():
        prior = agency_years.get((agency, year - 1))
        if prior is None:
            continue
        now, before = normative.get(row["report_id"], {}), normative.get(prior["report_id"], {})
        parts = [before.get("in_force"), now.get("issued"), now.get("repealed")]
        expected_in_force = None if None in parts else parts[0] + parts[1] - parts[2]
        carry_ok = (
            None
            if None in (row["carried_over"], prior["carried_forward"])
            else row["carried_over"] == prior["carried_forward"]
        )
        in_force_ok = (
            None if None in (now.get("in_force"), expected_in_force) else now.get("in_force") == expected_in_force
        )
        out[(agency, year)] = {
            "prior_year": year - 1,
            "prior_report_id": prior["report_id"],
            "report_id": row["report_id"],
            "prior_carried_forward": prior["carried_forward"],
            "carried_over": row["carried_over"],
            "carryover_consistent": carry_ok,
            "prior_in_force": before.get("in_force"),
            "in_force": now.get("in_force"),
            "in_force_expected": expected_in_force,
            "in_force_consistent": in_force_ok,
            "flagged": carry_ok is False or in_force_ok is False,
        }
    return out


def is_government_name(agency: str | None, region: tuple) -> bool:
    """The rule of pipelines.metadata.is_government, over a fixture row (the tests check the two agree)."""
    import re

    if not agency:
        return False
    name = re.sub(r"[（(].*?[)）]", "", agency)
    return (
        bool(re.search(r"(人民政府|政府|管委会|管理委员会|行政公署)$", name))
        or name in set(region) - {None}
        or name in SPECIAL_ZONES
    )


def expected_data_quality(tables: dict[str, list[dict]]) -> dict[str, dict]:
    summaries = expected_report_summary(tables)
    post2019 = {
        r["report_id"] for r in tables["reports"] if r["template"] in ("2019", "2021")
    }  # pre-2019 statistics tables are not 三/四
    found = {
        "table_2_found": {r["report_id"] for r in tables["disclosure_stats"] if r["template"] in ("2019", "2021")},
        "table_3_found": {r["report_id"] for r in tables["application_outcomes"] if r["source"] == "table"} & post2019,
        "table_4_found": {r["report_id"] for r in tables["review_litigation"] if r["source"] == "table"} & post2019,
    }
    failed: dict[str, list[str]] = defaultdict(list)
    for r in tables["report_checks"]:
        if r["passed"] is False:
            failed[r["report_id"]].append(r["check_name"])
    issues: dict[tuple[str, str], int] = defaultdict(int)
    for r in tables["parse_issues"]:
        issues[(r["report_id"], r["severity"])] += 1
    kinds: dict[str, set[str]] = defaultdict(set)
    for r in tables["sections"]:
        kinds[r["report_id"]].add(r["kind"])

    out = {}
    for report in tables["reports"]:
        rid, year = report["report_id"], report["year"]
        government = is_government_name(report["agency"], (report["province"], report["city"], report["county"]))
        if year is None:
            deadline = None
        elif year <= 2018 or government:
            deadline = dt.date(year + 1, 3, 31)
        else:
            deadline = dt.date(year + 1, 1, 31)
        published = report["published_date"]
        required = SECTIONS_PRE2019 if report["template"] == "pre2019" else SECTIONS_POST2019
        missing = sorted(k for k in required if k not in kinds[rid])
        n_failed = len(failed[rid])
        warnings = issues[(rid, "warning")] + issues[(rid, "error")]
        has_figures = summaries[rid]["new_received"] is not None or summaries[rid]["processed"] is not None
        ok = report["parse_status"] == "ok"
        if not report["agency"] or year is None or report["template"] == "unknown" or (not ok and not has_figures):
            grade = "D"
        elif not ok or n_failed > 2:
            grade = "C"
        elif n_failed or missing or warnings:
            grade = "B"
        else:
            grade = "A"
        flags = {name: rid in ids for name, ids in found.items()}
        out[rid] = {
            **flags,
            "tables_found": "".join(t for t, f in zip("二三四", flags.values()) if f) or "none",
            "is_government": government,
            "deadline": deadline,
            "on_time": None if published is None or deadline is None else published <= deadline,
            "checks_failed": n_failed,
            "failed_checks": sorted(failed[rid]),
            "issues_warning": issues[(rid, "warning")],
            "issues_info": issues[(rid, "info")],
            "sections_missing": missing,
            "grade": grade,
            "parse_status": report["parse_status"],
        }
    return out
