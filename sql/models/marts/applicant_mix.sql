-- One row per (region level, region, year): who filed the new applications (table 三, row
-- 一、本年新收) — natural persons vs. each kind of legal person — over the chosen copies of
-- agency_year whose table gives the applicant columns.

with chosen as (
    select
        report_id,
        agency,
        year,
        province,
        city,
        county
    from {{ ref('agency_year') }}
),

application_outcomes as (
    select * from {{ ref('stg_application_outcomes') }}
),

-- One row per report whose new-application row states an applicant column (macro
-- applicant_counts, shared with indicators).
new_applications as (
    {{ applicant_counts('application_outcomes') }}
),

report_mix as (
    select
        chosen.*,
        coalesce(new_applications.natural_person, 0) as natural_person,
        coalesce(new_applications.commercial, 0) as commercial,
        coalesce(new_applications.research, 0) as research,
        coalesce(new_applications.social_welfare, 0) as social_welfare,
        coalesce(new_applications.legal_service, 0) as legal_service,
        coalesce(new_applications.other_org, 0) as other_org
    from chosen
    inner join new_applications on chosen.report_id = new_applications.report_id
),

by_level as (
    {{ region_levels('report_mix') }}
),

sums as (
    select
        region_level,
        region,
        province,
        city,
        county,
        year,
        count(*) as reports_covered,
        sum(natural_person)::bigint as natural_person,
        sum(commercial)::bigint as commercial,
        sum(research)::bigint as research,
        sum(social_welfare)::bigint as social_welfare,
        sum(legal_service)::bigint as legal_service,
        sum(other_org)::bigint as other_org,
        sum(commercial + research + social_welfare + legal_service + other_org)::bigint as legal_person,
        sum(natural_person + commercial + research + social_welfare + legal_service + other_org)::bigint
            as new_applications
    from by_level
    group by region_level, region, province, city, county, year
)

select
    region_level,
    region,
    province,
    city,
    county,
    year,
    reports_covered,
    new_applications,
    natural_person,
    legal_person,
    commercial,
    research,
    social_welfare,
    legal_service,
    other_org,
    -- The share definition shared with indicators (macro applicant_shares).
    {{ applicant_shares() }}
from sums
