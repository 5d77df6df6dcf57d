{#- The median of each rate per group and year (rows without a group left out): columns
    `<rate>_<suffix>`. indicators compares each agency with its province and its category. -#}
{% macro rate_medians(relation, group_column, rate_columns, suffix) %}
    select
        {{ group_column }},
        year,
    {%- for name in rate_columns %}
        median({{ name }}) as {{ name }}_{{ suffix }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ relation }}
    where {{ group_column }} is not null
    group by {{ group_column }}, year
{% endmacro %}
