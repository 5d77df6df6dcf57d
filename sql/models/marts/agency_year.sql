-- One row per (agency, year): the copy of the report chosen among those ingested, with its figures.
-- Preference: the more faithful format (seed formats), parse ok over partial, more non-NULL facts,
-- later fetch, then report_id.

with formats as (
    select * from {{ ref('formats') }}
),

summaries as (
    select
        report_summary.*,
        formats.preference as format_preference,
        coalesce(report_summary.parse_status = 'ok', false) as is_parse_ok
    from {{ ref('report_summary') }} as report_summary
    left join formats on report_summary.format = formats.format
    where
        nullif(trim(report_summary.agency), '') is not null
        and report_summary.year is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by agency, year
            order by
                format_preference asc nulls last,
                is_parse_ok desc,
                non_null_facts desc,
                fetched_at desc nulls last,
                report_id asc
        ) as copy_rank
    from summaries
),

copy_lists as (
    select
        agency,
        year,
        count(*) as copies,
        -- All copies in order of preference (sorting a list per group beats an ordered aggregate).
        list_transform(list_sort(list({ 'copy_rank': copy_rank, 'report_id': report_id })), c -> c.report_id)
            as copy_report_ids
    from ranked
    group by agency, year
),

chosen as (
    select * from ranked
    where copy_rank = 1
),

runner_up as (
    select * from ranked
    where copy_rank = 2
),

agencies as (
    select * from {{ ref('agencies') }}
)

select
    chosen.agency,
    chosen.year,
    chosen.report_id,
    copy_lists.copies,
    -- The first criterion that separates the chosen copy from the runner-up.
    case
        when runner_up.report_id is null then 'only_copy'
        when (chosen.format_preference is distinct from runner_up.format_preference)
            then coalesce(chosen.format, 'unknown') || '_over_' || coalesce(runner_up.format, 'unknown')
        when chosen.is_parse_ok <> runner_up.is_parse_ok then 'ok_over_partial'
        when chosen.non_null_facts <> runner_up.non_null_facts then 'more_facts'
        when (chosen.fetched_at is distinct from runner_up.fetched_at) then 'later_fetch'
        else 'report_id_tiebreak'
    end as chosen_because,
    copy_lists.copy_report_ids,
    agencies.category as agency_category,
    agencies.is_government,
    chosen.province,
    chosen.city,
    chosen.county,
    chosen.admin_level,
    chosen.template,
    chosen.parse_status,
    chosen.format,
    chosen.script,
    chosen.published_date,
    chosen.fetched_at,
    chosen.new_received,
    chosen.carried_over,
    chosen.processed,
    chosen.granted,
    chosen.partially_granted,
    chosen.denied,
    chosen.unavailable,
    chosen.not_processed,
    chosen.other,
    chosen.carried_forward,
    chosen.reviews,
    chosen.reviews_corrected,
    chosen.lawsuits,
    chosen.lawsuits_corrected,
    chosen.disclosure_rate,
    chosen.non_null_facts
from chosen
inner join copy_lists on chosen.agency = copy_lists.agency and chosen.year = copy_lists.year
left join runner_up on chosen.agency = runner_up.agency and chosen.year = runner_up.year
left join agencies on chosen.agency = agencies.agency
