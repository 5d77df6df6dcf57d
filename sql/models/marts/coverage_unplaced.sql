-- One row per report link that did not become a report and whose anchor text names no agency or
-- no year (macro report_links): coverage cannot place it.

select
    source,
    url,
    outcome,
    link_text,
    link_agency,
    link_year,
    last_fetched_at
from ({{ report_links() }}) as links
where outcome <> 'report' and (link_agency is null or link_year is null)
