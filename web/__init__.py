"""Web serving: static bundles, compression and caching."""
