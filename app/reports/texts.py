"""The report's own fixed strings (titles, column headers, method text), through gettext.

The English text is written here, marked with `N_` for extraction; es, fr and pt come from the
gettext catalogues of the domain "reports" (`resources/i18n/<lang>/LC_MESSAGES/reports.po`,
compiled to `reports.mo`), the same translation system as the window's strings. After changing a
text here, update the catalogues:

    pybabel extract --no-location --sort-output --omit-header -k N_ -o resources/i18n/reports.pot \
        app/reports/texts.py
    pybabel update --no-fuzzy-matching -D reports -i resources/i18n/reports.pot -d resources/i18n
    (translate the new entries in each reports.po)
    pybabel compile -D reports -d resources/i18n

A test fails while any message lacks a translation or a compiled catalogue is out of date.
Questionnaire content (domain names, questions, actions, level definitions) comes translated from
the definition file. Placeholders use `str.format` names, so a translation may move them around.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import lru_cache

from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.reports.typography import no_break_spaces

DOMAIN = "reports"


def N_(message: str) -> str:  # noqa: N802 - the gettext marker name pybabel looks for
    """Marks `message` for extraction; translated when looked up (see `text`)."""
    return message


# key -> English text (or paragraphs), marked for extraction; translations in the catalogues.
_TEXTS: dict[str, str | tuple[str, ...]] = {
    "report": N_("Readiness report"),
    "document_title": N_("Readiness report: {city} ({period})"),
    "self_assessed": N_("Self-assessed"),
    "self_assessed_note": N_(
        "These results are self-assessed by the city's technical leads. They have not been "
        "verified by an external auditor."
    ),
    "city": N_("City"),
    "country": N_("Country"),
    "period": N_("Period"),
    "questionnaire": N_("Questionnaire"),
    "version": N_("Version"),
    "fingerprint": N_("Fingerprint (SHA-256)"),
    "status": N_("Status"),
    "generated": N_("Date of this report"),
    "assessment_id": N_("Assessment id"),
    "contributors": N_("Contributors"),
    "no_contributors": N_("No contributors recorded."),
    "status_draft": N_("Draft"),
    "status_in_review": N_("In review"),
    "status_final": N_("Final"),
    "not_final_mark": N_("{status}: not final"),
    "page_of": N_("Page {page} of {pages}"),
    "summary": N_("Executive summary"),
    "profile": N_("Domain profile (score 1 to 5)"),
    "levels_by_domain": N_("Level by domain"),
    "overall": N_("Overall"),
    "col_change": N_("Since {period}"),
    "change_since": N_("Previous round ({period}): {previous}. Change: {change}."),
    "change_none": N_("no change"),
    "change_new": N_("not assessed then"),
    "overall_score": N_("Overall score"),
    "overall_note": N_(
        "Weighted mean of the capped domain scores (weights in the method section)."
    ),
    "bottleneck": N_("Bottleneck"),
    "bottleneck_note": N_("The weakest domain: {name} (level {level})."),
    "no_bottleneck": N_("No domain has a level yet."),
    "priorities": N_("Top priority actions"),
    "no_priorities": N_("No actions to list yet."),
    "col_domain": N_("Domain"),
    "col_name": N_("Name"),
    "col_level": N_("Level"),
    "col_level_name": N_("Level name"),
    "col_score": N_("Score"),
    "confidence": N_("Data confidence"),
    "confidence_note": N_(
        "Shares of the questions asked in each domain (computed and not relevant indicators "
        "left out). Evidence: how many answers rest on a document, on data (audit, register, "
        "observation) or on an estimate."
    ),
    "col_answered": N_("Questions answered"),
    "col_not_measured": N_("Not measured"),
    "col_evidence_groups": N_("Document · data · estimate"),
    "col_disagreements": N_("Disagreements"),
    "all_domains": N_("All domains"),
    "disagreements_settled": N_("settled by the coordinator: {settled} · unresolved: {unresolved}"),
    "confidence_sentence_one": N_(
        "Of the {n} question asked, {answered} answered, {dont_know} don't know, "
        "{not_measured} not measured."
    ),
    "confidence_sentence_other": N_(
        "Of the {n} questions asked, {answered} answered, {dont_know} don't know, "
        "{not_measured} not measured."
    ),
    "disagreements_sentence_one": N_(
        "{n} question had differing answers from contributors: {settled} settled by the "
        "coordinator, {unresolved} unresolved (the lowest level counts)."
    ),
    "disagreements_sentence_other": N_(
        "{n} questions had differing answers from contributors: {settled} settled by the "
        "coordinator, {unresolved} unresolved (the lowest level counts)."
    ),
    "no_disagreements": N_("Contributors gave no differing answers."),
    "col_completeness": N_("Completeness"),
    "col_dont_know": N_("Don't know"),
    "col_provisional": N_("Provisional"),
    "col_capped_by": N_("Capped by"),
    "col_uncapped": N_("Score before gates"),
    "col_weight": N_("Weight"),
    "col_indicator": N_("Indicator"),
    "col_id": N_("Id"),
    "col_question": N_("Question"),
    "col_answer": N_("Answer"),
    "col_answer_code": N_("Answer code"),
    "col_answer_label": N_("Answer label"),
    "col_state": N_("State"),
    "col_note": N_("Note"),
    "col_evidence": N_("Evidence"),
    "col_flags": N_("Flags"),
    "col_disagreement": N_("Unresolved disagreement"),
    "col_conflict": N_("Sync conflict"),
    "col_source_of_answer": N_("How the city answer was set"),
    "col_changed_by": N_("Last changed by"),
    "col_changed_at": N_("Last changed (UTC)"),
    "col_rationale": N_("Rationale"),
    "col_step": N_("Step"),
    "col_reason": N_("Reason"),
    "col_current_level": N_("Current level"),
    "col_target_level": N_("Target level"),
    "col_action": N_("Action"),
    "col_when": N_("When (UTC)"),
    "col_who": N_("Who"),
    "col_device": N_("Device"),
    "col_subject": N_("Answer of"),
    "col_from": N_("From"),
    "col_to": N_("To"),
    "col_role": N_("Role"),
    "col_institution": N_("Institution"),
    "col_answers": N_("Answers given"),
    "col_contributor": N_("Contributor"),
    "col_section": N_("Section"),
    "col_type": N_("Type"),
    "col_unit": N_("Unit"),
    "col_range": N_("Allowed range"),
    "col_required": N_("Required"),
    "col_scored": N_("Scored"),
    "col_core": N_("Core"),
    "col_level_by": N_("Level from"),
    "col_options": N_("Options and levels"),
    "col_relevance": N_("Asked when"),
    "col_source": N_("Source"),
    "col_gate": N_("Gate"),
    "col_fires_when": N_("Fires when"),
    "col_caps": N_("Caps"),
    "col_revision": N_("Revision id"),
    "col_definition": N_("Definition"),
    "col_changed": N_("Changed (UTC)"),
    "col_to_confirm": N_("To confirm"),
    "yes": N_("yes"),
    "no": N_("no"),
    "none": N_("—"),
    "level_n": N_("Level {level}"),
    "no_level": N_("No level"),
    "state_answered": N_("Answered"),
    "state_dont_know": N_("Don't know"),
    "state_not_applicable": N_("Not applicable"),
    "state_not_measured": N_("Not measured"),
    "state_unanswered": N_("Not answered yet"),
    "state_not_relevant": N_("Skipped (does not apply here)"),
    "evidence_document": N_("Document"),
    "evidence_audit": N_("Audit"),
    "evidence_register": N_("Register"),
    "evidence_observation": N_("Observation"),
    "evidence_estimate": N_("Estimate"),
    "reason_gate": N_("Gate"),
    "reason_gain": N_("Largest gain"),
    "flag_disagreement": N_("unresolved disagreement"),
    "flag_conflict": N_("sync conflict"),
    "flag_data_gap": N_("data gap"),
    "flag_constraint": N_("fails a consistency check"),
    "flag_to_confirm": N_("to confirm"),
    "how_one": N_("Answered by one contributor: {names}"),
    "how_agreed": N_("All contributors agreed: {names}"),
    "how_coordinator": N_("Set by the coordinator {name} on {when}"),
    "how_coordinator_unnamed": N_("Set by the coordinator on {when}"),
    "how_disagreement": N_(
        "Unresolved disagreement: the lowest level counts, the answer of {names}"
    ),
    "how_disagreement_unnamed": N_("Unresolved disagreement: the lowest level counts"),
    "how_computed": N_("Computed from {ids}"),
    "how_set_one": N_("One contributor"),
    "how_set_agreed": N_("All contributors agreed"),
    "how_set_coordinator": N_("Set by the coordinator"),
    "how_set_disagreement": N_("Unresolved disagreement"),
    "how_set_computed": N_("Computed"),
    "subject_city": N_("City answer"),
    "gate_any": N_("any of {ids} below level {level}"),
    "gate_all": N_("all of {ids} below level {level}"),
    "range_from_to": N_("{low} to {high}"),
    "range_at_least": N_("at least {low}"),
    "range_at_most": N_("at most {high}"),
    "domain_level": N_("Level {level}: {name}"),
    "domain_no_level": N_(
        "No level: insufficient data (fewer than half of this domain's questions have a "
        "known answer)."
    ),
    "domain_score": N_("Score {score} of 5"),
    "domain_score_capped": N_("Score {score} of 5 (capped by a gate; {uncapped} before gates)"),
    "completeness_line": N_(
        "Completeness: {answered} answered, {dont_know} don't know or not measured."
    ),
    "provisional_mark": N_("PROVISIONAL"),
    "provisional_note": N_(
        "Provisional: fewer than 80% of the indicators have a response, or a gate fired "
        "only because one of its questions is unanswered."
    ),
    "capped_note": N_("Capped at level {cap} (the score alone gives level {uncapped}): {message}"),
    "pending_gate_note": N_(
        "Counts as fired until {ids} is answered (an unanswered question is a data gap): {message}"
    ),
    "not_capped": N_("No gate caps this domain."),
    "indicators": N_("Indicators"),
    "path_to_level": N_("Path to level {level}"),
    "path_to_next": N_("Path to the next level"),
    "path_top": N_("This domain is at the highest level."),
    "path_none": N_("Answer the indicators of this domain to see its path to the next level."),
    "data_gaps": N_("Data gaps"),
    "data_gaps_none": N_("No data gaps."),
    "unanswered_list": N_("Not answered yet: {ids}"),
    "method": N_("Method"),
    "method_levels": N_("The five levels"),
    "method_scoring": N_("How levels are computed"),
    "method_text": (
        N_(
            "Each answer maps to a level from 1 to 5 through the questionnaire's own "
            'mapping. Every applicable question counts: "don\'t know", "not measured" and '
            "unanswered questions all count as level 1 and are listed as data gaps, so "
            'skipping a question never scores higher than answering it; only "not '
            'applicable" leaves it out.'
        ),
        N_(
            "A domain's score before gates is the weighted mean of its indicator levels (1.0 "
            "to 5.0). A gate that fires holds both the domain's score and its level at the "
            "gate's cap; the score that counts, shown everywhere, is this capped score, and "
            "the level is it rounded down. The score before gates is shown beside it only "
            "when a gate lowered it."
        ),
        N_(
            "A gate is a critical rule: when its indicators are below a threshold (a data "
            "gap counts as level 1), it caps the domains it names, whatever their score. A "
            "gate that fires because one of its questions is still unanswered marks those "
            "domains provisional."
        ),
        N_(
            "A domain where fewer than half of the applicable questions have a known answer "
            'shows "insufficient data" instead of a level. Completeness is the share of '
            "applicable indicators with a response; a domain below 80% is marked provisional."
        ),
        N_(
            "Indicators that are the same for every city of a country are shown as national "
            "context and do not weigh on the city's levels."
        ),
        N_(
            "Where contributors disagree and no city answer was set, the lowest of their "
            "levels counts and the indicator is marked as an unresolved disagreement."
        ),
        N_(
            "The path to the next level is the fewest indicator steps that together lift the "
            "capped level by one: first the gates that block it, then the steps that add "
            "most to the score. Each step shows its current and target level, the answer to "
            'reach and the score projected once it is done; a data gap gets "measure it" as '
            "its action."
        ),
        N_(
            "The overall score is the weighted mean of the capped domain scores, withheld "
            "while any domain has insufficient data; it lies less than one level above the "
            "weighted mean of the displayed levels. The bottleneck is the domain with the "
            "lowest level."
        ),
    ),
    "method_gates": N_("Gates"),
    "method_no_gates": N_("This questionnaire has no gates."),
    "method_weights": N_("Domain weights"),
    "product_judgement": N_("product judgement"),
    "method_judgement": N_("Thresholds set by judgement"),
    "judgement_note": N_(
        'Thresholds whose source ends with "(product judgement)" are this product\'s own '
        "judgement where published benchmarks are missing or could not be verified; read them "
        "as reasonable targets, not as standards."
    ),
    "fonts_note": N_(
        "Characters that the report's font cannot draw (some scripts and symbols) appear as "
        "boxes in this PDF; the Excel export keeps every text exactly."
    ),
    "appendix": N_("Appendix: every answer"),
    "appendix_intro": N_(
        "Every indicator with the city answer, its note and evidence, and each contributor's "
        "own answer. Unresolved disagreements and sync conflicts are marked."
    ),
    "city_answer": N_("City answer"),
    "contributor_answers": N_("Contributors' answers"),
    "no_contributor_answers": N_("No contributor has answered."),
    "truncated_pdf": N_("(truncated, {n} characters; full text in the appendix)"),
    "truncated_pdf_export": N_(
        "(truncated, {n} characters; full text in the Excel and CSV exports)"
    ),
    "sheet_summary": N_("Summary"),
    "sheet_answers": N_("Answers"),
    "sheet_path": N_("Path to next level"),
    "sheet_dictionary": N_("Data dictionary"),
    "sheet_audit": N_("Audit trail"),
    "sheet_contributors": N_("Contributors"),
    "truncated_cell": N_(" … [truncated: {n} characters in total]"),
    "truncated_sheet_note": N_(
        "Some texts on this sheet exceed Excel's limit of 32,767 characters per cell and were "
        'truncated where marked "[truncated"; the CSV export (readiness report --csv) and the '
        "appendix of the PDF report keep the full text."
    ),
    "control_sheet_note": N_(
        "Control characters that Excel cannot store were replaced by markers such as [U+0001]."
    ),
    "chart_alt": N_(
        "Radar chart of the domain scores on a scale of 1 to 5: {values}. The table below "
        "gives the same figures with the levels."
    ),
    "chart_title": N_("Domain scores (1 to 5)"),
}


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (English: none, the texts above are English)."""
    if lang not in LANGUAGES or lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    from app.common.paths import resources_dir

    # A missing catalogue is a broken installation: fail loudly rather than print English.
    return gettext.translation(DOMAIN, resources_dir() / "i18n", languages=[lang])


def _translate(message: str, lang: str) -> str:
    return no_break_spaces(catalogue(lang).gettext(message), lang)


def text(key: str, lang: str) -> str:
    """One fixed string in `lang` (English when the language is unknown)."""
    value = _TEXTS[key]
    if isinstance(value, tuple):
        return "\n\n".join(_translate(p, lang) for p in value)
    return _translate(value, lang)


def paragraphs(key: str, lang: str) -> tuple[str, ...]:
    """A fixed text made of several paragraphs (the method section)."""
    value = _TEXTS[key]
    found = value if isinstance(value, tuple) else (value,)
    return tuple(_translate(p, lang) for p in found)


def plural(key: str, count: float, lang: str) -> str:
    """The form of `key` for `count` in `lang` (`key_one` or `key_other`, CLDR categories)."""
    from app.common.numbers import plural_category

    category = plural_category(count, lang)
    return text(f"{key}_{category}" if f"{key}_{category}" in _TEXTS else f"{key}_other", lang)


def labels(lang: str) -> Mapping[str, str]:
    """Every fixed string in `lang`, for renderers."""
    return {key: text(key, lang) for key in _TEXTS}


def keys() -> tuple[str, ...]:
    return tuple(_TEXTS)


def messages() -> tuple[str, ...]:
    """Every English message, as the catalogues know them (paragraphs one by one)."""
    found: list[str] = []
    for value in _TEXTS.values():
        found += value if isinstance(value, tuple) else (value,)
    return tuple(found)
