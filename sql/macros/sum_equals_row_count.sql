{#-
  Generic test: the sum of the column equals the number of rows of `compare_to` (a ref() or
  source()), optionally filtered by `compare_where` — e.g. agency_year.copies adds up to the
  reports it folds together. Fails with one row giving both numbers.
-#}
{% test sum_equals_row_count(model, column_name, compare_to, compare_where=none) %}
with model_sum as (
    select coalesce(sum({{ column_name }}), 0) as n from {{ model }}
),

expected_rows as (
    select count(*) as n
    from {{ compare_to }}
    {% if compare_where %}where {{ compare_where }}{% endif %}
)

select model_sum.n as model_sum, expected_rows.n as expected_rows
from model_sum, expected_rows
where model_sum.n <> expected_rows.n
{% endtest %}
