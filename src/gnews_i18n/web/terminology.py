"""The desk's terminology pages: the glossary and the people registry. Everyone reads them (as of a
day); admins add a concept, a person or a post, checked like the files and recorded in the history."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from gnews_i18n.auth import allowed
from gnews_i18n.auth.requests import database
from gnews_i18n.config import load_settings
from gnews_i18n.flags import parse_date
from gnews_i18n.terms.editing import add_concept, add_post, history, people_on, record
from gnews_i18n.terms.files import cached_glossary, cached_registry
from gnews_i18n.terms.glossary import TERM_TYPES
from gnews_i18n.terms.problems import GlossaryError
from gnews_i18n.web.common import flash, form_actor, page_actor, render

router = APIRouter(include_in_schema=False)


@router.get("/people")
def people_page(request: Request, search: str = "", on: str = "") -> Response:
    actor = page_actor(request)
    registry = cached_registry(load_settings().people_paths)
    try:
        day = parse_date(on) if on else None
    except ValueError as error:
        flash(request, str(error), "error")
        day = None
    people = people_on(registry, search, day)
    with database().session() as session:
        changes = history(session, limit=50)
    return render(request, "people.html", {"people": people, "search": search, "on": on, "history": changes,
                                            "can_edit": allowed(actor, "manage_glossary")})


@router.post("/people")
def add_people_row(request: Request, csrf: str = Form(""), person_id: str = Form(""), name_ko: str = Form(""),
                   name_en: str = Form(""), org_ko: str = Form(""), org_en: str = Form(""), title_ko: str = Form(""),
                   title_en: str = Form(""), title_type: str = Form("officer"), start: str = Form(""),
                   end: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    files = load_settings().people_paths
    if not allowed(actor, "manage_glossary"):
        flash(request, "only admins edit the people registry", "error")
    elif not files:
        flash(request, "no people registry is configured (GNEWS_PEOPLE or glossaries/people.csv)", "error")
    else:
        cells = {"ko": name_ko, "en": name_en, "org_ko": org_ko, "org_en": org_en, "title_ko": title_ko,
                 "title_en": title_en, "from": start, "to": end, **({"title_type": title_type} if title_ko or
                                                                   title_en else {})}
        try:
            row = add_post(files[-1], person_id, cells)
        except GlossaryError as error:
            flash(request, "not added: " + "; ".join(str(p) for p in error.problems), "error")
        else:
            with database().session() as session:
                record(session, "people", files[-1], person_id, "add", row, actor.name)
            flash(request, f"added {person_id} to {files[-1].name}")
    return RedirectResponse("/people", status_code=303)


def _valid_on(term, day) -> bool:
    return day is None or ((term.valid_from is None or term.valid_from <= day)
                           and (term.valid_to is None or day <= term.valid_to))


@router.get("/glossary")
def glossary_page(request: Request, search: str = "", on: str = "") -> Response:
    actor = page_actor(request)
    try:
        day = parse_date(on) if on else None
    except ValueError as error:
        flash(request, str(error), "error")
        day = None
    glossary = cached_glossary(load_settings().glossary_paths)
    terms = [t for t in glossary.terms if _valid_on(t, day)
             and (not search or any(search.casefold() in f.casefold() for f in t.forms.values()))]
    with database().session() as session:
        changes = history(session, kind="glossary", limit=50)
    return render(request, "glossary.html", {"terms": terms[:500], "count": len(terms), "search": search, "on": on,
                                             "types": TERM_TYPES, "history": changes,
                                             "can_edit": allowed(actor, "manage_glossary")})


@router.post("/glossary")
def add_glossary_concept(request: Request, csrf: str = Form(""), concept_id: str = Form(""), type: str = Form("other"),
                         ko: str = Form(""), en: str = Form(""), valid_from: str = Form(""), valid_to: str = Form(""),
                         note: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    forms = {lang: form.strip() for lang, form in (("ko", ko), ("en", en)) if form.strip()}
    if not allowed(actor, "manage_glossary"):
        flash(request, "only admins edit the glossary", "error")
        return RedirectResponse("/glossary", status_code=303)
    extra = {"id": concept_id.strip(), "valid_from": valid_from.strip(), "valid_to": valid_to.strip()}
    try:
        with database().session() as session:
            file = add_concept(session, load_settings().glossary_paths, forms, type, note.strip(), extra, actor.name)
    except GlossaryError as error:
        flash(request, "not added: " + "; ".join(str(p) for p in error.problems), "error")
    except FileNotFoundError as error:
        flash(request, str(error), "error")
    else:
        flash(request, f"added {' ↔ '.join(forms.values())} to {file.name}")
    return RedirectResponse("/glossary", status_code=303)
