-- One row per chosen report of agency_year that has a previous-year report, and section kind:
-- how many of its sentences repeat a sentence of the same kind of section of the same agency's
-- report on the year before (evaluators penalise more than half copied). Linear: each report is
-- compared with one report only, and only reports in such a pair are split into sentences.
-- Incremental: a build recomputes only the pairs that are new or whose documents changed
-- (report_pairs), replacing the rows of their (agency, year), and then deletes the rows of
-- pairs that are gone. The pipeline builds it afresh (--full-refresh) when the parser, the
-- schema or the SQL changed.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['agency', 'year'],
        on_schema_change='fail',
        post_hook="{{ delete_vanished_pairs() }}"
    )
}}

with pairs as (
    select
        row_number() over () as pair_id,
        current_pairs.*
    from ({{ report_pairs() }}) as current_pairs
    {% if is_incremental() %}
        where not exists (select 1 from {{ this }} as built where {{ same_pair('current_pairs', 'built') }})
    {% endif %}
),

compared as (
    -- The reports of the pairs, either side.
    select report_id from pairs
    union
    select prior_report_id from pairs
),

sentences as (
    -- Sentences: the section text without digits (a copied sentence with this year's figures is
    -- still copied) and without spaces, split at 。！？；!?; and line breaks; pieces of fewer than 6
    -- characters (headings, 无) are not sentences. Compared by a 64-bit hash of kind and text.
    select
        report_id,
        kind,
        hash(kind, piece) as sentence
    from (
        select
            sections.report_id,
            sections.kind,
            -- One pass: ！？；!?; and line breaks become 。, digits and spaces go (translate).
            unnest(
                string_split(
                    translate(
                        sections.text,
                        '！？；!?;' || chr(13) || chr(10) || '0123456789０１２３４５６７８９ ' || chr(9) || chr(12288) || chr(160),
                        '。。。。。。。。'
                    ),
                    '。'
                )
            ) as piece
        from {{ ref('stg_sections') }} as sections
        inner join compared on sections.report_id = compared.report_id
        where sections.kind is not null
    ) as pieces
    where length(piece) >= 6
),

own_sentences as (
    -- Each pair's own sentences, one row per occurrence.
    select
        pairs.pair_id,
        sentences.kind,
        sentences.sentence
    from sentences
    inner join pairs on sentences.report_id = pairs.report_id
),

prior_sentences as (
    -- The distinct sentences of each pair's previous-year report. Numbers only (no text) in
    -- the keys of this aggregate and of the join below, so both stay small and can spill.
    select distinct
        pairs.pair_id,
        sentences.sentence
    from sentences
    inner join pairs on sentences.report_id = pairs.prior_report_id
),

counted as (
    -- A sentence's hash covers its section kind, so a match is always within one kind.
    select
        own_sentences.pair_id,
        own_sentences.kind,
        count(*) as sentences,
        count(prior_sentences.sentence) as repeated_sentences
    from own_sentences
    left join prior_sentences
        on own_sentences.pair_id = prior_sentences.pair_id and own_sentences.sentence = prior_sentences.sentence
    group by own_sentences.pair_id, own_sentences.kind
),

report_kinds as (
    select distinct
        pairs.pair_id,
        sections.kind
    from {{ ref('stg_sections') }} as sections
    inner join pairs on sections.report_id = pairs.report_id
    where sections.kind is not null
)

select
    pairs.agency,
    pairs.year,
    pairs.report_id,
    report_kinds.kind,
    pairs.prior_report_id,
    pairs.content_sha256,
    pairs.prior_content_sha256,
    coalesce(counted.sentences, 0) as sentences,
    coalesce(counted.repeated_sentences, 0) as repeated_sentences,
    {{ rate('counted.repeated_sentences', 'counted.sentences') }} as reuse_share,
    {{ rate('counted.repeated_sentences', 'counted.sentences') }} > 0.5 as over_half
from pairs
inner join report_kinds on pairs.pair_id = report_kinds.pair_id
left join counted on report_kinds.pair_id = counted.pair_id and report_kinds.kind = counted.kind
