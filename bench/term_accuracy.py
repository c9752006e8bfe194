"""Term accuracy: does every glossary term come out in its approved form, with agreeing particles?

Builds test sentences from a glossary (any CSV in the documented format): each term with
a Korean and an English form goes into several Korean particle contexts (ko→en) and
English contexts (en→ko). Then:

* term accuracy: the sentences go through a real model (by default a random-weights test
  model, which translates nothing: the worst case) with the glossary applied; a term
  counts when its approved target form is in the output;
* particle agreement: for en→ko, the model's output is taken to put each placeholder
  before a particle in the form that does *not* agree (what a model does that sees
  "TRM47" instead of a word); a term counts when the restored particle agrees.

Then a generated dated registry (``dated_registry``: >= 200 people with 1-3 posts, >= 50
renamed institutions) and articles dated across its ranges, through the same model:

* form for the date: each mention of the person and the institution is in the form valid
  on the article's date (no other period's form);
* first-mention rule: the title and lead have the full forms (with the abbreviation in
  parentheses), later sentences the later forms, and not the full ones;
* QA: correct articles in the target language, then the same with a title from another of
  the person's posts and with the institution's name from another period: every injected
  error found (``title_date``, ``term_outdated``), no such flag on the correct text.

With ``--without-ids`` the dated part runs again on the same glossary with the id column
left empty (rows sharing a form and carrying dates are then the periods of one concept).

Targets: 100% everywhere, 0 false alarms.
Run: python bench/term_accuracy.py [--glossary FILE] [--model-ko-en DIR] [--model-en-ko DIR] [--articles N]
     [--without-ids]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import dated_registry

from gnews_i18n.mt import DecodingSettings, open_engine
from gnews_i18n.pipeline import SegmentDraft, translate_segments
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.terms import Terminology, load_glossaries
from gnews_i18n.terms.files import glossary_files
from gnews_i18n.terms.korean import PAIRS, agree
from gnews_i18n.terms.periods import as_of

ROOT = Path(__file__).resolve().parents[1]
KO_CONTEXTS = ["{t}{을} 방문했다.", "{t}{이} 발표했다.", "{t}{은} 협력을 약속했다.", "{t}{와} 협약을 맺었다.",
               "대표단은 {t}{으로} 향했다.", "회의는 {t}에서 열렸다.", "{t}의 관계자가 참석했다."]
EN_CONTEXTS = ["The delegation visited {t}.", "{t} announced the plan on Tuesday.",
               "Officials met {t} to discuss cooperation.", "A report from {t} was presented."]
# en→ko particle contexts: (placeholder followed by the particle in its *wrong* form)
KO_PARTICLES = ["을", "이", "은", "와", "으로", "이에요", "이다"]


def ko_sentence(template: str, term: str, reading: str | None) -> str:
    def fill(match: re.Match) -> str:
        return agree(term, match.group(1), reading)

    return re.sub(r"\{(을|이|은|와|으로)\}", fill, template.replace("{t}", term))


def term_accuracy(glossary, src: str, tgt: str, model: str) -> tuple[int, int, float]:
    terminology = Terminology(glossary, src, tgt)
    drafts = []
    for term in terminology.terms:
        for template in (KO_CONTEXTS if src == "ko" else EN_CONTEXTS):
            source = ko_sentence(template, term.forms["ko"], term.ko_reading or None) if src == "ko" else \
                template.replace("{t}", term.forms["en"])
            drafts.append((term, SegmentDraft(0, len(drafts), source)))
    translator = open_engine(model, src, tgt, DecodingSettings(num_beams=1))
    started = time.perf_counter()
    translate_segments([d for _, d in drafts], translator, terminology=terminology)
    seconds = time.perf_counter() - started
    hits = sum(1 for term, draft in drafts if term.form(tgt) in draft.machine_text)
    return hits, len(drafts), seconds


def particle_agreement(glossary) -> tuple[int, int, list[str]]:
    terminology = Terminology(glossary, "en", "ko")
    good, total, failures = 0, 0, []
    for term in terminology.terms:
        source = f"The delegation visited {term.forms['en']}."
        for particle in KO_PARTICLES:
            prepared = terminology.prepare(source)
            slot = next(s for s in prepared.protected.slots if s.match.term is term)
            form = term.form("ko")
            right = agree(form, particle, term.ko_reading or None)
            pair = next(p for p in PAIRS if particle in p)
            wrong = pair[1] if right == pair[0] else pair[0]
            model_output = f"대표단은 {slot.token}{wrong} 방문했다."
            text, _, _ = terminology.finish(model_output, prepared)
            total += 1
            if f"{form}{right} " in text:
                good += 1
            else:
                failures.append(f"{form}+{particle}: {text}")
    return good, total, failures


def dated_accuracy(data, articles, src: str, tgt: str, model: str) -> tuple[int, int, int, int]:
    """(mentions in the date's form, mentions, mentions following the first-mention rule, mentions)."""
    terminology = Terminology(data.glossary, src, tgt, registry=data.registry)
    drafts = []
    for number, article in enumerate(articles, 1):
        for index, sentence in enumerate(dated_registry.source_sentences(article, data, src)):
            drafts.append(SegmentDraft(index - 1, 0, sentence, article_date=article.day, article=number))
    translate_segments(drafts, open_engine(model, src, tgt, DecodingSettings(num_beams=1)), terminology=terminology)
    dated = first_rule = total = 0
    for number, article in enumerate(articles):
        texts = [d.machine_text for d in drafts[number * 4:number * 4 + 4]]
        for what, (first, later, others) in dated_registry.expected_forms(article, data, tgt).items():
            for order, index in enumerate(dated_registry.MENTIONS[what]):
                text, wanted = texts[index], first if order == 0 else later
                total += 1
                rest = text.replace(first, "").replace(later, "")  # an old name may lie inside the new one
                dated += (first in text or later in text) and not any(o in rest for o in others)
                first_rule += wanted in text and (order == 0 or first == later or first not in text)
    return dated, total, first_rule, total


def dated_qa(data, articles, src: str, tgt: str) -> tuple[list[int], list[int], int, int]:
    """([found, injected] wrong-date titles, [found, injected] old names, false alarms, correct sentences)."""
    terminology = Terminology(data.glossary, src, tgt, registry=data.registry)
    ids = {"title_date", "term_outdated", "abbr_first", "short_first", "abbr_not_introduced"}
    titles, names, false_alarms, sentences = [0, 0], [0, 0], 0, 0
    for article in articles:
        sources = dated_registry.source_sentences(article, data, src)
        targets = dated_registry.source_sentences(article, data, tgt)
        forms = dated_registry.expected_forms(article, data, tgt)

        def flags(index: int, target: str, article=article, sources=sources, targets=targets) -> set[str]:
            context = QAContext(article.day, "human", " ".join(sources[:index]), " ".join(targets[:index]))
            return {f["id"] for f in check_pair(sources[index], target, src, tgt, terminology, context)}
        for index, target in enumerate(targets):
            sentences += 1
            false_alarms += len(flags(index, target) & ids)
        person_first, _, wrong_posts = forms["person"]
        if article.titled_first and wrong_posts and person_first in targets[1]:
            titles[1] += 1
            titles[0] += "title_date" in flags(1, targets[1].replace(person_first, wrong_posts[0]))
        institution = forms["institution"]
        current = institution[1] if institution[1] in targets[3] else institution[0]
        if institution[2] and current in targets[3]:
            names[1] += 1
            names[0] += "term_outdated" in flags(3, targets[3].replace(current, institution[2][0]))
    return titles, names, false_alarms, sentences


def report_dated(models: dict, count: int, ids: bool = True) -> None:
    import random

    data = dated_registry.build(ids=ids)
    articles = dated_registry.articles(data, random.Random(7), count)
    days = sorted(a.day for a in articles)
    people = len(data.registry.people)
    if not ids:
        linked = sum(1 for t in as_of(data.glossary, None).terms if t.periods)
        print(f"glossary without ids: the same {data.renamed} renamed institutions, {linked} linked as periods by "
              f"a shared form ({data.renamed - linked} renamed in both languages: two concepts, nothing links them)")
    print(f"dated registry: {people} people ({sum(len(p.posts) for p in data.registry.people)} posts, "
          f"{sum(1 for p in data.registry.people if len(p.posts) > 1)} with several), {data.renamed} renamed "
          f"institutions; {len(articles)} articles dated {days[0]} to {days[-1]}")
    for (src, tgt), model in models.items():
        dated, total, first_rule, _ = dated_accuracy(data, articles, src, tgt, model)
        print(f"form for the article's date {src}→{tgt}: {dated}/{total} = {dated / max(1, total):.1%}")
        print(f"first-mention rule {src}→{tgt}: {first_rule}/{total} = {first_rule / max(1, total):.1%}")
        titles, names, false_alarms, sentences = dated_qa(data, articles, src, tgt)
        print(f"QA wrong-date titles found {src}→{tgt}: {titles[0]}/{titles[1]} = {titles[0] / max(1, titles[1]):.1%}")
        print(f"QA old names found {src}→{tgt}: {names[0]}/{names[1]} = {names[0] / max(1, names[1]):.1%}")
        print(f"QA false alarms on correct text {src}→{tgt}: {false_alarms} in {sentences} sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--glossary", type=Path, action="append",
                        help="glossary CSV/TBX (repeat); default: glossaries/*.csv")
    parser.add_argument("--model-ko-en", help="model for ko→en (default: a random-weights test model)")
    parser.add_argument("--model-en-ko", help="model for en→ko (default: a random-weights test model)")
    parser.add_argument("--articles", type=int, default=120, help="dated articles to generate (default 120)")
    parser.add_argument("--without-ids", action="store_true",
                        help="then the dated part again on the same glossary without its id column's values")
    args = parser.parse_args()
    glossary = load_glossaries(args.glossary or glossary_files(ROOT / "glossaries"))
    usable = [t for t in glossary.terms if t.forms.get("ko") and t.forms.get("en")]
    print(f"glossary: {len(glossary.terms)} terms, {len(usable)} with Korean and English forms")

    with tempfile.TemporaryDirectory() as scratch:
        models = {}
        for src, tgt, given in (("ko", "en", args.model_ko_en), ("en", "ko", args.model_en_ko)):
            if given:
                models[(src, tgt)] = given
            else:
                from gnews_i18n.devmodels.testmodel import build_test_model

                models[(src, tgt)] = str(build_test_model(Path(scratch) / f"{src}-{tgt}", src, tgt))
        for (src, tgt), model in models.items():
            hits, total, seconds = term_accuracy(glossary, src, tgt, model)
            print(f"term accuracy {src}→{tgt}: {hits}/{total} = {hits / max(1, total):.1%}  "
                  f"({total / seconds:.0f} sentences/s, model {model})")
        report_dated(models, args.articles)
        if args.without_ids:
            report_dated(models, args.articles, ids=False)
    good, total, failures = particle_agreement(glossary)
    print(f"particle agreement en→ko (the model's particle always wrong): {good}/{total} = "
          f"{good / max(1, total):.1%}")
    for failure in failures[:10]:
        print(f"  disagrees: {failure}")
    print("targets: 100% / 100%")


if __name__ == "__main__":
    main()
