"""The new-assessment wizard: place and period, questionnaire and language, who I am.

A field counts as filled when it holds text, whether typed or suggested: the pages say so
themselves (`isComplete`), because a QWizard mandatory field ("name*") counts as filled only when
it differs from its initial value, which refused the suggested period and a remembered name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.common.i18n import LANGUAGE_NAMES, LANGUAGES
from app.ui.i18n import N_, _

ROLES = (
    N_("City coordinator"),
    N_("Pathologist"),
    N_("Laboratory manager"),
    N_("Molecular biologist"),
    N_("Oncologist"),
    N_("Oncology nurse"),
    N_("Finance officer"),
    N_("Health information officer"),
)


@dataclass(frozen=True)
class NewAssessment:
    city: str
    country: str
    period: str
    form: str
    language: str
    contributor: str
    role: str


class _PlacePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Place and period"))
        self.setSubTitle(_("Which city is assessed, and for which period or round?"))
        self.city = QLineEdit(self)
        self.city.setObjectName("city")
        self.city.setAccessibleName(_("City"))
        self.country = QLineEdit(self)
        self.country.setObjectName("country")
        self.country.setAccessibleName(_("Country"))
        self.period = QLineEdit(str(date.today().year), self)
        self.period.setObjectName("period")
        self.period.setAccessibleName(_("Period"))
        layout = QFormLayout(self)
        layout.addRow(_("&City:"), self.city)
        layout.addRow(_("C&ountry:"), self.country)
        layout.addRow(_("&Period:"), self.period)
        for edit in (self.city, self.country, self.period):
            edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return all(e.text().strip() for e in (self.city, self.country, self.period))


class _FormPage(QWizardPage):
    def __init__(self, forms: Sequence[tuple[str, str]], language: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTitle(_("Questionnaire"))
        self.setSubTitle(
            _("The full questionnaire covers every indicator; the core one the essential few.")
        )
        self.form = QComboBox(self)
        self.form.setObjectName("form")
        # Each choice shows in full (name, version, number of questions), never clipped.
        self.form.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.form.setAccessibleName(_("Questionnaire"))
        for label, path in forms:
            self.form.addItem(label, path)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.setAccessibleName(_("Language of the reports"))
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addRow(_("&Questionnaire:"), self.form)
        layout.addRow(_("Report &language:"), self.language)
        hint = QLabel(
            _(
                "The language of the PDF and Excel reports. Everyone can fill in the "
                "questionnaire in the language of their own window."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addRow(hint)
        if not forms:
            warning = QLabel(_("No questionnaire was found in this installation."), self)
            warning.setProperty("role", "error")
            layout.addRow(warning)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.form.count() > 0


class _PersonPage(QWizardPage):
    def __init__(self, name: str, role: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTitle(_("Who you are"))
        self.setSubTitle(_("Your answers are recorded under your name and role."))
        self.name = QLineEdit(name, self)
        self.name.setObjectName("contributor")
        self.name.setAccessibleName(_("Your name"))
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        self.role.setEditable(True)
        self.role.setAccessibleName(_("Your role"))
        for item in ROLES:
            self.role.addItem(_(item))
        self.role.setCurrentText(role or _(ROLES[0]))
        layout = QFormLayout(self)
        layout.addRow(_("Your &name:"), self.name)
        layout.addRow(_("Your &role:"), self.role)
        self.name.textChanged.connect(self.completeChanged)
        self.role.currentTextChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.name.text().strip() and self.role.currentText().strip())


class NewAssessmentDialog(QWizard):
    """Collects a `NewAssessment`; the main window creates it when the wizard is accepted."""

    def __init__(
        self,
        forms: Sequence[tuple[str, str]],
        language: str,
        name: str = "",
        role: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("new_assessment_dialog")
        self.setWindowTitle(_("New assessment"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.place = _PlacePage(self)
        self.form_page = _FormPage(forms, language, self)
        self.person = _PersonPage(name, role, self)
        for page in (self.place, self.form_page, self.person):
            self.addPage(page)
        self.setMinimumWidth(620)

    def request(self) -> NewAssessment:
        return NewAssessment(
            city=self.place.city.text().strip(),
            country=self.place.country.text().strip(),
            period=self.place.period.text().strip(),
            form=str(self.form_page.form.currentData() or ""),
            language=str(self.form_page.language.currentData() or "en"),
            contributor=self.person.name.text().strip(),
            role=self.person.role.currentText().strip(),
        )
