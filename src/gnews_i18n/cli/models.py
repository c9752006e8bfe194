"""``gnews-i18n models …``: what serves each direction, fetching, converting, building test models,
and adapted versions (``adapt``, ``promote``, ``rollback``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from gnews_i18n.adapt.data import AdaptDataError
from gnews_i18n.adapt.finetune import FinetuneError, FinetuneSettings
from gnews_i18n.adapt.promotion import Margins
from gnews_i18n.adapt.run import AdaptBusy, AdaptOptions, adapt_from_store, desk_terminology, rebuild_ct2
from gnews_i18n.cli.common import console, database, err, fail, language
from gnews_i18n.config import load_settings
from gnews_i18n.devmodels.corpus import NAME_STYLES
from gnews_i18n.devmodels.testmodel import build_test_m2m100, build_test_model
from gnews_i18n.devmodels.training import SIZES, build_trained_model
from gnews_i18n.mt.ct2_backend import convert, converted_dir
from gnews_i18n.mt.registry import choose, registry_entries
from gnews_i18n.mt.versions import (
    BASE,
    Manifest,
    VersionError,
    current,
    direction_dir,
    has_base,
    promote,
    rollback,
    versions,
)

app = typer.Typer(help="Machine-translation models.", no_args_is_help=True)


@app.command("make-test")
def models_make_test(
    directory: Path = typer.Argument(..., help="Where to write the model."),
    src: str = typer.Option(..., "--src"),
    tgt: str = typer.Option(..., "--tgt"),
    d_model: int = typer.Option(64, help="Hidden size (64 loads in a blink; 512 is opus-mt's)."),
    layers: int = typer.Option(2, help="Encoder and decoder layers."),
    corpus: list[Path] = typer.Option(None, "--corpus", help="Extra local text (LANG=FILE) for the tokenizers."),
    family: str = typer.Option("marian", help="marian (one pair) or m2m100 (many languages, language codes)."),
    ct2: bool = typer.Option(False, "--ct2", help="Also convert it for the CTranslate2 backend."),
    trained: bool = typer.Option(False, "--trained", help="Train it on template newsletter sentences (ko↔en only): "
                                 "a model that really translates its narrow domain, for terminology tests."),
    size: str = typer.Option("tiny", "--size", help="With --trained: tiny (CI, minutes) or bench (longer)."),
    names: str = typer.Option("copied", "--names", help="With --trained: how its corpus writes made-up foreign "
                              "names on the Korean side: copied (Kavimo, as in English) or transliterated "
                              "(카비모; no Latin names in Korean): a model that writes unknown names its own way."),
) -> None:
    """Build a small random-weights model offline (for tests and the offline demo), or with
    --trained a small trained one (cached; GNEWS_TEST_MODEL_CACHE says where)."""
    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if trained:
        if {src, tgt} != {"ko", "en"} or size not in SIZES or names not in NAME_STYLES:
            fail(f"--trained builds ko→en or en→ko in size {' or '.join(SIZES)}, names {' or '.join(NAME_STYLES)}; "
                 f"got {src}→{tgt}, size {size!r}, names {names!r}")
        report = build_trained_model(directory, src, tgt, size, ct2=ct2, names=names,
                                     log=lambda line: err.print(line))
        console.print(f"trained test model {src}→{tgt} ({size}, names {names}) in {directory}"
                      f"{' (from the cache)' if report.cached else f', {report.seconds:.0f} s of training'}: "
                      f"held-out exact match {report.held_out_exact:.1%}, unseen Latin names copied "
                      f"{report.latin_copied:.1%}. Not a production model.")
        return

    extra: dict[str, list[Path]] = {}
    for item in corpus or []:
        lang, _, path = str(item).partition("=")
        if not path:
            fail(f"--corpus takes LANG=FILE, got {item}")
        extra.setdefault(lang, []).append(Path(path))
    try:
        if family == "m2m100":
            build_test_m2m100(directory, tuple(dict.fromkeys([src, tgt, "ko", "en"])), d_model=d_model, layers=layers)
        else:
            build_test_model(directory, src, tgt, d_model=d_model, layers=layers, corpus=extra)
    except ValueError as error:
        fail(str(error))
    if ct2:
        convert(directory, force=True)
    console.print(f"test model {src}→{tgt} written to {directory}. Use it with "
                  f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}={directory} (its wording is meaningless).")


def _size(path: Path) -> str:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return f"{total / 1e6:.0f} MB" if total >= 1e6 else f"{total / 1e3:.0f} kB"


@app.command("list")
def list_models() -> None:
    """Each direction: the model that serves it, where it comes from, size, backend, licence."""
    settings = load_settings()
    directions = set(registry_entries()) | set(settings.model_overrides)
    if settings.models_dir.is_dir():
        directions |= {p.name for p in settings.models_dir.iterdir() if ((p / "config.json").exists() or versions(p))
                       and "-" in p.name and len(p.name) == 5}
    table = Table("direction", "model", "from", "version", "installed", "size", "backend", "licence")
    for direction in sorted(directions):
        src, tgt = direction.split("-")
        choice = choose(settings, src, tgt)
        if choice is None:
            continue
        if choice.pivot:
            table.add_row(direction, f"via {choice.pivot}: {src}-{choice.pivot} + {choice.pivot}-{tgt}",
                          choice.source, "", "", "", "", "")
            continue
        local = Path(choice.model).expanduser()
        if not local.exists():
            pulled = settings.models_dir / choice.model.replace("/", "--")
            local = pulled if pulled.exists() else local
        installed = local.exists()
        backend = "ctranslate2" if installed and converted_dir(local) else "transformers"
        table.add_row(direction, choice.model, choice.source, choice.version, "yes" if installed else "no",
                      _size(local) if installed else "", backend, choice.licence)
    console.print(table)
    for direction in sorted(directions):
        _print_versions(direction_dir(settings.models_dir, *direction.split("-")))
    console.print("A model not installed is fetched from the hub on first use, or with "
                  "`gnews-i18n models pull NAME`; set GNEWS_MODEL_<SRC>_<TGT> to use a local directory.")


@app.command("pull")
def pull(
    name: str = typer.Argument(..., help="Hugging Face model id, e.g. Helsinki-NLP/opus-mt-ko-en."),
    convert_: bool = typer.Option(True, "--convert/--no-convert", help="Also convert for CTranslate2 (int8)."),
) -> None:
    """Fetch a model into the local models directory (and convert it for the fast backend)."""
    settings = load_settings()
    target = settings.models_dir / name.replace("/", "--")
    try:
        from huggingface_hub import snapshot_download  # deferred: slow to import, only `pull` needs it

        snapshot_download(repo_id=name, local_dir=str(target))
    except Exception as error:  # offline, unknown id, no permission: all end the same way for the user
        fail(f"cannot fetch {name} from the model hub ({type(error).__name__}: {str(error).splitlines()[0]}).\n"
             f"Where the hub is reachable run `huggingface-cli download {name} --local-dir DIR`, copy DIR here, "
             f"and point GNEWS_MODEL_<SRC>_<TGT> at it (or place it in {settings.models_dir}/<src>-<tgt>/).")
    console.print(f"{name} saved in {target}")
    if convert_:
        _convert(target, "int8")


@app.command("convert")
def convert_cmd(
    directory: Path = typer.Argument(..., help="A transformers model directory."),
    quantization: str = typer.Option("int8", help="int8 (CPU), int8_float16 / float16 (GPU), or float32."),
) -> None:
    """Convert a model for CTranslate2; used automatically from then on."""
    _convert(directory, quantization)


def _convert(directory: Path, quantization: str) -> None:
    if not (directory / "config.json").exists():
        fail(f"{directory} is not a transformers model directory (no config.json)")
    try:
        out = convert(directory, quantization=None if quantization == "float32" else quantization, force=True)
    except (ValueError, NotImplementedError) as error:
        fail(f"cannot convert {directory}: {error}")
    console.print(f"converted for CTranslate2 ({quantization}) in {out}; the fast backend is used from now on "
                  f"(GNEWS_MT_BACKEND=transformers turns it off)")


def _print_versions(directory: Path) -> None:
    names = versions(directory)
    if not names:
        return
    serving = current(directory)
    table = Table("version", "parent", "status", "date", "data window", "pairs (train/held out)",
                  "held-out chrF old → new", "general chrF change", title=f"{directory.name}: model versions")
    if has_base(directory):
        table.add_row(BASE + (" *" if serving == BASE else ""), "", "base", "", "", "", "", "")
    for name in names:
        manifest = Manifest.load(directory / name) if (directory / name / "manifest.json").exists() else None
        if manifest is None:
            table.add_row(name, "?", "no manifest", "", "", "", "", "")
            continue
        held, general = (manifest.scores or {}).get("held_out"), (manifest.scores or {}).get("general")
        table.add_row(name + (" *" if serving == name else ""), manifest.parent, manifest.status,
                      manifest.created[:10], f"{manifest.since or 'start'} – {manifest.until or ''}",
                      f"{manifest.counts.get('train', 0)}/{manifest.counts.get('held_out', 0)}",
                      f"{held['old']['chrf']:.1f} → {held['new']['chrf']:.1f}" if held else "",
                      f"{general['chrf_change']:+.1f}" if general else "")
    console.print(table)
    console.print("* serves the direction. `gnews-i18n models promote VERSION --src S --tgt T` switches, "
                  "`models rollback` goes back to the parent; each version's report.md says why it was (not) promoted.")


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} takes a date as YYYY-MM-DD, got {value!r}")


@app.command("adapt")
def adapt(
    src: str = typer.Option(..., "--src"),
    tgt: str = typer.Option(..., "--tgt"),
    since: str = typer.Option(None, "--since", help="Only approvals from this day (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Only approvals before this day (YYYY-MM-DD)."),
    steps: int = typer.Option(300, "--steps", min=1, help="Training steps (batches)."),
    holdout: float = typer.Option(0.1, "--holdout", help="Share of approved segments held out to test on, "
                                  "whole articles (at least 0.1)."),
    learning_rate: float = typer.Option(5e-5, "--learning-rate", help="Small: the model continues, not restarts."),
    batch: int = typer.Option(16, "--batch", min=1),
    replay_share: float = typer.Option(0.5, "--replay-share", min=0.0, max=0.9,
                                       help="Share of each batch from the model's own training text (replay.tsv)."),
    device: str = typer.Option("cpu", "--device", help="cpu, or cuda on a machine with a GPU."),
    threads: int = typer.Option(1, "--threads", min=1, help="CPU threads (the desk's workers share the cores)."),
    resume: bool = typer.Option(False, "--resume", help="Continue a stopped run from its last checkpoint."),
    no_promote: bool = typer.Option(False, "--no-promote", help="Keep the new version a candidate even if it wins."),
    queue: bool = typer.Option(False, "--queue", help="Send it to a worker on the `training` queue instead of "
                               "running it here (the worker resumes a stopped run by itself)."),
) -> None:
    """Fine-tune the direction's model on its approved post-edits into a new version, score old and
    new (chrF, TER) on held-out approved articles and the general set, and promote it only if it wins
    (GNEWS_ADAPT_MIN_GAIN, GNEWS_ADAPT_MAX_GENERAL_DROP)."""
    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    settings = load_settings()
    if queue:
        from gnews_i18n.worker.tasks import adapt as adapt_task  # deferred: Celery is slow to import
        from gnews_i18n.worker.tasks import dispatch

        if not dispatch(adapt_task, src, tgt, _day(since, "--since") and since, steps, holdout):
            fail("the broker cannot be reached; nothing was sent. Start it (or run without --queue)")
        console.print(f"sent: a worker on the `training` queue adapts {src}→{tgt} "
                      "(start one with `gnews-i18n worker --queues training --concurrency 1`).")
        return
    try:
        margins = Margins.from_env()
    except ValueError as error:
        fail(str(error))
    if no_promote:
        margins = Margins(float("inf"), margins.max_general_drop)
    options = AdaptOptions(
        since=_day(since, "--since"), until=_day(until, "--until"), holdout=holdout, resume=resume,
        training=FinetuneSettings(steps=steps, learning_rate=learning_rate, batch=batch, replay_share=replay_share,
                                  device=device, threads=threads),
        margins=margins, num_beams=settings.num_beams)
    columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("training", total=steps, loss="–")

        def advance(done: int, total: int, loss: float) -> None:
            progress.update(task, completed=done, total=total, loss=f"{loss:.3f}")

        try:
            result = adapt_from_store(database(), settings.models_dir, src, tgt, options,
                                      terminology=desk_terminology(settings, src, tgt), on_progress=advance,
                                      log=lambda line: err.print(line, highlight=False))
        except (AdaptBusy, AdaptDataError, FinetuneError, VersionError) as error:
            fail(str(error))
        except KeyboardInterrupt:
            fail(f"stopped; `gnews-i18n models adapt --src {src} --tgt {tgt} --resume` continues from the last "
                 "checkpoint", code=130)
    table = Table("set", "sentences", "chrF old", "chrF new", "TER old", "TER new", "edit rate old", "edit rate new")
    for comparison in (result.held_out, result.general):
        if comparison is not None:
            o, n = comparison.old, comparison.new
            table.add_row(comparison.name, str(n.sentences), f"{o.chrf:.2f}", f"{n.chrf:.2f}", f"{o.ter:.2f}",
                          f"{n.ter:.2f}", f"{o.edit_rate:.3f}", f"{n.edit_rate:.3f}")
    console.print(table)
    verdict = "promoted: it serves the direction now" if result.promoted else "kept as a candidate"
    console.print(f"{src}→{tgt} {result.version} (from {result.parent}) {verdict}. {result.reason}.\n"
                  f"Report: {result.directory / 'report.md'}", highlight=False)


@app.command("promote")
def promote_cmd(
    version: str = typer.Argument(..., help="v1, v2 … or base."),
    src: str = typer.Option(..., "--src"),
    tgt: str = typer.Option(..., "--tgt"),
) -> None:
    """Make a version serve the direction (workers pick it up on their next job, no restart)."""
    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    directory = direction_dir(load_settings().models_dir, src, tgt)
    try:
        before = promote(directory, version)
        rebuild_ct2(directory, version, before)
    except VersionError as error:
        fail(str(error))
    console.print(f"{src}→{tgt}: {version} serves the direction now (was {before}); "
                  f"`gnews-i18n models rollback --src {src} --tgt {tgt}` goes back to its parent.")


@app.command("rollback")
def rollback_cmd(src: str = typer.Option(..., "--src"), tgt: str = typer.Option(..., "--tgt")) -> None:
    """Serve the current version's parent again (the version stays on disk)."""
    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    directory = direction_dir(load_settings().models_dir, src, tgt)
    try:
        was, now = rollback(directory)
    except VersionError as error:
        fail(str(error))
    console.print(f"{src}→{tgt}: rolled back from {was} to {now}.")
