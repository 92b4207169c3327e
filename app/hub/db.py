"""The hub's database: engines for SQLite and PostgreSQL, transactions, scope, migrations.

- SQLite (the embedded default, one small deployment or tests): WAL, `synchronous=FULL`, a busy
  timeout, and explicit `BEGIN IMMEDIATE` for writes (the pysqlite recipe), so writers are
  serialised and DDL is transactional.
- PostgreSQL (`postgresql+psycopg://`): each transaction sets `app.city_id` (and, while
  authenticating, `app.token_hash` / `app.code_hash`) with `set_config(..., true)`, which
  row-level security policies read. Serve with a role that does not own the tables.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from app.common.errors import UserError
from app.common.paths import make_private

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_READONLY = "hub_readonly"


class HubDatabaseError(UserError):
    """The hub database cannot be used as asked (missing, not initialised, unreachable)."""


def normalise_url(db: str | Path) -> str:
    """A database URL; a plain path means a SQLite file."""
    text_url = str(db)
    if "://" not in text_url:
        return f"sqlite:///{Path(text_url).expanduser().absolute()}"
    return text_url


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


class HubDB:
    def __init__(self, url: str | Path, *, pool_size: int = 8) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise HubDatabaseError(f"not a database URL: {safe_url(self.url)}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url)
        elif self.dialect == "postgresql":
            self.engine = create_engine(
                self.url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
            )
        else:
            raise HubDatabaseError(
                f"unsupported hub database {self.dialect!r}: use sqlite:/// or postgresql+psycopg://"
            )

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        with _translate(self.url), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with _translate(self.url), self.engine.connect() as conn:
            conn = conn.execution_options(**{_READONLY: True})
            with conn.begin():
                if self.is_postgres:
                    conn.execute(text("SET TRANSACTION READ ONLY"))
                yield conn

    def scope(
        self,
        conn: Connection,
        *,
        city_id: str | None = None,
        token_hash: str | None = None,
        code_hash: str | None = None,
    ) -> None:
        """Tell row-level security what this transaction may see (no-op on SQLite)."""
        if not self.is_postgres:
            return
        for name, value in (
            ("app.city_id", city_id),
            ("app.token_hash", token_hash),
            ("app.code_hash", code_hash),
        ):
            if value is not None:
                conn.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})

    # -- schema --------------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The migration the database is at; None when the hub was never initialised."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:
            raise HubDatabaseError(
                f"cannot open the hub database {safe_url(self.url)}: {_short(exc)}"
            ) from None

    def upgrade(self) -> str:
        """Run pending migrations in one transaction; returns the revision reached."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with _translate(self.url), self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return self.revision() or ""

    def head(self) -> str:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return str(ScriptDirectory.from_config(config).get_current_head())

    def require_schema(self, *, auto_init: bool) -> None:
        """Refuse a database this version does not know; initialise an empty SQLite file."""
        current = self.revision()
        head = self.head()
        if current == head:
            return
        if current is None and auto_init and not self.is_postgres:
            self.upgrade()
            return
        if current is None:
            raise HubDatabaseError(
                f"the hub database {safe_url(self.url)} is not initialised: "
                "run `readiness hub init --db URL` first"
            )
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        known = {r.revision for r in ScriptDirectory.from_config(config).walk_revisions()}
        if current not in known:
            raise HubDatabaseError(
                f"the hub database is at schema {current}, newer than this version knows; "
                "update Readiness"
            )
        if auto_init and not self.is_postgres:
            self.upgrade()
            return
        raise HubDatabaseError(
            f"the hub database is at schema {current}; run `readiness hub init` to upgrade it"
        )


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        folder = Path(path).parent
        if not folder.is_dir():
            raise HubDatabaseError(f"the folder {folder} of the hub database does not exist")
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()
        if path and path != ":memory:":  # the -wal and -shm files take the database's mode
            make_private(*(Path(path + suffix) for suffix in ("", "-wal", "-shm")))

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_READONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextlib.contextmanager
def _translate(url: str) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise HubDatabaseError(f"hub database {safe_url(url)}: {_short(exc)}") from exc


def _short(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300]
