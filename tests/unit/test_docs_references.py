"""The documents cite only files that are in the repository (a reader has nothing else)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md"), *(ROOT / "packaging").glob("*.md")]
)
MARKDOWN_NAME = re.compile(r"(?<![\w/.-])([\w./-]*[A-Za-z0-9_-]+\.md)\b")


def missing_files(document: Path, text: str) -> list[str]:
    text = re.sub(r"https?://\S+", "", text)  # a web address is not a file of ours
    missing = []
    for match in MARKDOWN_NAME.finditer(text):
        name = match.group(1)
        candidates = [ROOT / name, document.parent / name, ROOT / "docs" / name]
        if not any(candidate.is_file() for candidate in candidates):
            line = text.count("\n", 0, match.start()) + 1
            missing.append(f"{document.relative_to(ROOT)}:{line}: {name}")
    return missing


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_markdown_file_exists(document: Path) -> None:
    assert missing_files(document, document.read_text(encoding="utf-8")) == []


def test_a_file_outside_the_repository_is_caught() -> None:
    document = ROOT / "docs" / "admin-guide.md"
    text = "See `RELIABILITY.md` and docs/cli.md, user-guide.es.md, https://x.org/NOTES.md.\n"
    assert missing_files(document, text) == ["docs/admin-guide.md:1: RELIABILITY.md"]
