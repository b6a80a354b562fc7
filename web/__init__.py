"""Web hardening: trusted URLs, security headers, request logs, readiness."""
