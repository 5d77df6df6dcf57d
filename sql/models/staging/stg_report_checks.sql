-- One row per report and consistency rule, as loaded (source table report_checks).

with report_checks as (
    select * from {{ source('warehouse', 'report_checks') }}
)

select
    report_id,
    check_name,
    passed,
    expected,
    actual,
    detail
from report_checks
