"""What an operator's tools ask of the server: ``/healthz`` (the process answers), ``/readyz``
(the database and the broker answer, the schema is at the newest migration) and ``/metrics``
(Prometheus text: the workers' counters and histograms from their files, and gauges read from
the store and the broker at scrape time). docs/operations.md explains each metric."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from gnews_i18n import __version__
from gnews_i18n.api.problems import problem, response_doc
from gnews_i18n.auth.requests import database
from gnews_i18n.config import load_settings
from gnews_i18n.worker import metrics
from gnews_i18n.worker.health import Check, LiveCollector, check_broker, check_database

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The server process answers (liveness)")
def healthz() -> dict:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", summary="The database and the broker answer and the schema is current (readiness)",
            responses={503: response_doc("not ready: `checks` says which dependency failed and why")})
def readyz() -> JSONResponse:
    settings = load_settings()
    try:
        checks = check_database(database())
    except Exception as error:  # noqa: BLE001 - opening the store can fail in any way; that is the answer
        checks = [Check("database", False, f"database unreachable: {type(error).__name__}: {error}"[:500])]
    checks.append(check_broker(settings))
    report = [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks]
    failed = [c for c in checks if not c.ok]
    if failed:
        return problem(503, "; ".join(c.detail for c in failed), code="not_ready", checks=report)
    return JSONResponse({"status": "ready", "checks": report})


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics() -> Response:
    settings = load_settings()
    registry = CollectorRegistry()
    metrics.collect_into(registry, settings.metrics_directory)
    registry.register(LiveCollector(settings, database))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
