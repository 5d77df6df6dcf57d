-- One row per report (every ingested copy): its statutory deadline (seed templates, macro
-- report_deadlines), the date the page claims, when the scraper first saw it, whether it was on
-- time, and whether the claimed date is contradicted by a list page that did not list it after
-- that date (backdated).

with reports as (
    select
        report_id,
        source_uri,
        agency,
        year,
        template,
        agency_category,
        is_government,
        published_date
    from {{ ref('stg_reports') }}
),

fetch_log as (
    select * from {{ ref('stg_fetch_log') }}
),

deadlines as (
    {{ report_deadlines('reports') }}
),

first_seen as (
    -- The first fetch of the URL that stored it as new (a hand-placed file has none).
    select
        url,
        min(fetched_at) as first_seen
    from fetch_log
    where kind = 'report' and outcome = 'new'
    group by url
),

seen as (
    select
        reports.*,
        deadlines.deadline,
        first_seen.first_seen
    from reports
    left join deadlines on reports.report_id = deadlines.report_id
    left join first_seen on reports.source_uri = first_seen.url
),

list_fetches as (
    select
        source,
        url,
        fetched_at,
        listed_urls
    from fetch_log
    where kind = 'list' and listed_urls is not null
),

listings as (
    -- The list pages that ever listed each report URL.
    select distinct
        source,
        list_url,
        report_url
    from (
        select
            source,
            url as list_url,
            unnest(listed_urls) as report_url
        from list_fetches
    ) as listed
),

unlisted as (
    -- Fetches of such a list page after the claimed day and before first_seen that did not list it;
    -- only reports first seen after their claimed day can have one.
    select
        seen.report_id,
        max(list_fetches.fetched_at) as unlisted_fetched_at
    from seen
    inner join listings on seen.source_uri = listings.report_url
    inner join list_fetches on listings.source = list_fetches.source and listings.list_url = list_fetches.url
    where
        seen.first_seen::date > seen.published_date
        and list_fetches.fetched_at::date > seen.published_date
        and list_fetches.fetched_at < seen.first_seen
        and not list_contains(list_fetches.listed_urls, seen.source_uri)
    group by seen.report_id
),

judged as (
    select
        seen.*,
        unlisted.unlisted_fetched_at,
        case
            when seen.published_date is null or seen.first_seen is null then null
            else unlisted.report_id is not null
        end as backdated
    from seen
    left join unlisted on seen.report_id = unlisted.report_id
)

select
    report_id,
    agency,
    year,
    template,
    agency_category,
    coalesce(is_government, false) as is_government,
    deadline,
    published_date,
    first_seen,
    case
        when deadline is null then 'unknown'
        -- A backdated date says nothing: absent from its list page after the deadline is late.
        when backdated and unlisted_fetched_at::date > deadline then 'late'
        when backdated and first_seen::date <= deadline then 'on_time'
        when backdated then 'unknown'
        when published_date is not null and published_date <= deadline then 'on_time'
        when published_date is not null then 'late'
        when first_seen::date <= deadline then 'on_time'
        else 'unknown'
    end as timeliness,
    published_date - deadline as days_after_deadline,
    first_seen::date - published_date as days_to_first_seen,
    backdated,
    unlisted_fetched_at
from judged
