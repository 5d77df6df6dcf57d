"""The incremental model (text_reuse) after a run that changed, removed and added reports equals
the same model built afresh from the published warehouse.

The seed reports are each one agency's only report; copies of them with the year moved by one
make the pairs text_reuse compares (same agency, consecutive years)."""

import shutil
import subprocess
from pathlib import Path

import duckdb
from helpers import PROJECT_DIR, Build, new_build

from assets.dbt_manifest import DBT_EXECUTABLE, DBT_PROJECT_DIR, dbt_vars

SEEDS = PROJECT_DIR / "data" / "raw" / "seeds"
HENGYANG_2019 = "003_946f814199ade964.txt"  # 衡阳市行政审批服务局
DINGCHENG_2020 = "004_540522f8d1d44ca2.txt"  # 鼎城区应急管理局
BAISHAN_2017 = "002_6abc71d2abd9d69f.txt"  # 白山市人防办
HUNAN_2020 = "000_0e935963c5f9d0b1.txt"  # 湖南省人防办


def year_copy(build: Build, seed: str, year: int, to: int, name: str) -> Path:
    """The seed report as the same agency's report on another year (every `year` → `to`)."""
    path = build.raw_dir / "copies" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text((SEEDS / seed).read_text("utf-8").replace(str(year), str(to)), "utf-8")
    return path


def text_reuse(warehouse: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute("select * from text_reuse").fetchall(), key=repr)
    finally:
        con.close()


def built_afresh(warehouse: Path, scratch: Path) -> list[tuple[object, ...]]:
    """text_reuse of a copy of the warehouse, rebuilt by dbt with --full-refresh."""
    copy = scratch / "afresh.duckdb"
    shutil.copy(warehouse, copy)
    target = scratch / "dbt-target"
    subprocess.run(
        [str(DBT_EXECUTABLE), "run", "--full-refresh", "--select", "text_reuse", "--vars", dbt_vars(copy)]
        + ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
        + ["--target-path", str(target), "--log-path", str(target)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return text_reuse(copy)


def pairs(rows: list[tuple[object, ...]]) -> set[tuple[object, object]]:
    return {(agency, year) for agency, year, *_ in rows}


def test_text_reuse_after_changes_equals_a_fresh_build(tmp_path: Path) -> None:
    build = new_build(tmp_path / "build", SEEDS)
    year_copy(build, HENGYANG_2019, 2019, 2020, "hengyang-2020.txt")  # kept as it is
    dingcheng_2019 = year_copy(build, DINGCHENG_2020, 2020, 2019, "dingcheng-2019.txt")  # changed
    baishan_2016 = year_copy(build, BAISHAN_2017, 2017, 2016, "baishan-2016.txt")  # removed
    first = build.run()
    assert "afresh" not in first.stdout + first.stderr  # a new warehouse has no models to refresh
    before = text_reuse(build.warehouse)
    assert pairs(before) == {("衡阳市行政审批服务局", 2020), ("鼎城区应急管理局", 2020), ("白山市人防办", 2017)}
    assert before == built_afresh(build.warehouse, tmp_path)

    text = dingcheng_2019.read_text("utf-8")
    dingcheng_2019.write_text(text.replace("区应急局", "本局"), "utf-8")  # many sentences differ now
    baishan_2016.unlink()
    year_copy(build, HUNAN_2020, 2020, 2019, "hunan-2019.txt")  # a new pair
    second = build.run()
    assert "afresh" not in second.stdout + second.stderr  # the same build: incremental

    after = text_reuse(build.warehouse)
    assert pairs(after) == {("衡阳市行政审批服务局", 2020), ("鼎城区应急管理局", 2020), ("湖南省人防办", 2020)}
    assert after == built_afresh(build.warehouse, tmp_path)
    dingcheng = {row for row in after if row[0] == "鼎城区应急管理局"} - set(before)
    assert dingcheng, "the changed report's pair was not recomputed"
