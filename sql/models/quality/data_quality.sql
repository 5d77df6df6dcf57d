-- One row per report (every ingested copy): which of tables 二/三/四 were found, which consistency
-- checks failed, parse issues by severity, whether the required sections are there, whether it
-- was published on time, and a single grade (A–D).

with report_summary as (
    select * from {{ ref('report_summary') }}
),

reports as (
    select * from {{ ref('stg_reports') }}
),

templates as (
    select * from {{ ref('templates') }}
),

-- Each era's required tables and sections as lists; a report whose template is unknown is held
-- to the sections of the format in use (the era without a last year).
template_requirements as (
    select
        template,
        coalesce(string_split(required_tables, ' '), []::varchar[]) as required_tables,
        coalesce(string_split(required_sections, ' '), []::varchar[]) as required_sections,
        last_year is null as is_current
    from templates
),

report_templates as (
    select
        reports.report_id,
        own_era.template is not null as template_known,
        coalesce(own_era.required_tables, []::varchar[]) as required_tables,
        case
            when own_era.template is not null then own_era.required_sections
            else current_era.required_sections
        end as required_sections
    from reports
    left join template_requirements as own_era on reports.template = own_era.template
    left join template_requirements as current_era on current_era.is_current
),

-- Table 二 is found when disclosure_stats has rows in the vocabulary of an era whose reports
-- print the table (a pre-2019 report's own statistics are not table 二).
table_2 as (
    select distinct disclosure_stats.report_id
    from {{ ref('stg_disclosure_stats') }} as disclosure_stats
    inner join template_requirements
        on disclosure_stats.template = template_requirements.template
    where list_contains(template_requirements.required_tables, 'disclosure_stats')
),

-- Tables 三 and 四 are found when read from a table of a report whose era prints them: a
-- pre-2019 statistics table is neither.
table_3 as (
    select distinct application_outcomes.report_id
    from {{ ref('stg_application_outcomes') }} as application_outcomes
    inner join report_templates on application_outcomes.report_id = report_templates.report_id
    where
        application_outcomes.source = 'table'
        and list_contains(report_templates.required_tables, 'application_outcomes')
),

table_4 as (
    select distinct review_litigation.report_id
    from {{ ref('stg_review_litigation') }} as review_litigation
    inner join report_templates on review_litigation.report_id = report_templates.report_id
    where
        review_litigation.source = 'table'
        and list_contains(report_templates.required_tables, 'review_litigation')
),

checks as (
    select
        report_id,
        count(*) as checks_run,
        count(*) filter (where not passed) as checks_failed,
        list(check_name order by check_name) filter (where not passed) as failed_checks
    from {{ ref('stg_report_checks') }}
    group by report_id
),

issues as (
    select
        report_id,
        count(*) filter (where severity = 'error') as issues_error,
        count(*) filter (where severity = 'warning') as issues_warning,
        count(*) filter (where severity = 'info') as issues_info
    from {{ ref('stg_parse_issues') }}
    where report_id is not null
    group by report_id
),

required_sections as (
    -- The section kinds the regulation requires of the report's era (seed templates).
    select
        report_id,
        unnest(required_sections) as kind
    from report_templates
),

present_sections as (
    select distinct
        report_id,
        kind
    from {{ ref('stg_sections') }}
    where kind is not null
),

missing_sections as (
    select
        required_sections.report_id,
        list(required_sections.kind order by required_sections.kind)
        filter (where present_sections.kind is null) as sections_missing
    from required_sections
    left join present_sections
        on
            required_sections.report_id = present_sections.report_id
            and required_sections.kind = present_sections.kind
    group by required_sections.report_id
),

report_years as (
    select
        report_summary.report_id,
        report_summary.year,
        reports.is_government
    from report_summary
    inner join reports on report_summary.report_id = reports.report_id
),

-- The deadline of a report on a year is set by the era the year falls in (seed templates,
-- macro report_deadlines, shared with publication_timeliness).
deadlines as (
    {{ report_deadlines('report_years') }}
),

assembled as (
    select
        report_summary.report_id,
        report_summary.agency,
        report_summary.year,
        report_summary.template,
        report_summary.parse_status,
        report_summary.format,
        report_summary.script,
        reports.agency_category,
        -- An unknown agency counts as a department.
        coalesce(reports.is_government, false) as is_government,
        report_summary.published_date,
        deadlines.deadline,
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
        report_summary.new_received is not null or report_summary.processed is not null as has_application_figures,
        coalesce(report_summary.parse_status = 'ok', false) as parse_ok,
        nullif(trim(report_summary.agency), '') is null as agency_unknown,
        coalesce(report_templates.template_known, false) as template_known
    from report_summary
    inner join reports on report_summary.report_id = reports.report_id
    left join report_templates on report_summary.report_id = report_templates.report_id
    left join deadlines on report_summary.report_id = deadlines.report_id
    left join table_2 on report_summary.report_id = table_2.report_id
    left join table_3 on report_summary.report_id = table_3.report_id
    left join table_4 on report_summary.report_id = table_4.report_id
    left join checks on report_summary.report_id = checks.report_id
    left join issues on report_summary.report_id = issues.report_id
    left join missing_sections on report_summary.report_id = missing_sections.report_id
),

graded as (
    select
        *,
        published_date <= deadline as on_time,
        published_date - deadline as days_after_deadline,
        coalesce(
            nullif(
                concat(
                    case when table_2_found then '二' end,
                    case when table_3_found then '三' end,
                    case when table_4_found then '四' end
                ),
                ''
            ),
            'none'
        ) as tables_found,
        len(sections_missing) = 0 as sections_complete,
        case
            when agency_unknown or year is null or not template_known
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
),

-- The pieces of grade_reason: each rule that applies to the report, in words.
reasons as (
    select
        *,
        case when checks_failed > 0 then checks_failed || ' failed check(s)' end as failed_checks_reason,
        case
            when len(sections_missing) > 0 then 'missing sections: ' || array_to_string(sections_missing, ', ')
        end as missing_sections_reason,
        case
            when issues_warning + issues_error > 0 then (issues_warning + issues_error) || ' warning(s)'
        end as warnings_reason,
        case when not parse_ok then 'parse ' || coalesce(parse_status, 'status unknown') end as partial_parse_reason,
        case when checks_failed > 2 then checks_failed || ' failed checks' end as many_failed_checks_reason,
        case when agency_unknown then 'agency unknown' end as unknown_agency_reason,
        case when year is null then 'year unknown' end as unknown_year_reason,
        case when not template_known then 'template unknown' end as unknown_template_reason,
        case
            when not parse_ok and not has_application_figures
                then 'parse ' || coalesce(parse_status, 'status unknown') || ' and no application figures'
        end as no_figures_reason
    from graded
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
        when 'B' then concat_ws('; ', failed_checks_reason, missing_sections_reason, warnings_reason)
        when 'C' then concat_ws('; ', partial_parse_reason, many_failed_checks_reason)
        else concat_ws('; ', unknown_agency_reason, unknown_year_reason, unknown_template_reason, no_figures_reason)
    end as grade_reason
from reasons
