"""Questions the window asks: confirmations, file names, one line of text.

Each goes through a replaceable hook, so tests answer without a blocking `exec()` (pytest-qt's
advice for dialogs) and the person sees ordinary dialogs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

Confirmer = Callable[[QWidget | None, str, str], bool]
FileChooser = Callable[[QWidget | None, str, str, bool], str | None]
TextAsker = Callable[[QWidget | None, str, str, str], str | None]

_confirmer: Confirmer | None = None
_file_chooser: FileChooser | None = None
_text_asker: TextAsker | None = None


def set_hooks(
    confirmer: Confirmer | None = None,
    file_chooser: FileChooser | None = None,
    text_asker: TextAsker | None = None,
) -> None:
    """Replace the dialogs (None restores them)."""
    global _confirmer, _file_chooser, _text_asker
    _confirmer, _file_chooser, _text_asker = confirmer, file_chooser, text_asker


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask before anything destructive; the default button is No."""
    if _confirmer is not None:
        return _confirmer(parent, title, question)
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose_file(
    parent: QWidget | None, title: str, file_filter: str = "", save: bool = False
) -> str | None:
    """A file to open (or to write, with `save=True`), or None when cancelled."""
    if _file_chooser is not None:
        return _file_chooser(parent, title, file_filter, save)
    if save:
        name, _selected = QFileDialog.getSaveFileName(parent, title, "", file_filter)
    else:
        name, _selected = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return name or None


def ask_text(parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
    """One line of text, or None when cancelled."""
    if _text_asker is not None:
        return _text_asker(parent, title, label, default)
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
    return text.strip() if ok and text.strip() else None


ItemChooser = Callable[[QWidget | None, str, str, list[str]], int | None]
_item_chooser: ItemChooser | None = None


def set_item_chooser(chooser: ItemChooser | None) -> None:
    global _item_chooser
    _item_chooser = chooser


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """The index of the chosen item, or None when cancelled."""
    if _item_chooser is not None:
        return _item_chooser(parent, title, label, items)
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(text) if ok and text in items else None
