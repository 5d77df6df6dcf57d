-- One row per report (every ingested copy): which of tables 二/三/四 were found, which consistency
-- checks failed, parse issues by severity, whether the required sections are there, whether it
-- was published on time, and a single grade (A–D).

with reports as (
    select * from {{ ref('report_summary') }}
),

agencies as (
    select agency, category, is_government from {{ ref('agencies') }}
),

table_2 as (
    select distinct report_id
    from {{ source('warehouse', 'disclosure_stats') }}
    where template in ('2019', '2021')
),

-- Tables 三 and 四 exist in the 2019 and 2021 templates only: a pre-2019 statistics table is neither.
table_3 as (
    select distinct f.report_id
    from {{ source('warehouse', 'application_outcomes') }} as f
    join {{ source('warehouse', 'reports') }} as r using (report_id)
    where f.source = 'table' and r.template in ('2019', '2021')
),

table_4 as (
    select distinct f.report_id
    from {{ source('warehouse', 'review_litigation') }} as f
    join {{ source('warehouse', 'reports') }} as r using (report_id)
    where f.source = 'table' and r.template in ('2019', '2021')
),

checks as (
    select
        report_id,
        count(*) as checks_run,
        count(*) filter (where not passed) as checks_failed,
        list(check_name order by check_name) filter (where not passed) as failed_checks
    from {{ source('warehouse', 'report_checks') }}
    group by report_id
),

issues as (
    select
        report_id,
        count(*) filter (where severity = 'error') as issues_error,
        count(*) filter (where severity = 'warning') as issues_warning,
        count(*) filter (where severity = 'info') as issues_info
    from {{ source('warehouse', 'parse_issues') }}
    where report_id is not null
    group by report_id
),

required_sections as (
    -- The contents the regulation requires: the six headings of the 2019/2021 formats; for reports
    -- on 2008–2018 (条例 2008 art. 32) the four that have a section kind (fees excepted).
    select *
    from (values
        ('post2019', 'overview'), ('post2019', 'proactive'), ('post2019', 'applications'),
        ('post2019', 'review_litigation'), ('post2019', 'problems'), ('post2019', 'other'),
        ('pre2019', 'proactive'), ('pre2019', 'applications'), ('pre2019', 'review_litigation'),
        ('pre2019', 'problems')
    ) as required (era, kind)
),

present_sections as (
    select distinct report_id, kind
    from {{ source('warehouse', 'sections') }}
    where kind is not null
),

missing_sections as (
    select
        reports.report_id,
        list(required_sections.kind order by required_sections.kind)
            filter (where present_sections.kind is null) as sections_missing
    from reports
    inner join required_sections
        on required_sections.era = case when reports.template = 'pre2019' then 'pre2019' else 'post2019' end
    left join present_sections
        on present_sections.report_id = reports.report_id
        and present_sections.kind = required_sections.kind
    group by reports.report_id
),

assembled as (
    select
        reports.report_id,
        reports.agency,
        reports.year,
        reports.template,
        reports.parse_status,
        reports.format,
        reports.script,
        agencies.category as agency_category,
        -- An unknown agency is treated as a department (as pipelines.metadata.is_government does).
        coalesce(agencies.is_government, false) as is_government,
        reports.published_date,
        case
            when reports.year is null then null
            when reports.year <= 2018 then make_date(reports.year + 1, 3, 31)
            when coalesce(agencies.is_government, false) then make_date(reports.year + 1, 3, 31)
            else make_date(reports.year + 1, 1, 31)
        end as deadline,
        table_2.report_id is not null as table_2_found,
        table_3.report_id is not null as table_3_found,
        table_4.report_id is not null as table_4_found,
        coalesce(checks.checks_run, 0) as checks_run,
        coalesce(checks.checks_failed, 0) as checks_failed,
        coalesce(checks.failed_checks, []::varchar[]) as failed_checks,
        coalesce(issues.issues_error, 0) as issues_error,
        coalesce(issues.issues_warning, 0) as issues_warning,
        coalesce(issues.issues_info, 0) as issues_info,
        coalesce(missing_sections.sections_missing, []::varchar[]) as sections_missing,
        reports.new_received is not null or reports.processed is not null as has_application_figures,
        coalesce(reports.parse_status = 'ok', false) as parse_ok,
        nullif(trim(reports.agency), '') is null as agency_unknown
    from reports
    left join agencies on agencies.agency = reports.agency
    left join table_2 on table_2.report_id = reports.report_id
    left join table_3 on table_3.report_id = reports.report_id
    left join table_4 on table_4.report_id = reports.report_id
    left join checks on checks.report_id = reports.report_id
    left join issues on issues.report_id = reports.report_id
    left join missing_sections on missing_sections.report_id = reports.report_id
),

graded as (
    select
        *,
        published_date <= deadline as on_time,
        published_date - deadline as days_after_deadline,
        coalesce(
            nullif(concat_ws('',
                case when table_2_found then '二' end,
                case when table_3_found then '三' end,
                case when table_4_found then '四' end
            ), ''),
            'none'
        ) as tables_found,
        len(sections_missing) = 0 as sections_complete,
        case
            when agency_unknown or year is null or coalesce(template, 'unknown') = 'unknown'
                then 'D'
            when not parse_ok and not has_application_figures
                then 'D'
            when not parse_ok or checks_failed > 2
                then 'C'
            when checks_failed > 0 or len(sections_missing) > 0 or issues_warning > 0 or issues_error > 0
                then 'B'
            else 'A'
        end as grade
    from assembled
)

select
    report_id,
    agency,
    year,
    template,
    parse_status,
    format,
    script,
    agency_category,
    is_government,
    published_date,
    deadline,
    on_time,
    days_after_deadline,
    table_2_found,
    table_3_found,
    table_4_found,
    tables_found,
    checks_run,
    checks_failed,
    failed_checks,
    issues_error,
    issues_warning,
    issues_info,
    sections_missing,
    sections_complete,
    has_application_figures,
    grade,
    case grade
        when 'A' then 'parse ok; required sections present; no failed check; no warning'
        when 'B' then concat_ws('; ',
            case when checks_failed > 0 then checks_failed || ' failed check(s)' end,
            case when len(sections_missing) > 0 then 'missing sections: ' || array_to_string(sections_missing, ', ') end,
            case when issues_warning + issues_error > 0 then (issues_warning + issues_error) || ' warning(s)' end)
        when 'C' then concat_ws('; ',
            case when not parse_ok then 'parse ' || coalesce(parse_status, 'status unknown') end,
            case when checks_failed > 2 then checks_failed || ' failed checks' end)
        else concat_ws('; ',
            case when agency_unknown then 'agency unknown' end,
            case when year is null then 'year unknown' end,
            case when coalesce(template, 'unknown') = 'unknown' then 'template unknown' end,
            case when not parse_ok and not has_application_figures
                then 'parse ' || coalesce(parse_status, 'status unknown') || ' and no application figures' end)
    end as grade_reason
from graded
