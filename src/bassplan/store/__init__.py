"""The dashboard's store: SQLAlchemy models, Alembic migrations and repository functions
over SQLite or PostgreSQL, with an audit entry for every change."""
