"""Dash callbacks, one module per page; each declares its page (callbacks.page.Page), registered by the factory."""
