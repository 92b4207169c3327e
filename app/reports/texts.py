"""The report's own fixed strings (titles, column headers, method text) in en, es, fr and pt.

Questionnaire content (domain names, questions, actions, level definitions) comes translated from
the definition file; only the words the report itself adds live here. Placeholders use
`str.format` names, so a translation may move them around.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.reports.typography import no_break_spaces

# key -> (en, es, fr, pt)
_TEXTS: dict[str, tuple[str | tuple[str, ...], ...]] = {
    # --- document and cover
    "report": (
        "Readiness report",
        "Informe de preparación",
        "Rapport de préparation",
        "Relatório de prontidão",
    ),
    "document_title": (
        "Readiness report: {city} ({period})",
        "Informe de preparación: {city} ({period})",
        "Rapport de préparation : {city} ({period})",
        "Relatório de prontidão: {city} ({period})",
    ),
    "self_assessed": ("Self-assessed", "Autoevaluado", "Auto-évalué", "Autoavaliado"),
    "self_assessed_note": (
        "These results are self-assessed by the city's technical leads. They have not been "
        "verified by an external auditor.",
        "Estos resultados son una autoevaluación de los referentes técnicos de la ciudad. No han "
        "sido verificados por un auditor externo.",
        "Ces résultats sont une auto-évaluation des référents techniques de la ville. Ils n'ont "
        "pas été vérifiés par un auditeur externe.",
        "Estes resultados são uma autoavaliação dos responsáveis técnicos da cidade. Não foram "
        "verificados por um auditor externo.",
    ),
    "city": ("City", "Ciudad", "Ville", "Cidade"),
    "country": ("Country", "País", "Pays", "País"),
    "period": ("Period", "Período", "Période", "Período"),
    "questionnaire": ("Questionnaire", "Cuestionario", "Questionnaire", "Questionário"),
    "version": ("Version", "Versión", "Version", "Versão"),
    "fingerprint": (
        "Fingerprint (SHA-256)",
        "Huella (SHA-256)",
        "Empreinte (SHA-256)",
        "Impressão digital (SHA-256)",
    ),
    "status": ("Status", "Estado", "Statut", "Situação"),
    "generated": (
        "Date of this report",
        "Fecha de este informe",
        "Date de ce rapport",
        "Data deste relatório",
    ),
    "assessment_id": (
        "Assessment id",
        "Id. de la evaluación",
        "Id. de l'évaluation",
        "Id. da avaliação",
    ),
    "contributors": ("Contributors", "Participantes", "Contributeurs", "Participantes"),
    "no_contributors": (
        "No contributors recorded.",
        "No hay participantes registrados.",
        "Aucun contributeur enregistré.",
        "Nenhum participante registrado.",
    ),
    "status_draft": ("Draft", "Borrador", "Brouillon", "Rascunho"),
    "status_in_review": ("In review", "En revisión", "En relecture", "Em revisão"),
    "status_final": ("Final", "Final", "Final", "Final"),
    "not_final_mark": (
        "{status}: not final",
        "{status}: no definitivo",
        "{status} : non définitif",
        "{status}: não definitivo",
    ),
    "page_of": (
        "Page {page} of {pages}",
        "Página {page} de {pages}",
        "Page {page} sur {pages}",
        "Página {page} de {pages}",
    ),
    # --- executive summary
    "summary": ("Executive summary", "Resumen ejecutivo", "Synthèse", "Resumo executivo"),
    "profile": (
        "Domain profile (score 1 to 5)",
        "Perfil por dominio (puntuación de 1 a 5)",
        "Profil par domaine (score de 1 à 5)",
        "Perfil por domínio (pontuação de 1 a 5)",
    ),
    "levels_by_domain": (
        "Level by domain",
        "Nivel por dominio",
        "Niveau par domaine",
        "Nível por domínio",
    ),
    "overall": ("Overall", "Global", "Global", "Global"),
    "col_change": (
        "Since {period}",
        "Desde {period}",
        "Depuis {period}",
        "Desde {period}",
    ),
    "change_since": (
        "Previous round ({period}): {previous}. Change: {change}.",
        "Ronda anterior ({period}): {previous}. Cambio: {change}.",
        "Cycle précédent ({period}) : {previous}. Évolution : {change}.",
        "Rodada anterior ({period}): {previous}. Mudança: {change}.",
    ),
    "change_none": ("no change", "sin cambio", "aucun changement", "sem mudança"),
    "change_new": (
        "not assessed then",
        "no evaluado entonces",
        "non évalué alors",
        "não avaliado então",
    ),
    "overall_score": ("Overall score", "Puntuación global", "Score global", "Pontuação global"),
    "overall_note": (
        "Weighted mean of the domain scores (weights in the method section).",
        "Media ponderada de las puntuaciones de los dominios (pesos en la sección de método).",
        "Moyenne pondérée des scores des domaines (pondérations dans la section méthode).",
        "Média ponderada das pontuações dos domínios (pesos na seção de método).",
    ),
    "bottleneck": ("Bottleneck", "Cuello de botella", "Goulot d'étranglement", "Gargalo"),
    "bottleneck_note": (
        "The weakest domain: {name} (level {level}).",
        "El dominio más débil: {name} (nivel {level}).",
        "Le domaine le plus faible : {name} (niveau {level}).",
        "O domínio mais fraco: {name} (nível {level}).",
    ),
    "no_bottleneck": (
        "No domain has a level yet.",
        "Ningún dominio tiene nivel todavía.",
        "Aucun domaine n'a encore de niveau.",
        "Nenhum domínio tem nível ainda.",
    ),
    "priorities": (
        "Top priority actions",
        "Acciones prioritarias",
        "Actions prioritaires",
        "Ações prioritárias",
    ),
    "no_priorities": (
        "No actions to list yet.",
        "Todavía no hay acciones que mostrar.",
        "Aucune action à proposer pour l'instant.",
        "Ainda não há ações a listar.",
    ),
    # --- columns
    "col_domain": ("Domain", "Dominio", "Domaine", "Domínio"),
    "col_name": ("Name", "Nombre", "Nom", "Nome"),
    "col_level": ("Level", "Nivel", "Niveau", "Nível"),
    "col_level_name": ("Level name", "Nombre del nivel", "Nom du niveau", "Nome do nível"),
    "col_score": ("Score", "Puntuación", "Score", "Pontuação"),
    "confidence": (
        "Data confidence",
        "Confianza en los datos",
        "Fiabilité des données",
        "Confiança nos dados",
    ),
    "confidence_note": (
        "Shares of the questions asked in each domain (computed and not relevant indicators left "
        "out). Evidence: how many answers rest on a document, on data (audit, register, "
        "observation) or on an estimate.",
        "Proporción de las preguntas planteadas en cada dominio (sin los indicadores calculados "
        "ni los que no aplican). Evidencia: cuántas respuestas se basan en un documento, en datos "
        "(auditoría, registro, observación) o en una estimación.",
        "Parts des questions posées dans chaque domaine (hors indicateurs calculés et non "
        "pertinents). Justificatifs : combien de réponses reposent sur un document, sur des "
        "données (audit, registre, observation) ou sur une estimation.",
        "Proporção das perguntas feitas em cada domínio (sem os indicadores calculados nem os "
        "que não se aplicam). Evidência: quantas respostas se baseiam em um documento, em dados "
        "(auditoria, registro, observação) ou em uma estimativa.",
    ),
    "col_answered": ("Answered", "Respondidas", "Répondues", "Respondidas"),
    "col_not_measured": ("Not measured", "No medido", "Non mesuré", "Não medido"),
    "col_evidence_groups": (
        "Document · data · estimate",
        "Documento · datos · estimación",
        "Document · données · estimation",
        "Documento · dados · estimativa",
    ),
    "col_disagreements": ("Disagreements", "Desacuerdos", "Désaccords", "Divergências"),
    "all_domains": ("All domains", "Todos los dominios", "Tous les domaines", "Todos os domínios"),
    "disagreements_settled": (
        "settled by the coordinator: {settled} · unresolved: {unresolved}",
        "resueltos por el coordinador: {settled} · sin resolver: {unresolved}",
        "tranchés par le coordinateur : {settled} · non résolus : {unresolved}",
        "resolvidas pelo coordenador: {settled} · não resolvidas: {unresolved}",
    ),
    "confidence_sentence_one": (
        "Of the {n} question asked, {answered} answered, {dont_know} don't know, {not_measured} "
        "not measured.",
        "De la {n} pregunta planteada: {answered} respondidas, {dont_know} no sabe, "
        "{not_measured} no medido.",
        "Sur la {n} question posée : {answered} répondues, {dont_know} ne sait pas, "
        "{not_measured} non mesuré.",
        "Da {n} pergunta feita: {answered} respondidas, {dont_know} não sabe, {not_measured} não "
        "medido.",
    ),
    "confidence_sentence_other": (
        "Of the {n} questions asked, {answered} answered, {dont_know} don't know, {not_measured} "
        "not measured.",
        "De las {n} preguntas planteadas: {answered} respondidas, {dont_know} no sabe, "
        "{not_measured} no medido.",
        "Sur les {n} questions posées : {answered} répondues, {dont_know} ne sait pas, "
        "{not_measured} non mesuré.",
        "Das {n} perguntas feitas: {answered} respondidas, {dont_know} não sabe, {not_measured} "
        "não medido.",
    ),
    "disagreements_sentence_one": (
        "{n} question had differing answers from contributors: {settled} settled by the "
        "coordinator, {unresolved} unresolved (the lowest level counts).",
        "{n} pregunta tuvo respuestas distintas de los participantes: {settled} resuelta por el "
        "coordinador, {unresolved} sin resolver (cuenta el nivel más bajo).",
        "{n} question a reçu des réponses différentes des contributeurs : {settled} tranchée par "
        "le coordinateur, {unresolved} non résolue (le niveau le plus bas compte).",
        "{n} pergunta teve respostas diferentes dos participantes: {settled} resolvida pelo "
        "coordenador, {unresolved} não resolvida (conta o nível mais baixo).",
    ),
    "disagreements_sentence_other": (
        "{n} questions had differing answers from contributors: {settled} settled by the "
        "coordinator, {unresolved} unresolved (the lowest level counts).",
        "{n} preguntas tuvieron respuestas distintas de los participantes: {settled} resueltas "
        "por el coordinador, {unresolved} sin resolver (cuenta el nivel más bajo).",
        "{n} questions ont reçu des réponses différentes des contributeurs : {settled} tranchées "
        "par le coordinateur, {unresolved} non résolues (le niveau le plus bas compte).",
        "{n} perguntas tiveram respostas diferentes dos participantes: {settled} resolvidas pelo "
        "coordenador, {unresolved} não resolvidas (conta o nível mais baixo).",
    ),
    "no_disagreements": (
        "Contributors gave no differing answers.",
        "Los participantes no dieron respuestas distintas.",
        "Les contributeurs n'ont donné aucune réponse divergente.",
        "Os participantes não deram respostas diferentes.",
    ),
    "col_completeness": ("Completeness", "Completitud", "Complétude", "Completude"),
    "col_dont_know": ("Don't know", "No sabe", "Ne sait pas", "Não sabe"),
    "col_provisional": ("Provisional", "Provisional", "Provisoire", "Provisório"),
    "col_capped_by": ("Capped by", "Limitado por", "Plafonné par", "Limitado por"),
    "col_weight": ("Weight", "Peso", "Pondération", "Peso"),
    "col_indicator": ("Indicator", "Indicador", "Indicateur", "Indicador"),
    "col_id": ("Id", "Id", "Id", "Id"),
    "col_question": ("Question", "Pregunta", "Question", "Pergunta"),
    "col_answer": ("Answer", "Respuesta", "Réponse", "Resposta"),
    "col_answer_code": (
        "Answer code",
        "Código de respuesta",
        "Code de réponse",
        "Código da resposta",
    ),
    "col_answer_label": (
        "Answer label",
        "Texto de la respuesta",
        "Libellé de la réponse",
        "Texto da resposta",
    ),
    "col_state": ("State", "Estado", "État", "Estado"),
    "col_note": ("Note", "Nota", "Note", "Nota"),
    "col_evidence": ("Evidence", "Evidencia", "Justificatif", "Evidência"),
    "col_flags": ("Flags", "Alertas", "Signalements", "Alertas"),
    "col_disagreement": (
        "Unresolved disagreement",
        "Desacuerdo sin resolver",
        "Désaccord non résolu",
        "Divergência não resolvida",
    ),
    "col_conflict": (
        "Sync conflict",
        "Conflicto de sincronización",
        "Conflit de synchronisation",
        "Conflito de sincronização",
    ),
    "col_source_of_answer": (
        "How the city answer was set",
        "Cómo se fijó la respuesta",
        "Origine de la réponse",
        "Como a resposta foi definida",
    ),
    "col_changed_by": (
        "Last changed by",
        "Último cambio por",
        "Dernière modification par",
        "Última alteração por",
    ),
    "col_changed_at": (
        "Last changed (UTC)",
        "Último cambio (UTC)",
        "Dernière modification (UTC)",
        "Última alteração (UTC)",
    ),
    "col_rationale": ("Rationale", "Justificación", "Justification", "Justificativa"),
    "col_step": ("Step", "Paso", "Étape", "Passo"),
    "col_reason": ("Reason", "Motivo", "Motif", "Motivo"),
    "col_current_level": ("Current level", "Nivel actual", "Niveau actuel", "Nível atual"),
    "col_target_level": ("Target level", "Nivel objetivo", "Niveau visé", "Nível alvo"),
    "col_action": ("Action", "Acción", "Action", "Ação"),
    "col_when": ("When (UTC)", "Cuándo (UTC)", "Quand (UTC)", "Quando (UTC)"),
    "col_who": ("Who", "Quién", "Qui", "Quem"),
    "col_device": ("Device", "Dispositivo", "Appareil", "Dispositivo"),
    "col_subject": ("Answer of", "Respuesta de", "Réponse de", "Resposta de"),
    "col_from": ("From", "De", "De", "De"),
    "col_to": ("To", "A", "À", "Para"),
    "col_role": ("Role", "Función", "Fonction", "Função"),
    "col_institution": ("Institution", "Institución", "Établissement", "Instituição"),
    "col_answers": ("Answers given", "Respuestas dadas", "Réponses données", "Respostas dadas"),
    "col_contributor": ("Contributor", "Participante", "Contributeur", "Participante"),
    "col_section": ("Section", "Sección", "Section", "Seção"),
    "col_type": ("Type", "Tipo", "Type", "Tipo"),
    "col_unit": ("Unit", "Unidad", "Unité", "Unidade"),
    "col_range": ("Allowed range", "Rango permitido", "Plage autorisée", "Faixa permitida"),
    "col_required": ("Required", "Obligatoria", "Obligatoire", "Obrigatória"),
    "col_scored": ("Scored", "Puntúa", "Noté", "Pontuada"),
    "col_core": ("Core", "Básico", "Essentiel", "Essencial"),
    "col_level_by": ("Level from", "Nivel según", "Niveau selon", "Nível segundo"),
    "col_options": (
        "Options and levels",
        "Opciones y niveles",
        "Options et niveaux",
        "Opções e níveis",
    ),
    "col_relevance": ("Asked when", "Se pregunta si", "Posée si", "Perguntada se"),
    "col_source": ("Source", "Fuente", "Source", "Fonte"),
    "col_gate": ("Gate", "Compuerta", "Verrou", "Bloqueio"),
    "col_fires_when": ("Fires when", "Se activa cuando", "Se déclenche si", "Dispara quando"),
    "col_caps": ("Caps", "Limita", "Plafonne", "Limita"),
    "col_revision": ("Revision id", "Id. de la revisión", "Id. de la révision", "Id. da revisão"),
    "col_definition": ("Definition", "Definición", "Définition", "Definição"),
    "col_changed": ("Changed (UTC)", "Cambio (UTC)", "Modifié (UTC)", "Alterado (UTC)"),
    "col_to_confirm": ("To confirm", "Por confirmar", "À confirmer", "A confirmar"),
    # --- values
    "yes": ("yes", "sí", "oui", "sim"),
    "no": ("no", "no", "non", "não"),
    "none": ("—", "—", "—", "—"),
    "level_n": ("Level {level}", "Nivel {level}", "Niveau {level}", "Nível {level}"),
    "no_level": ("No level", "Sin nivel", "Pas de niveau", "Sem nível"),
    "state_answered": ("Answered", "Respondida", "Répondu", "Respondida"),
    "state_dont_know": ("Don't know", "No sabe", "Ne sait pas", "Não sabe"),
    "state_not_applicable": ("Not applicable", "No aplica", "Sans objet", "Não se aplica"),
    "state_not_measured": ("Not measured", "No medido", "Non mesuré", "Não medido"),
    "state_unanswered": ("Not answered yet", "Sin responder", "Sans réponse", "Sem resposta"),
    "state_not_relevant": (
        "Skipped (does not apply here)",
        "Omitida (no corresponde)",
        "Ignorée (ne s'applique pas)",
        "Omitida (não se aplica)",
    ),
    "evidence_document": ("Document", "Documento", "Document", "Documento"),
    "evidence_audit": ("Audit", "Auditoría", "Audit", "Auditoria"),
    "evidence_register": ("Register", "Registro", "Registre", "Registro"),
    "evidence_observation": ("Observation", "Observación", "Observation", "Observação"),
    "evidence_estimate": ("Estimate", "Estimación", "Estimation", "Estimativa"),
    "reason_gate": ("Gate", "Compuerta", "Verrou", "Bloqueio"),
    "reason_gain": ("Largest gain", "Mayor mejora", "Gain le plus fort", "Maior ganho"),
    "flag_disagreement": (
        "unresolved disagreement",
        "desacuerdo sin resolver",
        "désaccord non résolu",
        "divergência não resolvida",
    ),
    "flag_conflict": (
        "sync conflict",
        "conflicto de sincronización",
        "conflit de synchronisation",
        "conflito de sincronização",
    ),
    "flag_data_gap": ("data gap", "dato faltante", "donnée manquante", "dado ausente"),
    "flag_constraint": (
        "fails a consistency check",
        "no supera un control de coherencia",
        "échoue à un contrôle de cohérence",
        "falha num controle de coerência",
    ),
    "flag_to_confirm": ("to confirm", "por confirmar", "à confirmer", "a confirmar"),
    "how_one": (
        "Answered by one contributor: {names}",
        "Respondida por un solo participante: {names}",
        "Réponse d'un seul contributeur\u00a0: {names}",
        "Respondida por um único participante: {names}",
    ),
    "how_agreed": (
        "All contributors agreed: {names}",
        "Todos los participantes coinciden: {names}",
        "Tous les contributeurs sont d'accord\u00a0: {names}",
        "Todos os participantes concordam: {names}",
    ),
    "how_coordinator": (
        "Set by the coordinator {name} on {when}",
        "Fijada por el coordinador {name} el {when}",
        "Fixée par le coordinateur {name} le {when}",
        "Definida pelo coordenador {name} em {when}",
    ),
    "how_coordinator_unnamed": (
        "Set by the coordinator on {when}",
        "Fijada por el coordinador el {when}",
        "Fixée par le coordinateur le {when}",
        "Definida pelo coordenador em {when}",
    ),
    "how_disagreement": (
        "Unresolved disagreement: the lowest level counts, the answer of {names}",
        "Desacuerdo sin resolver: cuenta el nivel más bajo, la respuesta de {names}",
        "Désaccord non résolu\u00a0: le niveau le plus bas compte, la réponse de {names}",
        "Divergência não resolvida: conta o nível mais baixo, a resposta de {names}",
    ),
    "how_disagreement_unnamed": (
        "Unresolved disagreement: the lowest level counts",
        "Desacuerdo sin resolver: cuenta el nivel más bajo",
        "Désaccord non résolu\u00a0: le niveau le plus bas compte",
        "Divergência não resolvida: conta o nível mais baixo",
    ),
    "how_computed": (
        "Computed from {ids}",
        "Calculada a partir de {ids}",
        "Calculée à partir de {ids}",
        "Calculada a partir de {ids}",
    ),
    "how_set_one": (
        "One contributor",
        "Un solo participante",
        "Un seul contributeur",
        "Um único participante",
    ),
    "how_set_agreed": (
        "All contributors agreed",
        "Todos los participantes coinciden",
        "Tous les contributeurs d'accord",
        "Todos os participantes concordam",
    ),
    "how_set_coordinator": (
        "Set by the coordinator",
        "Fijada por el coordinador",
        "Fixée par le coordinateur",
        "Definida pelo coordenador",
    ),
    "how_set_disagreement": (
        "Unresolved disagreement",
        "Desacuerdo sin resolver",
        "Désaccord non résolu",
        "Divergência não resolvida",
    ),
    "how_set_computed": ("Computed", "Calculada", "Calculée", "Calculada"),
    "subject_city": (
        "City answer",
        "Respuesta de la ciudad",
        "Réponse de la ville",
        "Resposta da cidade",
    ),
    "gate_any": (
        "any of {ids} below level {level}",
        "alguno de {ids} por debajo del nivel {level}",
        "l'un de {ids} sous le niveau {level}",
        "algum de {ids} abaixo do nível {level}",
    ),
    "gate_all": (
        "all of {ids} below level {level}",
        "todos {ids} por debajo del nivel {level}",
        "tous {ids} sous le niveau {level}",
        "todos {ids} abaixo do nível {level}",
    ),
    "range_from_to": ("{low} to {high}", "{low} a {high}", "{low} à {high}", "{low} a {high}"),
    "range_at_least": ("at least {low}", "como mínimo {low}", "au moins {low}", "no mínimo {low}"),
    "range_at_most": ("at most {high}", "como máximo {high}", "au plus {high}", "no máximo {high}"),
    # --- domain sections
    "domain_level": (
        "Level {level}: {name}",
        "Nivel {level}: {name}",
        "Niveau {level} : {name}",
        "Nível {level}: {name}",
    ),
    "domain_no_level": (
        "No level: no scored answers in this domain yet.",
        "Sin nivel: este dominio aún no tiene respuestas puntuables.",
        "Pas de niveau : ce domaine n'a encore aucune réponse notée.",
        "Sem nível: este domínio ainda não tem respostas pontuáveis.",
    ),
    "domain_score": (
        "Score {score} of 5",
        "Puntuación {score} de 5",
        "Score {score} sur 5",
        "Pontuação {score} de 5",
    ),
    "completeness_line": (
        "Completeness: {answered} answered, {dont_know} don't know or not measured.",
        "Completitud: {answered} respondidas, {dont_know} «no sabe» o no medidas.",
        "Complétude : {answered} renseignés, {dont_know} « ne sait pas » ou non mesurés.",
        "Completude: {answered} respondidas, {dont_know} «não sabe» ou não medidas.",
    ),
    "provisional_mark": ("PROVISIONAL", "PROVISIONAL", "PROVISOIRE", "PROVISÓRIO"),
    "provisional_note": (
        "Provisional: fewer than 80% of the indicators are answered, or a gate cannot be judged "
        "yet.",
        "Provisional: menos del 80 % de los indicadores tienen respuesta, o una compuerta aún no "
        "puede evaluarse.",
        "Provisoire : moins de 80 % des indicateurs sont renseignés, ou un verrou ne peut pas "
        "encore être évalué.",
        "Provisório: menos de 80% dos indicadores têm resposta, ou um bloqueio ainda não pode ser "
        "avaliado.",
    ),
    "capped_note": (
        "Capped at level {cap} (the score alone gives level {uncapped}): {message}",
        "Limitado al nivel {cap} (la puntuación sola daría el nivel {uncapped}): {message}",
        "Plafonné au niveau {cap} (le score seul donnerait le niveau {uncapped}) : {message}",
        "Limitado ao nível {cap} (a pontuação sozinha daria o nível {uncapped}): {message}",
    ),
    "pending_gate_note": (
        "Cannot be judged until {ids} is answered: {message}",
        "No puede evaluarse hasta que se responda {ids}: {message}",
        "Ne peut être évalué tant que {ids} n'est pas renseigné : {message}",
        "Não pode ser avaliado até que {ids} seja respondido: {message}",
    ),
    "not_capped": (
        "No gate caps this domain.",
        "Ninguna compuerta limita este dominio.",
        "Aucun verrou ne plafonne ce domaine.",
        "Nenhum bloqueio limita este domínio.",
    ),
    "indicators": ("Indicators", "Indicadores", "Indicateurs", "Indicadores"),
    "path_to_level": (
        "Path to level {level}",
        "Camino al nivel {level}",
        "Chemin vers le niveau {level}",
        "Caminho para o nível {level}",
    ),
    "path_to_next": (
        "Path to the next level",
        "Camino al siguiente nivel",
        "Chemin vers le niveau suivant",
        "Caminho para o próximo nível",
    ),
    "path_top": (
        "This domain is at the highest level.",
        "Este dominio está en el nivel más alto.",
        "Ce domaine est au niveau le plus élevé.",
        "Este domínio está no nível mais alto.",
    ),
    "path_none": (
        "Answer the indicators of this domain to see its path to the next level.",
        "Responda los indicadores de este dominio para ver su camino al siguiente nivel.",
        "Renseignez les indicateurs de ce domaine pour voir son chemin vers le niveau suivant.",
        "Responda aos indicadores deste domínio para ver o caminho para o próximo nível.",
    ),
    "data_gaps": ("Data gaps", "Datos faltantes", "Données manquantes", "Dados ausentes"),
    "data_gaps_none": (
        "No data gaps.",
        "No faltan datos.",
        "Aucune donnée manquante.",
        "Nenhum dado ausente.",
    ),
    "unanswered_list": (
        "Not answered yet: {ids}",
        "Sin responder: {ids}",
        "Sans réponse : {ids}",
        "Sem resposta: {ids}",
    ),
    # --- method
    "method": ("Method", "Método", "Méthode", "Método"),
    "method_levels": (
        "The five levels",
        "Los cinco niveles",
        "Les cinq niveaux",
        "Os cinco níveis",
    ),
    "method_scoring": (
        "How levels are computed",
        "Cómo se calculan los niveles",
        "Calcul des niveaux",
        "Como os níveis são calculados",
    ),
    "method_text": (
        (
            "Each answer maps to a level from 1 to 5 through the questionnaire's own mapping. "
            '"Don\'t know" and "not measured" count as level 1 and are listed as data gaps; '
            '"not applicable" and skipped questions are left out; unanswered questions are left '
            "out of the score and lower completeness.",
            "A domain's score is the weighted mean of its indicator levels (1.0 to 5.0). Its level "
            "is the score rounded down, then capped by any gate that fires.",
            "A gate is a critical rule: when its indicators are below a threshold, it caps the "
            "levels of the domains it names, whatever their score. A gate whose indicators are "
            "unanswered cannot be judged, and the domains it caps are marked provisional.",
            "Completeness is the share of applicable indicators with a response. A domain below "
            "80% is marked provisional wherever it is shown.",
            "Where contributors disagree and no city answer was set, the lowest of their levels "
            "counts and the indicator is marked as an unresolved disagreement.",
            "The path to the next level lists first the gates that block it, then the indicators "
            "whose improvement raises the domain score most (weight times distance to the next "
            "level), each with the action from the questionnaire.",
            "The overall score is the weighted mean of the domain scores; the bottleneck is the "
            "domain with the lowest level.",
        ),
        (
            "Cada respuesta corresponde a un nivel de 1 a 5 según la tabla del propio cuestionario. "
            "«No sabe» y «no medido» cuentan como nivel 1 y se listan como datos faltantes; «no "
            "aplica» y las preguntas omitidas quedan fuera; las preguntas sin responder no entran "
            "en la puntuación y reducen la completitud.",
            "La puntuación de un dominio es la media ponderada de los niveles de sus indicadores "
            "(de 1,0 a 5,0). Su nivel es la puntuación redondeada hacia abajo y luego limitada por "
            "las compuertas que se activen.",
            "Una compuerta es una regla crítica: cuando sus indicadores están por debajo de un "
            "umbral, limita el nivel de los dominios que nombra, sea cual sea su puntuación. Una "
            "compuerta cuyos indicadores no tienen respuesta no puede evaluarse y los dominios que "
            "limita se marcan como provisionales.",
            "La completitud es la proporción de indicadores aplicables con respuesta. Un dominio "
            "por debajo del 80 % se marca como provisional en todas partes.",
            "Cuando los participantes no coinciden y no se fijó una respuesta de la ciudad, cuenta "
            "el nivel más bajo y el indicador se marca como desacuerdo sin resolver.",
            "El camino al siguiente nivel muestra primero las compuertas que lo bloquean y luego "
            "los indicadores cuya mejora más eleva la puntuación del dominio (peso por distancia al "
            "siguiente nivel), cada uno con la acción del cuestionario.",
            "La puntuación global es la media ponderada de las puntuaciones de los dominios; el "
            "cuello de botella es el dominio con el nivel más bajo.",
        ),
        (
            "Chaque réponse correspond à un niveau de 1 à 5 selon la grille du questionnaire. "
            "« Ne sait pas » et « non mesuré » comptent comme niveau 1 et sont listés comme données "
            "manquantes ; « sans objet » et les questions ignorées sont exclus ; les questions sans "
            "réponse sont exclues du score et réduisent la complétude.",
            "Le score d'un domaine est la moyenne pondérée des niveaux de ses indicateurs (de 1,0 à "
            "5,0). Son niveau est le score arrondi à l'entier inférieur, puis plafonné par les "
            "verrous déclenchés.",
            "Un verrou est une règle critique : lorsque ses indicateurs sont sous un seuil, il "
            "plafonne le niveau des domaines qu'il désigne, quel que soit leur score. Un verrou "
            "dont les indicateurs sont sans réponse ne peut pas être évalué et les domaines qu'il "
            "plafonne sont marqués provisoires.",
            "La complétude est la part des indicateurs applicables ayant une réponse. Un domaine "
            "sous 80 % est marqué provisoire partout où il apparaît.",
            "Lorsque les contributeurs divergent et qu'aucune réponse de la ville n'a été fixée, le "
            "niveau le plus bas compte et l'indicateur est signalé comme désaccord non résolu.",
            "Le chemin vers le niveau suivant liste d'abord les verrous qui le bloquent, puis les "
            "indicateurs dont l'amélioration augmente le plus le score du domaine (pondération "
            "multipliée par l'écart au niveau suivant), chacun avec l'action du questionnaire.",
            "Le score global est la moyenne pondérée des scores des domaines ; le goulot "
            "d'étranglement est le domaine de plus faible niveau.",
        ),
        (
            "Cada resposta corresponde a um nível de 1 a 5 segundo a tabela do próprio "
            "questionário. «Não sabe» e «não medido» contam como nível 1 e são listados como dados "
            "ausentes; «não se aplica» e perguntas omitidas ficam de fora; perguntas sem resposta "
            "não entram na pontuação e reduzem a completude.",
            "A pontuação de um domínio é a média ponderada dos níveis dos seus indicadores (de 1,0 "
            "a 5,0). O nível é a pontuação arredondada para baixo e depois limitada pelos "
            "bloqueios acionados.",
            "Um bloqueio é uma regra crítica: quando seus indicadores estão abaixo de um limiar, "
            "ele limita o nível dos domínios que indica, seja qual for a pontuação. Um bloqueio "
            "cujos indicadores não têm resposta não pode ser avaliado, e os domínios que ele limita "
            "são marcados como provisórios.",
            "A completude é a proporção de indicadores aplicáveis com resposta. Um domínio abaixo "
            "de 80% é marcado como provisório em todos os lugares.",
            "Quando os participantes divergem e nenhuma resposta da cidade foi definida, conta o "
            "nível mais baixo e o indicador é marcado como divergência não resolvida.",
            "O caminho para o próximo nível lista primeiro os bloqueios que o impedem e depois os "
            "indicadores cuja melhoria mais eleva a pontuação do domínio (peso vezes a distância "
            "ao próximo nível), cada um com a ação do questionário.",
            "A pontuação global é a média ponderada das pontuações dos domínios; o gargalo é o "
            "domínio com o nível mais baixo.",
        ),
    ),
    "method_gates": ("Gates", "Compuertas", "Verrous", "Bloqueios"),
    "method_no_gates": (
        "This questionnaire has no gates.",
        "Este cuestionario no tiene compuertas.",
        "Ce questionnaire n'a pas de verrou.",
        "Este questionário não tem bloqueios.",
    ),
    "method_weights": (
        "Domain weights",
        "Pesos de los dominios",
        "Pondération des domaines",
        "Pesos dos domínios",
    ),
    "product_judgement": (
        "product judgement",
        "criterio del producto",
        "jugement du produit",
        "julgamento do produto",
    ),
    "method_judgement": (
        "Thresholds set by judgement",
        "Umbrales fijados por criterio propio",
        "Seuils fixés par jugement",
        "Limiares definidos por julgamento",
    ),
    "judgement_note": (
        'Thresholds whose source ends with "(product judgement)" are this product\'s own '
        "judgement where published benchmarks are missing or could not be verified; read them as "
        "reasonable targets, not as standards.",
        'Los umbrales cuya fuente termina en "(criterio del producto)" son criterio propio de este '
        "producto cuando faltan referencias publicadas o no pudieron verificarse; deben leerse "
        "como metas razonables, no como estándares.",
        'Les seuils dont la source se termine par "(jugement du produit)" relèvent du jugement '
        "propre à ce produit lorsque les références publiées manquent ou n'ont pu être vérifiées ; "
        "ce sont des cibles raisonnables, pas des normes.",
        'Os limiares cuja fonte termina em "(julgamento do produto)" são julgamento próprio deste '
        "produto quando faltam referências publicadas ou não foi possível verificá-las; devem ser "
        "lidos como metas razoáveis, não como padrões.",
    ),
    "fonts_note": (
        "Characters that the report's font cannot draw (some scripts and symbols) appear as "
        "boxes in this PDF; the Excel export keeps every text exactly.",
        "Los caracteres que la fuente del informe no puede dibujar (algunas escrituras y "
        "símbolos) aparecen como recuadros en este PDF; la exportación a Excel conserva todos "
        "los textos exactos.",
        "Les caractères que la police du rapport ne sait pas dessiner (certaines écritures et "
        "symboles) apparaissent comme des carrés dans ce PDF ; l'export Excel conserve tous les "
        "textes à l'identique.",
        "Os caracteres que a fonte do relatório não consegue desenhar (algumas escritas e "
        "símbolos) aparecem como quadrados neste PDF; a exportação para Excel mantém todos os "
        "textos exatos.",
    ),
    # --- appendix
    "appendix": (
        "Appendix: every answer",
        "Anexo: todas las respuestas",
        "Annexe : toutes les réponses",
        "Anexo: todas as respostas",
    ),
    "appendix_intro": (
        "Every indicator with the city answer, its note and evidence, and each contributor's own "
        "answer. Unresolved disagreements and sync conflicts are marked.",
        "Cada indicador con la respuesta de la ciudad, su nota y evidencia, y la respuesta de "
        "cada participante. Se marcan los desacuerdos sin resolver y los conflictos de "
        "sincronización.",
        "Chaque indicateur avec la réponse de la ville, sa note et son justificatif, et la "
        "réponse de chaque contributeur. Les désaccords non résolus et les conflits de "
        "synchronisation sont signalés.",
        "Cada indicador com a resposta da cidade, sua nota e evidência, e a resposta de cada "
        "participante. Divergências não resolvidas e conflitos de sincronização são marcados.",
    ),
    "city_answer": (
        "City answer",
        "Respuesta de la ciudad",
        "Réponse de la ville",
        "Resposta da cidade",
    ),
    "contributor_answers": (
        "Contributors' answers",
        "Respuestas de los participantes",
        "Réponses des contributeurs",
        "Respostas dos participantes",
    ),
    "no_contributor_answers": (
        "No contributor has answered.",
        "Ningún participante respondió.",
        "Aucun contributeur n'a répondu.",
        "Nenhum participante respondeu.",
    ),
    "truncated_pdf": (
        "(truncated, {n} characters; full text in the appendix)",
        "(truncado, {n} caracteres; texto completo en el anexo)",
        "(tronqué, {n}\u00a0caractères\u00a0; texte complet en annexe)",
        "(truncado, {n} caracteres; texto completo no anexo)",
    ),
    "truncated_pdf_export": (
        "(truncated, {n} characters; full text in the Excel and CSV exports)",
        "(truncado, {n} caracteres; texto completo en las exportaciones Excel y CSV)",
        "(tronqué, {n}\u00a0caractères\u00a0; texte complet dans les exports Excel et CSV)",
        "(truncado, {n} caracteres; texto completo nas exportações Excel e CSV)",
    ),
    # --- Excel
    "sheet_summary": ("Summary", "Resumen", "Synthèse", "Resumo"),
    "sheet_answers": ("Answers", "Respuestas", "Réponses", "Respostas"),
    "sheet_path": (
        "Path to next level",
        "Camino al siguiente nivel",
        "Chemin niveau suivant",
        "Caminho próximo nível",
    ),
    "sheet_dictionary": (
        "Data dictionary",
        "Diccionario de datos",
        "Dictionnaire de données",
        "Dicionário de dados",
    ),
    "sheet_audit": (
        "Audit trail",
        "Historial de cambios",
        "Historique des modifications",
        "Histórico de alterações",
    ),
    "sheet_contributors": ("Contributors", "Participantes", "Contributeurs", "Participantes"),
    "truncated_cell": (
        " … [truncated: {n} characters in total]",
        " … [truncado: {n} caracteres en total]",
        " … [tronqué : {n} caractères au total]",
        " … [truncado: {n} caracteres no total]",
    ),
    "truncated_sheet_note": (
        "Some texts on this sheet exceed Excel's limit of 32,767 characters per cell and were "
        'truncated where marked "[truncated"; the CSV export (readiness report --csv) and the '
        "appendix of the PDF report keep the full text.",
        "Algunos textos de esta hoja superan el límite de Excel de 32 767 caracteres por celda y "
        'se truncaron donde dice "[truncado"; la exportación CSV (readiness report --csv) y el '
        "anexo del informe PDF conservan el texto completo.",
        "Certains textes de cette feuille dépassent la limite Excel de 32 767 caractères par "
        'cellule et ont été tronqués là où figure "[tronqué"\u00a0; l\'export CSV (readiness '
        "report --csv) et l'annexe du rapport PDF conservent le texte complet.",
        "Alguns textos desta planilha excedem o limite do Excel de 32.767 caracteres por célula e "
        'foram truncados onde aparece "[truncado"; a exportação CSV (readiness report --csv) e o '
        "anexo do relatório PDF mantêm o texto completo.",
    ),
    "control_sheet_note": (
        "Control characters that Excel cannot store were replaced by markers such as [U+0001].",
        "Los caracteres de control que Excel no admite se sustituyeron por marcas como [U+0001].",
        "Les caractères de contrôle qu'Excel ne peut pas stocker ont été remplacés par des "
        "marques comme [U+0001].",
        "Os caracteres de controle que o Excel não aceita foram substituídos por marcas como "
        "[U+0001].",
    ),
    "chart_alt": (
        "Radar chart of the domain scores on a scale of 1 to 5: {values}. The table below gives "
        "the same figures with the levels.",
        "Gráfico radar de las puntuaciones por dominio en una escala de 1 a 5: {values}. La tabla "
        "siguiente da las mismas cifras con los niveles.",
        "Graphique radar des scores par domaine sur une échelle de 1 à 5 : {values}. Le tableau "
        "ci-dessous donne les mêmes chiffres avec les niveaux.",
        "Gráfico radar das pontuações por domínio numa escala de 1 a 5: {values}. A tabela abaixo "
        "dá os mesmos números com os níveis.",
    ),
    "chart_title": (
        "Domain scores (1 to 5)",
        "Puntuación por dominio (1 a 5)",
        "Scores par domaine (1 à 5)",
        "Pontuação por domínio (1 a 5)",
    ),
}

_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}


def text(key: str, lang: str) -> str:
    """One fixed string in `lang` (English when the language is unknown)."""
    value = _TEXTS[key][_INDEX.get(lang, _INDEX[DEFAULT_LANGUAGE])]
    if isinstance(value, tuple):
        return no_break_spaces("\n\n".join(value), lang)
    return no_break_spaces(value, lang)


def paragraphs(key: str, lang: str) -> tuple[str, ...]:
    """A fixed text made of several paragraphs (the method section)."""
    value = _TEXTS[key][_INDEX.get(lang, _INDEX[DEFAULT_LANGUAGE])]
    found = value if isinstance(value, tuple) else (value,)
    return tuple(no_break_spaces(p, lang) for p in found)


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
