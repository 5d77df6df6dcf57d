-- One row per agency and pair of consecutive reporting years (year − 1, year) of agency_year:
-- does what year − 1 carried forward equal what year carried over, and does the 2021 template's
-- count of normative documents in force follow from the year before? A soft rule: it flags,
-- it never corrects. Only the 2021 template's table 二 counts documents issued, repealed and in
-- force (its metric vocabulary); the other templates' normative_documents rows have other metrics.

with chosen as (
    select
        agency,
        year,
        report_id,
        carried_over,
        carried_forward
    from {{ ref('agency_year') }}
),

disclosure_stats as (
    select * from {{ ref('stg_disclosure_stats') }}
),

normative_documents as (
    select
        report_id,
        max(value) filter (where metric = 'issued') as issued,
        max(value) filter (where metric = 'repealed') as repealed,
        max(value) filter (where metric = 'in_force') as in_force
    from disclosure_stats
    where
        item = 'normative_documents'
        and metric in ('issued', 'repealed', 'in_force')
    group by report_id
),

agency_years as (
    select
        chosen.*,
        normative_documents.issued,
        normative_documents.repealed,
        normative_documents.in_force
    from chosen
    left join normative_documents on chosen.report_id = normative_documents.report_id
),

with_prior as (
    select
        *,
        lag(year) over by_agency as prior_year,
        lag(report_id) over by_agency as prior_report_id,
        lag(carried_forward) over by_agency as prior_carried_forward,
        lag(in_force) over by_agency as prior_in_force
    from agency_years
    window by_agency as (partition by agency order by year)
),

pairs as (
    select
        *,
        prior_in_force + issued - repealed as in_force_expected
    from with_prior
    where prior_year = year - 1
)

select
    agency,
    prior_year,
    year,
    prior_report_id,
    report_id,
    prior_carried_forward,
    carried_over,
    carried_over - prior_carried_forward as carryover_difference,
    carried_over = prior_carried_forward as carryover_consistent,
    prior_in_force,
    issued,
    repealed,
    in_force,
    in_force_expected,
    in_force - in_force_expected as in_force_difference,
    in_force = in_force_expected as in_force_consistent,
    coalesce(carried_over <> prior_carried_forward, false)
    or coalesce(in_force <> in_force_expected, false) as flagged
from pairs
