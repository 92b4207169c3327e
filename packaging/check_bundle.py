"""Check what a built bundle holds, and print its size.

    python packaging/check_bundle.py packaging/dist/Readiness       (Linux, Windows)
    python packaging/check_bundle.py packaging/dist/Readiness.app   (macOS)

Fails (exit 1, one line per problem) when a shipped questionnaire, resource or migration script is
missing or differs from the source tree, when a Qt module the product does not use (WebEngine,
QML/Quick, PDF, Multimedia...) slipped in, or when Qt translations other than qtbase es/fr/pt are
there.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_QT = re.compile(
    r"Qt6?(WebEngine|Qml|Quick|Pdf|Multimedia|SpatialAudio|TextToSpeech|Charts|DataVisualization"
    r"|Graphs|3D|Designer|UiTools|Help|Test|Sql|Bluetooth|Positioning|Location|SerialPort"
    r"|RemoteObjects|WebSockets|WebChannel|HttpServer|Scxml|StateMachine)",
)
ALLOWED_TRANSLATIONS = {"qtbase_es.qm", "qtbase_fr.qm", "qtbase_pt_BR.qm"}


def internal_dir(bundle: Path) -> Path:
    """The folder the frozen app sees as sys._MEIPASS."""
    if bundle.suffix == ".app":
        return bundle / "Contents" / "Frameworks"
    return bundle / "_internal"


def shipped_sources() -> list[tuple[Path, str]]:
    """(source file, path inside the bundle) for every file the spec must have copied."""
    pairs = []
    for path in sorted((ROOT / "forms").rglob("*")):
        rel = path.relative_to(ROOT / "forms")
        if path.is_file() and "src" not in rel.parts[:-1]:
            pairs.append((path, f"forms/{rel.as_posix()}"))
    for path in sorted((ROOT / "resources").rglob("*")):
        rel = path.relative_to(ROOT / "resources")
        if path.is_file() and path.suffix not in {".po", ".pot"}:
            pairs.append((path, f"resources/{rel.as_posix()}"))
    for migrations in sorted((ROOT / "app").rglob("migrations")):
        for path in sorted(migrations.rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc":
                pairs.append((path, rel.as_posix()))
    return pairs


def problems(bundle: Path) -> list[str]:
    found: list[str] = []
    inside = internal_dir(bundle)
    if not inside.is_dir():
        return [f"{bundle}: no {inside.name} folder: not a one-folder bundle"]
    for source, target in shipped_sources():
        copy = inside / target
        if not copy.is_file():
            found.append(f"{bundle}: {target} is missing")
        elif copy.read_bytes() != source.read_bytes():
            found.append(f"{bundle}: {target} differs from {source.relative_to(ROOT)}")
    if not (inside / "resources" / "fonts" / "DejaVuSans.ttf").is_file():
        found.append(f"{bundle}: the report font resources/fonts/DejaVuSans.ttf is missing")
    for path in sorted(bundle.rglob("*")):
        name = path.name
        if FORBIDDEN_QT.search(name) and "PySide6" in path.parts:
            found.append(f"{bundle}: unused Qt module {path.relative_to(bundle)}")
        if (
            path.suffix == ".qm"
            and "translations" in path.parts
            and name not in ALLOWED_TRANSLATIONS
        ):
            found.append(f"{bundle}: extra Qt translation {path.relative_to(bundle)}")
        if "forms" in path.parts and "src" in path.parts:
            found.append(f"{bundle}: questionnaire source {path.relative_to(bundle)} shipped")
    return found


def size_bytes(folder: Path) -> int:
    """Bytes of the files under `folder`, each counted once (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    args = parser.parse_args(argv)
    bundle: Path = args.bundle
    if not bundle.is_dir():
        print(f"check_bundle: {bundle}: no such folder", file=sys.stderr)
        return 1
    found = problems(bundle)
    for line in found:
        print(line, file=sys.stderr)
    size = size_bytes(bundle)
    print(f"{bundle}: {size / 1_000_000:.1f} MB, {'OK' if not found else f'{len(found)} problems'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
