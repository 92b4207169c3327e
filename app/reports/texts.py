"""The report's own fixed strings (titles, column headers, method text) in en, es, fr and pt.

Questionnaire content (domain names, questions, actions, level definitions) comes translated from
the definition file; only the words the report itself adds live here. Placeholders use
`str.format` names, so a translation may move them around.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES

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
    "overall_score": ("Overall score", "Puntuación global", "Score global", "Pontuação global"),
    "overall_note": (
        "Weighted mean of the capped domain scores (weights in the method section).",
        "Media ponderada de las puntuaciones limitadas de los dominios (pesos en la sección de "
        "método).",
        "Moyenne pondérée des scores plafonnés des domaines (pondérations dans la section méthode).",
        "Média ponderada das pontuações limitadas dos domínios (pesos na seção de método).",
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
    "col_completeness": ("Completeness", "Completitud", "Complétude", "Completude"),
    "col_dont_know": ("Don't know", "No sabe", "Ne sait pas", "Não sabe"),
    "col_provisional": ("Provisional", "Provisional", "Provisoire", "Provisório"),
    "col_capped_by": ("Capped by", "Limitado por", "Plafonné par", "Limitado por"),
    "col_uncapped": (
        "Score before gates",
        "Puntuación antes de las compuertas",
        "Score avant verrous",
        "Pontuação antes dos bloqueios",
    ),
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
    "derived": (
        "Agreed by the contributors",
        "Acordada por los participantes",
        "Commune aux contributeurs",
        "Acordada pelos participantes",
    ),
    "set_by_coordinator": (
        "Set by the coordinator",
        "Fijada por el coordinador",
        "Fixée par le coordinateur",
        "Definida pelo coordenador",
    ),
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
    # --- domain sections
    "domain_level": (
        "Level {level}: {name}",
        "Nivel {level}: {name}",
        "Niveau {level} : {name}",
        "Nível {level}: {name}",
    ),
    "domain_no_level": (
        "No level: insufficient data (fewer than half of this domain's questions have a known "
        "answer).",
        "Sin nivel: datos insuficientes (menos de la mitad de las preguntas de este dominio tiene "
        "una respuesta conocida).",
        "Pas de niveau : données insuffisantes (moins de la moitié des questions de ce domaine "
        "ont une réponse connue).",
        "Sem nível: dados insuficientes (menos da metade das perguntas deste domínio tem resposta "
        "conhecida).",
    ),
    "domain_score": (
        "Score {score} of 5",
        "Puntuación {score} de 5",
        "Score {score} sur 5",
        "Pontuação {score} de 5",
    ),
    "domain_score_capped": (
        "Score {score} of 5 (capped by a gate; {uncapped} before gates)",
        "Puntuación {score} de 5 (limitada por una compuerta; {uncapped} antes de las compuertas)",
        "Score {score} sur 5 (plafonné par un verrou ; {uncapped} avant verrous)",
        "Pontuação {score} de 5 (limitada por um bloqueio; {uncapped} antes dos bloqueios)",
    ),
    "completeness_line": (
        "Completeness: {answered} answered, {dont_know} don't know or not measured.",
        "Completitud: {answered} respondidas, {dont_know} «no sabe» o no medidas.",
        "Complétude : {answered} renseignés, {dont_know} « ne sait pas » ou non mesurés.",
        "Completude: {answered} respondidas, {dont_know} «não sabe» ou não medidas.",
    ),
    "provisional_mark": ("PROVISIONAL", "PROVISIONAL", "PROVISOIRE", "PROVISÓRIO"),
    "provisional_note": (
        "Provisional: fewer than 80% of the indicators have a response, or a gate fired only "
        "because one of its questions is unanswered.",
        "Provisional: menos del 80 % de los indicadores tienen respuesta, o una compuerta se "
        "activó solo porque una de sus preguntas no tiene respuesta.",
        "Provisoire : moins de 80 % des indicateurs ont une réponse, ou un verrou s'est déclenché "
        "uniquement parce qu'une de ses questions est sans réponse.",
        "Provisório: menos de 80% dos indicadores têm resposta, ou um bloqueio foi acionado só "
        "porque uma de suas perguntas está sem resposta.",
    ),
    "capped_note": (
        "Capped at level {cap} (the score alone gives level {uncapped}): {message}",
        "Limitado al nivel {cap} (la puntuación sola daría el nivel {uncapped}): {message}",
        "Plafonné au niveau {cap} (le score seul donnerait le niveau {uncapped}) : {message}",
        "Limitado ao nível {cap} (a pontuação sozinha daria o nível {uncapped}): {message}",
    ),
    "pending_gate_note": (
        "Counts as fired until {ids} is answered (an unanswered question is a data gap): {message}",
        "Cuenta como activada hasta que se responda {ids} (una pregunta sin respuesta es un dato "
        "faltante): {message}",
        "Compte comme déclenché tant que {ids} n'est pas renseigné (une question sans réponse est "
        "une donnée manquante) : {message}",
        "Conta como acionado até que {ids} seja respondido (uma pergunta sem resposta é um dado "
        "ausente): {message}",
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
            'Every applicable question counts: "don\'t know", "not measured" and unanswered '
            "questions all count as level 1 and are listed as data gaps, so skipping a question "
            'never scores higher than answering it; only "not applicable" leaves it out.',
            "A domain's score before gates is the weighted mean of its indicator levels (1.0 to "
            "5.0). A gate that fires holds both the domain's score and its level at the gate's "
            "cap; the score that counts, shown everywhere, is this capped score, and the level is "
            "it rounded down. The score before gates is shown beside it only when a gate lowered it.",
            "A gate is a critical rule: when its indicators are below a threshold (a data gap "
            "counts as level 1), it caps the domains it names, whatever their score. A gate that "
            "fires because one of its questions is still unanswered marks those domains provisional.",
            "A domain where fewer than half of the applicable questions have a known answer shows "
            '"insufficient data" instead of a level. Completeness is the share of applicable '
            "indicators with a response; a domain below 80% is marked provisional.",
            "Indicators that are the same for every city of a country are shown as national "
            "context and do not weigh on the city's levels.",
            "Where contributors disagree and no city answer was set, the lowest of their levels "
            "counts and the indicator is marked as an unresolved disagreement.",
            "The path to the next level is the fewest indicator steps that together lift the "
            "capped level by one: first the gates that block it, then the steps that add most to "
            "the score. Each step shows its current and target level, the answer to reach and the "
            'score projected once it is done; a data gap gets "measure it" as its action.',
            "The overall score is the weighted mean of the capped domain scores, withheld while "
            "any domain has insufficient data; it lies less than one level above the weighted "
            "mean of the displayed levels. The bottleneck is the domain with the lowest level.",
        ),
        (
            "Cada respuesta corresponde a un nivel de 1 a 5 según la tabla del propio cuestionario. "
            "Toda pregunta aplicable cuenta: «no sabe», «no medido» y las preguntas sin responder "
            "cuentan como nivel 1 y se listan como datos faltantes, de modo que omitir una pregunta "
            "nunca puntúa más que responderla; solo «no aplica» la deja fuera.",
            "La puntuación de un dominio antes de las compuertas es la media ponderada de los "
            "niveles de sus indicadores (de 1,0 a 5,0). Una compuerta activada limita a su tope "
            "tanto la puntuación como el nivel del dominio; la puntuación que cuenta, mostrada en "
            "todas partes, es la limitada, y el nivel es esa puntuación redondeada hacia abajo. La "
            "puntuación antes de las compuertas solo se muestra al lado cuando una compuerta la bajó.",
            "Una compuerta es una regla crítica: cuando sus indicadores están por debajo de un "
            "umbral (un dato faltante cuenta como nivel 1), limita los dominios que nombra, sea cual "
            "sea su puntuación. Si se activa porque una de sus preguntas aún no tiene respuesta, "
            "esos dominios se marcan como provisionales.",
            "Un dominio en el que menos de la mitad de las preguntas aplicables tiene una respuesta "
            "conocida muestra «datos insuficientes» en lugar de un nivel. La completitud es la "
            "proporción de indicadores aplicables con respuesta; por debajo del 80 % el dominio se "
            "marca como provisional.",
            "Los indicadores que son iguales para todas las ciudades de un país se muestran como "
            "contexto nacional y no pesan en los niveles de la ciudad.",
            "Cuando los participantes no coinciden y no se fijó una respuesta de la ciudad, cuenta "
            "el nivel más bajo y el indicador se marca como desacuerdo sin resolver.",
            "El camino al siguiente nivel es el menor número de pasos que juntos elevan en uno el "
            "nivel limitado: primero las compuertas que lo bloquean y luego los pasos que más suman "
            "a la puntuación. Cada paso muestra su nivel actual y el objetivo, la respuesta que hay "
            "que alcanzar y la puntuación prevista al cumplirlo; un dato faltante recibe la acción "
            "«medirlo».",
            "La puntuación global es la media ponderada de las puntuaciones limitadas de los "
            "dominios; no se da mientras algún dominio tenga datos insuficientes y queda menos de "
            "un nivel por encima de la media ponderada de los niveles mostrados. El cuello de "
            "botella es el dominio con el nivel más bajo.",
        ),
        (
            "Chaque réponse correspond à un niveau de 1 à 5 selon la grille du questionnaire. "
            "Toute question applicable compte : « ne sait pas », « non mesuré » et les questions "
            "sans réponse comptent comme niveau 1 et sont listés comme données manquantes, si bien "
            "qu'ignorer une question ne rapporte jamais plus que d'y répondre ; seul « sans objet » "
            "l'exclut.",
            "Le score d'un domaine avant verrous est la moyenne pondérée des niveaux de ses "
            "indicateurs (de 1,0 à 5,0). Un verrou déclenché plafonne à son seuil le score et le "
            "niveau du domaine ; le score qui compte, affiché partout, est ce score plafonné, et le "
            "niveau en est l'arrondi inférieur. Le score avant verrous n'est affiché à côté que "
            "lorsqu'un verrou l'a abaissé.",
            "Un verrou est une règle critique : lorsque ses indicateurs sont sous un seuil (une "
            "donnée manquante compte comme niveau 1), il plafonne les domaines qu'il désigne, quel "
            "que soit leur score. S'il se déclenche parce qu'une de ses questions est encore sans "
            "réponse, ces domaines sont marqués provisoires.",
            "Un domaine dont moins de la moitié des questions applicables ont une réponse connue "
            "affiche « données insuffisantes » au lieu d'un niveau. La complétude est la part des "
            "indicateurs applicables ayant une réponse ; sous 80 %, le domaine est marqué provisoire.",
            "Les indicateurs identiques pour toutes les villes d'un pays sont présentés comme "
            "contexte national et ne pèsent pas sur les niveaux de la ville.",
            "Lorsque les contributeurs divergent et qu'aucune réponse de la ville n'a été fixée, le "
            "niveau le plus bas compte et l'indicateur est signalé comme désaccord non résolu.",
            "Le chemin vers le niveau suivant est le plus petit nombre d'étapes qui, ensemble, "
            "élèvent d'un cran le niveau plafonné : d'abord les verrous qui le bloquent, puis les "
            "étapes qui ajoutent le plus au score. Chaque étape indique son niveau actuel et visé, "
            "la réponse à atteindre et le score prévu une fois réalisée ; une donnée manquante "
            "reçoit l'action « la mesurer ».",
            "Le score global est la moyenne pondérée des scores plafonnés des domaines ; il n'est "
            "pas donné tant qu'un domaine a des données insuffisantes et reste moins d'un niveau "
            "au-dessus de la moyenne pondérée des niveaux affichés. Le goulot d'étranglement est le "
            "domaine de plus faible niveau.",
        ),
        (
            "Cada resposta corresponde a um nível de 1 a 5 segundo a tabela do próprio "
            "questionário. Toda pergunta aplicável conta: «não sabe», «não medido» e perguntas sem "
            "resposta contam como nível 1 e são listados como dados ausentes, de modo que omitir "
            "uma pergunta nunca pontua mais do que respondê-la; só «não se aplica» a deixa de fora.",
            "A pontuação de um domínio antes dos bloqueios é a média ponderada dos níveis dos seus "
            "indicadores (de 1,0 a 5,0). Um bloqueio acionado limita ao seu teto tanto a pontuação "
            "quanto o nível do domínio; a pontuação que conta, mostrada em todo lugar, é a "
            "limitada, e o nível é essa pontuação arredondada para baixo. A pontuação antes dos "
            "bloqueios só aparece ao lado quando um bloqueio a reduziu.",
            "Um bloqueio é uma regra crítica: quando seus indicadores estão abaixo de um limiar (um "
            "dado ausente conta como nível 1), ele limita os domínios que indica, seja qual for a "
            "pontuação. Se for acionado porque uma de suas perguntas ainda está sem resposta, esses "
            "domínios são marcados como provisórios.",
            "Um domínio em que menos da metade das perguntas aplicáveis tem resposta conhecida "
            "mostra «dados insuficientes» em vez de um nível. A completude é a proporção de "
            "indicadores aplicáveis com resposta; abaixo de 80% o domínio é marcado como provisório.",
            "Indicadores que são iguais para todas as cidades de um país aparecem como contexto "
            "nacional e não pesam nos níveis da cidade.",
            "Quando os participantes divergem e nenhuma resposta da cidade foi definida, conta o "
            "nível mais baixo e o indicador é marcado como divergência não resolvida.",
            "O caminho para o próximo nível é o menor número de passos que juntos elevam em um o "
            "nível limitado: primeiro os bloqueios que o impedem, depois os passos que mais somam "
            "à pontuação. Cada passo mostra o nível atual e o alvo, a resposta a alcançar e a "
            "pontuação prevista depois de cumprido; um dado ausente recebe a ação «medi-lo».",
            "A pontuação global é a média ponderada das pontuações limitadas dos domínios; não é "
            "dada enquanto algum domínio tiver dados insuficientes e fica menos de um nível acima "
            "da média ponderada dos níveis mostrados. O gargalo é o domínio com o nível mais baixo.",
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
        'Los umbrales cuya fuente termina en "(product judgement)" son criterio propio de este '
        "producto cuando faltan referencias publicadas o no pudieron verificarse; deben leerse "
        "como metas razonables, no como estándares.",
        'Les seuils dont la source se termine par "(product judgement)" relèvent du jugement '
        "propre à ce produit lorsque les références publiées manquent ou n'ont pu être vérifiées ; "
        "ce sont des cibles raisonnables, pas des normes.",
        'Os limiares cuja fonte termina em "(product judgement)" são julgamento próprio deste '
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
        "(truncated, {n} characters; full text in the Excel export)",
        "(truncado, {n} caracteres; texto completo en la exportación a Excel)",
        "(tronqué, {n} caractères ; texte complet dans l'export Excel)",
        "(truncado, {n} caracteres; texto completo na exportação para Excel)",
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
        'truncated where marked "[truncated".',
        "Algunos textos de esta hoja superan el límite de Excel de 32 767 caracteres por celda y "
        'se truncaron donde dice "[truncado".',
        "Certains textes de cette feuille dépassent la limite Excel de 32 767 caractères par "
        'cellule et ont été tronqués là où figure "[tronqué".',
        "Alguns textos desta planilha excedem o limite do Excel de 32.767 caracteres por célula e "
        'foram truncados onde aparece "[truncado".',
    ),
    "control_sheet_note": (
        "Control characters that Excel cannot store were replaced by markers such as [U+0001].",
        "Los caracteres de control que Excel no admite se sustituyeron por marcas como [U+0001].",
        "Les caractères de contrôle qu'Excel ne peut pas stocker ont été remplacés par des "
        "marques comme [U+0001].",
        "Os caracteres de controle que o Excel não aceita foram substituídos por marcas como "
        "[U+0001].",
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
        return "\n\n".join(value)
    return value


def paragraphs(key: str, lang: str) -> tuple[str, ...]:
    """A fixed text made of several paragraphs (the method section)."""
    value = _TEXTS[key][_INDEX.get(lang, _INDEX[DEFAULT_LANGUAGE])]
    return value if isinstance(value, tuple) else (value,)


def labels(lang: str) -> Mapping[str, str]:
    """Every fixed string in `lang`, for renderers."""
    return {key: text(key, lang) for key in _TEXTS}


def keys() -> tuple[str, ...]:
    return tuple(_TEXTS)
