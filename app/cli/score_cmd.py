"""`readiness score ANSWERS.json --form PATH [--json]`: score an answers file without storing it."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "score",
        parents=[common],
        help="score an answers file against a questionnaire",
        description="Score a JSON answers file ({indicator_id: value}) and print the maturity levels.",
    )
    parser.add_argument("answers", metavar="ANSWERS.json")
    parser.add_argument(
        "--form", required=True, metavar="PATH_OR_ID", help="questionnaire file or id"
    )
    parser.add_argument("--lang", default="en", choices=["en", "es", "fr", "pt"])
    parser.add_argument("--json", action="store_true", help="print the score object as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.common.i18n import pick
    from app.forms import find_form, load_questionnaire
    from app.logic.answers_file import carry_to_version, parse_answers, read_json_file
    from app.scoring import score, score_to_json

    questionnaire = load_questionnaire(find_form(args.form))
    data, notes = carry_to_version(
        questionnaire, read_json_file(args.answers), other_version_ids(questionnaire)
    )
    for note in notes:  # an answers file of another version: say what did not carry as it was
        print(f"readiness: {args.answers}: {note}", file=sys.stderr)
    answers = parse_answers(questionnaire, data, source=str(args.answers))
    result = score(questionnaire, answers)
    document = score_to_json(result, questionnaire, args.lang)
    if args.json:
        print_json(document)
        return 0
    for domain in questionnaire.domains:
        data = document["domains"][domain.id]
        level = "-" if data["level"] is None else data["level"]
        score_text = "-" if data["score"] is None else f"{data['score']:.2f}"
        flags = " (provisional)" if data["provisional"] else ""
        if data["insufficient_data"]:
            flags = " (insufficient data)"
        capped = f"  capped by {', '.join(data['capped_by'])}" if data["capped_by"] else ""
        shown, before = data["score"], data["uncapped_score"]
        if shown is not None and before is not None and before - shown >= 0.005:
            capped += f" ({before:.2f} before gates)"
        print(
            f"{domain.id:<6} level {level}  score {score_text}  "
            f"answered {data['completeness']:.0%}{flags}{capped}  {pick(domain.name, args.lang)}"
        )
    overall = document["overall"]
    if overall["score"] is not None:
        print(f"overall score {overall['score']:.2f}; bottleneck {overall['bottleneck']}")
    elif overall["insufficient_data"]:
        print(f"no overall score: insufficient data in {', '.join(overall['insufficient_data'])}")
    for check in document["checks"]:
        print(f"warning: {check['message']} ({', '.join(check['indicators'])})")
    return 0


def other_version_ids(questionnaire: Any) -> set[str]:
    """Indicator ids of the other shipped versions of this questionnaire."""
    from app.forms import load_questionnaire
    from app.forms.registry import form_header, shipped_forms

    ids: set[str] = set()
    for path in shipped_forms():
        header = form_header(path)
        if header is None or header[0] != questionnaire.id or header[1] == questionnaire.version:
            continue
        ids.update(ind.id for ind in load_questionnaire(path).indicators)
    return ids
