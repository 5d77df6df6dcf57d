-- One row per (agency, year) of agency_year (its chosen copy): the rates researchers compute from
-- tables 二, 三 and 四, each with its change on the year before, its median over the agencies of
-- the same province and year and of the same kind of agency and year, and the agency's rank in
-- its province, year and kind by disclosure rate. Every rate is NULL when its denominator is 0 or
-- unknown (macro rate). The table 二 ratio's year-on-year change is NULL across a change of
-- table 二 vocabulary (the two templates' metrics are never compared).

{%- set rate_columns = [
    'disclosure_rate', 'denied_share', 'unavailable_share', 'not_held_share', 'carryover_rate',
    'review_correction_rate', 'litigation_correction_rate', 'correction_rate', 'dispute_rate',
    'natural_person_share', 'legal_person_share', 'commercial_share', 'research_share',
    'social_welfare_share', 'legal_service_share', 'other_org_share', 'licensing_penalty_ratio'
] %}
{%- set table_2_rates = ['licensing_penalty_ratio'] %}

with chosen as (
    select * from {{ ref('agency_year') }}
),

application_outcomes as (
    select * from {{ ref('stg_application_outcomes') }}
),

not_held as (
    -- （四）1.本机关不掌握相关政府信息, within 无法提供.
    select
        report_id,
        max(value) as unavailable_not_held
    from application_outcomes
    where row_key = 'unavailable_not_held' and applicant = 'total'
    group by report_id
),

applicant_counts as (
    {{ applicant_counts('application_outcomes') }}
),

applicants as (
    select
        report_id,
        {%- for kind in applicant_kinds() %}
            coalesce({{ kind }}, 0) as {{ kind }},
        {%- endfor %}
        coalesce(commercial, 0) + coalesce(research, 0) + coalesce(social_welfare, 0)
        + coalesce(legal_service, 0) + coalesce(other_org, 0) as legal_person,
        coalesce(natural_person, 0) + coalesce(commercial, 0) + coalesce(research, 0)
        + coalesce(social_welfare, 0) + coalesce(legal_service, 0) + coalesce(other_org, 0) as new_applications
    from applicant_counts
),

decisions as (
    -- Table 二: decisions (处理决定数量) on licences and penalties, in the report's own vocabulary.
    select
        report_id,
        min(template) as table_2_template,
        max(value) filter (where item = 'licensing') as licensing_decisions,
        max(value) filter (where item = 'penalty') as penalty_decisions
    from {{ ref('stg_disclosure_stats') }}
    where item in ('licensing', 'penalty') and metric = 'decisions'
    group by report_id
),

inconsistent as (
    -- The report's own totals do not add up: its outcome rows or its applicant columns.
    select distinct report_id
    from {{ ref('stg_report_checks') }}
    where not passed and (check_name = 'outcomes_sum:total' or check_name like 'applicant_sum:%')
),

counts as (
    select
        chosen.agency,
        chosen.year,
        chosen.report_id,
        chosen.province,
        chosen.city,
        chosen.county,
        chosen.agency_category,
        chosen.template,
        decisions.table_2_template,
        chosen.processed,
        chosen.new_received,
        chosen.carried_over,
        chosen.carried_forward,
        chosen.denied,
        chosen.unavailable,
        not_held.unavailable_not_held,
        chosen.reviews,
        chosen.lawsuits,
        chosen.disclosure_rate,
        -- Nothing to correct when there was no proceeding: a blank 纠正 cell then counts as 0.
        case when chosen.reviews = 0 then coalesce(chosen.reviews_corrected, 0) else chosen.reviews_corrected end
            as reviews_corrected,
        case
            when chosen.lawsuits = 0 then coalesce(chosen.lawsuits_corrected, 0) else chosen.lawsuits_corrected
        end as lawsuits_corrected,
        applicants.new_applications,
        applicants.legal_person,
        {%- for kind in applicant_kinds() %}
            applicants.{{ kind }},
        {%- endfor %}
        decisions.licensing_decisions,
        decisions.penalty_decisions,
        coalesce(chosen.processed < 30, true) as small_sample,
        inconsistent.report_id is not null as inconsistent_source
    from chosen
    left join not_held on chosen.report_id = not_held.report_id
    left join applicants on chosen.report_id = applicants.report_id
    left join decisions on chosen.report_id = decisions.report_id
    left join inconsistent on chosen.report_id = inconsistent.report_id
),

rates as (
    select
        *,
        {{ rate('denied', 'processed') }} as denied_share,
        {{ rate('unavailable', 'processed') }} as unavailable_share,
        {{ rate('unavailable_not_held', 'unavailable') }} as not_held_share,
        {{ rate('carried_forward', 'new_received + carried_over') }} as carryover_rate,
        {{ rate('reviews_corrected', 'reviews') }} as review_correction_rate,
        {{ rate('lawsuits_corrected', 'lawsuits') }} as litigation_correction_rate,
        {{ rate('reviews_corrected + lawsuits_corrected', 'reviews + lawsuits') }} as correction_rate,
        {{ rate('reviews + lawsuits', 'new_received') }} as dispute_rate,
        {{ applicant_shares() }},
        {{ rate('licensing_decisions', 'penalty_decisions') }} as licensing_penalty_ratio
    from counts
),

province_medians as (
    {{ rate_medians('rates', 'province', rate_columns, 'province_median') }}
),

category_medians as (
    {{ rate_medians('rates', 'agency_category', rate_columns, 'category_median') }}
),

ranks as (
    -- Among the agencies of the same province, year and kind with 30 or more applications processed.
    select
        report_id,
        rank() over (partition by province, year, agency_category order by disclosure_rate desc) as province_rank
    from rates
    where not small_sample and disclosure_rate is not null and province is not null
)

select
    rates.agency,
    rates.year,
    rates.report_id,
    rates.province,
    rates.city,
    rates.county,
    rates.agency_category,
    rates.template,
    rates.table_2_template,
    rates.processed,
    rates.new_received,
    rates.small_sample,
    rates.inconsistent_source,
    ranks.province_rank,
{%- for name in rate_columns %}
    rates.{{ name }},
    {%- if name in table_2_rates %}
        case
            when rates.table_2_template = previous.table_2_template then rates.{{ name }} - previous.{{ name }}
        end as {{ name }}_yoy,
    {%- else %}
        rates.{{ name }} - previous.{{ name }} as {{ name }}_yoy,
    {%- endif %}
    province_medians.{{ name }}_province_median,
    category_medians.{{ name }}_category_median{{ "," if not loop.last }}
{%- endfor %}
from rates
left join rates as previous on rates.agency = previous.agency and rates.year - 1 = previous.year
left join province_medians on rates.province = province_medians.province and rates.year = province_medians.year
left join category_medians
    on rates.agency_category = category_medians.agency_category and rates.year = category_medians.year
left join ranks on rates.report_id = ranks.report_id
