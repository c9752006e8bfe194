"""Engines, sessions and schema upgrades for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

_upgrade_lock = threading.Lock()
# Any constant shared by every gnews-i18n process: the PostgreSQL advisory lock that serializes migrations.
_MIGRATION_LOCK_KEY = 0x676E657773  # "gnews"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # several processes share the file
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("gnews_i18n.store") / "migrations"))
    return config


def migration_status(connection: Connection) -> tuple[str | None, str | None]:
    """(the database's migration, the newest this code knows); equal when the schema is current."""
    current = MigrationContext.configure(connection).get_current_revision()
    return current, ScriptDirectory.from_config(_alembic_config()).get_current_head()


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the newest migration (a no-op when it is there already).

    Processes starting together on a fresh database (several submits, two workers) would each
    create the tables and all but one would fail; the upgrade runs under a lock that spans
    processes: a file lock beside an SQLite file, an advisory lock on PostgreSQL."""
    config = _alembic_config()
    with _upgrade_lock, _sqlite_file_lock(engine), engine.begin() as connection:
        _take_advisory_lock(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Hold ``<database>.migrate.lock`` while migrating an SQLite file (nothing for other backends)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    with open(f"{url.database}.migrate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
        yield


def _take_advisory_lock(connection: Connection) -> None:
    """On PostgreSQL, wait for any other process migrating; the lock ends with this transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})

class Database:
    """One engine and its session factory; ``session()`` commits on success, rolls back on error."""
    def __init__(self, url: str, *, upgrade: bool = True):
        self.url = url
        self.engine = make_engine(url)
        if upgrade:
            ensure_schema(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
