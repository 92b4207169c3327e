"""Write SHA256SUMS beside the release files of a build, or check them.

    python packaging/checksums.py packaging/dist           (re)write packaging/dist/SHA256SUMS
    python packaging/checksums.py --check packaging/dist   verify every line; exit 1 on a mismatch

The file lists every release artefact directly in the folder (installers, disk images, archives,
wheels), one `<sha256>  <name>` line each, sorted by name: the format `sha256sum --check` and
`shasum -a 256 --check` read. Every build script runs it after writing its artefacts, so the
file always covers what the folder holds. Standard library only: it runs with any Python 3.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

NAME = "SHA256SUMS"
ARTEFACTS = (".exe", ".dmg", ".tar.gz", ".zip", ".whl", ".msi")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artefacts(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(ARTEFACTS)),
        key=lambda p: p.name,
    )


def write(folder: Path) -> Path:
    lines = [f"{sha256(path)}  {path.name}\n" for path in artefacts(folder)]
    if not lines:
        raise SystemExit(f"checksums: no release files ({', '.join(ARTEFACTS)}) in {folder}")
    target = folder / NAME
    partial = folder / f".{NAME}.partial"
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(lines)
    os.replace(partial, target)
    return target


def check(folder: Path) -> list[str]:
    """Problems found, one line each; empty when every listed file matches."""
    problems: list[str] = []
    listed = (folder / NAME).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(listed, 1):
        digest, _, name = line.partition("  ")
        path = folder / name.lstrip("*")
        if len(digest) != 64 or not name or Path(name).name != name.lstrip("*"):
            problems.append(f"{NAME}:{number}: not a '<sha256>  <file name>' line")
        elif not path.is_file():
            problems.append(f"{name}: listed but missing")
        elif sha256(path) != digest.lower():
            problems.append(f"{name}: checksum does not match: do not use this file")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"] and len(argv) == 2:
        problems = check(Path(argv[1]))
        for problem in problems:
            print(f"checksums: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if len(argv) == 1:
        target = write(Path(argv[0]))
        print(target.read_text(encoding="utf-8"), end="")
        return 0
    print("usage: checksums.py [--check] FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
