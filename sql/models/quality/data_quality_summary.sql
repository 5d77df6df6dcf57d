-- For the current build: how many reports fall into each combination of quality grade,
-- on-time publication, parse status and tables found (from data_quality, every ingested copy).

with data_quality as (
    select * from {{ ref('data_quality') }}
),

totals as (
    select count(*) as all_reports from data_quality
)

select
    data_quality.grade,
    data_quality.on_time,
    data_quality.parse_status,
    data_quality.tables_found,
    count(*) as reports_covered,
    count(*)::double / any_value(totals.all_reports) as share_of_reports
from data_quality
cross join totals
group by data_quality.grade, data_quality.on_time, data_quality.parse_status, data_quality.tables_found
