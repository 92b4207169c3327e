"""`readiness forms validate [PATH ...]` and `readiness forms show PATH [--json]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    forms = subparsers.add_parser(
        "forms", parents=[common], help="check and inspect questionnaire definition files"
    )
    actions = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    validate = actions.add_parser(
        "validate",
        parents=[common],
        help="check definition files; one line per problem, exit 1 on any error",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="definition files or folders (default: every shipped questionnaire)",
    )
    validate.set_defaults(handler=run_validate)

    show = actions.add_parser(
        "show", parents=[common], help="summarise one questionnaire (file, id or id@version)"
    )
    show.add_argument("path", metavar="PATH", help="a definition file, or a shipped id[@version]")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=run_show)


def run_validate(args: argparse.Namespace) -> int:
    from app.common.errors import Problem
    from app.forms import validate_file
    from app.forms.loader import definition_files
    from app.forms.registry import shipped_definition_files

    problems: list[Problem] = []
    files = 0
    for item in definition_files(args.paths) if args.paths else shipped_definition_files():
        if isinstance(item, Problem):
            problems.append(item)
        else:
            files += 1
            problems.extend(validate_file(item))
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    print(f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def run_show(args: argparse.Namespace) -> int:
    from app.common.i18n import LANGUAGES, pick
    from app.forms import find_form, load_questionnaire, translation_coverage

    questionnaire = load_questionnaire(find_form(args.path))
    coverage = translation_coverage(questionnaire)
    domains = [
        {
            "id": domain.id,
            "name": pick(domain.name, "en"),
            "indicators": len(domain.scored_indicators),
        }
        for domain in questionnaire.domains
    ]
    scored = sum(entry["indicators"] for entry in domains)  # type: ignore[misc]
    if args.json:
        from app.cli.output import print_json

        print_json(
            {
                "id": questionnaire.id,
                "version": questionnaire.version,
                "hash": questionnaire.sha256,
                "title": dict(questionnaire.title),
                "domains": domains,
                "indicators": scored,
                "languages": {language: coverage[language] for language in LANGUAGES},
            }
        )
        return 0
    print(f"{pick(questionnaire.title, 'en')}")
    print(f"  {questionnaire.id} version {questionnaire.version}")
    print(f"  file    {questionnaire.source_path}")
    print(f"  sha256  {questionnaire.sha256}")
    total = len(questionnaire.indicators)
    print(
        f"  {scored} scored indicators ({total} questions in all), "
        f"{len(questionnaire.gates)} gate(s)"
    )
    for entry in domains:
        print(f"  {entry['id']:<8} {entry['indicators']:>3}  {entry['name']}")
    shares = ", ".join(f"{language} {coverage[language]:.0%}" for language in LANGUAGES)
    print(f"  translations: {shares}")
    return 0
