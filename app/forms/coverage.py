"""How much of a questionnaire's text exists in each language."""

from __future__ import annotations

import os
from collections.abc import Iterator

from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.domain.questionnaire import LocalText, Questionnaire


def translation_coverage(
    source: Questionnaire | str | os.PathLike[str],
) -> dict[str, float]:
    """For each of en, es, fr, pt: the share (0.0-1.0) of the questionnaire's texts present.

    The texts counted are every translatable field that has an English value. A file path is
    loaded first (DefinitionError when it is not a valid definition).
    """
    if isinstance(source, Questionnaire):
        questionnaire = source
    else:
        from app.forms.loader import load_questionnaire

        questionnaire = load_questionnaire(source)
    texts = [text for text in local_texts(questionnaire) if text.get(DEFAULT_LANGUAGE)]
    if not texts:
        return {language: 1.0 for language in LANGUAGES}
    return {
        language: round(sum(1 for text in texts if text.get(language)) / len(texts), 4)
        for language in LANGUAGES
    }


def local_texts(questionnaire: Questionnaire) -> Iterator[LocalText]:
    """Every translatable text of the questionnaire."""
    yield questionnaire.title
    yield questionnaire.description
    for definition in questionnaire.levels:
        yield definition.name
        yield definition.description
    for domain in questionnaire.domains:
        yield domain.name
        yield domain.description
        for section in domain.sections:
            yield section.name
            for indicator in section.indicators:
                yield indicator.label
                yield indicator.help
                yield indicator.guidance
                yield indicator.constraint_message
                yield indicator.unit
                for option in indicator.options:
                    yield option.label
                yield from indicator.actions.values()
    for gate in questionnaire.gates:
        yield gate.message
