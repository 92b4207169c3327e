"""Sample questionnaires and assessment snapshots for the report tests, built in code.

The snapshots are scored by the real `app.scoring.score`; city answers are derived from the
contributors' answers the way DESIGN.md section 5 describes (agreement -> derived, difference ->
disagreement with the lowest level counting, coordinator answer -> not derived).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain import (
    UNANSWERED,
    Answer,
    AnswerState,
    AnswerType,
    AssessmentHeader,
    AssessmentSnapshot,
    Band,
    CityAnswer,
    Contributor,
    ContributorAnswer,
    Domain,
    Gate,
    Indicator,
    LevelBy,
    LevelDefinition,
    Option,
    Questionnaire,
    Revision,
    Section,
)
from app.scoring import score
from app.services.city_answers import Derivation, settle

LANGS = ("en", "es", "fr", "pt")
LEVEL_NAMES = {
    1: ("Absent / ad hoc", "Ausente / ad hoc", "Absent / ponctuel", "Ausente / ad hoc"),
    2: ("Emerging", "Emergente", "Émergent", "Emergente"),
    3: ("Established", "Establecido", "Établi", "Estabelecido"),
    4: ("Integrated", "Integrado", "Intégré", "Integrado"),
    5: ("Optimising", "Optimizando", "Optimisé", "Otimizando"),
}
DOMAIN_NAMES = {
    "GOV": (
        "Governance and planning",
        "Gobernanza y planificación",
        "Gouvernance et planification",
        "Governança e planejamento",
    ),
    "PATH": (
        "Pathology services",
        "Servicios de anatomía patológica",
        "Services d'anatomopathologie",
        "Serviços de anatomia patológica",
    ),
    "QA": (
        "Quality assurance",
        "Aseguramiento de la calidad",
        "Assurance qualité",
        "Garantia da qualidade",
    ),
    "BIO": (
        "Biomarker testing",
        "Pruebas de biomarcadores",
        "Tests de biomarqueurs",
        "Testes de biomarcadores",
    ),
    "DATA": (
        "Data and registries",
        "Datos y registros",
        "Données et registres",
        "Dados e registros",
    ),
}
ACTION_VERBS = (
    "Plan and fund the next step for",
    "Planificar y financiar el siguiente paso para",
    "Planifier et financer l'étape suivante pour",
    "Planejar e financiar o próximo passo para",
)


def lt(*values: str) -> dict[str, str]:
    return dict(zip(LANGS, values, strict=True))


def same(text: str) -> dict[str, str]:
    return {lang: f"{text} [{lang}]" for lang in LANGS}


def actions(indicator_id: str) -> dict[int, dict[str, str]]:
    return {
        n: {
            lang: f"{verb} {indicator_id} (L{n})"
            for lang, verb in zip(LANGS, ACTION_VERBS, strict=True)
        }
        for n in range(1, 5)
    }


def ynp(indicator_id: str, label: str, **extra: object) -> Indicator:
    options = (
        Option("yes", lt("Yes", "Sí", "Oui", "Sim"), 4),
        Option("partial", lt("Partly", "En parte", "En partie", "Em parte"), 2),
        Option("no", lt("No", "No", "Non", "Não"), 1),
    )
    return Indicator(
        id=indicator_id,
        type=AnswerType.YES_PARTIAL_NO,
        label=same(label),
        options=options,
        level_by=LevelBy.OPTION,
        actions=actions(indicator_id),
        **extra,  # type: ignore[arg-type]
    )


def sample_questionnaire() -> Questionnaire:
    plan = Indicator(
        id="GOV-02",
        type=AnswerType.SINGLE_CHOICE,
        label=same("Status of the cancer plan"),
        options=(
            Option("none", lt("None", "Ninguno", "Aucun", "Nenhum"), 1),
            Option("drafted", lt("Drafted", "Borrador", "Rédigé", "Rascunho"), 2),
            Option("approved", lt("Approved", "Aprobado", "Approuvé", "Aprovado"), 3),
            Option(
                "approved_costed",
                lt(
                    "Approved and costed",
                    "Aprobado y presupuestado",
                    "Approuvé et chiffré",
                    "Aprovado e orçado",
                ),
                4,
            ),
            Option("monitored", lt("Monitored", "Monitoreado", "Suivi", "Monitorado"), 5),
        ),
        level_by=LevelBy.OPTION,
        weight=2,
        source="National plan review (product judgement)",
        actions=actions("GOV-02"),
    )
    gov = Domain(
        id="GOV",
        name=lt(*DOMAIN_NAMES["GOV"]),
        description=same("How the city plans and steers precision oncology."),
        sections=(
            Section(
                "GOV-A",
                same("Plans"),
                (
                    ynp("GOV-01", "Is there a named lead for precision oncology?"),
                    plan,
                    Indicator(
                        id="GOV-03",
                        type=AnswerType.LONG_TEXT,
                        label=same("Comments"),
                        scored=False,
                        required=False,
                    ),
                ),
            ),
        ),
    )
    path = Domain(
        id="PATH",
        name=lt(*DOMAIN_NAMES["PATH"]),
        description=same("Pathology capacity and pre-analytical quality."),
        weight=2,
        sections=(
            Section(
                "PATH-A",
                same("Workforce"),
                (
                    Indicator(
                        id="PATH-01",
                        type=AnswerType.INTEGER,
                        label=same("Pathologists"),
                        scored=False,
                        minimum=0,
                        unit=lt("people", "personas", "personnes", "pessoas"),
                    ),
                    Indicator(
                        id="PATH-02",
                        type=AnswerType.INTEGER,
                        label=same("Population"),
                        scored=False,
                        minimum=1,
                    ),
                    Indicator(
                        id="PATH-03",
                        type=AnswerType.COMPUTED,
                        label=same("Pathologists per million"),
                        compute="PATH-01 / PATH-02 * 1000000",
                        decimals=1,
                        level_by=LevelBy.BAND,
                        bands=(Band(0, 1), Band(5, 2), Band(10, 3), Band(20, 4), Band(40, 5)),
                        actions=actions("PATH-03"),
                    ),
                ),
            ),
            Section(
                "PATH-B",
                same("Pre-analytics"),
                (
                    ynp("PATH-04", "Is fixation time documented?"),
                    Indicator(
                        id="PATH-05",
                        type=AnswerType.PERCENT,
                        label=same("Reports with synoptic template"),
                        minimum=0,
                        maximum=100,
                        level_by=LevelBy.BAND,
                        bands=(Band(0, 1), Band(25, 2), Band(50, 3), Band(75, 4), Band(95, 5)),
                        actions=actions("PATH-05"),
                        allow_not_measured=True,
                    ),
                    Indicator(
                        id="PATH-06",
                        type=AnswerType.DATE,
                        label=same("Date of last audit"),
                        scored=False,
                        required=False,
                    ),
                ),
            ),
        ),
    )
    qa = Domain(
        id="QA",
        name=lt(*DOMAIN_NAMES["QA"]),
        sections=(
            Section(
                "QA-A",
                same("External quality"),
                (
                    Indicator(
                        id="QA-01",
                        type=AnswerType.MULTIPLE_CHOICE,
                        label=same("EQA schemes joined"),
                        options=(
                            Option("her2", same("HER2"), 3),
                            Option("egfr", same("EGFR"), 4),
                            Option("ngs", same("NGS"), 5),
                            Option("none", same("None"), 1, exclusive=True),
                        ),
                        level_by=LevelBy.MAX_OPTION,
                        actions=actions("QA-01"),
                    ),
                    ynp("QA-02", "Is the laboratory accredited?", allow_not_applicable=True),
                    ynp("QA-03", "Does the laboratory take part in EQA?"),
                ),
            ),
        ),
    )
    bio = Domain(
        id="BIO",
        name=lt(*DOMAIN_NAMES["BIO"]),
        sections=(
            Section(
                "BIO-A",
                same("Tests"),
                (
                    Indicator(
                        id="BIO-01",
                        type=AnswerType.MULTIPLE_CHOICE,
                        label=same("Biomarkers tested in the city"),
                        options=(
                            Option("er_pr_her2", same("ER/PR/HER2")),
                            Option("egfr", same("EGFR")),
                            Option("alk", same("ALK")),
                            Option("msi", same("MSI")),
                            Option("none", same("None"), exclusive=True),
                        ),
                        level_by=LevelBy.COUNT,
                        bands=(Band(0, 1), Band(1, 2), Band(2, 3), Band(3, 4), Band(4, 5)),
                        actions=actions("BIO-01"),
                    ),
                    Indicator(
                        id="BIO-02",
                        type=AnswerType.DECIMAL,
                        label=same("Median turnaround (days)"),
                        minimum=0,
                        decimals=1,
                        unit=lt("days", "días", "jours", "dias"),
                        level_by=LevelBy.BAND,
                        bands=(Band(0, 5), Band(7, 4), Band(10, 3), Band(15, 2), Band(21, 1)),
                        actions=actions("BIO-02"),
                        allow_not_measured=True,
                    ),
                ),
            ),
        ),
    )
    data = Domain(
        id="DATA",
        name=lt(*DOMAIN_NAMES["DATA"]),
        sections=(
            Section(
                "DATA-A",
                same("Registries"),
                (
                    ynp(
                        "DATA-01",
                        "Is there a population cancer registry?",
                        allow_not_applicable=True,
                    ),
                    ynp(
                        "DATA-02", "Are results linked to the registry?", allow_not_applicable=True
                    ),
                ),
            ),
        ),
    )
    return Questionnaire(
        id="sample-readiness",
        version="1.0",
        title=lt(
            "Sample readiness questionnaire",
            "Cuestionario de muestra",
            "Questionnaire exemple",
            "Questionário de exemplo",
        ),
        domains=(gov, path, qa, bio, data),
        levels=tuple(
            LevelDefinition(n, lt(*LEVEL_NAMES[n]), same(f"Definition of level {n}"))
            for n in range(1, 6)
        ),
        gates=(
            Gate(
                "fixation",
                ("PATH-04",),
                2,
                {"PATH": 2},
                message=same("No documented fixation control"),
            ),
            Gate(
                "no-eqa",
                ("QA-03",),
                2,
                {"QA": 2, "BIO": 2},
                message=same("No external quality assessment"),
            ),
        ),
        sha256="ab" * 32,
    )


def header(q: Questionnaire, **overrides: str) -> AssessmentHeader:
    values = dict(
        id="3f1c2a9e-0000-4000-8000-00000000abcd",
        city="Cali",
        country="Colombia",
        period="2026",
        language="en",
        status="draft",
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        questionnaire_hash=q.sha256,
        created_at="2026-11-20T08:00:00Z",
    )
    values.update(overrides)
    return AssessmentHeader(**values)  # type: ignore[arg-type]


def make_snapshot(
    q: Questionnaire,
    by_contributor: Mapping[str, Mapping[str, Answer]],
    city_answers: Mapping[str, tuple[Answer, str]] | None = None,
    conflicts: Sequence[str] = (),
    **header_overrides: str,
) -> AssessmentSnapshot:
    """A snapshot with contributors named by the keys of `by_contributor` (in that order)."""
    city = city_answers or {}
    people = tuple(
        Contributor(
            id=f"c{i}",
            name=name,
            role="Lab manager" if i == 0 else "Pathologist",
            institution="Hospital Universitario",
            device_id=f"dev-{i}",
        )
        for i, name in enumerate(by_contributor)
    )
    revisions: list[Revision] = []
    answers: dict[str, CityAnswer] = {}
    for_scoring: dict[str, Answer] = {}
    disputed: dict[str, list[Answer]] = {}
    minute = 0
    for ind in q.indicators:
        given: list[ContributorAnswer] = []
        for person, mapping in zip(people, by_contributor.values(), strict=True):
            if ind.id in mapping:
                minute += 1
                stamp = f"2026-11-21T{8 + minute // 60:02d}:{minute % 60:02d}:00Z"
                given.append(ContributorAnswer(person, mapping[ind.id], stamp))
                revisions.append(
                    Revision(
                        id=f"r{len(revisions)}",
                        indicator_id=ind.id,
                        subject=person.id,
                        answer=mapping[ind.id],
                        parents=(),
                        author=person,
                        device_id=person.device_id,
                        hlc=f"{minute:013d}-00000-{person.device_id}",
                        created_at=stamp,
                    )
                )
        if ind.id in city:
            answer, rationale = city[ind.id]
            parents = tuple(r.id for r in revisions if r.indicator_id == ind.id)
            revisions.append(
                Revision(
                    id=f"r{len(revisions)}",
                    indicator_id=ind.id,
                    subject="city",
                    answer=answer,
                    parents=parents[-1:],
                    author=people[0] if people else None,
                    device_id="dev-0",
                    hlc=f"{9999:013d}-00000-dev-0",
                    created_at="2026-11-22T09:00:00Z",
                    rationale=rationale,
                )
            )
            answers[ind.id] = CityAnswer(
                ind.id,
                answer,
                False,
                False,
                ind.id in conflicts,
                tuple(given),
                rationale,
                "2026-11-22T09:00:00Z",
                people[0].name if people else None,
            )
            for_scoring[ind.id] = answer
        elif given:
            distinct = {(g.answer.value, g.answer.state) for g in given}
            agreed = len(distinct) == 1
            last = max(given, key=lambda g: g.changed_at)
            answers[ind.id] = CityAnswer(
                ind.id,
                last.answer if agreed else UNANSWERED,
                True,
                not agreed,
                ind.id in conflicts,
                tuple(given),
                "",
                last.changed_at,
                last.contributor.name,
            )
            if agreed:
                for_scoring[ind.id] = last.answer
            else:
                disputed[ind.id] = [g.answer for g in given]
        else:
            answers[ind.id] = CityAnswer(ind.id, UNANSWERED, True, False, False)
    result = score(q, for_scoring, disputed)
    # As the services do: a disagreement shows the answer that counted, a computed indicator its value.
    settled = settle(q, Derivation(answers, for_scoring, disputed), result)
    return AssessmentSnapshot(
        header=header(q, **header_overrides),
        questionnaire=q,
        contributors=people,
        answers=settled,
        score=result,
        revisions=tuple(revisions),
        generated_at="2026-11-22T10:42:00Z",
    )


def a(
    value: object = None,
    state: AnswerState = AnswerState.ANSWERED,
    note: str = "",
    evidence: str | None = None,
) -> Answer:
    return Answer(value=value, state=state, note=note, evidence=evidence)  # type: ignore[arg-type]


def rich_answers() -> dict[str, dict[str, Answer]]:
    """Two contributors: mostly agreeing, one disagreement (QA-02), gaps, a gate that fires."""
    ana = {
        "GOV-01": a("yes", note="Dr. Ortiz leads the programme", evidence="document"),
        "GOV-02": a("approved"),
        "GOV-03": a("The plan was approved in 2024.\nFunding is pending."),
        "PATH-01": a(50),
        "PATH-02": a(2_300_000),
        "PATH-04": a("no", note="No fixation log yet"),
        "PATH-05": a(62.5, evidence="audit"),
        "PATH-06": a("2026-03-14"),
        "QA-01": a(("her2", "egfr")),
        "QA-02": a("partial"),
        "QA-03": a("yes"),
        "BIO-01": a(("er_pr_her2", "egfr", "alk")),
        "BIO-02": a(None, AnswerState.NOT_MEASURED),
        "DATA-01": a("yes"),
    }
    luis = {
        "GOV-01": a("yes"),
        "QA-02": a("no", note="Accreditation lapsed in 2025"),
        "DATA-02": a(None, AnswerState.DONT_KNOW),
    }
    return {"Ana Gómez": ana, "Luis Pérez": luis}


def rich_snapshot(**header_overrides: str) -> AssessmentSnapshot:
    q = sample_questionnaire()
    city = {"PATH-05": (a(97, evidence="register"), "Registry audit of 2026")}
    return make_snapshot(q, rich_answers(), city, conflicts=("GOV-02",), **header_overrides)


def test_sample_snapshot_is_scored_as_designed() -> None:
    snap = rich_snapshot()
    domains = snap.score.domains
    assert domains["PATH"].capped_by == ("PATH-04",)
    assert domains["PATH"].level == 2
    assert domains["PATH"].uncapped_level == 3
    assert snap.answers["QA-02"].disagreement
    assert snap.score.indicator("PATH-03").level == 4  # 50 / 2.3 M = 21.7 per million
    assert snap.score.bottleneck is not None


# ---------------------------------------------------------------------------------------------
# Independent readers of the written files


def need(tool: str) -> str:
    from tests.tools import tool_path

    return tool_path(tool)


def pdf_text(path: object) -> str:
    import subprocess

    done = subprocess.run(
        [need("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines wherever the layout did."""
    return "".join(text.split())


def pdf_fonts(path: object) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font pdffonts lists."""
    import subprocess

    done = subprocess.run([need("pdffonts"), str(path)], capture_output=True, check=True, text=True)
    rows = []
    for line in done.stdout.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: 'emb' is the 5th field from the end
        rows.append((parts[0], parts[-5]))
    return rows


def qpdf_check(path: object) -> None:
    import subprocess

    subprocess.run([need("qpdf"), "--check", str(path)], capture_output=True, check=True)
