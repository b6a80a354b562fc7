"""Bulk inserts that leave rows already stored (by a unique key) as they were."""
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db

BATCH = 5000


def insert_new(model, rows, keys):
    """Insert rows into model's table, skipping those whose keys exist; commit; return (id, user_id) inserted."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    inserted = []
    for start in range(0, len(rows), BATCH):
        statement = (dialect.insert(model).values(rows[start:start + BATCH])
                     .on_conflict_do_nothing(index_elements=keys).returning(model.id, model.user_id))
        inserted.extend(tuple(row) for row in db.session.execute(statement).all())
    db.session.commit()
    return inserted
