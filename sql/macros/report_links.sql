{#-
  report_links(): one row per report URL the scraper fetched (stg_fetch_log rows of kind
  `report`), with what became of it and where its link text places it:

    source, url, link_text (the latest non-NULL anchor text), last_fetched_at;
    outcome — `report` when a report was loaded from it (reports.source_uri = url); else the
      last fetch's outcome when that is failed, refused or skipped; else the error code of the
      parse_issues row of the page (not_a_report, binary, …); else `not_loaded`;
    link_agency, link_year — the agency and the year parsed from the link text as the parser
      reads a title: the text without punctuation and without a leading 关于 or a trailing 的;
      the year is the first 19xx/20xx followed by 年; the agency is the text before that year
      (at least two characters), else the text after it without the report words
      (…政府信息公开工作年度报告, …年报). NULL when the text names none.

  Linear: one group per URL, joins on the URL.
-#}
{% macro report_links() %}
    {%- set report_words = "(政府信息公开|政务公开|信息公开|政府信息|政务信息公开|政府信息工作公开|工作公开)?(工作)?(年度)?(工作)?(报告|年报)$" %}
    select
        fetched.source,
        fetched.url,
        fetched.link_text,
        fetched.last_fetched_at,
        case
            when loaded.source_uri is not null then 'report'
            when fetched.last_outcome in ('failed', 'refused', 'skipped') then fetched.last_outcome
            else coalesce(unreadable.code, 'not_loaded')
        end as outcome,
        case when length(named.link_agency) >= 2 then named.link_agency end as link_agency,
        named.link_year
    from (
        select
            url,
            arg_max(source, fetched_at) as source,
            arg_max(outcome, fetched_at) as last_outcome,
            arg_max(link_text, fetched_at) filter (where link_text is not null) as link_text,
            max(fetched_at) as last_fetched_at
        from {{ ref('stg_fetch_log') }}
        where kind = 'report'
        group by url
    ) as fetched
    left join (
        select
            url,
            link_year,
            regexp_replace(
                regexp_replace(
                    case when length(before_year) >= 2 then before_year else after_year end, '{{ report_words }}', ''
                ),
                '关于$',
                ''
            ) as link_agency
        from (
            select
                url,
                try_cast(nullif(regexp_extract(cleaned, '((19|20)\d\d)年', 1), '') as integer) as link_year,
                regexp_extract(cleaned, '^(.*?)(19|20)\d\d年', 1) as before_year,
                regexp_extract(cleaned, '(19|20)\d\d年度?(.*)$', 2) as after_year
            from (
                select
                    url,
                    regexp_replace(
                        arg_max(link_text, fetched_at), '^关于|的$|[《》“”"''\[\]【】:：,，、\s_\-—|]', '', 'g'
                    ) as cleaned
                from {{ ref('stg_fetch_log') }}
                where kind = 'report' and link_text is not null
                group by url
            ) as texts
        ) as titled
    ) as named on fetched.url = named.url
    left join (
        select distinct source_uri from {{ ref('stg_reports') }}
    ) as loaded on fetched.url = loaded.source_uri
    left join (
        select
            source_uri,
            min(code) as code
        from {{ ref('stg_parse_issues') }}
        where report_id is null and severity = 'error'
        group by source_uri
    ) as unreadable on fetched.url = unreadable.source_uri
{% endmacro %}
