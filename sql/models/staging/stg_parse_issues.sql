-- One row per problem met while reading a file, as loaded (source table parse_issues).

with parse_issues as (
    select * from {{ source('warehouse', 'parse_issues') }}
)

select
    source_uri,
    report_id,
    severity,
    code,
    message
from parse_issues
