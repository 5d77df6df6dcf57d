{#-
  Expands each row of `relation` (which has province, city and county columns) into one row per
  region level it belongs to:
    national  — every row (province, city and county NULL, region '全国');
    province  — rows with a province (city and county NULL);
    city      — rows with a city (county NULL);
    county    — rows with a county.
  Adds `region_level` and `region` (the name at that level); the other columns pass through.
  Linear: at most four output rows per input row.
-#}
{% macro region_levels(relation) %}
    select
        'national' as region_level,
        '全国' as region,
        cast(null as varchar) as province,
        cast(null as varchar) as city,
        cast(null as varchar) as county,
        * exclude (province, city, county)
    from {{ relation }}

    union all

    select
        'province' as region_level,
        province as region,
        province,
        cast(null as varchar) as city,
        cast(null as varchar) as county,
        * exclude (province, city, county)
    from {{ relation }}
    where province is not null

    union all

    select
        'city' as region_level,
        city as region,
        province,
        city,
        cast(null as varchar) as county,
        * exclude (province, city, county)
    from {{ relation }}
    where city is not null

    union all

    select
        'county' as region_level,
        county as region,
        province,
        city,
        county,
        * exclude (province, city, county)
    from {{ relation }}
    where county is not null
{% endmacro %}
