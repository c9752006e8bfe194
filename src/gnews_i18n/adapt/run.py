"""One adaptation of one direction, end to end: data → new version → scores → promotion or not.

The CLI (``gnews-i18n models adapt``) and the worker's ``adapt`` task (queue ``training``)
both call ``adapt_from_store``; tests and the benchmark call ``adapt_direction`` with pairs
of their own. Two runs for one direction never overlap: a lock file in the direction's
directory (``.adapt.lock``) is held for the whole run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from gnews_i18n.adapt.data import AdaptDataError, ApprovedPair, Split, approved_pairs, hold_out, protect
from gnews_i18n.adapt.evaluate import Comparison, compare, translate_all
from gnews_i18n.adapt.finetune import (
    GENERAL_FILE,
    REPLAY_FILE,
    FinetuneError,
    FinetuneSettings,
    Progress,
    finetune,
    read_pairs,
)
from gnews_i18n.adapt.promotion import Decision, Margins, decide
from gnews_i18n.mt.base import DecodingSettings
from gnews_i18n.mt.ct2_backend import CT2_SUBDIR, convert, converted_dir
from gnews_i18n.mt.loader import open_engine
from gnews_i18n.mt.versions import (
    BASE,
    Manifest,
    VersionError,
    current,
    direction_dir,
    model_dir,
    next_version,
    promote,
    serving_dir,
    today,
    version_number,
)
from gnews_i18n.terms import Terminology, article_terms
from gnews_i18n.terms.files import cached_registry
from gnews_i18n.terms.probe import style_for
from gnews_i18n.terms.terminology import AUTO

LOCK_FILE = ".adapt.lock"
TRAINING = "training"  # a version's status while its run is under way (or was stopped: --resume)
REPORT_FILE = "report.md"


class AdaptBusy(RuntimeError):
    """Another adaptation of the same direction is running."""


@dataclass(frozen=True)
class AdaptOptions:
    since: dt.date | None = None
    until: dt.date | None = None
    holdout: float = 0.1
    training: FinetuneSettings = FinetuneSettings()
    margins: Margins = Margins()
    num_beams: int = 4  # the evaluation decodes as the desk does (GNEWS_NUM_BEAMS)
    resume: bool = False
    examples: int = 8


@dataclass
class AdaptResult:
    src: str
    tgt: str
    version: str
    parent: str
    promoted: bool
    reason: str
    directory: Path
    held_out: Comparison
    general: Comparison | None
    counts: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {"direction": f"{self.src}-{self.tgt}", "version": self.version, "parent": self.parent,
                "promoted": self.promoted, "reason": self.reason, "directory": str(self.directory),
                "held_out": self.held_out.as_dict(), "general": self.general.as_dict() if self.general else None,
                "counts": self.counts, "training": self.training}


@contextmanager
def direction_lock(directory: Path) -> Iterator[None]:
    """Held for a whole run; a second run for the direction fails at once, saying who holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise AdaptBusy(f"an adaptation of {directory.name} is already running ({holder}); wait for it to end, "
                            f"or stop it and run again with --resume") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {today()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def desk_terminology(settings, src: str, tgt: str) -> Terminology | None:
    """The active glossaries and people registry, as a job without an article glossary reads them."""
    glossary = article_terms(settings, None)
    registry = cached_registry(settings.people_paths)
    if not glossary.terms and registry is None:
        return None
    return Terminology(glossary, src, tgt, registry=registry)


def adapt_from_store(db, models_dir: Path, src: str, tgt: str, options: AdaptOptions = AdaptOptions(), *,
                     terminology: Terminology | None = None, style: str | None = None,
                     on_progress: Progress | None = None, log: Callable[[str], None] | None = None) -> AdaptResult:
    """Adapt ``src``→``tgt`` on the approved segments in the store (``db``: a ``store.db.Database``)."""
    with db.session() as session:
        pairs = approved_pairs(session, src, tgt, options.since, options.until)
    return adapt_direction(models_dir, src, tgt, pairs, options, terminology=terminology, style=style,
                           on_progress=on_progress, log=log)


def adapt_unattended(db, settings, src: str, tgt: str, *, since: str | None = None, steps: int = 300,
                     holdout: float = 0.1, learning_rate: float = 5e-5) -> dict:
    """The worker's run (task ``adapt``, queue ``training``): resumes a run a lost worker left,
    else starts one; every outcome is a dict the task returns and logs, never an exception."""
    try:
        margins = Margins.from_env()
        base = AdaptOptions(since=dt.date.fromisoformat(since) if since else None, holdout=holdout, margins=margins,
                            num_beams=settings.num_beams,
                            training=FinetuneSettings(steps=steps, learning_rate=learning_rate,
                                                      threads=max(1, settings.torch_threads or 1)))
        terminology = desk_terminology(settings, src, tgt)
        try:
            result = adapt_from_store(db, settings.models_dir, src, tgt, replace(base, resume=True),
                                      terminology=terminology)
        except (VersionError, FinetuneError) as nothing_to_resume:
            if "resume" not in str(nothing_to_resume):
                raise
            result = adapt_from_store(db, settings.models_dir, src, tgt, base, terminology=terminology)
    except AdaptBusy as busy:
        return {"direction": f"{src}-{tgt}", "busy": str(busy)}
    except (AdaptDataError, FinetuneError, VersionError, ValueError) as error:
        return {"direction": f"{src}-{tgt}", "error": str(error)}
    return result.summary()


def adapt_direction(models_dir: Path, src: str, tgt: str, pairs: list[ApprovedPair],
                    options: AdaptOptions = AdaptOptions(), *, terminology: Terminology | None = None,
                    style: str | None = None, on_progress: Progress | None = None,
                    log: Callable[[str], None] | None = None) -> AdaptResult:
    say = log or (lambda _line: None)
    directory = direction_dir(models_dir, src, tgt)
    with direction_lock(directory):
        parent = current(directory)
        parent_dir = serving_dir(directory)
        if parent_dir is None:
            raise VersionError(f"no local model for {src}→{tgt} in {directory}: adaptation trains a copy of the "
                               f"model there. Copy the direction's model directory to {directory} (e.g. one fetched "
                               "with `gnews-i18n models pull`) and run again")
        learnt = _learnt_articles(directory, parent)
        split = hold_out(pairs, options.holdout, learnt=frozenset(learnt))
        if terminology is not None and style is None:
            style = _pipeline_style(terminology, parent_dir, src, tgt, options.num_beams)
        train = [(p.source, p.target) for p in protect(split.train, terminology, style)]
        held = [(p.source, p.target) for p in protect(split.held_out, terminology, style)]
        replay = read_pairs(parent_dir / REPLAY_FILE)
        general = read_pairs(parent_dir / GENERAL_FILE)
        version = _version_dir(directory, parent, options.resume)
        out = directory / version
        counts = {"train": len(train), "held_out": len(held), "replay": len(replay), "general": len(general),
                  "train_articles": split.articles[0], "held_out_articles": split.articles[1]}
        manifest = Manifest(version, parent, today(), TRAINING, _day(options.since), _day(options.until) or
                            dt.date.today().isoformat(), counts)
        manifest.learnt_articles = sorted(set(learnt) | {p.article for p in split.train})
        out.mkdir(parents=True, exist_ok=True)
        manifest.save(out)
        say(f"{src}→{tgt}: {version} from {parent}, {len(train)} approved pairs ({split.articles[0]} articles) "
            f"to learn, {len(held)} held out ({split.articles[1]} articles), {len(replay)} replay pairs")
        manifest.training = finetune(parent_dir, out, src, tgt, train, options.training, replay=replay,
                                     resume=options.resume, on_progress=on_progress)
        say(f"trained in {manifest.training['seconds']:.0f} s; scoring the old and the new model")
        beams, threads = options.num_beams, options.training.threads
        held_cmp = compare("held-out approved", held, parent_dir, out, src, tgt, num_beams=beams, threads=threads,
                           examples=options.examples)
        general_cmp = compare("general", general, parent_dir, out, src, tgt, num_beams=beams, threads=threads,
                              examples=options.examples) if general else None
        decision = decide(held_cmp, general_cmp, options.margins)
        manifest.scores = {"held_out": held_cmp.as_dict() | {"examples": None},
                           "general": general_cmp.as_dict() | {"examples": None} if general_cmp else None}
        manifest.reason = decision.reason
        manifest.status = "candidate"
        manifest.save(out)
        _write_report(out, manifest, held_cmp, general_cmp, decision)
        if decision.promote:
            promote(directory, version)
            rebuild_ct2(directory, version, parent)
        say(("promoted: " if decision.promote else "kept as a candidate: ") + decision.reason)
        return AdaptResult(src, tgt, version, parent, decision.promote, decision.reason, out, held_cmp, general_cmp,
                           counts, manifest.training)


def _learnt_articles(directory: Path, parent: str) -> list[str]:
    """The articles the serving version (and the versions it came from) learnt; none for the base."""
    if parent == BASE or not (directory / parent / "manifest.json").exists():
        return []
    return Manifest.load(directory / parent).learnt_articles


def _pipeline_style(terminology: Terminology, model: Path, src: str, tgt: str, num_beams: int) -> str:
    """The placeholder style the pipeline uses with this model (its probe, as ``pipeline`` asks it)."""
    if terminology.style != AUTO:
        return terminology.style
    engine = open_engine(str(model), src, tgt, DecodingSettings(num_beams=num_beams), backend="transformers",
                         retry=False)
    return style_for(engine, src, tgt).style


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _version_dir(directory: Path, parent: str, resume: bool) -> str:
    """A new ``vN``, or with ``resume`` the newest version a stopped run left in training."""
    if resume:
        stopped = [p.name for p in directory.iterdir() if version_number(p.name) and (p / "manifest.json").exists()
                   and Manifest.load(p).status == TRAINING]
        if not stopped:
            raise VersionError(f"no stopped adaptation to resume in {directory}; run without --resume")
        name = max(stopped, key=version_number)
        if Manifest.load(directory / name).parent != parent:
            raise VersionError(f"{name} was started from {Manifest.load(directory / name).parent}, but {parent} "
                               "serves the direction now; run without --resume to start over")
        return name
    for stale in directory.iterdir():  # a stopped run that will not be resumed: its half-trained copy goes
        if version_number(stale.name) and (stale / "manifest.json").exists() and \
                Manifest.load(stale).status == TRAINING:
            shutil.rmtree(stale)
    return next_version(directory)


def rebuild_ct2(directory: Path, version: str, parent: str) -> Path | None:
    """Convert a promoted version for CTranslate2 where the model it replaces had a conversion,
    in the same precision (read from the size of the converted weights against the originals)."""
    old = model_dir(directory, parent)
    new = model_dir(directory, version)
    if converted_dir(old) is None or converted_dir(new) is not None:
        return None
    return convert(new, quantization=_quantization(old), force=True)


def _quantization(model: Path) -> str | None:
    weights = sum(f.stat().st_size for f in model.glob("*.safetensors")) or \
        sum(f.stat().st_size for f in model.glob("pytorch_model*.bin"))
    converted = (model / CT2_SUBDIR / "model.bin").stat().st_size
    if not weights:
        return "int8"
    ratio = converted / weights
    return None if ratio > 0.75 else "float16" if ratio > 0.4 else "int8"  # None: float32, as saved


def _write_report(out: Path, manifest: Manifest, held: Comparison, general: Comparison | None,
                  decision: Decision) -> None:
    lines = [f"# {out.parent.name} {manifest.version} (from {manifest.parent})", "",
             f"**{'Promoted' if decision.promote else 'Kept as a candidate'}**: {decision.reason}", "",
             f"Data: approvals {manifest.since or 'from the start'} to {manifest.until}; "
             + ", ".join(f"{k} {v}" for k, v in manifest.counts.items()), "",
             "| set | sentences | chrF old | chrF new | change | TER old | TER new | edit rate old | edit rate new |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for comparison in (held, general):
        if comparison is not None:
            o, n = comparison.old, comparison.new
            lines.append(f"| {comparison.name} | {n.sentences} | {o.chrf:.2f} | {n.chrf:.2f} | "
                         f"{comparison.chrf_change:+.2f} | {o.ter:.2f} | {n.ter:.2f} | {o.edit_rate:.3f} | "
                         f"{n.edit_rate:.3f} |")
    for comparison in (held, general):
        if comparison is not None and comparison.examples:
            lines += ["", f"## Sentences that changed ({comparison.name})", ""]
            for example in comparison.examples:
                lines += [f"- source: {example['source']}", f"  - approved: {example['reference']}",
                          f"  - old: {example['old']}", f"  - new: {example['new']}"]
    (out / REPORT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = {"version": manifest.version, "parent": manifest.parent, "promoted": decision.promote,
              "reason": decision.reason, "held_out": held.as_dict(), "general": general.as_dict() if general else None}
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


__all__ = ["BASE", "AdaptBusy", "AdaptOptions", "AdaptResult", "Split", "adapt_direction", "adapt_from_store",
           "adapt_unattended", "desk_terminology", "direction_lock", "rebuild_ct2", "translate_all"]
