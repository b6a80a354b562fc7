"""Web blueprints over the serving data: the JSON/CSV API and the health check."""
