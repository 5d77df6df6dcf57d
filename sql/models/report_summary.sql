-- One row per report: its table 三 totals (the 总计 column), table 四 totals and rates.
with totals as (
    select
        report_id,
        max(value) filter (where row_key = 'new_received') as new_received,
        max(value) filter (where row_key = 'carried_over') as carried_over,
        max(value) filter (where row_key = 'total_processed') as processed,
        max(value) filter (where row_key = 'granted') as granted,
        max(value) filter (where row_key = 'partially_granted') as partially_granted,
        sum(value) filter (where row_key like 'denied\_%' escape '\') as denied,
        sum(value) filter (where row_key like 'unavailable\_%' escape '\') as unavailable,
        sum(value) filter (where row_key like 'not\_processed\_%' escape '\') as not_processed,
        sum(value) filter (where row_key = 'other' or row_key like 'other\_%' escape '\') as other,
        max(value) filter (where row_key = 'carried_forward') as carried_forward
    from {{ source('warehouse', 'application_outcomes') }}
    where applicant = 'total'
    group by report_id
),

proceedings as (
    select
        report_id,
        max(value) filter (where proceeding = 'review' and outcome = 'total') as reviews_total,
        max(value) filter (where proceeding = 'litigation_direct' and outcome = 'total') as litigation_direct,
        max(value) filter (where proceeding = 'litigation_after_review' and outcome = 'total') as litigation_after_review,
        max(value) filter (where proceeding = 'litigation' and outcome = 'total') as litigation_unsplit,
        sum(value) filter (where outcome = 'corrected') as corrected
    from {{ source('warehouse', 'review_litigation') }}
    where outcome in ('total', 'corrected')
    group by report_id
)

select
    r.report_id,
    r.agency,
    r.province,
    r.city,
    r.county,
    r.admin_level,
    r.year,
    r.template,
    r.parse_status,
    r.format,
    r.script,
    r.published_date,
    t.new_received,
    t.carried_over,
    t.processed,
    t.granted,
    t.partially_granted,
    t.denied,
    t.unavailable,
    t.not_processed,
    t.other,
    t.carried_forward,
    p.reviews_total as reviews,
    case
        when p.litigation_direct is null and p.litigation_after_review is null then p.litigation_unsplit
        else coalesce(p.litigation_direct, 0) + coalesce(p.litigation_after_review, 0)
    end as lawsuits,
    p.corrected as reviews_and_lawsuits_corrected,
    case
        when t.processed > 0 and t.granted is not null
            then (t.granted + coalesce(t.partially_granted, 0))::double / t.processed
    end as disclosure_rate
from {{ source('warehouse', 'reports') }} as r
left join totals as t using (report_id)
left join proceedings as p using (report_id)
