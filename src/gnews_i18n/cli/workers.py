"""``worker``, ``beat``, ``serve`` and ``requeue``: the processes an operator starts, and re-sending work."""

from __future__ import annotations

import errno
import os
import shelve
import socket

import typer

from gnews_i18n.cli.access import check_now
from gnews_i18n.cli.common import broker_name, console, database, err, fail
from gnews_i18n.config import Settings, load_settings
from gnews_i18n.worker.heartbeat import heartbeat_directory, pulses
from gnews_i18n.worker.recovery import release_failed

app = typer.Typer()


@app.command()
def worker(
    queues: str = typer.Option("translate,publish,maintenance", help="Queues to consume, comma-separated "
                               "(maintenance: the sweep that `beat` sends)."),
    concurrency: int = typer.Option(1, help="Worker processes. Each loads its own models."),
    loglevel: str = typer.Option("INFO", help="Celery log level."),
    hostname: str = typer.Option(None, help="Worker node name (default gnews-<queues>@host)."),
    beat: bool = typer.Option(False, "--beat", help="Also run the scheduler in this worker (one machine; "
                              "elsewhere run `gnews-i18n beat` once)."),
    events: bool = typer.Option(False, "--events", help="Send task events (what Flower shows; tested on "
                                "Redis)."),
    check: bool = typer.Option(False, "--check", help="Do not start a worker: exit 0 when the worker(s) of this "
                               "data directory (or --hostname) beat within 3 × GNEWS_HEARTBEAT_SECONDS, else 1. "
                               "For container health checks."),
) -> None:
    """Start a Celery worker on the configured broker (embedded SQLite when none is set).

    SIGTERM stops it warmly: running tasks finish, for at most GNEWS_SHUTDOWN_GRACE_SECONDS (60);
    then it exits by force, and what it was doing is sent again once its lease runs out."""
    settings = load_settings()
    if check:
        raise typer.Exit(_check_heartbeats(settings, hostname))
    if not settings.torch_threads:  # share the cores between the worker processes
        os.environ["GNEWS_TORCH_THREADS"] = str(max(1, (os.cpu_count() or 1) // concurrency))
    # deferred: the Celery app (and the tasks it loads) is slow to import for every other command
    from gnews_i18n.worker.app import app as celery_app  # deferred: Celery is slow to import
    from gnews_i18n.worker.app import ensure_broker_ready

    ensure_broker_ready()
    err.print(f"worker: broker {broker_name(settings)}, queues {queues}, concurrency {concurrency}",
              highlight=False)
    argv = ["worker", "-Q", queues, "-c", str(concurrency), "--loglevel", loglevel,
            "-n", hostname or f"gnews-{queues.replace(',', '-')}@%h"]
    if beat:
        argv += ["--beat", "--schedule", beat_schedule(settings)]
    if events:
        argv.append("--task-events")
    celery_app.worker_main(argv)


def _check_heartbeats(settings: Settings, hostname: str | None) -> int:
    """The probe of `worker --check`: the heartbeat files the workers' consumers touch (decision 0041)."""
    from celery.utils.nodenames import host_format  # deferred: Celery is slow to import

    found = pulses(settings, host_format(hostname) if hostname else None)
    if not found:
        err.print(f"no worker has a heartbeat under {heartbeat_directory(settings)}: none is running with "
                  f"GNEWS_DATA_DIR={settings.data_dir}", highlight=False)
        return 1
    for pulse in found:
        (console if pulse.alive else err).print(f"{pulse.worker}: {'alive' if pulse.alive else 'NOT ALIVE'}, "
                                                f"{pulse.detail}", highlight=False)
    return 0 if all(pulse.alive for pulse in found) else 1


def beat_schedule(settings: Settings) -> str:
    """Beat's schedule file, made and opened once here, so that a beat that cannot keep it stops the
    command with the reason instead of dying inside a worker that stays up without its sweep.

    Beat keeps its state in a ``shelve`` file beside the data; with a Redis broker nothing else
    creates the data directory, and beat used to die at start (``FileNotFoundError``)."""
    path = settings.data_dir / "beat-schedule"
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        shelve.open(str(path), writeback=True).close()  # what celery.beat.PersistentScheduler opens
    except Exception as error:  # noqa: BLE001 - any reason is fatal for beat; it is reported whole
        fail(f"beat cannot keep its schedule in {path}: {error}. Make GNEWS_DATA_DIR ({settings.data_dir}) a "
             "directory this user can write, or delete a damaged beat-schedule file; the recovery sweep "
             "does not run without beat.")
    return str(path)


@app.command()
def beat(loglevel: str = typer.Option("INFO", help="Celery log level.")) -> None:
    """Run Celery beat: every GNEWS_SWEEP_SECONDS (30) it sends the sweep, which re-sends work
    that stalled (jobs queued while the broker was down, a dead worker's job once its lease runs
    out, approved translations not yet published). Run exactly one per installation."""
    settings = load_settings()
    from gnews_i18n.worker.app import app as celery_app  # deferred: slow to import
    from gnews_i18n.worker.app import ensure_broker_ready

    schedule = beat_schedule(settings)
    ensure_broker_ready()
    err.print(f"beat: broker {broker_name(settings)}, sweep every {settings.sweep_seconds:g} s, "
              f"re-sending work quiet for {settings.resend_after_seconds:g} s", highlight=False)
    celery_app.start(["beat", "--loglevel", loglevel, "--schedule", schedule])


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 in a container)."),
    port: int = typer.Option(8000, help="Port."),
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the reviewers' web desk (/queue).

    Reviewers log in with a password: `gnews-i18n users add NAME --role reviewer --lang ko --password`.

    Scripts send `Authorization: Bearer <token>` from `gnews-i18n users token NAME`.

    Published editions are previewed under /site/.
    """
    import uvicorn  # deferred: the server stack is only needed here

    _check_free(host, port)
    uvicorn.run("gnews_i18n.server:create_app", factory=True, host=host, port=port, log_level="info")


def _check_free(host: str, port: int) -> None:
    """Bind the address once, as uvicorn will, so a port in use ends with advice instead of
    uvicorn's raw ``[Errno 98]`` after "Application startup complete"."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        fail(f"cannot listen on --host {host}: {error.strerror}. Give an address of this machine "
             "(127.0.0.1, or 0.0.0.0 for every interface).")
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a closed port's TIME_WAIT is free
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(f"port {port} on {host} is already in use by another program (perhaps another "
                     f"`gnews-i18n serve`). Serve on another port with `gnews-i18n serve --port {port + 1}`, "
                     f"or stop the program that holds it (`ss -ltnp 'sport = :{port}'` names it).")
            fail(f"cannot listen on {host}:{port}: {error.strerror}. Pick another --port (above 1023 without "
                 "root) or --host.")


@app.command()
def requeue(
    failed: bool = typer.Option(False, "--failed", help="Also give failed translations another try "
                                "(after fixing what `gnews-i18n status` shows)."),
    translation: list[int] = typer.Option(None, "--translation", help="With --failed: only these ids."),
) -> None:
    """Re-send queued, interrupted and approved-but-unpublished work to the workers.

    Rarely needed: `gnews-i18n beat` does this every half minute."""
    from gnews_i18n.worker.tasks import resend_pending  # deferred: Celery is slow to import

    check_now("publish")  # with a token, only a publisher re-sends work
    db = database()
    if translation and not failed:
        fail("--translation goes with --failed")
    released = release_failed(db, translation or None) if failed else []
    if failed and translation and len(released) < len(translation):
        missing = sorted(set(translation) - set(released))
        err.print(f"not failed (left as they are): {', '.join(map(str, missing))}", highlight=False)
    queued, running, approved = resend_pending(db)
    console.print(f"re-sent {queued} queued ({len(released)} of them failed before), {running} in progress, "
                  f"{approved} approved job(s)")
