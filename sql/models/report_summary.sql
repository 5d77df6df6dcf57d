-- One row per report: the 总计 (total) column of table 三, the totals of table 四, the disclosure rate.
-- A sum of several rows (denied, unavailable, not_processed, other, lawsuits) skips blank cells and
-- is NULL only when every one of its rows is blank or absent.

with outcome_totals as (
    select
        report_id,
        max(value) filter (where row_key = 'new_received') as new_received,
        max(value) filter (where row_key = 'carried_over') as carried_over,
        max(value) filter (where row_key = 'total_processed') as processed,
        max(value) filter (where row_key = 'granted') as granted,
        max(value) filter (where row_key = 'partially_granted') as partially_granted,
        sum(value) filter (where row_key in (
            'denied_state_secret', 'denied_law_prohibited', 'denied_three_safeties', 'denied_third_party',
            'denied_internal_affairs', 'denied_process_info', 'denied_enforcement_file', 'denied_admin_query'
        ))::bigint as denied,
        sum(value) filter (where row_key in (
            'unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear'
        ))::bigint as unavailable,
        sum(value) filter (where row_key in (
            'not_processed_petition', 'not_processed_duplicate', 'not_processed_publication',
            'not_processed_excessive', 'not_processed_confirmation'
        ))::bigint as not_processed,
        -- （六）其他处理: one row in the 2019 template, three sub-rows in the 2021 one.
        max(value) filter (where row_key = 'other') as other_single_row,
        sum(value) filter (where row_key in ('other_no_correction', 'other_unpaid_fee', 'other_misc'))::bigint as other_sub_rows,
        max(value) filter (where row_key = 'carried_forward') as carried_forward
    from {{ source('warehouse', 'application_outcomes') }}
    where applicant = 'total'
    group by report_id
),

proceeding_totals as (
    select
        report_id,
        max(value) filter (where proceeding = 'review' and outcome = 'total') as reviews,
        max(value) filter (where proceeding = 'review' and outcome = 'corrected') as reviews_corrected,
        max(value) filter (where proceeding = 'litigation_direct' and outcome = 'total') as direct_total,
        max(value) filter (where proceeding = 'litigation_direct' and outcome = 'corrected') as direct_corrected,
        max(value) filter (where proceeding = 'litigation_after_review' and outcome = 'total') as after_review_total,
        max(value) filter (where proceeding = 'litigation_after_review' and outcome = 'corrected') as after_review_corrected,
        max(value) filter (where proceeding = 'litigation' and outcome = 'total') as unsplit_total,
        max(value) filter (where proceeding = 'litigation' and outcome = 'corrected') as unsplit_corrected
    from {{ source('warehouse', 'review_litigation') }}
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
    select report_id, sum(n)::bigint as non_null_facts
    from (
        select report_id, count(value) as n from {{ source('warehouse', 'application_outcomes') }} group by report_id
        union all
        select report_id, count(value) as n from {{ source('warehouse', 'disclosure_stats') }} group by report_id
        union all
        select report_id, count(value) as n from {{ source('warehouse', 'review_litigation') }} group by report_id
    ) as per_table
    group by report_id
),

reports as (
    select * from {{ source('warehouse', 'reports') }}
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
    coalesce(outcome_totals.other_sub_rows, outcome_totals.other_single_row) as other,
    outcome_totals.carried_forward,
    lawsuit_totals.reviews,
    lawsuit_totals.reviews_corrected,
    lawsuit_totals.lawsuits,
    lawsuit_totals.lawsuits_corrected,
    case
        when outcome_totals.processed > 0
            and (outcome_totals.granted is not null or outcome_totals.partially_granted is not null)
            then (coalesce(outcome_totals.granted, 0) + coalesce(outcome_totals.partially_granted, 0))::double
                / outcome_totals.processed
    end as disclosure_rate,
    coalesce(fact_counts.non_null_facts, 0) as non_null_facts
from reports
left join outcome_totals on outcome_totals.report_id = reports.report_id
left join lawsuit_totals on lawsuit_totals.report_id = reports.report_id
left join fact_counts on fact_counts.report_id = reports.report_id
