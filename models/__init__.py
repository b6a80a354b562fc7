"""Database models and what a user's stored state entitles them to; auth and billing build on these."""
