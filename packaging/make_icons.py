"""Make the Windows and macOS icon files from the PNG icons in resources/icons/ (Pillow).

    python packaging/make_icons.py [--source resources/icons] [--out packaging/build/icons]

Writes `readiness.ico` (16 to 256 px, for the .exe, the installer and `.readiness` files) and
`readiness.icns` (16 to 1024 px, for the .app). Each size uses the PNG drawn at that size when
there is one, else the largest PNG scaled down. Exits 1, naming the folder, when there is no
square PNG or the largest is smaller than 256 px (a blurry icon on every desktop).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]
ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]
MIN_LARGEST = 256


class IconError(Exception):
    pass


def square_pngs(folder: Path) -> dict[int, Path]:
    """The square PNGs under `folder` by pixel size (the first found wins for a size)."""
    from PIL import Image

    found: dict[int, Path] = {}
    for path in sorted(folder.rglob("*.png")):
        with Image.open(path) as image:
            width, height = image.size
        if width == height and width not in found:
            found[width] = path
    return found


def _load(path: Path):  # type: ignore[no-untyped-def]
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGBA")


def _sized(sources: dict[int, Path], size: int):  # type: ignore[no-untyped-def]
    from PIL import Image

    if size in sources:
        return _load(sources[size])
    largest = _load(sources[max(sources)])
    return largest.resize((size, size), Image.Resampling.LANCZOS)


def make_icons(source: Path, out: Path) -> list[Path]:
    if not source.is_dir():
        raise IconError(f"{source}: no such folder (the app's PNG icons belong there)")
    sources = square_pngs(source)
    if not sources:
        raise IconError(f"{source}: no square PNG icon to make the .ico and .icns from")
    if max(sources) < MIN_LARGEST:
        raise IconError(
            f"{source}: the largest square PNG is {max(sources)} px; "
            f"add one of at least {MIN_LARGEST} px"
        )
    out.mkdir(parents=True, exist_ok=True)
    ico = out / "readiness.ico"
    icns = out / "readiness.icns"

    ico_images = [_sized(sources, s) for s in ICO_SIZES]
    ico_images[-1].save(
        ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=ico_images[:-1]
    )
    icns_sizes = [s for s in ICNS_SIZES if s <= max(sources)]
    icns_images = [_sized(sources, s) for s in icns_sizes]
    icns_images[-1].save(icns, format="ICNS", append_images=icns_images[:-1])
    return [ico, icns]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "resources" / "icons")
    parser.add_argument("--out", type=Path, default=ROOT / "packaging" / "build" / "icons")
    args = parser.parse_args(argv)
    try:
        written = make_icons(args.source, args.out)
    except IconError as exc:
        print(f"make_icons: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
