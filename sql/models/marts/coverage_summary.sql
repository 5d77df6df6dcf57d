-- One row per (province, year) of coverage: how many agencies were expected (their span holds the
-- year), how many reported, how many only have a link that did not become a report, how many are
-- missing.

select
    province,
    year,
    count(*) as agencies,
    count(*) filter (where status = 'present') as present,
    count(*) filter (where status = 'link_only') as link_only,
    count(*) filter (where status = 'missing') as missing,
    count(report_id) as reports_covered,
    {{ rate("count(*) filter (where status = 'present')", 'count(*)') }} as coverage_rate
from {{ ref('coverage') }}
group by province, year
