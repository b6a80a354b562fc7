"""Facts the methodology page renders from the serving file: attributes, units and who reported when."""
from data.queries import scope
from data.serving.reader import cached


@cached
def attribute_coverage(con, commodity=None):
    """Return, per attribute id in the served data, how many countries reported it and its first and last year."""
    commodity = scope.code(commodity)
    return con.execute(
        """
        WITH served AS (
            SELECT unnest(attribute_ids) AS attribute_id, country_code, market_year
            FROM obt_coverage WHERE commodity_code = ? AND reported
        ),
        other AS (
            SELECT CAST(attribute_id AS INTEGER) AS attribute_id, country_code, market_year
            FROM obt_other_attributes WHERE commodity_code = ? AND value IS NOT NULL
        )
        SELECT attribute_id, count(DISTINCT country_code) AS countries,
               min(market_year) AS first_year, max(market_year) AS last_year
        FROM (SELECT * FROM served UNION ALL SELECT * FROM other)
        GROUP BY attribute_id ORDER BY attribute_id
        """,
        [commodity, commodity],
    ).df()


@cached
def other_attributes(con, commodity=None):
    """Return the attributes kept without a serving column: id, USDA's description and unit."""
    commodity = scope.code(commodity)
    return con.execute(
        "SELECT CAST(attribute_id AS INTEGER) AS attribute_id, any_value(attribute) AS attribute, "
        "any_value(unit) AS unit FROM obt_other_attributes WHERE commodity_code = ? "
        "GROUP BY attribute_id ORDER BY attribute_id",
        [commodity],
    ).df()


@cached
def country_coverage(con, commodity=None):
    """Return, per country, the first and last market year it reported, how many it reported and its gaps."""
    commodity = scope.code(commodity)
    return con.execute(
        """
        WITH spans AS (
            SELECT country_code, any_value(country) AS country,
                   min(market_year) FILTER (WHERE reported) AS first_year,
                   max(market_year) FILTER (WHERE reported) AS last_year,
                   count(*) FILTER (WHERE reported) AS years_reported
            FROM obt_coverage WHERE commodity_code = ? GROUP BY country_code
        )
        SELECT s.country_code, s.country, s.first_year, s.last_year, s.years_reported,
               coalesce(list(c.market_year ORDER BY c.market_year)
                   FILTER (WHERE NOT c.reported AND c.market_year BETWEEN s.first_year AND s.last_year), []) AS gaps
        FROM spans s JOIN obt_coverage c ON c.commodity_code = ? AND c.country_code = s.country_code
        GROUP BY ALL ORDER BY s.country
        """,
        [commodity, commodity],
    ).df()
