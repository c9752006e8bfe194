"""What a direction's reviewers taught: approved (source, target) pairs, held out by article.

Approved text is the segments of translations a reviewer approved (approved, published or
outdated since), as the translation memory and the effort report read them. Pairs are
kept once (the first article that holds a pair owns it), so a sentence never sits on both
sides of the held-out split; the split takes whole articles, never single sentences.

With a terminology, each pair is protected the way the pipeline protects a sentence before
MT (``terms.Terminology.prepare``): the model learns to carry the placeholder it will meet,
and the approved form in the target stands as the same placeholder. A pair whose approved
target lacks a term's approved form is kept as written (the reviewer chose otherwise).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, ArticleRevision, Segment, Translation
from gnews_i18n.terms import Terminology

MIN_HOLDOUT = 0.1  # below this the held-out score is too noisy to decide a promotion
_APPROVED = (TranslationState.APPROVED, TranslationState.PUBLISHED, TranslationState.OUTDATED)
_UNPROTECTED_STYLES = ("align", "form")  # the source keeps the term, or already holds its target form


class AdaptDataError(ValueError):
    """Too little or unusable approved text; the message says what is missing."""


@dataclass(frozen=True)
class ApprovedPair:
    article: str  # the article's id (as text: pairs may come from files too)
    source: str
    target: str  # the reviewer's approved text
    machine: str = ""  # the draft the reviewer started from ("" when unknown)
    approved_at: dt.datetime | None = None


@dataclass(frozen=True)
class Split:
    train: list[ApprovedPair]
    held_out: list[ApprovedPair]

    @property
    def articles(self) -> tuple[int, int]:
        return len({p.article for p in self.train}), len({p.article for p in self.held_out})


def approved_pairs(session: Session, src: str, tgt: str, since: dt.date | None = None,
                   until: dt.date | None = None) -> list[ApprovedPair]:
    """Every approved pair of the direction (approved on or after ``since``, before ``until``)."""
    query = (select(Segment, Translation.revision_id, Article.id, Translation.approved_at)
             .join(Translation, Segment.translation_id == Translation.id)
             .join(ArticleRevision, Translation.revision_id == ArticleRevision.id)
             .join(Article, ArticleRevision.article_id == Article.id)
             .where(Article.source_lang == src, Translation.target_lang == tgt,
                    Translation.state.in_(_APPROVED), Translation.approved_at.is_not(None))
             .order_by(Translation.approved_at, Translation.id, Segment.block_index, Segment.sentence_index))
    if since is not None:
        query = query.where(Translation.approved_at >= dt.datetime.combine(since, dt.time()))
    if until is not None:
        query = query.where(Translation.approved_at < dt.datetime.combine(until, dt.time()))
    pairs: dict[tuple[str, str], ApprovedPair] = {}
    for segment, _revision, article_id, approved_at in session.execute(query):
        source, target = segment.source_text.strip(), segment.text.strip()
        if source and target:
            pairs.setdefault((source, target), ApprovedPair(str(article_id), source, target,
                                                            segment.machine_text, approved_at))
    return list(pairs.values())


def hold_out(pairs: list[ApprovedPair], fraction: float = MIN_HOLDOUT, seed: int = 0,
             learnt: frozenset[str] = frozenset()) -> Split:
    """Whole articles held out until they hold at least ``fraction`` of the pairs; the same
    articles every time for the same pairs (a hash of each article's id orders them). Articles in
    ``learnt`` (those the serving model was adapted on) are never held out: the old model would
    be tested on its own training text."""
    if not MIN_HOLDOUT <= fraction < 1:
        raise AdaptDataError(f"the held-out share must be at least {MIN_HOLDOUT:.0%} and below 100%, "
                             f"not {fraction:.0%}: a smaller slice is too noisy to decide a promotion")
    articles: dict[str, list[ApprovedPair]] = {}
    for pair in pairs:
        articles.setdefault(pair.article, []).append(pair)
    if len(articles) < 2:
        raise AdaptDataError(f"{len(pairs)} approved segments from {len(articles)} article(s): adaptation needs "
                             "approved translations of at least two articles (one is held out to test on)")
    unseen = sorted((a for a in articles if a not in learnt), key=lambda a: (zlib.crc32(f"{seed}:{a}".encode()), a))
    if not unseen:
        raise AdaptDataError(f"the model that serves now was adapted on all {len(articles)} approved articles of "
                             "the window: none is left to test a new version fairly. Wait for new approvals, "
                             "or widen the window (--since)")
    wanted = fraction * len(pairs)
    held: list[ApprovedPair] = []
    chosen: set[str] = set()
    for article in unseen:
        if len(held) >= wanted or len(chosen) == len(articles) - 1:
            break
        held += articles[article]
        chosen.add(article)
    train = [p for p in pairs if p.article not in chosen]
    return Split(train, [p for p in pairs if p.article in chosen])


def protect(pairs: list[ApprovedPair], terminology: Terminology | None,
            style: str | None = "name") -> list[ApprovedPair]:
    """The pairs as the model sees them in the pipeline: glossary terms, officials and inline tags
    in placeholders on both sides (see the module's docstring)."""
    if terminology is None or style is None or style in _UNPROTECTED_STYLES:
        return list(pairs)
    protected = []
    previous = None
    for pair in pairs:
        if pair.article != previous:
            terminology.start_article()
            previous = pair.article
        prepared = terminology.prepare(pair.source, style).protected
        target = pair.target
        for slot in prepared.slots:
            form = slot.match.term.form(terminology.tgt) or ""
            placeholder = slot.name or slot.token
            if not form or form not in target:
                break
            target = target.replace(form, placeholder, 1)
        else:
            protected.append(replace(pair, source=prepared.text, target=target))
            continue
        protected.append(pair)
    return protected
