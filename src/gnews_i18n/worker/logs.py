"""Log lines for machines: with ``GNEWS_LOG_FORMAT=json`` every line a worker writes is one JSON
object, and a job's lines carry ``article_id``, ``translation_id``, ``lang`` and ``stage``
(``worker/job.py`` passes them as the record's extra fields), so a log store can follow one
article through the queue without parsing sentences."""

from __future__ import annotations

import datetime as dt
import json
import logging

# What every LogRecord has; anything else on a record was passed as ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the record's extra
    fields, and the traceback as ``exception`` where there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json(logger: logging.Logger) -> None:
    """Give every handler of ``logger`` the JSON formatter."""
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())
