"""The API's country parameter: ISO3 codes, WORLD and REGION:<name> regional totals."""
from data.reference import regions
from data.schema import WORLD


def checked(values, known):
    """Return the codes asked for (regions as REGION:<name>), or raise ValueError naming the valid ones."""
    codes = []
    for value in values:
        if value[:len(regions.PREFIX)].upper() == regions.PREFIX:
            name = regions.name_of(value)
            if name is None:
                raise ValueError(f"unknown region {value[len(regions.PREFIX):][:40]!r}; known: "
                                 + ", ".join(regions.REGIONS))
            codes.append(regions.code(name))
            continue
        code = value.upper()
        if code != WORLD and code not in known:
            raise ValueError(f"unknown country {value[:20]!r}: use ISO3 codes, WORLD or REGION:<name>")
        codes.append(code)
    return list(dict.fromkeys(codes))
