"""A synthetic dataset 20x the real coffee file: more commodities (declared ones: coffee's values relabelled as
grains, in tonnes) and more countries."""
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.sources.psd import read_source

COMMODITIES = [("0711100", "Coffee, Green", None), ("0410000", "Wheat (synthetic)", "(1000 MT)"),
               ("0440000", "Corn (synthetic)", "(1000 MT)"), ("0422110", "Rice, Milled (synthetic)", "(1000 MT)")]
COUNTRY_COPIES = 5


def synthetic_table(source, seed=11):
    """Return the values of source repeated over 4 commodities x 5 country copies, scaled."""
    base, _ = read_source(source)
    rng = np.random.default_rng(seed)
    parts = []
    for code, name, unit in COMMODITIES:
        for copy in range(COUNTRY_COPIES):
            scale = float(rng.uniform(0.5, 1.5))
            suffix = "" if copy == 0 else "BCDE"[copy - 1]  # codes stay letters, as ISO3 codes are
            part = base.set_column(0, "commodity_code", pa.array([code] * base.num_rows))
            part = part.set_column(1, "commodity", pa.array([name] * base.num_rows))
            part = part.set_column(2, "country_code", pc.binary_join_element_wise(part["country_code"], suffix, ""))
            part = part.set_column(3, "country", pc.binary_join_element_wise(part["country"], f" {suffix}".rstrip(), ""))
            part = part.set_column(8, "value", pc.multiply(part["value"], scale))
            if unit:
                part = part.set_column(7, "unit", pa.array([unit] * base.num_rows))
            parts.append(part)
    return pa.concat_tables(parts).cast(base.schema)
