"""Run one hot Core select straight on a pooled DB-API connection, compiled once per database."""
import weakref


class Prepared:
    """A Core select compiled once per engine; each run is one driver call, with SQLAlchemy's type conversions."""

    def __init__(self, statement):
        self.statement = statement
        self._by_engine = weakref.WeakKeyDictionary()  # engine -> (compiled, sql, parameter order, converters)

    def _compiled(self, engine):
        """Return what running the statement on engine needs, compiling it the first time."""
        found = self._by_engine.get(engine)
        if found is None:
            dialect = engine.dialect
            compiled = self.statement.compile(dialect=dialect)
            binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                     for name, bind in compiled.binds.items()}
            results = [(column.key, column.type.dialect_impl(dialect).result_processor(dialect, None))
                       for column in self.statement.selected_columns]
            # Positional drivers (SQLite's qmark) take a tuple in this order; named ones (psycopg) a dict.
            found = (compiled, compiled.string, compiled.positiontup, binds, results)
            self._by_engine[engine] = found
        return found

    def first(self, engine, params):
        """Return the first row as {column key: value}, or None; params are bound, never put in the SQL."""
        compiled, sql, order, binds, results = self._compiled(engine)
        values = compiled.construct_params(params)
        values = {name: binds[name](value) if binds.get(name) else value for name, value in values.items()}
        connection = engine.raw_connection()  # back to the pool (rolled back) on close
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, values if order is None else tuple(values[name] for name in order))
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        if row is None:
            return None
        return {key: convert(value) if convert else value for (key, convert), value in zip(results, row)}
