"""Report metadata: title, agency, region, admin level, reporting year, published date.

One module per question: `title` (which line is the title, never site furniture:
`navigation`), `agency` (the name when the title gives none), `region` (the gazetteer,
and places the text names), `dates` (published date and reporting year), `words` (the
vocabulary they share).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.issues import Code, Issue
from pipelines.parse.document import Document
from pipelines.parse.metadata.agency import (
    agency_from_text,
    from_contact_line,
    from_opening,
    from_signature,
    from_source_line,
    named_report,
    opening_text,
)
from pipelines.parse.metadata.dates import find_published_date, find_year
from pipelines.parse.metadata.region import (
    SPECIAL_ZONES,
    Region,
    complete_name,
    infer_region_from_text,
    places_in_text,
    region_of,
)
from pipelines.parse.metadata.title import agency_in_title, find_title
from pipelines.parse.normalise import squash

__all__ = [
    "SPECIAL_ZONES",
    "Metadata",
    "Region",
    "find_title",
    "infer_region_from_text",
    "read_metadata",
    "region_of",
]


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    region: Region
    year: int | None
    published_date: dt.date | None
    notes: list[Issue] = field(default_factory=list)


def _fuller(agency: str, doc: Document) -> str:
    """A title's name that lacks its region (`公安局2009年度…`) completed by a fuller name
    of the same body elsewhere on the page (`来源：平潭县公安局办公室`)."""
    for finder in (from_opening, from_source_line, from_signature, from_contact_line):
        fuller = finder(doc)
        if fuller and agency in fuller and region_of(squash(fuller)).province:
            return fuller[: fuller.index(agency) + len(agency)]
    return agency


def _locate(agency: str, doc: Document, notes: list[Issue]) -> tuple[str, Region]:
    """The agency's region; a name without one (`省人防办`, `县政府`) is completed with the
    places the text names, and says so in an `info` note."""
    region = region_of(squash(agency))
    if region.province is not None:
        return agency, region
    places = places_in_text(doc.text())
    if not places.province:
        return agency, region
    notes.append(
        Issue.of(Code.REGION_INFERRED, f"agency {agency!r} names no region; {places.province} inferred from the text")
    )
    agency = complete_name(agency, places)
    region = region_of(squash(agency))
    return agency, region if region.province else Region(places.province)


def read_metadata(doc: Document, fetched_at: dt.datetime | None = None) -> Metadata:
    """Title, agency, region, year and published date of a report. `fetched_at` (when the
    page was fetched; a placed file's modification time) bounds the published date."""
    notes: list[Issue] = []
    title = find_title(doc)
    agency = agency_in_title(title) if title else None
    if agency and region_of(squash(agency)).province is None:
        agency = _fuller(agency, doc)
    agency = agency or agency_from_text(doc)
    region = Region()
    if agency:
        agency, region = _locate(agency, doc, notes)
    published = find_published_date(doc, fetched_at, title)
    _name, named_year = named_report(opening_text(doc))
    year = find_year(title, doc, named_year, published)
    return Metadata(title, agency, region, year, published, notes)
