{#-
  The aggregate columns shared by region_year and agency_category_year, over rows of agency_year
  (one chosen report per agency and year, so copies never count twice).

  Sums skip unknown (NULL) values; `*_median` is the median over the reports that state the figure.
  A share is sum(part) / sum(whole) over the reports that state both (and whose whole is > 0),
  so a report that gives the part but not the whole (or the reverse) does not skew it.
-#}
{% macro share(part, whole) -%}
    sum({{ part }}) filter (where {{ part }} is not null and {{ whole }} > 0)::double
        / nullif(sum({{ whole }}) filter (where {{ part }} is not null and {{ whole }} > 0), 0)
{%- endmacro %}

{% macro agency_year_aggregates() %}
        count(distinct agency) as agencies,
        count(*) as reports_covered,
        sum(copies)::bigint as copies_ingested,
        count(*) filter (where new_received is not null or processed is not null) as reports_with_applications,
        count(*) filter (where reviews is not null or lawsuits is not null) as reports_with_proceedings,

        sum(new_received)::bigint as new_received,
        median(new_received::double) as new_received_median,
        sum(processed)::bigint as processed,
        median(processed::double) as processed_median,
        sum(granted)::bigint as granted,
        sum(partially_granted)::bigint as partially_granted,
        sum(denied)::bigint as denied,
        sum(unavailable)::bigint as unavailable,
        sum(not_processed)::bigint as not_processed,
        sum(other)::bigint as other,

        {{ share('granted', 'processed') }} as granted_share,
        {{ share('partially_granted', 'processed') }} as partially_granted_share,
        {{ share('denied', 'processed') }} as denied_share,
        {{ share('unavailable', 'processed') }} as unavailable_share,
        {{ share('not_processed', 'processed') }} as not_processed_share,
        {{ share('other', 'processed') }} as other_share,
        sum(coalesce(granted, 0) + coalesce(partially_granted, 0)) filter (where disclosure_rate is not null)::double
            / nullif(sum(processed) filter (where disclosure_rate is not null), 0) as disclosure_rate,
        median(disclosure_rate) as disclosure_rate_median,

        sum(reviews)::bigint as reviews,
        median(reviews::double) as reviews_median,
        sum(reviews_corrected)::bigint as reviews_corrected,
        {{ share('reviews_corrected', 'reviews') }} as reviews_corrected_share,
        sum(lawsuits)::bigint as lawsuits,
        median(lawsuits::double) as lawsuits_median,
        sum(lawsuits_corrected)::bigint as lawsuits_corrected,
        {{ share('lawsuits_corrected', 'lawsuits') }} as lawsuits_corrected_share
{% endmacro %}
