"""Data confidence: counts per domain and overall that add up, shown in the PDF and the export."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import AnswerState
from app.reports import texts
from app.reports.build import build_report
from app.reports.pdf import write_pdf
from app.reports.tidy import domains_table
from tests.unit.test_report_samples import (
    a,
    make_snapshot,
    pdf_text,
    rich_snapshot,
    sample_questionnaire,
    squeeze,
)


def test_rich_sample_counts() -> None:
    data = build_report(rich_snapshot(), "en")
    whole = data.confidence[-1]
    assert whole.domain_id == "" and len(data.confidence) == len(data.domains) + 1
    # QA-02: Ana partial, Luis no, nobody settled it; PATH-05: coordinator, contributors agreed.
    assert (whole.disagreements, whole.settled, whole.unresolved) == (1, 0, 1)
    assert whole.not_measured == 1 and whole.dont_know == 1  # BIO-02, DATA-02
    assert whole.evidence_data == 1  # PATH-05, set by the coordinator from the register
    documents = sum(1 for r in data.answers if r.evidence_code == "document")
    assert whole.evidence_document == documents  # the city answer's evidence counts
    path = next(c for c in data.confidence if c.domain_id == "PATH")
    assert path.asked == 5  # PATH-03 is computed: nobody answers it


STATES = st.sampled_from(["yes", "partial", "no", "dont_know", "not_measured", None])
EVIDENCE = st.sampled_from([None, "document", "audit", "register", "observation", "estimate"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(STATES, STATES, EVIDENCE), min_size=6, max_size=6))
def test_counts_add_up_per_domain_and_overall(answers: list[tuple[object, ...]]) -> None:
    q = sample_questionnaire()
    ids = ["GOV-01", "PATH-04", "QA-02", "QA-03", "DATA-01", "GOV-02"][: len(answers)]
    people: dict[str, dict[str, object]] = {"Ana": {}, "Luis": {}}
    for indicator_id, (first, second, evidence) in zip(ids, answers, strict=True):
        for name, given_value in (("Ana", first), ("Luis", second)):
            if given_value in ("dont_know", "not_measured"):
                people[name][indicator_id] = a(None, AnswerState(given_value), evidence=evidence)
            elif given_value is not None:
                people[name][indicator_id] = a(given_value, evidence=evidence)
    data = build_report(make_snapshot(q, people), "en")  # type: ignore[arg-type]
    *domains, whole = data.confidence
    for c in data.confidence:
        states = c.answered + c.dont_know + c.not_measured + c.not_applicable + c.unanswered
        assert states == c.asked
        evidence = c.evidence_document + c.evidence_data + c.evidence_estimate + c.evidence_none
        assert evidence == c.answered
        assert c.settled + c.unresolved <= c.disagreements
    for field in ("asked", "answered", "dont_know", "disagreements", "unresolved"):
        assert getattr(whole, field) == sum(getattr(c, field) for c in domains), field
    unresolved = sum(1 for r in data.answers if r.how_set_code == "disagreement")
    assert whole.unresolved == unresolved


def test_pdf_and_domains_table_carry_the_summary(tmp_path: Path) -> None:
    data = build_report(rich_snapshot(), "es")
    flat = squeeze(pdf_text(write_pdf(data, tmp_path / "r.pdf")))
    assert squeeze(texts.text("confidence", "es")) in flat
    whole = data.confidence[-1]
    sentence = texts.plural("disagreements_sentence", whole.disagreements, "es")
    assert squeeze(sentence.format(n=1, settled=0, unresolved=1)) in flat
    table = domains_table(data)
    col = {c: i for i, c in enumerate(table.columns)}
    assert sum(r[col["n_unresolved"]] for r in table.rows) == whole.unresolved  # type: ignore[misc]


def test_plural_forms_follow_the_count() -> None:
    assert texts.plural("disagreements_sentence", 1, "en").startswith("{n} question had")
    assert texts.plural("disagreements_sentence", 2, "en").startswith("{n} questions had")
    assert texts.plural("disagreements_sentence", 0, "fr").startswith("{n} question a")
