"""One editor per answer type. Each shows a value and says when the person finished an edit.

Editors are dumb: they render a value and emit `committed` on a field commit (editingFinished,
a toggle, a choice) and `edited` while the person types or moves through a radio group with the
arrow keys (the question commits after a pause). They never save anything themselves. `value()` returns the typed value in the
product's one encoding (see app.domain.answers), None for empty, or raises `EditorError` with a
message for text that is not a valid value (the typed text stays in the field).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.common.i18n import pick
from app.domain import AnswerType, AnswerValue, Indicator
from app.ui.i18n import _, format_number, locale_for, parse_number

# Single choice with more options than this uses a combo box instead of radio buttons.
MAX_RADIOS = 6


class EditorError(ValueError):
    """Typed text that is not a valid value; the message says what to type."""


def plain_label(text: str) -> str:
    """Text from a questionnaire or a person, for a widget that reads `&` as a mnemonic ("H&E"
    must not show as "HE" with an underlined E)."""
    return text.replace("&", "&&")


class NoteEdit(QPlainTextEdit):
    """A question's note: a few lines; Tab moves on; leaving it (or Ctrl+Enter) commits."""

    editing_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.setFixedHeight(lines * 3 + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - the name QLineEdit gives it
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.editing_finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.editing_finished.emit()
            return
        super().keyPressEvent(event)


class ValueEditor(QWidget):
    """Base class. Signals: committed() when the person finished an edit; edited() while an
    edit goes on (typing, arrow keys in a radio group)."""

    committed = Signal()
    edited = Signal()

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.indicator = indicator
        self.lang = lang

    def value(self) -> AnswerValue:
        raise NotImplementedError

    def set_value(self, value: AnswerValue) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget that takes focus when the question is entered."""
        return self

    def retranslate(self, lang: str) -> None:
        self.lang = lang

    def set_accessible_label(self, label: str) -> None:
        self.focus_target().setAccessibleName(label)


class _RadioButton(QRadioButton):
    """Tells its editor when a toggle comes from the arrow keys, and when focus leaves it."""

    def __init__(self, text: str, editor: ChoiceEditor) -> None:
        super().__init__(text, editor)
        self._editor = editor

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        self._editor.by_keys = True
        try:
            super().keyPressEvent(event)
        finally:
            self._editor.by_keys = False

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self._editor.focus_left()


class ChoiceEditor(ValueEditor):
    """yes/partial/no and single choice: radio buttons (or a combo box for long lists)."""

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        self._combo: QComboBox | None = None
        self._group: QButtonGroup | None = None
        self._buttons: list[QRadioButton] = []
        self._label = ""
        self.by_keys = False  # the toggle under way comes from an arrow key
        if len(indicator.options) > MAX_RADIOS:
            combo = QComboBox(self)
            combo.addItem("", None)
            for option in indicator.options:
                combo.addItem(pick(option.label, lang) or option.code, option.code)  # no mnemonics
            combo.activated.connect(self._on_combo_activated)
            layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self)
            layout.addWidget(combo)
            layout.addStretch(1)
            self._combo = combo
        else:
            group = QButtonGroup(self)
            group.setExclusive(True)
            horizontal = indicator.type is AnswerType.YES_PARTIAL_NO
            layout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
            for option in indicator.options:
                button = _RadioButton(plain_label(pick(option.label, lang) or option.code), self)
                button.setProperty("code", option.code)
                group.addButton(button)
                layout.addWidget(button)
                self._buttons.append(button)
            if horizontal:
                layout.addStretch(1)
            group.buttonToggled.connect(self._on_group_button_toggled)
            self._group = group
        layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> AnswerValue:
        if self._combo is not None:
            code = self._combo.currentData()
            return code if isinstance(code, str) else None
        for button in self._buttons:
            if button.isChecked():
                return str(button.property("code"))
        return None

    def set_value(self, value: AnswerValue) -> None:
        if self._combo is not None:
            index = self._combo.findData(value) if isinstance(value, str) else 0
            self._combo.setCurrentIndex(max(0, index))
            return
        assert self._group is not None
        self._group.blockSignals(True)
        self._group.setExclusive(False)  # lets every button be cleared
        for button in self._buttons:
            button.setChecked(button.property("code") == value)
        self._group.setExclusive(True)
        self._group.blockSignals(False)

    def buttons(self) -> list[QRadioButton]:
        return list(self._buttons)

    def combo(self) -> QComboBox | None:
        return self._combo

    def focus_target(self) -> QWidget:
        if self._combo is not None:
            return self._combo
        checked = [b for b in self._buttons if b.isChecked()]
        return checked[0] if checked else self._buttons[0]

    def set_accessible_label(self, label: str) -> None:
        self._label = label
        if self._combo is not None:
            self._combo.setAccessibleName(label)
        for button in self._buttons:
            button.setAccessibleName(f"{label}: {button.text()}")

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        for index, option in enumerate(self.indicator.options):
            text = pick(option.label, lang) or option.code
            if self._combo is not None:
                self._combo.setItemText(index + 1, text)
            else:
                self._buttons[index].setText(plain_label(text))
        if self._label:
            self.set_accessible_label(self._label)

    def _on_group_button_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        if self.by_keys:
            self.edited.emit()  # committed after a pause, or when focus leaves the group
        else:
            self.committed.emit()

    def focus_left(self) -> None:
        focused = QApplication.focusWidget()
        if focused not in self._buttons:
            self.committed.emit()

    def _on_combo_activated(self, _index: int) -> None:
        self.committed.emit()


class MultiChoiceEditor(ValueEditor):
    """Multiple choice: check boxes; an exclusive option ("none of these") clears the others."""

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._boxes: list[QCheckBox] = []
        longest = max((len(pick(o.label, lang) or o.code) for o in indicator.options), default=0)
        columns = 2 if len(indicator.options) > 6 and longest <= 32 else 1
        rows = (len(indicator.options) + columns - 1) // columns
        for index, option in enumerate(indicator.options):
            box = QCheckBox(plain_label(pick(option.label, lang) or option.code), self)
            box.setProperty("code", option.code)
            box.setProperty("exclusive", option.exclusive)
            box.toggled.connect(lambda checked, b=box: self._on_box_toggled(b, checked))
            # Column-major order keeps Tab order equal to reading order.
            layout.addWidget(box, index % rows, index // rows)
            self._boxes.append(box)
        self._label = ""

    def boxes(self) -> list[QCheckBox]:
        return list(self._boxes)

    def value(self) -> AnswerValue:
        codes = tuple(str(b.property("code")) for b in self._boxes if b.isChecked())
        return codes or None

    def set_value(self, value: AnswerValue) -> None:
        chosen = set(value) if isinstance(value, tuple) else {value} if value else set()
        for box in self._boxes:
            box.blockSignals(True)
            box.setChecked(box.property("code") in chosen)
            box.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self._boxes[0]

    def set_accessible_label(self, label: str) -> None:
        self._label = label
        for box in self._boxes:
            box.setAccessibleName(f"{label}: {box.text()}")

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        for box, option in zip(self._boxes, self.indicator.options, strict=True):
            box.setText(plain_label(pick(option.label, lang) or option.code))
        if self._label:
            self.set_accessible_label(self._label)

    def _on_box_toggled(self, box: QCheckBox, checked: bool) -> None:
        if checked:
            exclusive = bool(box.property("exclusive"))
            for other in self._boxes:
                if other is box or not other.isChecked():
                    continue
                if exclusive or bool(other.property("exclusive")):
                    other.blockSignals(True)
                    other.setChecked(False)
                    other.blockSignals(False)
        self.committed.emit()


class NumberEditor(ValueEditor):
    """Integer, decimal, percent: a line edit in the person's locale, with the unit beside it."""

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        self.edit = QLineEdit(self)
        self.edit.setMaximumWidth(180)
        # Digits, signs, separators and spaces only; the value itself is checked on commit.
        pattern = QRegularExpression(r"^[\s0-9.,+\-eE\x{00a0}\x{202f}]*$")
        self.edit.setValidator(QRegularExpressionValidator(pattern, self.edit))
        self.edit.editingFinished.connect(self.committed.emit)
        self.edit.textEdited.connect(lambda _text: self.edited.emit())
        self.unit = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.unit)
        layout.addStretch(1)
        self.retranslate(lang)

    def value(self) -> AnswerValue:
        text = self.edit.text().strip()
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise EditorError(
                _("Type a number, for example {example}").format(example=format_number(12.5))
            )
        if self.indicator.type is AnswerType.INTEGER:
            if not number.is_integer():
                raise EditorError(_("Type a whole number"))
            return int(number)
        return int(number) if number.is_integer() and "e" not in text.lower() else number

    def set_value(self, value: AnswerValue) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.edit.setText(format_number(value))
        else:
            self.edit.clear()

    def focus_target(self) -> QWidget:
        return self.edit

    def retranslate(self, lang: str) -> None:
        old = self.value_or_none()
        super().retranslate(lang)
        unit = "%" if self.indicator.type is AnswerType.PERCENT else pick(self.indicator.unit, lang)
        self.unit.setText(unit)
        self.unit.setVisible(bool(unit))
        self.edit.setPlaceholderText(_range_hint(self.indicator))
        if old is not None:
            self.set_value(old)

    def value_or_none(self) -> AnswerValue:
        try:
            return self.value()
        except EditorError:
            return None


class DateEditor(ValueEditor):
    """A date edit with a calendar; its lowest date stands for "no date"."""

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(self.EMPTY)
        self.edit.setSpecialValueText(" ")
        self.edit.setDate(self.EMPTY)
        self.edit.setMaximumWidth(180)
        self.edit.editingFinished.connect(self.committed.emit)
        self.edit.calendarWidget().clicked.connect(lambda _d: self.committed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.retranslate(lang)

    def value(self) -> AnswerValue:
        day = self.edit.date()
        if day == self.EMPTY or not day.isValid():
            return None
        return str(day.toString("yyyy-MM-dd"))

    def set_value(self, value: AnswerValue) -> None:
        day = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else self.EMPTY
        self.edit.blockSignals(True)
        self.edit.setDate(day if day.isValid() else self.EMPTY)
        self.edit.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.edit

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        locale = locale_for(lang)
        self.edit.setLocale(locale)
        self.edit.setDisplayFormat(locale.dateFormat(locale.FormatType.ShortFormat))


class _CommittingPlainTextEdit(QPlainTextEdit):
    """A plain text edit that commits when focus leaves it, or on Ctrl+Enter."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.editing_finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.editing_finished.emit()
            return
        super().keyPressEvent(event)


class TextEditor(ValueEditor):
    """Short text (a line edit) or long text (a plain text edit; Tab moves on)."""

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line: QLineEdit | None = None
        self.area: _CommittingPlainTextEdit | None = None
        if indicator.type is AnswerType.LONG_TEXT:
            self.area = _CommittingPlainTextEdit(self)
            self.area.setTabChangesFocus(True)
            self.area.setMinimumHeight(70)
            self.area.setMaximumHeight(120)
            self.area.editing_finished.connect(self.committed.emit)
            self.area.textChanged.connect(self._on_area_text_changed)
            layout.addWidget(self.area)
        else:
            self.line = QLineEdit(self)
            self.line.editingFinished.connect(self.committed.emit)
            self.line.textEdited.connect(lambda _text: self.edited.emit())
            layout.addWidget(self.line)

    def value(self) -> AnswerValue:
        text = self.area.toPlainText() if self.area is not None else self._line().text()
        return text if text.strip() else None

    def set_value(self, value: AnswerValue) -> None:
        text = value if isinstance(value, str) else ""
        if self.area is not None:
            self.area.setPlainText(text)
        else:
            self._line().setText(text)

    def focus_target(self) -> QWidget:
        return self.area if self.area is not None else self._line()

    def _on_area_text_changed(self) -> None:
        if self.area is not None and self.area.hasFocus():  # typed, not loaded
            self.edited.emit()

    def _line(self) -> QLineEdit:
        assert self.line is not None
        return self.line


class ComputedEditor(ValueEditor):
    """A value computed from other answers: read-only, updated after each re-score."""

    def __init__(self, indicator: Indicator, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(indicator, lang, parent)
        self.display = QLineEdit(self)
        self.display.setReadOnly(True)
        self.display.setMaximumWidth(180)
        self.unit = QLabel(pick(indicator.unit, lang), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.display)
        layout.addWidget(self.unit)
        layout.addStretch(1)
        self._value: AnswerValue = None

    def value(self) -> AnswerValue:
        return self._value

    def set_value(self, value: AnswerValue) -> None:
        self._value = value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            decimals = self.indicator.decimals if self.indicator.decimals is not None else 2
            self.display.setText(format_number(float(value), decimals))
        else:
            self.display.setText(_("not computed yet"))

    def focus_target(self) -> QWidget:
        return self.display

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.unit.setText(pick(self.indicator.unit, lang))
        self.set_value(self._value)


def make_editor(indicator: Indicator, lang: str, parent: QWidget | None = None) -> ValueEditor:
    kind = indicator.type
    if kind in (AnswerType.YES_PARTIAL_NO, AnswerType.SINGLE_CHOICE):
        return ChoiceEditor(indicator, lang, parent)
    if kind is AnswerType.MULTIPLE_CHOICE:
        return MultiChoiceEditor(indicator, lang, parent)
    if kind is AnswerType.COMPUTED:
        return ComputedEditor(indicator, lang, parent)
    if kind.is_numeric:
        return NumberEditor(indicator, lang, parent)
    if kind is AnswerType.DATE:
        return DateEditor(indicator, lang, parent)
    return TextEditor(indicator, lang, parent)


def _range_hint(indicator: Indicator) -> str:
    low, high = indicator.minimum, indicator.maximum
    if indicator.type is AnswerType.PERCENT:
        low = 0 if low is None else low
        high = 100 if high is None else high
    parts: Sequence[str] = []
    if low is not None and high is not None:
        parts = [_("{low} to {high}").format(low=format_number(low), high=format_number(high))]
    elif low is not None:
        parts = [_("at least {low}").format(low=format_number(low))]
    elif high is not None:
        parts = [_("at most {high}").format(high=format_number(high))]
    return "".join(parts)
