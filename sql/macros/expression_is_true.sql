{#-
  Generic test: every row satisfies the boolean SQL `expression` (a row where it is false fails;
  NULL counts as true, so a rule over unknown values passes). Optional `where` narrows the rows.
-#}
{% test expression_is_true(model, expression, where=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), true)
{% if where %}  and ({{ where }}){% endif %}
{% endtest %}
