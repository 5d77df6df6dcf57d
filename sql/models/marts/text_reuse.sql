-- One row per chosen report of agency_year and section kind: how many of its sentences repeat a
-- sentence of the same kind of section of the same agency's report on the year before (evaluators
-- penalise more than half copied). Linear: each report is compared with one report only.

with chosen as (
    select
        agency,
        year,
        report_id
    from {{ ref('agency_year') }}
),

sentences as (
    -- Sentences split at 。！？；!?; and line breaks; whitespace removed and every run of digits
    -- written as # (a copied sentence with this year's figures is still copied); fragments of
    -- fewer than 6 characters (headings, 无。) are not sentences.
    select
        report_id,
        kind,
        sentence
    from (
        select
            report_id,
            kind,
            regexp_replace(regexp_replace(piece, '\s+', '', 'g'), '[0-9０-９]+', '#', 'g') as sentence
        from (
            select
                sections.report_id,
                sections.kind,
                unnest(string_split_regex(sections.text, '[。！？；!?;\n]+')) as piece
            from {{ ref('stg_sections') }} as sections
            inner join chosen on sections.report_id = chosen.report_id
            where sections.kind is not null
        ) as pieces
    ) as split
    where length(sentence) >= 6
),

report_kinds as (
    select distinct
        sections.report_id,
        sections.kind
    from {{ ref('stg_sections') }} as sections
    inner join chosen on sections.report_id = chosen.report_id
    where sections.kind is not null
),

pairs as (
    select
        chosen.agency,
        chosen.year,
        chosen.report_id,
        previous.report_id as prior_report_id
    from chosen
    left join chosen as previous on chosen.agency = previous.agency and chosen.year - 1 = previous.year
),

prior_sentences as (
    select distinct
        pairs.report_id,
        sentences.kind,
        sentences.sentence
    from pairs
    inner join sentences on pairs.prior_report_id = sentences.report_id
),

counted as (
    select
        sentences.report_id,
        sentences.kind,
        count(*) as sentences,
        count(prior_sentences.sentence) as repeated_sentences
    from sentences
    left join prior_sentences
        on
            sentences.report_id = prior_sentences.report_id
            and sentences.kind = prior_sentences.kind
            and sentences.sentence = prior_sentences.sentence
    group by sentences.report_id, sentences.kind
)

select
    pairs.agency,
    pairs.year,
    pairs.report_id,
    report_kinds.kind,
    pairs.prior_report_id,
    coalesce(counted.sentences, 0) as sentences,
    case when pairs.prior_report_id is not null then coalesce(counted.repeated_sentences, 0) end
        as repeated_sentences,
    case
        when pairs.prior_report_id is not null then {{ rate('counted.repeated_sentences', 'counted.sentences') }}
    end as reuse_share,
    case
        when pairs.prior_report_id is not null then {{ rate('counted.repeated_sentences', 'counted.sentences') }} > 0.5
    end as over_half
from pairs
inner join report_kinds on pairs.report_id = report_kinds.report_id
left join counted on report_kinds.report_id = counted.report_id and report_kinds.kind = counted.kind
