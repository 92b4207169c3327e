"""The local SQLite database (SQLAlchemy 2): tables, repositories, migrations, backups."""
