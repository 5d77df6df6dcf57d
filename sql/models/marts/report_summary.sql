-- One row per report: the 总计 (total) column of table 三 summed by row group (seed row_keys), the
-- totals of table 四, the disclosure rate. A sum of several rows (denied, unavailable, not_processed,
-- other, lawsuits) skips blank cells and is NULL only when every one of its rows is blank or absent.

with reports as (
    select * from {{ ref('stg_reports') }}
),

application_outcomes as not materialized (
    -- Read twice below: not materialized, each use reads only the columns and rows it needs
    -- instead of a copy of the whole table being made first.
    select * from {{ ref('stg_application_outcomes') }}
),

review_litigation as (
    select * from {{ ref('stg_review_litigation') }}
),

disclosure_stats as (
    select * from {{ ref('stg_disclosure_stats') }}
),

-- A row key adds up into the same group in every template: one group per key.
row_groups as (
    select distinct
        row_key,
        row_group
    from {{ ref('row_keys') }}
),

total_cells as (
    -- The 总计 (total) column of table 三, each cell with the group its row adds up into.
    select
        application_outcomes.report_id,
        application_outcomes.value,
        row_groups.row_group
    from application_outcomes
    inner join row_groups on application_outcomes.row_key = row_groups.row_key
    where application_outcomes.applicant = 'total'
),

outcome_totals as (
    -- One column per row group: the sum of its rows (a single row for most groups).
    select
        report_id,
        sum(value) filter (where row_group = 'new_received')::bigint as new_received,
        sum(value) filter (where row_group = 'carried_over')::bigint as carried_over,
        sum(value) filter (where row_group = 'total_processed')::bigint as processed,
        sum(value) filter (where row_group = 'granted')::bigint as granted,
        sum(value) filter (where row_group = 'partially_granted')::bigint as partially_granted,
        sum(value) filter (where row_group = 'denied')::bigint as denied,
        sum(value) filter (where row_group = 'unavailable')::bigint as unavailable,
        sum(value) filter (where row_group = 'not_processed')::bigint as not_processed,
        -- （六）其他处理: one row in the 2019 template, three sub-rows in the 2021 one.
        sum(value) filter (where row_group = 'other')::bigint as other,
        sum(value) filter (where row_group = 'carried_forward')::bigint as carried_forward
    from total_cells
    group by report_id
),

disclosure_rates as (
    -- A blank one of granted and partially_granted counts as 0, but not both.
    select
        report_id,
        case
            when processed > 0 and (granted is not null or partially_granted is not null)
                then (coalesce(granted, 0) + coalesce(partially_granted, 0))::double / processed
        end as disclosure_rate
    from outcome_totals
),

proceeding_totals as (
    select
        report_id,
        max(value) filter (where proceeding = 'review' and outcome = 'total') as reviews,
        max(value) filter (where proceeding = 'review' and outcome = 'corrected') as reviews_corrected,
        max(value) filter (where proceeding = 'litigation_direct' and outcome = 'total') as direct_total,
        max(value) filter (where proceeding = 'litigation_direct' and outcome = 'corrected') as direct_corrected,
        max(value) filter (where proceeding = 'litigation_after_review' and outcome = 'total') as after_review_total,
        max(value) filter (where proceeding = 'litigation_after_review' and outcome = 'corrected')
            as after_review_corrected,
        max(value) filter (where proceeding = 'litigation' and outcome = 'total') as unsplit_total,
        max(value) filter (where proceeding = 'litigation' and outcome = 'corrected') as unsplit_corrected
    from review_litigation
    group by report_id
),

lawsuit_totals as (
    -- Direct + after-review lawsuits when the report splits them (table 四), else the unsplit count.
    select
        report_id,
        reviews,
        reviews_corrected,
        case
            when direct_total is null and after_review_total is null then unsplit_total
            else coalesce(direct_total, 0) + coalesce(after_review_total, 0)
        end as lawsuits,
        case
            when direct_total is null and after_review_total is null then unsplit_corrected
            when direct_corrected is null and after_review_corrected is null then null
            else coalesce(direct_corrected, 0) + coalesce(after_review_corrected, 0)
        end as lawsuits_corrected
    from proceeding_totals
),

fact_counts as (
    -- Non-NULL figures in the three fact tables: how completely the report was read.
    select
        report_id,
        sum(n)::bigint as non_null_facts
    from (
        select
            report_id,
            count(value) as n
        from application_outcomes
        group by report_id
        union all
        select
            report_id,
            count(value) as n
        from disclosure_stats
        group by report_id
        union all
        select
            report_id,
            count(value) as n
        from review_litigation
        group by report_id
    ) as per_table
    group by report_id
)

select
    reports.report_id,
    reports.agency,
    reports.province,
    reports.city,
    reports.county,
    reports.admin_level,
    reports.year,
    reports.template,
    reports.parse_status,
    reports.format,
    reports.script,
    reports.published_date,
    reports.fetched_at,
    outcome_totals.new_received,
    outcome_totals.carried_over,
    outcome_totals.processed,
    outcome_totals.granted,
    outcome_totals.partially_granted,
    outcome_totals.denied,
    outcome_totals.unavailable,
    outcome_totals.not_processed,
    outcome_totals.other,
    outcome_totals.carried_forward,
    lawsuit_totals.reviews,
    lawsuit_totals.reviews_corrected,
    lawsuit_totals.lawsuits,
    lawsuit_totals.lawsuits_corrected,
    disclosure_rates.disclosure_rate,
    coalesce(fact_counts.non_null_facts, 0) as non_null_facts
from reports
left join outcome_totals on reports.report_id = outcome_totals.report_id
left join lawsuit_totals on reports.report_id = lawsuit_totals.report_id
left join disclosure_rates on reports.report_id = disclosure_rates.report_id
left join fact_counts on reports.report_id = fact_counts.report_id
