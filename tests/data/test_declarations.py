"""Commodity declarations: the shipped ones are complete, a broken one stops start-up naming it and the field,
and a commodity declared only in a test loads and serves with no other code touched."""
import pytest

from app import create_app
from data import commodities, pipeline
from data.commodities import DeclarationError
from data.queries import metrics as queries
from data.reference.documents import SOURCES
from tests.conftest import base_config
from tests.data import grains
from tests.data.conftest import declare

SHIPPED = ("coffee", "wheat", "corn", "rice", "barley", "sorghum", "oats", "rye", "millet", "mixed-grain")


def test_the_shipped_declarations_are_coffee_and_the_nine_psd_grains():
    catalog = commodities.shipped()
    assert catalog.slugs == SHIPPED and catalog.default.slug == "coffee"
    assert catalog.codes == ("0711100", "0410000", "0440000", "0422110", "0430000", "0459200", "0452000", "0451000",
                             "0459100", "0459900")
    for commodity in catalog:
        assert set(commodity.sources()) <= set(SOURCES), commodity.slug
        assert commodity.charts["kpis"] and commodity.charts.trade and commodity.marketing_year.text
        assert commodity.release.per_year == (2 if commodity.slug == "coffee" else 12)
    assert catalog.get("wheat").trade_year.start == "July" and catalog.get("corn").trade_year.start == "October"
    assert catalog.get("coffee").trade_year is None and "ico" in catalog.get("coffee").regions
    assert {p.slug for p in catalog.get("wheat").prices} == {"hrw", "srw"}
    assert catalog.get("coffee").price("arabica").display_unit == "US cents/lb"
    assert catalog.get("oats").prices == ()


def test_the_serving_columns_are_the_union_in_one_order():
    catalog = commodities.shipped()
    assert catalog.base_metrics[:19] == catalog.get("coffee").metrics
    assert set(catalog.base_metrics[19:]) == {"area_harvested", "yield", "feed_dom_consumption", "fsi_consumption",
                                              "ty_imports", "ty_exports", "ty_imp_from_us", "rough_production",
                                              "milling_rate"}


def _broken(field_text, replacement):
    """Return an edit replacing field_text in a declaration by replacement (None: deleting the line)."""
    def edit(text):
        assert field_text in text, field_text
        return text.replace(field_text, replacement if replacement is not None else "")
    return edit


BROKEN = {
    "no psd code": (_broken('code = "0999001"\n', None), "field 'psd.code': missing"),
    "a short psd code": (_broken('code = "0999001"', 'code = "999"'), "field 'psd.code': '999' is not a 7-digit"),
    "an unknown attribute": (_broken("attributes = [4,", "attributes = [999, 4,"), "field 'attributes': 999"),
    "a chart of a metric it lacks": (_broken('production = ["production", "area_harvested", "yield"]',
                                             'production = ["production", "arabica_production"]'),
                                     "field 'charts.production': 'arabica_production' is not a metric"),
    "an unsourced conversion": (_broken('source = "usda-ah697"\n', None), "field 'units.choices[1].source'"),
    "a source nobody wrote": (_broken('source = "wasde"', 'source = "a-blog"'), "cites 'a-blog'"),
    "trade-year attributes without a trade year": (lambda text: text.split("[trade_year]")[0] + "[[facts]]" +
                                                   text.split("[trade_year]")[1].split("[[facts]]", 1)[1],
                                                   "field 'trade_year': missing, but trade-year (TY) attributes"),
    "a typo": (_broken("[release]", "[releases]"), "field 'releases': not a declaration field"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_declaration_names_the_commodity_and_the_field(case, tmp_path):
    edit, message = BROKEN[case]
    folder = declare(tmp_path / "declared", "spelt", "0999001", like="wheat", edit=edit)
    with pytest.raises(DeclarationError) as raised:
        commodities.load((str(commodities.SHIPPED), str(folder)))
    assert "commodity 'spelt' (spelt.toml)" in str(raised.value) and message in str(raised.value)


def test_start_up_stops_on_a_broken_declaration(tmp_path):
    folder = declare(tmp_path / "declared", "spelt", "0999001", like="wheat",
                     edit=_broken('volume_unit = "(1000 MT)"\n', None))
    config = {**base_config(tmp_path, tmp_path / "data"), "COMMODITY_DECLARATIONS": [str(commodities.SHIPPED),
                                                                                       str(folder)]}
    with pytest.raises(DeclarationError, match=r"commodity 'spelt' \(spelt.toml\): field 'psd.volume_unit': missing"):
        create_app(config)


def test_two_declarations_of_one_code_are_refused(tmp_path):
    folder = declare(tmp_path / "declared", "durum", "0410000", like="wheat")
    with pytest.raises(DeclarationError, match="field 'psd.code': '0410000' is also the code of 'wheat'"):
        commodities.load((str(commodities.SHIPPED), str(folder)))


@pytest.mark.data
def test_a_commodity_declared_only_in_the_test_loads_and_serves(tmp_path):
    folder = declare(tmp_path / "declared", "test-oats", "0452000", like="oats", name="Oats (test)")
    config = {"BEANFLOWS_DATA_DIR": str(tmp_path / "data"), "COMMODITY_DECLARATIONS": [str(folder)]}
    lines = grains.raw_text().splitlines()
    source = tmp_path / "grains.csv"
    source.write_text("\n".join([lines[0], *(line for line in lines[1:] if line[:7] in ("0452000", "0451000"))]))
    summary = pipeline.ingest(config, str(source))
    assert [r["commodity_code"] for r in summary["commodities"]] == ["0452000"]
    assert [s[0] for s in summary["skipped"]] == ["0451000"]  # rye: not declared here
    app = create_app({**base_config(tmp_path, tmp_path / "data"), **config})
    with app.app_context():
        assert commodities.current().default.slug == "test-oats"
        world = queries.world_series(("production", "yield"), 2024, 2024)
        assert world["production"].tolist() == [grains.reported("0452000")[grains.PRODUCTION].xs(2024, level=1).sum()]
        assert queries.world_series(("production",), 2024, 2024, "test-oats").equals(world[["commodity_code",
            "commodity", "country_code", "country", "market_year", "unit", "production"]])
