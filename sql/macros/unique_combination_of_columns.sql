{#-
  Generic test: no two rows share the same values of `combination_of_columns`.
  NULLs compare equal (GROUP BY semantics), so a NULL in a key column cannot hide a duplicate.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
