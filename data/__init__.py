"""USDA PSD data: ingest, Iceberg store, serving export and queries."""
