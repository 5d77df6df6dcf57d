-- One row per (kind of agency, year): the aggregates of region_year by agency category
-- (model agencies, seed agency_categories), from agency_year (one chosen copy per agency and year).

with agency_rows as (
    select * from {{ ref('agency_year') }}
),

labels as (
    select
        category,
        label
    from {{ ref('agency_categories') }}
)

select
    agency_rows.agency_category,
    any_value(labels.label) as agency_category_label,
    agency_rows.year,
    {{ agency_year_aggregates() }}
from agency_rows
left join labels on agency_rows.agency_category = labels.category
group by agency_rows.agency_category, agency_rows.year
