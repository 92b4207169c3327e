"""The newest glibc a Linux bundle needs, read from its ELF files; fail above the supported one.

    python packaging/glibc_check.py packaging/dist/Readiness          print the version needed
    python packaging/glibc_check.py --max 2.36 packaging/dist/Readiness  exit 1 if it needs more

Every shared library and program in the folder lists, in its `.gnu.version_r` section, the
symbol versions it needs from each library (`GLIBC_2.34` from libc.so.6...). The bundle starts
only on a system whose glibc is at least the highest of them. Read with the standard library
only (no readelf needed); files that are not ELF are skipped.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

SHT_GNU_VERNEED = 0x6FFFFFFE
GLIBC = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")


def needed_versions(path: Path) -> set[str]:
    """Every version name (e.g. `GLIBC_2.34`) an ELF file needs; empty for anything else."""
    with path.open("rb") as handle:
        data = handle.read()
    if data[:4] != b"\x7fELF" or len(data) < 64:
        return set()
    wide = data[4] == 2  # ELFCLASS64
    order = "<" if data[5] == 1 else ">"
    if wide:
        (shoff,) = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
    else:
        (shoff,) = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
    sections = []
    for index in range(shnum):
        at = shoff + index * shentsize
        if wide:
            _name, kind, _flags, _addr, offset, size, link, info = struct.unpack_from(
                order + "IIQQQQII", data, at
            )
        else:
            _name, kind, _flags, _addr, offset, size, link, info = struct.unpack_from(
                order + "IIIIIIII", data, at
            )
        sections.append((kind, offset, size, link, info))
    found: set[str] = set()
    for kind, offset, _size, link, count in sections:
        if kind != SHT_GNU_VERNEED:
            continue
        strings = sections[link][1]
        entry = offset
        for _ in range(count):
            _version, aux_count, _file, aux, following = struct.unpack_from(
                order + "HHIII", data, entry
            )
            at = entry + aux
            for _ in range(aux_count):
                _hash, _flags, _other, name, next_aux = struct.unpack_from(
                    order + "IHHII", data, at
                )
                end = data.index(b"\0", strings + name)
                found.add(data[strings + name : end].decode("ascii", "replace"))
                if not next_aux:
                    break
                at += next_aux
            if not following:
                break
            entry += following
    return found


def version_key(name: str) -> tuple[int, ...]:
    match = GLIBC.match(name)
    assert match
    return tuple(int(part) for part in match.groups() if part is not None)


def newest_glibc(folder: Path) -> tuple[str, Path] | None:
    """The highest GLIBC_x.y any file under `folder` needs, with one file that needs it."""
    best: tuple[tuple[int, ...], str, Path] | None = None
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        for name in needed_versions(path):
            if GLIBC.match(name) and (best is None or version_key(name) > best[0]):
                best = (version_key(name), name, path)
    return (best[1].removeprefix("GLIBC_"), best[2]) if best else None


def main(argv: list[str]) -> int:
    limit = None
    if argv[:1] == ["--max"] and len(argv) == 3:
        limit, argv = argv[1], argv[2:]
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: glibc_check.py [--max X.Y] FOLDER", file=sys.stderr)
        return 2
    found = newest_glibc(Path(argv[0]))
    if found is None:
        print("glibc_check: no ELF file needs a versioned glibc symbol")
        return 0
    version, path = found
    print(f"the bundle needs glibc {version} or newer (for example {path.name})")
    if limit and version_key(f"GLIBC_{version}") > version_key(f"GLIBC_{limit}"):
        print(
            f"glibc_check: the bundle needs glibc {version}, newer than the supported {limit}: "
            "build on an older distribution, or raise the documented minimum "
            "(packaging/README.md, the guides)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
