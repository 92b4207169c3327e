"""Change an assessment's status: send for review, finalise, or reopen with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import AssessmentStatus, needs_reason
from app.ui.assessment_model import STATUS_LABELS
from app.ui.i18n import _


class StatusDialog(QDialog):
    """Offers every other status; a move back needs a reason (`app.domain.needs_reason`)."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_dialog")
        self.setWindowTitle(_("Change status"))
        self.current = current
        label = QLabel(
            _("Current status: {status}").format(status=_(STATUS_LABELS.get(current, current))),
            self,
        )
        self.choices: dict[str, QRadioButton] = {}
        options = {
            AssessmentStatus.IN_REVIEW: _("Send for &review (answers can still change)"),
            AssessmentStatus.FINAL: _("&Finalise (answers are locked)"),
            AssessmentStatus.DRAFT: _("Re&open as a draft"),
        }
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        for status, text in options.items():
            if status == current:
                continue
            button = QRadioButton(text, self)
            button.setObjectName(f"status_{status}")
            button.toggled.connect(self._on_choice_toggled)
            layout.addWidget(button)
            self.choices[status] = button
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setAccessibleName(_("Reason"))
        self.reason.textChanged.connect(self._on_choice_toggled)
        form = QFormLayout()
        form.addRow(_("Rea&son:"), self.reason)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        first = next(iter(self.choices.values()), None)
        if first is not None:
            first.setChecked(True)
        self._on_choice_toggled()

    def chosen(self) -> str | None:
        for status, button in self.choices.items():
            if button.isChecked():
                return status
        return None

    def _on_choice_toggled(self, *_args: object) -> None:
        chosen = self.chosen()
        # the service's own rule: a move back (final -> in review too) needs a reason
        reason_needed = chosen is not None and needs_reason(self.current, chosen)
        self.hint.setText(
            _("Reopening needs a reason; it is kept in the audit trail.") if reason_needed else ""
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(
            chosen is not None and (not reason_needed or bool(self.reason.text().strip()))
        )
