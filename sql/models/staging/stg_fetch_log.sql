-- One row per HTTP fetch the scraper made, as loaded (source table fetch_log, append-only).

with fetch_log as (
    select * from {{ source('warehouse', 'fetch_log') }}
)

select
    fetch_id,
    fetched_at,
    source,
    url,
    final_url,
    kind,
    status,
    outcome,
    etag,
    last_modified,
    content_type,
    bytes,
    content_sha256,
    raw_path,
    error,
    list_url,
    link_text,
    listed_urls
from fetch_log
