"""The serving DuckDB file: export, its tables, the workers' read-only connection, the follower."""
