"""Results: the radar chart of domain scores and, per domain, the level, what capped it,
completeness, and the path to the next level with its actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from app.common.i18n import pick
from app.common.numbers import with_percent
from app.domain import DomainResult, Questionnaire, ScoreResult
from app.ui.i18n import _, current_language, format_number
from app.ui.radar_widget import RadarAxis, RadarWidget


class ResultsPage(QWidget):
    """Signals: none. The main window feeds it every new score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results_page")
        self._questionnaire: Questionnaire | None = None
        self._score: ScoreResult | None = None
        self._lang = "en"
        self.headline = QLabel(self)
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.radar = RadarWidget(self)
        self.details = QTextBrowser(self)
        self.details.setObjectName("domain_details")
        self.details.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.radar)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(splitter, 1)
        self.retranslate("en")

    def retranslate(self, lang: str) -> None:
        self._lang = lang
        self.radar.setAccessibleName(_("Radar chart of domain scores"))
        self.details.setAccessibleName(_("Levels and path to the next level per domain"))
        self._render()

    def set_result(self, questionnaire: Questionnaire, score: ScoreResult) -> None:
        self._questionnaire = questionnaire
        self._score = score
        self._render()

    def clear(self) -> None:
        self._questionnaire = None
        self._score = None
        self._render()

    def domain_text(self, domain_id: str) -> str:
        """The plain text shown for one domain (for tests and screen readers)."""
        if self._questionnaire is None or self._score is None:
            return ""
        from PySide6.QtGui import QTextDocument

        document = QTextDocument()
        document.setHtml(self._domain_html(self._score.domains[domain_id]))
        return document.toPlainText()

    # -- rendering --------------------------------------------------------------------------

    def _render(self) -> None:
        q, score = self._questionnaire, self._score
        if q is None or score is None:
            self.headline.setText(_("Open an assessment to see its results."))
            self.radar.set_axes([])
            self.details.clear()
            return
        lang = self._lang
        axes = [
            RadarAxis(
                label=domain.id,
                score=score.domains[domain.id].score,
                provisional=score.domains[domain.id].provisional,
            )
            for domain in q.domains
        ]
        self.radar.set_axes(axes)
        self.radar.setAccessibleDescription(
            "; ".join(
                _("{domain}: score {score} of 5").format(
                    domain=pick(domain.name, lang),
                    score=_score_text(score.domains[domain.id].score),
                )
                for domain in q.domains
            )
        )
        overall = format_number(score.overall_score, 1) if score.overall_score is not None else "–"
        parts = [_("Overall score: {score} of 5").format(score=overall)]
        if score.insufficient_domains:
            names = ", ".join(score.insufficient_domains)
            parts.append(
                _("no overall until {domains} have enough known answers").format(domains=names)
            )
        if score.bottleneck:
            name = pick(q.domain(score.bottleneck).name, lang)
            parts.append(_("Bottleneck: {domain}").format(domain=name))
        parts.append(_("Self-assessed. * = provisional (less than 80% answered or a gate open)."))
        self.headline.setText("   ·   ".join(parts))
        html = self._checks_html(score) + "".join(
            self._domain_html(score.domains[domain.id]) for domain in q.domains
        )
        scroll = self.details.verticalScrollBar().value()
        self.details.setHtml(html)
        self.details.verticalScrollBar().setValue(scroll)

    def _checks_html(self, score: ScoreResult) -> str:
        """Consistency warnings between answers (they never change a level)."""
        if not score.checks:
            return ""
        title = escape(_("Answers to recheck (they do not change the levels):"))
        items = "".join(
            f"<li>{escape(pick(c.message, self._lang) or c.check_id)}</li>" for c in score.checks
        )
        return f"<p><b>{title}</b></p><ul>{items}</ul>"

    def _domain_html(self, result: DomainResult) -> str:
        q = self._questionnaire
        assert q is not None
        lang = self._lang
        domain = q.domain(result.domain_id)
        name = escape(pick(domain.name, lang))
        if result.level is None:
            level = escape(_("No level: insufficient data (less than half known)"))
        else:
            level = escape(
                _("Level {level}: {name}").format(
                    level=result.level, name=q.level_name(result.level, lang)
                )
            )
        score = format_number(result.score, 1) if result.score is not None else "–"
        # the sign goes with the number, in the language's own style ("35%", "35 %")
        completeness = _("{percent} answered").format(
            percent=with_percent(
                format_number(round(result.completeness * 100)), current_language()
            )
        )
        facts = [escape(_("score {score}").format(score=score)), escape(completeness)]
        uncapped = result.uncapped_score
        if result.score is not None and uncapped is not None and uncapped - result.score >= 0.05:
            before = _("{score} before gates").format(score=format_number(uncapped, 1))
            facts.insert(1, escape(before))
        if result.dont_know:
            facts.append(
                escape(
                    _("{percent} don't know").format(
                        percent=with_percent(
                            format_number(round(result.dont_know * 100)), current_language()
                        )
                    )
                )
            )
        if result.provisional:
            provisional = _("provisional")
            facts.append(f"<b>{escape(provisional)}</b>")
        lines = [
            f"<h3>{escape(domain.id)} · {name}</h3>",
            f"<p><b>{level}</b> · {' · '.join(facts)}</p>",
        ]
        if result.capped_by:
            # By its question, not only its code: the code means nothing to most readers.
            capped = ", ".join(
                f"<b>{escape(i)}</b> {escape(pick(q.indicator(i).label, lang))}"
                for i in result.capped_by
            )
            label = _("Capped by:")
            lines.append(f"<p>{escape(label)} {capped}{self._gate_messages(result)}</p>")
        if result.next_level and result.level is not None:
            title = _("Path to level {level}").format(level=result.level + 1)
            lines.append(f"<p><b>{escape(title)}</b></p><ul>")
            for step in result.next_level:
                label = pick(q.indicator(step.indicator_id).label, lang)
                why = (
                    _("holds the level down until it rises")
                    if step.reason == "gate"
                    else _("raises the score the most")
                )
                action = pick(step.action, lang)
                move = _("level {current} → {target}").format(
                    current=step.current_level, target=step.target_level
                )
                goal = pick(step.target_value, lang)
                if goal:
                    move += f" ({goal})"
                lines.append(
                    f"<li><b>{escape(step.indicator_id)}</b> ({escape(why)}, {escape(move)}): "
                    f"{escape(label)}" + (f"<br>→ {escape(action)}" if action else "") + "</li>"
                )
            lines.append("</ul>")
        elif result.level == 5:
            reached = _("Highest level reached.")
            lines.append(f"<p>{escape(reached)}</p>")
        return "".join(lines)

    def _gate_messages(self, result: DomainResult) -> str:
        q = self._questionnaire
        assert q is not None
        messages = []
        for gate in q.gates:
            judged = next((g for g in result.gates if g.gate_id == gate.id), None)
            if judged is not None and judged.fired:
                text = pick(gate.message, self._lang)
                if text:
                    messages.append(escape(text))
        return f" — {'; '.join(messages)}" if messages else ""


def _score_text(value: float | None) -> str:
    return format_number(value, 1) if value is not None else "–"
