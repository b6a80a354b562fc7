"""Speed: what a page loads, compression, caching."""
