-- One row per (region level, region, year): agencies reporting, applications, outcome mix,
-- reviews and lawsuits, from agency_year (one chosen copy per agency and year).

with agency_rows as (
    select * from {{ ref('agency_year') }}
),

by_level as (
    {{ region_levels('agency_rows') }}
)

select
    region_level,
    region,
    province,
    city,
    county,
    year,
    {{ agency_year_aggregates() }}
from by_level
group by region_level, region, province, city, county, year
