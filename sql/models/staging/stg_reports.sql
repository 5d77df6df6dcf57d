-- One row per ingested report, as loaded (source table reports).

with reports as (
    select * from {{ source('warehouse', 'reports') }}
)

select
    report_id,
    source_uri,
    content_sha256,
    title,
    agency,
    province,
    city,
    county,
    admin_level,
    year,
    published_date,
    template,
    script,
    parse_status,
    parser_version,
    is_government,
    agency_category,
    agency_category_matched_by,
    format,
    pages,
    ocr_pages,
    encoding,
    raw_path,
    fetched_at
from reports
