"""Terminology: glossary files, term matching in the source, enforcement in the output."""

from gnews_i18n.terms.files import article_terms, cached_glossary, load_glossaries, read_glossary_file
from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem
from gnews_i18n.terms.terminology import Terminology

__all__ = ["Glossary", "GlossaryError", "GlossaryProblem", "Term", "Terminology", "article_terms", "cached_glossary",
           "load_glossaries", "read_glossary_file"]
