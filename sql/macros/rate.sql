{#-
  rate(numerator, denominator): numerator / denominator as a double; NULL — never 0 — when the
  denominator is 0 or unknown (NULL), or the numerator is unknown.
-#}
{% macro rate(numerator, denominator) -%}
    case when ({{ denominator }}) > 0 then ({{ numerator }})::double / ({{ denominator }}) end
{%- endmacro %}
