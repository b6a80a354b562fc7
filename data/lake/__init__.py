"""The Iceberg system of record: catalog, tables, releases, guards."""
