"""The web edge: the API and health blueprints, trusted URLs, security headers, request logs, readiness."""
