"""The storage ports on PostgreSQL (asyncpg): the same repositories as the SQLite modules
beside this package, one module each, with JSON documents as ``jsonb``."""
