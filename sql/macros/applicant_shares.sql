{#-
  The applicant mix of the new applications (table 三, row 一、本年新收), one definition shared by
  applicant_mix and indicators.

  applicant_counts(relation): one row per report of `relation` (a staging view of
  application_outcomes) whose new-application row states at least one of the six applicant
  columns, with each column's count; a blank cell beside stated ones is NULL here and counts as
  0 in the sums. A report whose applicant cells are all blank (or that gives only a total) has
  no row: it says nothing about the mix.

  applicant_shares(prefix): the seven shares of columns named `<prefix>natural_person`, …,
  `<prefix>other_org` and `<prefix>new_applications` (the sum of the six applicant columns, not
  the printed 总计, so the shares add up to 1); NULL when there are no new applications.
-#}
{% macro applicant_kinds() -%}
    {{ return(['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org']) }}
{%- endmacro %}

{% macro applicant_counts(relation) %}
    select
        report_id,
        {%- for kind in applicant_kinds() %}
        max(value) filter (where applicant = '{{ kind }}') as {{ kind }},
        {%- endfor %}
        count(value) as applicant_cells_stated
    from {{ relation }}
    where
        row_key = 'new_received'
        and applicant in ('{{ applicant_kinds() | join("', '") }}')
    group by report_id
    having count(value) > 0
{% endmacro %}

{% macro applicant_share(part, whole) -%}
    {{ part }}::double / nullif({{ whole }}, 0)
{%- endmacro %}

{% macro applicant_shares(prefix='') -%}
    {{ applicant_share(prefix ~ 'natural_person', prefix ~ 'new_applications') }} as natural_person_share,
    {{ applicant_share(prefix ~ 'legal_person', prefix ~ 'new_applications') }} as legal_person_share,
    {%- for kind in applicant_kinds()[1:] %}
    {{ applicant_share(prefix ~ kind, prefix ~ 'new_applications') }} as {{ kind }}_share
    {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
