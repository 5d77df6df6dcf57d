-- One row per agency name found in reports: its kind (seed agency_categories) and whether it is a
-- people's government (the rule of pipelines.metadata.is_government, in SQL).

with reports as (
    select * from {{ source('warehouse', 'reports') }}
    where nullif(trim(agency), '') is not null
),

names as (
    select
        agency,
        -- Parenthetical remarks do not count: 平潭综合实验区管委会（平潭县人民政府） → 平潭综合实验区管委会.
        regexp_replace(agency, '[（(].*?[)）]', '', 'g') as bare_name,
        province,
        city,
        county,
        year
    from reports
),

per_agency as (
    select
        agency,
        any_value(bare_name) as bare_name,
        -- Named by its region alone (常德市): the name is the province, city or county of its report.
        coalesce(bool_or(bare_name in (province, city, county)), false) as is_region_name,
        count(*) as reports,
        min(year) as first_year,
        max(year) as last_year
    from names
    group by agency
),

special_zones as (
    select zone from {{ ref('special_zones') }}
),

categories as (
    select category, label, pattern from {{ ref('agency_categories') }}
),

classified as (
    select
        per_agency.*,
        per_agency.is_region_name or special_zones.zone is not null as is_bare_region,
        -- The seed's patterns in priority order (see macros/agency_category_case.sql).
        {{ agency_category_case('per_agency.bare_name') }} as pattern_category
    from per_agency
    left join special_zones on special_zones.zone = per_agency.bare_name
),

categorised as (
    select
        *,
        case when is_bare_region then 'government' else coalesce(pattern_category, 'other') end as category
    from classified
)

select
    categorised.agency,
    categorised.category,
    categories.label as category_label,
    case
        when categorised.is_bare_region then 'bare region name'
        when categorised.pattern_category is not null then 'pattern ' || categories.pattern
        else 'no pattern matched'
    end as matched_by,
    categorised.category = 'government' as is_government,
    categorised.reports,
    categorised.first_year,
    categorised.last_year
from categorised
left join categories on categories.category = categorised.category
