"""The workers' Prometheus metrics: counters and histograms each worker process writes to files
in one directory (``GNEWS_METRICS_DIR``, default ``<data dir>/metrics``), which ``/metrics`` on
the server adds up (prometheus-client's multiprocess mode; why: decision 0040).

Every Celery child, every restarted worker and every CLI command that runs a job writes its own
file (``counter_<pid>.db`` …); the sum over the files is the installation's total, so a
restart neither resets a counter nor counts anything twice. There are no gauges here: what the
store or the broker knows now (translations by state, queue depth) is read at scrape time
(``worker/health.py``).

Only this module imports prometheus-client's metric classes; the core records nothing itself
(the job hands it plain numbers).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, values
from prometheus_client.multiprocess import MultiProcessCollector

from gnews_i18n.config import load_settings

# seconds: a sentence-long job on a tiny model … a long article on a big model behind a queue
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, float("inf"))
STAGE_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, float("inf"))
# the stages of one job, as bench/pipeline_overhead.py names them (lower case)
STAGES = ("segment", "memory", "terms", "mt", "qa", "store")


@dataclass(frozen=True)
class Instruments:
    jobs: Counter
    job_latency: Histogram
    stage_seconds: Histogram
    mt_sentences: Counter
    mt_seconds: Counter
    qa_flags: Counter
    publish_seconds: Histogram
    publish_files: Counter
    publications: Counter
    emails: Counter
    email_runs: Counter


def _build() -> Instruments:
    registry = None  # multiprocess metrics are collected from their files, never from a live registry
    return Instruments(
        jobs=Counter("gnews_jobs", "Translation jobs run by the workers, by outcome "
                     "(done, skipped, busy, failed, lease_lost).", ["outcome"], registry=registry),
        job_latency=Histogram("gnews_job_latency_seconds", "From submission to the first draft in review, "
                              "per translation (first drafts only).", buckets=LATENCY_BUCKETS, registry=registry),
        stage_seconds=Histogram("gnews_stage_seconds", "Seconds one job spent in each stage (segment, memory, "
                                "terms, mt, qa, store).", ["stage"], buckets=STAGE_BUCKETS, registry=registry),
        mt_sentences=Counter("gnews_mt_sentences", "Sentences machine-translated (not from the memory), "
                             "by direction.", ["direction"], registry=registry),
        mt_seconds=Counter("gnews_mt_seconds", "Seconds the engine spent translating them, by direction; "
                           "rate(sentences) / rate(seconds) is sentences per second.", ["direction"],
                           registry=registry),
        qa_flags=Counter("gnews_qa_flags", "QA flags raised on machine drafts, by check and flag.",
                         ["check", "flag"], registry=registry),
        publish_seconds=Histogram("gnews_publish_seconds", "Seconds one publish job took (article, or issue).",
                                  ["kind"], buckets=STAGE_BUCKETS, registry=registry),
        publish_files=Counter("gnews_publish_files_written", "Files written to the site by publish jobs.",
                              registry=registry),
        publications=Counter("gnews_publications", "Publish jobs by outcome (published, skipped, retried).",
                             ["kind", "outcome"], registry=registry),
        emails=Counter("gnews_emails", "Newsletter e-mails by outcome: sent (the SMTP server took it), failed "
                       "(it refused the recipient).", ["outcome"], registry=registry),
        email_runs=Counter("gnews_email_runs", "E-mail jobs by outcome: done, retried (the SMTP server could not "
                           "be used; the retry sends what is left).", ["outcome"], registry=registry),
    )


_lock = threading.Lock()
_bound: dict[str, object] = {}


def metrics_directory() -> Path:
    return load_settings().metrics_directory


def instruments() -> Instruments:
    """This process's metrics, writing into the configured directory.

    prometheus-client picks its file-backed values when it is imported, from
    ``PROMETHEUS_MULTIPROC_DIR``; here the directory comes from the settings, so the mode is
    switched on at first use instead, whatever was imported before. A process whose settings
    point at another directory later (tests do) gets new metrics there."""
    directory = str(metrics_directory())
    with _lock:
        if _bound.get("directory") != directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory  # where the file-backed values write
            values.ValueClass = values.MultiProcessValue()
            _bound.update(directory=directory, instruments=_build())
        return _bound["instruments"]  # type: ignore[return-value]


def collect_into(registry: CollectorRegistry, directory: Path) -> None:
    """Add every worker process's metrics in ``directory`` to ``registry`` (the server's scrape)."""
    directory.mkdir(parents=True, exist_ok=True)
    MultiProcessCollector(registry, path=str(directory))


# ---- what the job and the tasks record -------------------------------------------------------

def job_finished(outcome: str) -> None:
    instruments().jobs.labels(outcome).inc()


def job_timings(stages: dict[str, float], latency: float | None) -> None:
    """One job's seconds by stage, and its submit → review latency (None: not a first draft)."""
    metrics = instruments()
    for stage, seconds in stages.items():
        metrics.stage_seconds.labels(stage).observe(seconds)
    if latency is not None:
        metrics.job_latency.observe(max(0.0, latency))


def machine_translated(direction: str, sentences: int, seconds: float) -> None:
    if sentences:
        metrics = instruments()
        metrics.mt_sentences.labels(direction).inc(sentences)
        metrics.mt_seconds.labels(direction).inc(seconds)


def qa_flagged(flags_by_check: dict[tuple[str, str], int]) -> None:
    metrics = instruments()
    for (check, flag), count in flags_by_check.items():
        metrics.qa_flags.labels(check, flag).inc(count)


def published(kind: str, outcome: str, seconds: float, files: int = 0) -> None:
    metrics = instruments()
    metrics.publications.labels(kind, outcome).inc()
    if outcome == "published":
        metrics.publish_seconds.labels(kind).observe(seconds)
        metrics.publish_files.inc(files)


def emailed(sent: int, failed: int, retried: bool = False) -> None:
    metrics = instruments()
    metrics.emails.labels("sent").inc(sent)
    metrics.emails.labels("failed").inc(failed)
    metrics.email_runs.labels("retried" if retried else "done").inc()
