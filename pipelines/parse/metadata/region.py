"""Where an agency is: province, city and county from its name (cpca gazetteer), or from
the places the report's text names when the name lacks them (`省人防办`, `县政府`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# Zones that the gazetteer does not list: name -> (province, city, county).
SPECIAL_ZONES: dict[str, tuple[str, str | None, str | None]] = {
    "平潭综合实验区": ("福建省", "平潭综合实验区", None),
    "雄安新区": ("河北省", "雄安新区", None),
    "兰州新区": ("甘肃省", "兰州市", "兰州新区"),
    "两江新区": ("重庆市", None, "两江新区"),
}
_MUNICIPAL_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_TEXT_LIMIT = 20000  # characters of a report read for the places it names


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def admin_level(self) -> str | None:
        if self.county:
            return "county"
        if self.city:
            return "city"
        if self.province:
            return "province"
        return None


def _short(province: str) -> str:
    """`重庆市` → `重庆`, `广西壮族自治区` → `广西`: the form a name may use."""
    return province[:3] if province.startswith(("内蒙古", "黑龙江")) else province[:2]


@lru_cache(maxsize=4096)
def region_of(name: str) -> Region:
    """Province, city and county named in an agency name, from the cpca gazetteer.

    The gazetteer lists the counties of Chongqing under a city called `县`: a name whose
    only place word is a bare `县` (`县政府`, `青禾县民政局` of an unknown 青禾) names no place.
    """
    for zone, (province, city, county) in SPECIAL_ZONES.items():
        if zone in name:
            return Region(province, city, county)
    import cpca

    # cpca.transform builds a pandas frame per call; its per-string function does not.
    record = cpca._get_one_addr(name, False, {})  # noqa: SLF001 - pinned cpca 0.5.5
    province, city, county = record.get("省"), record.get("市"), record.get("区")
    if province and city in _MUNICIPAL_PLACEHOLDERS and not county and _short(province) not in name:
        return Region()
    return Region(
        province,
        None if city in _MUNICIPAL_PLACEHOLDERS else city,
        None if county in _MUNICIPAL_PLACEHOLDERS else county,
    )


@dataclass(frozen=True)
class NamedPlaces:
    """The places a text names most: its province, city, and county-level place."""

    province: str | None = None
    city: str | None = None
    county: str | None = None


@lru_cache(maxsize=256)
def places_in_text(text: str) -> NamedPlaces:
    """The province, city and county a text mentions most (`湖南人防`, `《湖南省…》`, `大英县`)."""
    import cpca

    provinces: Counter[str] = Counter()
    cities: Counter[tuple[str, str]] = Counter()
    counties: Counter[tuple[str, str]] = Counter()
    extract = cpca._extract_addrs  # noqa: SLF001 - pinned cpca 0.5.5
    for record in extract(text[:_TEXT_LIMIT], False, {}, truncate_pos=False, new_entry_when_not_belong=True):
        province = record.get("省")
        if not province or (
            record.get("市") in _MUNICIPAL_PLACEHOLDERS and not record.get("区") and _short(province) not in text
        ):
            continue  # a bare `县` read as a county of Chongqing
        provinces[province] += 1
        if record.get("市") and record["市"] not in _MUNICIPAL_PLACEHOLDERS:
            cities[(province, record["市"])] += 1
        if record.get("区") and record["区"] not in _MUNICIPAL_PLACEHOLDERS:
            counties[(province, record["区"])] += 1
    if not provinces:
        return NamedPlaces()
    province, _ = provinces.most_common(1)[0]
    city = next((c for (p, c), _ in cities.most_common() if p == province), None)
    county = next((c for (p, c), _ in counties.most_common() if p == province), None)
    return NamedPlaces(province, city, county)


def infer_region_from_text(text: str) -> Region:
    """The province (and city) a text mentions most, e.g. `湖南人防`, `《湖南省…》`."""
    places = places_in_text(text)
    return Region(places.province, places.city)


_COUNTY_LEVELS = ("县", "区", "旗")


def complete_name(name: str, places: NamedPlaces) -> str:
    """A bare level word completed with the place the text names: `省人防办` + 湖南省 →
    `湖南省人防办`; `市人防办` + 常德市 → `常德市人防办`; `县政府` + 大英县 → `大英县政府`."""
    if name.startswith("省") and places.province:
        return places.province + name[1:]
    if name.startswith("市") and places.city:
        return places.city + name[1:]
    county = places.county or ""
    for level in _COUNTY_LEVELS:
        if name.startswith(level) and county.endswith(level):
            return county + name[1:]
    return name
