-- One row per agency and year from the agency's first to its last year (exact agency string, as
-- agency_year groups): present (a report was loaded), link_only (no report, but a link listed for
-- that agency and year did not become one: failed, refused, not a report) or missing. Links are
-- placed by the agency and year their anchor text names (macro report_links).

with agency_years as (
    select
        agency,
        year,
        report_id,
        copies,
        province,
        city,
        county,
        agency_category
    from {{ ref('agency_year') }}
),

placed_links as (
    -- Links that did not become a report, by the agency and year their text names.
    select
        link_agency as agency,
        link_year as year,
        count(*) as unconverted_links,
        list_sort(list(distinct outcome)) as link_outcomes
    from ({{ report_links() }}) as links
    where outcome <> 'report' and link_agency is not null and link_year is not null
    group by link_agency, link_year
),

spans as (
    select
        agency,
        min(year) as first_year,
        max(year) as last_year
    from (
        select
            agency,
            year
        from agency_years
        union all
        select
            agency,
            year
        from placed_links
    ) as known
    group by agency
),

grid as (
    select
        agency,
        unnest(range(first_year, last_year + 1))::integer as year
    from spans
),

latest as (
    -- Where the agency is and what kind it is: as of its latest report.
    select
        agency,
        arg_max(province, year) as province,
        arg_max(city, year) as city,
        arg_max(county, year) as county,
        arg_max(agency_category, year) as agency_category
    from agency_years
    group by agency
)

select
    grid.agency,
    grid.year,
    latest.province,
    latest.city,
    latest.county,
    latest.agency_category,
    case
        when agency_years.report_id is not null then 'present'
        when placed_links.unconverted_links > 0 then 'link_only'
        else 'missing'
    end as status,
    agency_years.report_id is not null as present,
    agency_years.report_id,
    coalesce(agency_years.copies, 0) as copies,
    coalesce(placed_links.unconverted_links, 0) as unconverted_links,
    coalesce(placed_links.link_outcomes, []::varchar[]) as link_outcomes
from grid
left join latest on grid.agency = latest.agency
left join agency_years on grid.agency = agency_years.agency and grid.year = agency_years.year
left join placed_links on grid.agency = placed_links.agency and grid.year = placed_links.year
