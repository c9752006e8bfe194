"""What every command module shares: the consoles, ``fail``, the database, language codes."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from gnews_i18n.config import Settings, load_settings
from gnews_i18n.languages import EDITION_LANGUAGES, NAMES
from gnews_i18n.store.db import Database

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    """End the command with ``message`` on stderr (what went wrong and what to do next)."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def import_size(path: Path) -> None:
    """End the command before reading a file over GNEWS_MAX_IMPORT_BYTES (a missing file is left to the reader)."""
    limit = load_settings().max_import_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > limit:
        fail(f"{path} is {size:,} bytes, over the import limit of {limit:,} bytes (GNEWS_MAX_IMPORT_BYTES); "
             "nothing was read. Split the file, or raise GNEWS_MAX_IMPORT_BYTES if this is intended.")


def database() -> Database:
    return Database(load_settings().database_url)


def language(code: str, option: str) -> str:
    """A language code the desk knows, or the command ends saying which ones it does."""
    code = code.strip().lower()
    if code not in EDITION_LANGUAGES:
        known = ", ".join(f"{c} ({NAMES[c]})" for c in EDITION_LANGUAGES)
        fail(f"unknown language {code} ({option}); the desk has {known}")
    return code


def broker_name(settings: Settings) -> str:
    """The broker's address without its credentials."""
    return settings.broker_url.split("@")[-1]
