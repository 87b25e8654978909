"""PostgreSQL for the test suite (``config.settings.test``): Django's backend, except that a flush deletes the rows
instead of truncating the tables.

A test that commits (the live server's, ``transaction=True``) is followed by a flush of every table. TRUNCATE of the
seventy tables takes over a second on PostgreSQL, whatever they hold, because each table gets new files; DELETE of
what a test wrote takes a few hundredths. The foreign keys Django creates on PostgreSQL are deferrable, so the rows
go in any order within the flush's transaction. Never in production settings (a restore, ``core.backup``, flushes
with TRUNCATE)."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Table names come from the models' metadata (introspection of Django's own tables), never from input.
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
