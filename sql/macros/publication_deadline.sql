{#-
  The statutory publication deadline of a report on `year`, from the seed templates (the one
  place the rule lives): the era whose [first_year, last_year] holds the year gives the month and
  day of the following year, for people's governments or for departments. Today: reports on 2019
  and later, 31 January for departments and 31 March for people's governments; earlier, 31 March
  for all.

  report_deadlines(relation): one row per row of `relation` (columns report_id, year,
  is_government; an unknown agency, is_government NULL, counts as a department) with its
  `deadline`; reports whose year is unknown (or in no era) have no row.
  Used by data_quality and publication_timeliness.
-#}
{% macro report_deadlines(relation) %}
    select
        dated.report_id,
        case
            when coalesce(dated.is_government, false)
                then make_date(dated.year + 1, eras.government_deadline_month, eras.government_deadline_day)
            else make_date(dated.year + 1, eras.department_deadline_month, eras.department_deadline_day)
        end as deadline
    from {{ relation }} as dated
    inner join {{ ref('templates') }} as eras
        on
            (eras.first_year is null or dated.year >= eras.first_year)
            and (eras.last_year is null or dated.year <= eras.last_year)
{% endmacro %}
