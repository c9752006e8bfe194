"""``translate`` and ``qa``: filters over standard input, with no queue and no database."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from gnews_i18n.cli.common import fail, language
from gnews_i18n.config import load_settings
from gnews_i18n.flags import ORIGINS, parse_date
from gnews_i18n.mt import ModelNotAvailable, get_translator
from gnews_i18n.pipeline import SegmentDraft, translate_segments
from gnews_i18n.qa import QAContext, check_pair, has_errors
from gnews_i18n.qa.policy import PolicyError
from gnews_i18n.terms import GlossaryError, Terminology
from gnews_i18n.terms.files import active_terminology

app = typer.Typer()


@app.command()
def translate(
    src: str = typer.Option(..., "--src", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    model: str = typer.Option(None, "--model", help="Model directory or hub id (else GNEWS_MODEL_SRC_TGT)."),
    glossary: list[Path] = typer.Option(None, "--glossary", help="Glossary file(s) over the active ones; repeat."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line: text, term hits, flags."),
    date: str = typer.Option(None, "--date", help="The article's date, YYYY-MM-DD: terms and officials' titles "
                             "in the forms valid then (default: today's forms)."),
) -> None:
    """Translate standard input line by line to standard output (no queue, no database).

    Glossary terms come out in their approved form; with --json each line also lists
    the terms found, how they were placed, and flags (missing terms, suggested names).
    Standard error names the glossary and people files used and where each came from;
    files named with --glossary (or GNEWS_GLOSSARIES, GNEWS_PEOPLE) win over files found
    in the glossary directory.
    """
    # deferred: the MT stack (torch, transformers) takes seconds to import

    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if model:
        os.environ[f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"] = model
    settings = load_settings()
    try:
        day = parse_date(date) if date else None
    except ValueError as error:
        fail(f"--date: {error}")
    try:
        active = active_terminology(settings, list(glossary or []))
        for line in active.used:  # standard error: the output stays the translation alone
            print(line, file=sys.stderr)
        translator = get_translator(settings, src, tgt)
    except (ModelNotAvailable, GlossaryError) as error:
        fail(str(error))
    lines = sys.stdin.read().splitlines()
    drafts = [SegmentDraft(0, i, line, article_date=day) for i, line in enumerate(lines) if line.strip()]
    translate_segments(drafts, translator, terminology=Terminology(active.glossary, src, tgt,
                                                                   registry=active.registry))
    by_line = {d.sentence_index: d for d in drafts}
    for index, line in enumerate(lines):
        draft = by_line.get(index)
        if as_json:
            print(json.dumps({"source": line, "text": draft.machine_text if draft else "",
                              "terms": draft.terms if draft else [], "flags": draft.flags if draft else [],
                              "provenance": draft.provenance if draft else {}}, ensure_ascii=False))
        else:
            print(draft.machine_text if draft else "")


@app.command()
def qa(
    src: str = typer.Option(..., "--src", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    glossary: list[Path] = typer.Option(None, "--glossary", help="Also check glossary terms (active ones if omitted "
                                        "and some are configured)."),
    date: str = typer.Option(None, "--date", help="The article's date, YYYY-MM-DD: a month or year the "
                             "translation completes from it (19일 → March 19) is then not an addition."),
    origin: str = typer.Option("human", "--origin", help="Who wrote the targets: human (a missing glossary term "
                               "is a warning) or machine (an error)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Check bilingual text: reads source<TAB>target lines on stdin, prints the flags of each pair.

    The lines are taken as one article in order, so a term named in full on an earlier line
    may be shortened later. Exit status 1 when any pair has an error flag, so it can gate a script.
    """
    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if origin not in ORIGINS:
        fail(f"--origin {origin!r}: use one of {', '.join(ORIGINS)}")
    try:
        article_date = parse_date(date) if date else None
    except ValueError as error:
        fail(f"--date: {error}")
    settings = load_settings()
    try:
        active = active_terminology(settings, list(glossary or []))
    except GlossaryError as error:
        fail(str(error))
    terminology = Terminology(active.glossary, src, tgt, registry=active.registry) \
        if settings.glossary_paths or glossary else None
    any_errors = False
    sources: list[str] = []
    targets: list[str] = []
    for number, line in enumerate(sys.stdin.read().splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            fail(f"line {number}: expected source<TAB>target")
        source, target = line.split("\t", 1)
        context = QAContext(article_date, origin, " ".join(sources), " ".join(targets))
        try:
            flags = check_pair(source, target, src, tgt, terminology, context)
        except PolicyError as error:
            fail(str(error))
        sources.append(source)
        targets.append(target)
        any_errors |= has_errors(flags)
        if as_json:
            print(json.dumps({"line": number, "source": source, "target": target, "flags": flags},
                             ensure_ascii=False))
        else:
            _print_flags(number, flags)
    if any_errors:
        raise typer.Exit(1)


def _print_flags(number: int, flags: list[dict]) -> None:
    for item in flags:
        fix = f" [fix: {item['fix']['find']} → {item['fix']['replace']}]" if item.get("fix") else ""
        print(f"{number}: {item['severity']}: {item['id']}: {item['message']}{fix}")
