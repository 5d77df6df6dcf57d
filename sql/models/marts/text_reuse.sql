-- One row per chosen report of agency_year that has a previous-year report, and section kind:
-- how many of its sentences repeat a sentence of the same kind of section of the same agency's
-- report on the year before (evaluators penalise more than half copied). Linear: each report is
-- compared with one report only, and only reports in such a pair are split into sentences.

with chosen as (
    select
        agency,
        year,
        report_id
    from {{ ref('agency_year') }}
),

pairs as (
    select
        row_number() over () as pair_id,
        chosen.agency,
        chosen.year,
        chosen.report_id,
        previous.report_id as prior_report_id
    from chosen
    inner join chosen as previous on chosen.agency = previous.agency and chosen.year - 1 = previous.year
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

tagged as (
    -- Each pair's sentences: the report's own (is_own) and its previous-year report's.
    select
        pairs.pair_id,
        sentences.kind,
        sentences.sentence,
        true as is_own
    from sentences
    inner join pairs on sentences.report_id = pairs.report_id
    union all
    select
        pairs.pair_id,
        sentences.kind,
        sentences.sentence,
        false as is_own
    from sentences
    inner join pairs on sentences.report_id = pairs.prior_report_id
),

per_sentence as (
    select
        pair_id,
        kind,
        count(*) filter (where is_own) as occurrences,
        bool_or(not is_own) as in_prior
    from tagged
    group by pair_id, kind, sentence
),

counted as (
    select
        pair_id,
        kind,
        sum(occurrences)::bigint as sentences,
        coalesce(sum(occurrences) filter (where in_prior), 0)::bigint as repeated_sentences
    from per_sentence
    group by pair_id, kind
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
    coalesce(counted.sentences, 0) as sentences,
    coalesce(counted.repeated_sentences, 0) as repeated_sentences,
    {{ rate('counted.repeated_sentences', 'counted.sentences') }} as reuse_share,
    {{ rate('counted.repeated_sentences', 'counted.sentences') }} > 0.5 as over_half
from pairs
inner join report_kinds on pairs.pair_id = report_kinds.pair_id
left join counted on report_kinds.pair_id = counted.pair_id and report_kinds.kind = counted.kind
