"""TBX export for terminology and CAT tools: TBX-Basic 2008 (``<martif>``) or TBX v3 (ISO 30042:2019).

Most CAT tools and Translate Toolkit read the 2008 dialect (``termEntry/langSet/tig``),
so it is the default; v3 (``conceptEntry/langSec/termSec``, DCA style) on request.
Each form of a concept is a term whose ``administrativeStatus`` says preferred (the
approved form), admitted (a variant) or deprecated (forbidden). The desk's own fields
that TBX-Basic has no place for (the type beside a subject field, a Korean reading,
case sensitivity) travel as ``<note>gnews-…: value</note>``, which every tool keeps.

Dates: TBX-Basic has no data category for when a term is valid (``<date>`` belongs to
``transacGrp``, the record of who changed an entry when), so a dated concept's range
travels as ``<note>gnews-valid-from: 2023-07-01</note>`` and ``gnews-valid-to`` on the
``termEntry``; ``tbx_read`` also accepts ``<descrip>``/``<admin>`` typed ``validFrom``/
``validTo`` from other tools. An abbreviation or short form is a term of its own with
the standard ``<termNote type="termType">abbreviation</termNote>`` (or ``shortForm``).
Reading is in ``tbx_read``.
"""

from __future__ import annotations

from gnews_i18n.formats.tbx import DIALECTS, TbxConcept, TbxField, TbxLanguage, TbxTerm, write_tbx_file
from gnews_i18n.terms.glossary import Glossary, Term

PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
FORMATS = tuple(DIALECTS)
# Notes that carry the desk's own fields (read back by tbx_read).
NOTE_TYPE, NOTE_READING, NOTE_CASE = "gnews-type", "gnews-ko-reading", "gnews-case-sensitive"
NOTE_FROM, NOTE_TO = "gnews-valid-from", "gnews-valid-to"
ABBREVIATION, SHORT_FORM = "abbreviation", "shortForm"


def write_tbx(glossary: Glossary, source_lang: str = "ko", fmt: str = "tbx2008") -> str:
    """The glossary as TBX-Basic: ``fmt`` is ``tbx2008`` (``<martif>``) or ``tbx3`` (``<tbx>``)."""
    if fmt not in DIALECTS:
        raise ValueError(f"TBX format {fmt!r}: use one of {', '.join(FORMATS)}")
    concepts = [_concept(term, term.id or f"c{index}", source_lang) for index, term in enumerate(glossary.terms, 1)]
    return write_tbx_file(concepts, source_lang, fmt)


def _concept(term: Term, concept_id: str, source_lang: str) -> TbxConcept:
    fields = [TbxField("descrip", "subjectField", term.subject or term.type)]
    if term.definition:
        fields.append(TbxField("descrip", "definition", term.definition))
    if term.do_not_translate:
        fields.append(TbxField("descrip", "Translation needed", "no"))
    notes = [line.strip() for line in term.note.splitlines() if line.strip()]
    if term.subject:
        notes.append(f"{NOTE_TYPE}: {term.type}")
    if term.ko_reading:
        notes.append(f"{NOTE_READING}: {term.ko_reading}")
    if term.case_sensitive:
        notes.append(f"{NOTE_CASE}: yes")
    notes += [f"{label}: {day.isoformat()}" for label, day in ((NOTE_FROM, term.valid_from), (NOTE_TO, term.valid_to))
              if day]
    fields += [TbxField("note", "", note) for note in notes]
    concept = TbxConcept(concept_id, fields)
    languages = set(term.forms) | set(term.variants) | set(term.forbidden) | set(term.abbreviations) | \
        set(term.short_forms)
    for lang in sorted(languages, key=lambda code: (code != source_lang, code)):
        forms = [(term.forms.get(lang), PREFERRED, "")] + [(v, ADMITTED, "") for v in term.variants.get(lang, [])]
        forms += [(term.abbreviations.get(lang), ADMITTED, ABBREVIATION), (term.short_forms.get(lang), ADMITTED,
                                                                            SHORT_FORM)]
        forms += [(f, DEPRECATED, "") for f in term.forbidden.get(lang, [])]
        terms = []
        for form, status, kind in forms:
            if not form:
                continue
            notes_of_term = [TbxField("termNote", "partOfSpeech", term.pos)] if term.pos else []
            notes_of_term += [TbxField("termNote", "termType", kind)] if kind else []
            terms.append(TbxTerm(form, [*notes_of_term, TbxField("termNote", "administrativeStatus", status)]))
        if terms:
            concept.languages.append(TbxLanguage(lang, terms))
    return concept
