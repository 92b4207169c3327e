"""`readiness assess ...` (assessments and answers) and `readiness demo`.

Assessment ids may be any unique prefix. `--json` prints one JSON document. Commands that create
something print its id alone on the last line. Answers are committed before the command exits 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import open_workspace

STATES = ["answered", "dont_know", "not_applicable", "not_measured", "unanswered"]
EVIDENCE = ["document", "audit", "register", "observation", "estimate"]


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    assess = subparsers.add_parser(
        "assess",
        parents=[common],
        help="create, answer, resolve and inspect assessments",
        description="Create assessments, answer them, resolve the city answers, inspect them.",
    )
    commands = assess.add_subparsers(dest="assess_command", metavar="ACTION", required=True)

    p = commands.add_parser("new", parents=[common], help="start a new assessment; prints its id")
    p.add_argument("--city", required=True)
    p.add_argument("--country", required=True)
    p.add_argument("--period", required=True, help="the round, e.g. 2026 or 2026-H2")
    p.add_argument("--form", required=True, metavar="PATH_OR_ID", help="questionnaire file or id")
    p.add_argument("--lang", default="en", choices=["en", "es", "fr", "pt"])
    p.add_argument(
        "--contributor",
        metavar="NAME",
        help="who creates it; answers here are attributed to NAME until switched",
    )
    p.add_argument("--role", metavar="ROLE", help="the creator's role, e.g. 'city coordinator'")
    p.set_defaults(handler=run_new)

    p = commands.add_parser(
        "next", parents=[common], help="start the next round from an assessment; prints its id"
    )
    p.add_argument("id", metavar="ID", help="the previous round")
    p.add_argument("--period", required=True)
    p.set_defaults(handler=run_next)

    p = commands.add_parser("list", parents=[common], help="list the assessments")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_list)

    p = commands.add_parser("answer", parents=[common], help="save a contributor's own answer")
    _answer_arguments(p)
    p.add_argument(
        "--contributor",
        metavar="NAME",
        help="whose answer (default: who answers this assessment here); new names are registered",
    )
    p.add_argument("--attach", action="append", default=[], metavar="FILE", help="attach a file")
    p.set_defaults(handler=run_answer)

    p = commands.add_parser("resolve", parents=[common], help="set the city answer")
    _answer_arguments(p)
    p.add_argument("--rationale", required=True, metavar="TEXT", help="why this is the answer")
    p.set_defaults(handler=run_resolve)

    p = commands.add_parser("import", parents=[common], help="import an answers file")
    p.add_argument("id", metavar="ID")
    p.add_argument("answers", metavar="ANSWERS.json")
    p.add_argument(
        "--contributor",
        metavar="NAME",
        help="whose answers (default: who answers this assessment here); new names are registered",
    )
    p.set_defaults(handler=run_import)

    p = commands.add_parser("status", parents=[common], help="change the status")
    p.add_argument("id", metavar="ID")
    p.add_argument("status", choices=["draft", "in_review", "final"])
    p.add_argument("--reason", metavar="TEXT", help="required when reopening")
    p.set_defaults(handler=run_status)

    p = commands.add_parser("show", parents=[common], help="show an assessment and its score")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_show)

    p = commands.add_parser("history", parents=[common], help="the changes of one answer")
    p.add_argument("id", metavar="ID")
    p.add_argument("indicator", metavar="INDICATOR")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_history)

    p = commands.add_parser("contributors", parents=[common], help="who contributed")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_contributors)

    p = commands.add_parser(
        "move", parents=[common], help="move a draft to another questionnaire version"
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--form", required=True, metavar="PATH_OR_ID")
    p.set_defaults(handler=run_move)

    p = commands.add_parser(
        "misattributed",
        parents=[common],
        help="answers attributed to the demo's people outside the demo (by earlier versions)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_misattributed)

    p = commands.add_parser(
        "reassign",
        parents=[common],
        help="give a demo person's answers to the right contributor (as new revisions)",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--from", dest="person", required=True, metavar="NAME", help="the demo person")
    p.add_argument("--to", required=True, metavar="NAME", help="who really gave the answers")
    p.add_argument("--role", metavar="ROLE", help="the role of a contributor registered now")
    p.set_defaults(handler=run_reassign)

    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="create the demo assessment (once) and print its id",
        description="Create the demo assessment of a fictional city if there is none; print its id.",
    )
    demo.add_argument(
        "--answers", metavar="FILE", help="build the demo from this demo answers file instead"
    )
    demo.set_defaults(handler=run_demo)


def _answer_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument("indicator", metavar="INDICATOR")
    p.add_argument("value", nargs="?", metavar="VALUE", help="codes separated by commas for lists")
    # State and evidence are checked with the answer (exit 1 naming the indicator), as they are
    # in an answers file, rather than by argparse as usage errors.
    p.add_argument("--state", metavar="STATE", help=f"one of {', '.join(STATES)}")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--evidence", metavar="TYPE", help=f"one of {', '.join(EVIDENCE)}")
    p.set_defaults(late_value=True)


# ---------------------------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    from app.cli.output import print_created
    from app.services.assessments import create_assessment
    from app.services.contributors import describe, who_is_answering

    with open_workspace(args) as ws:
        new = create_assessment(
            ws,
            args.city,
            args.country,
            args.period,
            args.form,
            language=args.lang,
            contributor=args.contributor,
            role=args.role,
        )
        who = who_is_answering(ws, new)
    print(f"answers on this laptop are attributed to {describe(who)}")
    print_created(new)
    return 0


def run_next(args: argparse.Namespace) -> int:
    from app.cli.output import print_created
    from app.services.assessments import resolve_assessment_id
    from app.services.rounds import start_next_round

    with open_workspace(args) as ws:
        new = start_next_round(ws, resolve_assessment_id(ws, args.id), args.period)
    print(f"answers of {args.id} copied as answers to confirm")
    print_created(new)
    return 0


def summary_json(summary: Any) -> dict[str, Any]:
    return {
        "id": summary.id,
        "city": summary.city,
        "country": summary.country,
        "period": summary.period,
        "status": summary.status,
        "progress": summary.progress,
        "questionnaire": {
            "id": summary.questionnaire_id,
            "version": summary.questionnaire_version,
            "hash": summary.questionnaire_hash,
        },
        "language": summary.language,
        "levels": summary.levels,
        "pending_sync": summary.pending_sync,
        "created_at": summary.created_at,
        "previous_assessment_id": summary.previous_assessment_id,
    }


def run_list(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.assessment_list import list_assessments

    with open_workspace(args) as ws:
        summaries = list_assessments(ws)
    if args.json:
        print_json([summary_json(s) for s in summaries])
        return 0
    if not summaries:
        print("no assessments yet: `readiness assess new ...` or `readiness demo`")
        return 0
    for s in summaries:
        levels = " ".join(f"{d}:{'-' if lv is None else lv}" for d, lv in s.levels.items())
        print(
            f"{s.id[:8]}  {s.city}, {s.country}  {s.period}  {s.status:<9} "
            f"{s.progress:>4.0%}  {s.questionnaire_id} {s.questionnaire_version}  {levels}"
        )
    return 0


def run_answer(args: argparse.Namespace) -> int:
    from app.services.answers import add_attachment, answer_from_parts, save_answer
    from app.services.assessments import load_questionnaire_for, resolve_assessment_id

    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        questionnaire = load_questionnaire_for(ws, assessment_id)
        answer = answer_from_parts(
            questionnaire, args.indicator, args.value, args.state, args.note, args.evidence
        )
        hashes = [add_attachment(ws, path) for path in args.attach]
        known = _known(ws, assessment_id, args.contributor)
        revision = save_answer(
            ws,
            assessment_id,
            args.indicator,
            answer,
            contributor=args.contributor,
            attachments=hashes,
        )
    print(_attributed(revision.author, known))
    print(f"saved {args.indicator} ({_answer_text(revision.answer)}) as revision {revision.id}")
    return 0


def _known(ws: Any, assessment_id: str, name: str | None) -> bool:
    """Whether `--contributor NAME` names someone known here (no name: who answers is known)."""
    from app.services.contributors import is_known

    return name is None or is_known(ws, assessment_id, name)


def _attributed(who: Any, known: bool) -> str:
    """The line saying who the saved answers are attributed to (after the save: a failed
    command prints nothing on stdout and registers nobody)."""
    from app.services.contributors import describe

    if not known:
        return f"registered {describe(who)} as a new contributor on this laptop"
    return f"answering as {describe(who)}"


def run_resolve(args: argparse.Namespace) -> int:
    from app.services.answers import answer_from_parts, set_city_answer
    from app.services.assessments import load_questionnaire_for, resolve_assessment_id

    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        questionnaire = load_questionnaire_for(ws, assessment_id)
        answer = answer_from_parts(
            questionnaire, args.indicator, args.value, args.state, args.note, args.evidence
        )
        revision = set_city_answer(ws, assessment_id, args.indicator, answer, args.rationale)
    print(
        f"city answer {args.indicator} = {_answer_text(revision.answer)} (revision {revision.id})"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.logic.answers_file import parse_answers, read_json_file
    from app.services.answers import import_answers
    from app.services.assessments import load_questionnaire_for, resolve_assessment_id
    from app.services.contributors import contributor_for

    data = read_json_file(args.answers)
    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        # The file is checked before a new name is registered for it.
        parse_answers(load_questionnaire_for(ws, assessment_id), data, source=str(args.answers))
        known = _known(ws, assessment_id, args.contributor)
        count = import_answers(
            ws, assessment_id, data, contributor=args.contributor, source=str(args.answers)
        )
        who = contributor_for(ws, assessment_id, args.contributor).contributor
    print(_attributed(who, known))
    print(f"imported {count} answer(s) from {args.answers}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from app.services.assessments import resolve_assessment_id, set_status

    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        status = set_status(ws, assessment_id, args.status, args.reason)
    print(f"{assessment_id[:8]} is {status}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.assessments import load_snapshot, resolve_assessment_id

    with open_workspace(args) as ws:
        snapshot = load_snapshot(ws, resolve_assessment_id(ws, args.id), with_revisions=False)
    if args.json:
        print_json(snapshot_json(snapshot))
        return 0
    _print_snapshot(snapshot)
    return 0


def run_history(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.answers import answer_history
    from app.services.assessments import resolve_assessment_id

    with open_workspace(args) as ws:
        revisions = answer_history(ws, resolve_assessment_id(ws, args.id), args.indicator)
    by_id = {r.id: r for r in revisions}
    entries = [_history_entry(r, by_id) for r in revisions]
    if args.json:
        print_json(entries)
        return 0
    if not entries:
        print(f"{args.indicator}: no answers yet")
    for e in entries:
        before = " | ".join(_json_text(f) for f in e["from"]) or "-"
        why = f"  because: {e['rationale']}" if e["rationale"] else ""
        print(f"{e['at']}  {e['subject_name']:<16} {before} -> {_json_text(e)}  by {e['by']}{why}")
    return 0


def run_contributors(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.assessments import load_snapshot, resolve_assessment_id

    with open_workspace(args) as ws:
        snapshot = load_snapshot(ws, resolve_assessment_id(ws, args.id), with_revisions=False)
    counts: dict[str, int] = {}
    for city in snapshot.answers.values():
        for entry in city.contributors:
            counts[entry.contributor.id] = counts.get(entry.contributor.id, 0) + 1
    people = [
        {
            "id": c.id,
            "name": c.name,
            "role": c.role,
            "institution": c.institution,
            "answers": counts.get(c.id, 0),
        }
        for c in snapshot.contributors
    ]
    if args.json:
        print_json(people)
        return 0
    for person in people:
        role = f" ({person['role']})" if person["role"] else ""
        where = f", {person['institution']}" if person["institution"] else ""
        print(f"{person['name']}{role}{where}: {person['answers']} answer(s)")
    return 0


def run_move(args: argparse.Namespace) -> int:
    from app.services.assessments import resolve_assessment_id
    from app.services.rounds import move_to_version

    with open_workspace(args) as ws:
        assessment_id = move_to_version(ws, resolve_assessment_id(ws, args.id), args.form)
    print(f"{assessment_id[:8]} now uses {args.form}")
    return 0


def run_misattributed(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.identity_upgrade import misattributed

    with open_workspace(args) as ws:
        found = misattributed(ws)
    if args.json:
        print_json(
            [
                {
                    "id": g.assessment_id,
                    "city": g.city,
                    "country": g.country,
                    "period": g.period,
                    "person": g.person.name,
                    "answers": list(g.own),
                    "city_answers": list(g.city_answers),
                }
                for g in found
            ]
        )
        return 0
    if not found:
        print("no answers are attributed to the demo's people outside the demo")
        return 0
    for g in found:
        print(
            f"{g.assessment_id[:8]}  {g.city}, {g.country}  {g.period}: {g.count} answer(s) "
            f"attributed to {g.person.name} (a person of the demo city)"
        )
    print("give them to the right person: readiness assess reassign ID --from NAME --to NAME")
    return 0


def run_reassign(args: argparse.Namespace) -> int:
    from app.services.assessments import resolve_assessment_id
    from app.services.contributors import describe
    from app.services.identity_upgrade import reassign

    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        target, moved = reassign(ws, assessment_id, args.person, args.to, args.role)
    print(
        f"{moved} answer(s) of {assessment_id[:8]} now attributed to {describe(target)}; "
        f"the earlier revisions stay in the history"
    )
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from app.cli.output import print_created
    from app.services.demo import create_demo

    with open_workspace(args) as ws:
        demo_id = create_demo(ws, args.answers)
    print_created(demo_id)
    return 0


# ---------------------------------------------------------------------------------------------
# JSON shapes (CLI.md)


def snapshot_json(snapshot: Any) -> dict[str, Any]:
    from app.logic.values import value_to_json
    from app.scoring import score_to_json

    header = snapshot.header
    answers: dict[str, Any] = {}
    for indicator in snapshot.questionnaire.indicators:
        city = snapshot.answers[indicator.id]
        result = snapshot.score.indicator(indicator.id)
        answers[indicator.id] = {
            "value": value_to_json(city.answer.value),
            "state": city.answer.state.value,
            "note": city.answer.note,
            "evidence": city.answer.evidence,
            "level": result.level if result is not None else None,
            "derived": city.derived,
            "disagreement": city.disagreement,
            "conflict": city.conflict,
            "rationale": city.rationale,
            "contributors": [
                {
                    "contributor": entry.contributor.name,
                    "value": value_to_json(entry.answer.value),
                    "state": entry.answer.state.value,
                    "note": entry.answer.note,
                    "evidence": entry.answer.evidence,
                    "changed_at": entry.changed_at,
                    "to_confirm": entry.to_confirm,
                }
                for entry in city.contributors
            ],
        }
    return {
        "id": header.id,
        "city": header.city,
        "country": header.country,
        "period": header.period,
        "language": header.language,
        "status": header.status,
        "questionnaire": {
            "id": header.questionnaire_id,
            "version": header.questionnaire_version,
            "hash": header.questionnaire_hash,
        },
        "answers": answers,
        "score": score_to_json(snapshot.score, snapshot.questionnaire, header.language),
    }


def _answer_text(answer: Any) -> str:
    from app.logic.values import value_to_json

    if answer.state.value != "answered":
        return str(answer.state.value)
    value = value_to_json(answer.value)
    return ",".join(value) if isinstance(value, list) else str(value)


def _json_text(entry: dict[str, Any]) -> str:
    if entry["state"] != "answered":
        return str(entry["state"])
    value = entry["value"]
    return ",".join(value) if isinstance(value, list) else str(value)


def _history_entry(revision: Any, by_id: dict[str, Any]) -> dict[str, Any]:
    from app.logic.values import value_to_json

    subject_name = "city" if revision.subject == "city" else None
    if subject_name is None:
        subject_name = revision.author.name if revision.author else revision.subject
    return {
        "revision": revision.id,
        "subject": revision.subject,
        "subject_name": subject_name,
        "value": value_to_json(revision.answer.value),
        "state": revision.answer.state.value,
        "note": revision.answer.note,
        "evidence": revision.answer.evidence,
        "from": [
            {
                "revision": p,
                "value": value_to_json(by_id[p].answer.value),
                "state": by_id[p].answer.state.value,
            }
            for p in revision.parents
            if p in by_id
        ],
        "by": revision.author.name if revision.author else None,
        "at": revision.created_at,
        "rationale": revision.rationale,
        "device": revision.device_id,
        "hlc": revision.hlc,
    }


def _print_snapshot(snapshot: Any) -> None:
    from app.common.i18n import pick

    header = snapshot.header
    lang = header.language
    print(f"{header.city}, {header.country}  {header.period}  [{header.status}]  {header.id}")
    print(f"questionnaire {header.questionnaire_id} {header.questionnaire_version}")
    for domain in snapshot.questionnaire.domains:
        result = snapshot.score.domains[domain.id]
        level = "-" if result.level is None else result.level
        flags = " (provisional)" if result.provisional else ""
        if result.insufficient_data:
            flags = " (insufficient data)"
        print(f"\n{domain.id}  level {level}{flags}  {pick(domain.name, lang)}")
        for indicator in domain.indicators:
            city = snapshot.answers[indicator.id]
            marks = "".join(
                [
                    " [disagreement]" if city.disagreement else "",
                    " [conflict]" if city.conflict else "",
                    " [set by coordinator]" if not city.derived and city.answer.is_answered else "",
                ]
            )
            print(f"  {indicator.id:<10} {_answer_text(city.answer):<24}{marks}")
