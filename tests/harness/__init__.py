"""Test harness: a served app, Dash callback bodies, users and sessions; bench/ reuses it."""
