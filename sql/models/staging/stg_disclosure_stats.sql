-- One row per figure of table 二 (report, item, metric), as loaded (source table disclosure_stats).

with disclosure_stats as (
    select * from {{ source('warehouse', 'disclosure_stats') }}
)

select
    report_id,
    template,
    item,
    metric,
    value,
    unit,
    raw_value,
    derived,
    source,
    extraction,
    evidence
from disclosure_stats
