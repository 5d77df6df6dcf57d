-- One row per cell of table 四 (report, proceeding, outcome), as loaded (source table review_litigation).

with review_litigation as (
    select * from {{ source('warehouse', 'review_litigation') }}
)

select
    report_id,
    proceeding,
    outcome,
    value,
    raw_value,
    derived,
    source,
    extraction,
    evidence
from review_litigation
