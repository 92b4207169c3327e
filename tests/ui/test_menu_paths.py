"""Every menu path the guides quote exists in the real window, in the guide's language, and no
two entries of one menu share an Alt letter.

A menu path in a guide is a bold `**Menu > Entry**` (the guides' convention; paths of Windows'
own settings are written plainly). The menus are read from the window itself, after switching
it to each language, so a renamed or moved entry, or a translation that changed, fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = {
    "en": ["docs/user-guide.md", "README.md", "packaging/WINDOWS.md", "docs/admin-guide.md"],
    "es": ["docs/user-guide.es.md"],
    "fr": ["docs/user-guide.fr.md"],
    "pt": ["docs/user-guide.pt.md"],
}
BOLD_PATH = re.compile(r"\*\*([^*\n]+? > [^*\n]+?)\*\*")


def clean(text: str) -> str:
    """A menu text as a guide writes it: no Alt marker, no trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def menu_entries(menu: Any, path: tuple[str, ...], into: dict[tuple[str, ...], list[str]]) -> None:
    """Every visible entry of `menu` (and its submenus) under `path`, texts as shown (with &)."""
    entries: list[str] = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        entries.append(action.text())
        if action.menu() is not None:
            menu_entries(action.menu(), (*path, clean(action.text())), into)
    into[path] = entries


def window_menus(window: Any) -> dict[tuple[str, ...], list[str]]:
    menus: dict[tuple[str, ...], list[str]] = {}
    bar = window.menuBar()
    top: list[str] = []
    for action in bar.actions():
        if not action.isVisible() or action.menu() is None:
            continue
        top.append(action.text())
        menu_entries(action.menu(), (clean(action.text()),), menus)
    menus[()] = top
    return menus


def existing_paths(menus: dict[tuple[str, ...], list[str]]) -> set[tuple[str, ...]]:
    return {(*path, clean(entry)) for path, entries in menus.items() for entry in entries}


def quoted_paths(relative: str) -> list[tuple[int, tuple[str, ...]]]:
    found = []
    text = (ROOT / relative).read_text(encoding="utf-8")
    for match in BOLD_PATH.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, tuple(clean(part.strip()) for part in match.group(1).split(" > "))))
    return found


def alt_letter(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


@pytest.fixture
def menus_in(open_window: Callable[..., Any]) -> Callable[[str], dict[tuple[str, ...], list[str]]]:
    window = open_window()

    def read(lang: str) -> dict[tuple[str, ...], list[str]]:
        window.set_language(lang)
        return window_menus(window)

    yield read
    window.set_language("en")


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_every_menu_path_in_the_guides_exists_in_the_window(
    lang: str, menus_in: Callable[[str], dict[tuple[str, ...], list[str]]]
) -> None:
    paths = existing_paths(menus_in(lang))
    quoted = [(guide, line, path) for guide in GUIDES[lang] for line, path in quoted_paths(guide)]
    assert len(quoted) >= 10  # the guides do quote menus
    missing = [
        f"{guide}:{line}: {' > '.join(path)}" for guide, line, path in quoted if path not in paths
    ]
    assert missing == [], "menu paths in the guides that the window does not have:\n" + "\n".join(
        missing
    )


# The window breaks this today (the menus are owned elsewhere; reported, not changed here):
# en File: "Export a &bundle file" / "&Backups"; es, fr, pt File: "&PDF" / "&paquete" ("pacote")
# and es, pt "Copias de &seguridad" / "&Salir"; fr "&PDF" / "&Paramètres", bar "&Affichage" /
# "&Aide"; pt bar "&Arquivo" / "&Avaliação", Avaliação "&próxima" / "&Passar". Strict: once
# the menus are fixed, this fails until the mark is removed.
ALT_CLASHES = pytest.mark.xfail(strict=True, reason="menu entries sharing an Alt letter")


@pytest.mark.parametrize(
    "lang", [pytest.param(lang, marks=ALT_CLASHES) for lang in ("en", "es", "fr", "pt")]
)
def test_no_two_entries_of_a_menu_share_an_alt_letter(
    lang: str, menus_in: Callable[[str], dict[tuple[str, ...], list[str]]]
) -> None:
    clashes = []
    for path, entries in menus_in(lang).items():
        seen: dict[str, str] = {}
        for entry in entries:
            letter = alt_letter(entry)
            if letter is None:
                continue
            if letter in seen:
                where = " > ".join(path) or "menu bar"
                clashes.append(f"{where}: {seen[letter]!r} and {entry!r} both use Alt+{letter}")
            seen.setdefault(letter, entry)
    assert clashes == []
