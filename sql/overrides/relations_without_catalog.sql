{#- Relations are named without their catalog ("main"."sections", not
    "warehouse"."main"."sections"): dbt writes a copy whose catalog is named after its file, and
    the views it creates must still resolve when the published warehouse is opened under another
    file name. -#}
{% macro ref() %}
    {%- do return(without_catalog(builtins.ref(*varargs, **kwargs))) -%}
{% endmacro %}

{% macro source() %}
    {%- do return(without_catalog(builtins.source(*varargs, **kwargs))) -%}
{% endmacro %}

{% macro without_catalog(relation) %}
    {%- if relation is not none and relation.include is defined -%}
        {%- do return(relation.include(database=false)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{% endmacro %}
