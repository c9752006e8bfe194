"""Settings read from the environment, with defaults that need no server.

Every setting is one ``GNEWS_*`` variable; docs/configuration.md lists
them all. Defaults put everything under ``GNEWS_DATA_DIR`` (``./var``): an SQLite
database, an SQLite-backed Celery broker and result store, and local models.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str
    result_backend: str
    publish_dir: Path
    models_dir: Path
    lease_seconds: float
    max_article_bytes: int
    max_import_bytes: int  # a TMX, TBX, glossary CSV, PO or XLIFF file given to the CLI
    torch_threads: int
    broker_poll_seconds: float
    num_beams: int
    mt_retry: bool = True  # a suspect output (empty, looping, far too long) is decoded once more
    cookie_secure: bool = True
    site_url: str = "http://127.0.0.1:8000/site"
    template_dir: Path | None = None
    webhooks: tuple[str, ...] = ()
    publish_on_approval: bool = True
    index_page_size: int = 20
    session_hours: float = 12.0
    login_account_failures: int = 5  # wrong passwords for one account within the window, then 429
    login_address_failures: int = 20  # wrong passwords from one client address within the window, then 429
    login_window_seconds: float = 900.0
    glossary_paths: list[Path] = field(default_factory=list)
    people_paths: list[Path] = field(default_factory=list)  # the people registry (people*.csv)
    # Where those came from: the setting's name when the user named them, "" when found in the
    # glossary directory (files the user named win over files found by default)
    glossaries_from: str = ""
    people_from: str = ""
    model_overrides: dict[str, str] = field(default_factory=dict)
    sweep_seconds: float = 30.0  # how often `gnews-i18n beat` looks for stalled work
    resend_after_seconds: float = 60.0  # queued work older than this, without a worker, is sent again
    task_time_limit: float = 3600.0  # a task running longer is killed (its lease then runs out)
    shutdown_grace_seconds: float = 60.0  # a stopping worker exits by force after this
    max_photo_bytes: int = 5 * 1024 * 1024  # one photo of an article (intake/photos.py)
    max_photo_pixels: int = 40_000_000
    metrics_dir: Path | None = None  # the worker processes' Prometheus files; None: <data_dir>/metrics
    log_format: str = "text"  # "json": one JSON object a line (worker/logs.py)
    heartbeat_seconds: float = 10.0  # how often a worker touches its heartbeat file (`worker --check`)

    @property
    def metrics_directory(self) -> Path:
        return self.metrics_dir or self.data_dir / "metrics"

    @property
    def broker_is_embedded(self) -> bool:
        return self.broker_url.startswith(("sqla+", "filesystem:"))

    def secret_key(self) -> str:
        """GNEWS_SECRET_KEY, else one made on first use and kept in the data directory (mode 0600),
        so browser sessions survive a restart and every instance sharing the directory agrees."""
        configured = os.environ.get("GNEWS_SECRET_KEY", "").strip()
        if configured:
            return configured
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_urlsafe(48))
            except FileExistsError:  # another process made it first
                pass
        return path.read_text().strip()

    def webhook_secret(self) -> str:
        """GNEWS_PUBLISH_SECRET: the shared secret that signs webhook deliveries (HMAC-SHA256)."""
        return os.environ.get("GNEWS_PUBLISH_SECRET", "")

    def model_for(self, src: str, tgt: str) -> str | None:
        """The model id or directory configured for ``src``→``tgt`` (``GNEWS_MODEL_KO_EN`` …)."""
        return self.model_overrides.get(f"{src}-{tgt}")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value not in ("0", "no", "false", "off")


def _glossary_paths() -> list[Path]:
    """``GNEWS_GLOSSARIES`` (files separated by ``:``, later overriding earlier), else ./glossaries/*.csv."""
    configured = os.environ.get("GNEWS_GLOSSARIES", "").strip()
    if configured:
        return [Path(p).resolve() for p in configured.split(os.pathsep) if p.strip()]
    directory = Path(_env("GNEWS_GLOSSARY_DIR", "glossaries"))
    found = sorted(p.resolve() for p in directory.glob("*.csv")) if directory.is_dir() else []
    return [p for p in found if not p.name.lower().startswith("people")]  # the registry is not a glossary


def _people_paths() -> list[Path]:
    """``GNEWS_PEOPLE`` (files separated by ``:``), else people*.csv in the glossary directory."""
    configured = os.environ.get("GNEWS_PEOPLE", "").strip()
    if configured:
        return [Path(p).resolve() for p in configured.split(os.pathsep) if p.strip()]
    directory = Path(_env("GNEWS_GLOSSARY_DIR", "glossaries"))
    return sorted(p.resolve() for p in directory.glob("people*.csv")) if directory.is_dir() else []


def load_settings() -> Settings:
    data_dir = Path(_env("GNEWS_DATA_DIR", "var")).resolve()
    overrides = {}
    for key, value in os.environ.items():
        # GNEWS_MODEL_KO_EN=/path/or/hub-id → "ko-en"
        parts = key.split("_")
        if len(parts) == 4 and parts[:2] == ["GNEWS", "MODEL"] and value.strip():
            overrides[f"{parts[2].lower()}-{parts[3].lower()}"] = value.strip()
    return Settings(
        data_dir=data_dir,
        database_url=_env("GNEWS_DATABASE_URL", f"sqlite:///{data_dir / 'gnews.sqlite'}"),
        broker_url=_env("GNEWS_BROKER_URL", f"sqla+sqlite:///{data_dir / 'broker.sqlite'}"),
        result_backend=_env("GNEWS_RESULT_BACKEND", f"db+sqlite:///{data_dir / 'results.sqlite'}"),
        publish_dir=Path(_env("GNEWS_PUBLISH_DIR", "public")).resolve(),
        models_dir=Path(_env("GNEWS_MODELS_DIR", str(data_dir / "models"))).resolve(),
        lease_seconds=float(_env("GNEWS_LEASE_SECONDS", "120")),
        max_article_bytes=int(_env("GNEWS_MAX_ARTICLE_BYTES", str(512 * 1024))),
        # The API's body limit is 8 articles' worth (server.py); the CLI's import doors default to the same.
        max_import_bytes=int(_env("GNEWS_MAX_IMPORT_BYTES",
                                  str(8 * int(_env("GNEWS_MAX_ARTICLE_BYTES", str(512 * 1024)))))),
        torch_threads=int(_env("GNEWS_TORCH_THREADS", "0")),
        broker_poll_seconds=float(_env("GNEWS_BROKER_POLL_SECONDS", "0.2")),
        num_beams=int(_env("GNEWS_NUM_BEAMS", "4")),
        mt_retry=_flag("GNEWS_MT_RETRY", True),
        cookie_secure=_flag("GNEWS_COOKIE_SECURE", True),
        site_url=_env("GNEWS_SITE_URL", "http://127.0.0.1:8000/site").rstrip("/"),
        template_dir=Path(_env("GNEWS_TEMPLATE_DIR", "")).resolve() if _env("GNEWS_TEMPLATE_DIR", "") else None,
        webhooks=tuple(u for u in _env("GNEWS_PUBLISH_WEBHOOKS", "").replace(",", " ").split() if u),
        publish_on_approval=_flag("GNEWS_PUBLISH_ON_APPROVAL", True),
        index_page_size=int(_env("GNEWS_INDEX_PAGE_SIZE", "20")),
        session_hours=float(_env("GNEWS_SESSION_HOURS", "12")),
        login_account_failures=int(_env("GNEWS_LOGIN_ACCOUNT_FAILURES", "5")),
        login_address_failures=int(_env("GNEWS_LOGIN_ADDRESS_FAILURES", "20")),
        login_window_seconds=float(_env("GNEWS_LOGIN_WINDOW_SECONDS", "900")),
        glossary_paths=_glossary_paths(),
        people_paths=_people_paths(),
        glossaries_from="GNEWS_GLOSSARIES" if os.environ.get("GNEWS_GLOSSARIES", "").strip() else "",
        people_from="GNEWS_PEOPLE" if os.environ.get("GNEWS_PEOPLE", "").strip() else "",
        model_overrides=overrides,
        sweep_seconds=float(_env("GNEWS_SWEEP_SECONDS", "30")),
        resend_after_seconds=float(_env("GNEWS_RESEND_AFTER_SECONDS", "60")),
        task_time_limit=float(_env("GNEWS_TASK_TIME_LIMIT", "3600")),
        shutdown_grace_seconds=float(_env("GNEWS_SHUTDOWN_GRACE_SECONDS", "60")),
        max_photo_bytes=int(_env("GNEWS_MAX_PHOTO_BYTES", str(5 * 1024 * 1024))),
        max_photo_pixels=int(_env("GNEWS_MAX_PHOTO_PIXELS", "40000000")),
        metrics_dir=Path(_env("GNEWS_METRICS_DIR", "")).resolve() if _env("GNEWS_METRICS_DIR", "") else None,
        log_format=_env("GNEWS_LOG_FORMAT", "text").lower(),
        heartbeat_seconds=float(_env("GNEWS_HEARTBEAT_SECONDS", "10")),
    )
