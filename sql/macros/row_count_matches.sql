{#-
  Generic test: the model has exactly as many rows as `compare_to` (a ref() or source()),
  optionally filtered by `compare_where`. Fails with one row giving both counts.
-#}
{% test row_count_matches(model, compare_to, compare_where=none) %}
with model_rows as (
    select count(*) as n from {{ model }}
),

expected_rows as (
    select count(*) as n
    from {{ compare_to }}
    {% if compare_where %}where {{ compare_where }}{% endif %}
)

select model_rows.n as model_rows, expected_rows.n as expected_rows
from model_rows, expected_rows
where model_rows.n <> expected_rows.n
{% endtest %}
