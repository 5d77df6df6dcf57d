{#-
  report_pairs(): one row per chosen report of agency_year that has a chosen report of the same
  agency on the year before — the pairs text_reuse compares:

    agency, year, report_id, content_sha256 (of the report's raw bytes),
    prior_report_id, prior_content_sha256.

  The two sha256 say which versions of the two documents were compared: text_reuse recomputes
  a pair only when one of the six changes (or the pair is new), and drops the rows of a pair
  that no longer exists.
-#}
{% macro report_pairs() %}
    select
        chosen.agency,
        chosen.year,
        chosen.report_id,
        chosen_report.content_sha256,
        previous.report_id as prior_report_id,
        previous_report.content_sha256 as prior_content_sha256
    from {{ ref('agency_year') }} as chosen
    inner join {{ ref('agency_year') }} as previous
        on chosen.agency = previous.agency and chosen.year - 1 = previous.year
    left join {{ ref('stg_reports') }} as chosen_report on chosen.report_id = chosen_report.report_id
    left join {{ ref('stg_reports') }} as previous_report on previous.report_id = previous_report.report_id
{% endmacro %}

{#-
  delete_vanished_pairs(): after an incremental build of text_reuse, delete the rows of pairs
  that report_pairs() no longer lists (a report removed, another copy chosen, a new version of
  either document): their replacements, if any, were just inserted.
-#}
{% macro delete_vanished_pairs() %}
    delete from {{ this }} as built
    where not exists (
        select 1
        from ({{ report_pairs() }}) as pairs
        where {{ same_pair('pairs', 'built') }}
    )
{% endmacro %}

{#- same_pair(left, right): the two relations' rows are the same pair, of the same documents. -#}
{% macro same_pair(left, right) -%}
    {%- for column in ['agency', 'year', 'report_id', 'prior_report_id', 'content_sha256', 'prior_content_sha256'] %}
        {% if not loop.first %}and {% endif %}{{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}
    {%- endfor %}
{%- endmacro %}
