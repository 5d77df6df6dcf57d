-- One row per top-level section of a report, as loaded (source table sections).

with sections as (
    select * from {{ source('warehouse', 'sections') }}
)

select
    report_id,
    ordinal,
    heading,
    kind,
    text
from sections
