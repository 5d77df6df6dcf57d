{#-
  A CASE expression giving the category of the seed agency_categories whose pattern matches
  `name_column` with the lowest priority (NULL when none matches).

  The patterns are written into the SQL as constants rather than joined from the seed table:
  DuckDB compiles a constant regular expression once, but a pattern taken from a column once per
  row — 30 seconds instead of a tenth of one on 100,000 reports. The seed is read when the model
  runs (the caller must also ref() the seed, so that dbt builds the seed first). This is the one
  place SQL is written from table contents: the seed is a file maintained in this repository,
  never data from a report, and its values are quoted as SQL string literals.
-#}
{% macro agency_category_case(name_column) %}
    {%- if execute -%}
        {%- set rows = run_query(
            "select category, pattern from " ~ ref('agency_categories') ~ " order by priority"
        ).rows -%}
    case
        {%- for row in rows %}
        when regexp_matches({{ name_column }}, '{{ row[1] | replace("'", "''") }}') then '{{ row[0] | replace("'", "''") }}'
        {%- endfor %}
    end
    {%- else -%}
    cast(null as varchar)
    {%- endif -%}
{% endmacro %}
