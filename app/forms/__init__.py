"""Questionnaire definition files <-> domain objects: YAML parsing, validation, hashing.

The format is documented in docs/form-format.md. Everything here is Qt-free and safe to call
with any bytes: problems come back as `Problem` lines (`FILE:LINE: error: MESSAGE`), and
`load_questionnaire*` raise `DefinitionError` carrying them.
"""

from app.forms.coverage import translation_coverage
from app.forms.loader import (
    check_bytes,
    clear_cache,
    load_questionnaire,
    load_questionnaire_bytes,
    validate_file,
    validate_paths,
)
from app.forms.registry import find_form, form_header, shipped_forms

__all__ = [
    "check_bytes",
    "clear_cache",
    "find_form",
    "form_header",
    "load_questionnaire",
    "load_questionnaire_bytes",
    "shipped_forms",
    "translation_coverage",
    "validate_file",
    "validate_paths",
]
