-- One row per cell of table 三 (report, row key, applicant), as loaded (source table application_outcomes).

with application_outcomes as (
    select * from {{ source('warehouse', 'application_outcomes') }}
)

select
    report_id,
    row_key,
    applicant,
    value,
    raw_value,
    derived,
    source,
    extraction,
    evidence
from application_outcomes
