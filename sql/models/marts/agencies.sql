-- One row per agency name found in reports: its kind of agency and whether it is a people's
-- government, as the parser decided them for its reports (reports.agency_category,
-- agency_category_matched_by, is_government), with the kind's label from the seed agency_categories.

with reports as (
    select * from {{ ref('stg_reports') }}
    where nullif(trim(agency), '') is not null
),

agency_categories as (
    select * from {{ ref('agency_categories') }}
),

-- The same name always gets the same kind from the same parser; should its reports disagree
-- (rows of different parser versions), the kind most of its reports carry wins, ties going to
-- the first category and matched_by in sort order.
classifications as (
    select
        agency,
        agency_category,
        agency_category_matched_by,
        is_government,
        count(*) as reports
    from reports
    group by agency, agency_category, agency_category_matched_by, is_government
),

chosen_classifications as (
    select *
    from classifications
    qualify row_number() over (
        partition by agency
        order by reports desc, agency_category asc nulls last, agency_category_matched_by asc nulls last
    ) = 1
),

per_agency as (
    select
        agency,
        count(*) as reports,
        min(year) as first_year,
        max(year) as last_year
    from reports
    group by agency
)

select
    per_agency.agency,
    chosen_classifications.agency_category as category,
    agency_categories.label as category_label,
    chosen_classifications.agency_category_matched_by as matched_by,
    chosen_classifications.is_government,
    per_agency.reports,
    per_agency.first_year,
    per_agency.last_year
from per_agency
inner join chosen_classifications on per_agency.agency = chosen_classifications.agency
left join agency_categories on chosen_classifications.agency_category = agency_categories.category
