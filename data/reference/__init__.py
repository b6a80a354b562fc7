"""Reference tables: country codes, regions, marketing years, ENSO rule, cited documents."""
