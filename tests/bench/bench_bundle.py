"""Frozen bundle: size and start-up against a bare PySide6 window frozen the same way.

    python tests/bench/bench_bundle.py [--skip-build] [--runs 5]

1. Builds the app with packaging/build.sh (its own environment, its self-test), unless
   --skip-build is given and packaging/dist/ already holds a bundle.
2. Freezes a bare PySide6 window (one QMainWindow) in a temporary folder with the same
   PyInstaller options, exclusions and Qt trimming (packaging/bundle_options.py).
3. Prints the folder size and the gzip-compressed size of both, and the ratio (budget <= 1.3).
4. Times start-up to a shown window, median of --runs starts after one warm-up, for both:
   the app on a new data folder (first run: database created) and on an existing one; under
   Xvfb (the xcb platform, as on a desktop) when Xvfb is installed, else offscreen.

Not part of the test suite; a benchmark prints figures beside their baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SIZE_BUDGET = 1.3
READY = "self-test: window shown"

BARE_WINDOW = """\
import sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Bare window")
window.setCentralWidget(QLabel("A bare PySide6 window"))
window.show()
while not window.isVisible():
    QCoreApplication.processEvents()
QCoreApplication.processEvents()
print("self-test: window shown", flush=True)
sys.exit(app.exec())
"""

BARE_SPEC = """\
import sys
sys.path.insert(0, {packaging!r})
import bundle_options

a = Analysis([{script!r}], excludes=bundle_options.EXCLUDES, noarchive=False, optimize=0)
a.binaries, a.datas = bundle_options.trim(a.binaries, a.datas)
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name="bare", console=True,
          strip=bundle_options.STRIP, upx=False)
coll = COLLECT(exe, a.binaries, a.datas, strip=bundle_options.STRIP, upx=False, name="bare")
"""


def build_python() -> Path:
    for candidate in (
        PACKAGING / ".venv-build" / "bin" / "python",
        PACKAGING / ".venv-build" / "Scripts" / "python.exe",
    ):
        if candidate.exists():
            return candidate
    raise SystemExit("no packaging/.venv-build: run packaging/build.sh first")


def app_bundle() -> tuple[Path, Path]:
    """(bundle folder, program) of the built app."""
    if sys.platform == "darwin":
        bundle = PACKAGING / "dist" / "Readiness.app"
        return bundle, bundle / "Contents" / "MacOS" / "Readiness"
    bundle = PACKAGING / "dist" / "Readiness"
    program = bundle / ("readiness-cli.exe" if sys.platform == "win32" else "readiness")
    return bundle, program


def build_bare(folder: Path) -> tuple[Path, Path]:
    script = folder / "bare_window.py"
    script.write_text(BARE_WINDOW, encoding="utf-8")
    spec = folder / "bare.spec"
    spec.write_text(
        BARE_SPEC.format(packaging=str(PACKAGING), script=str(script)), encoding="utf-8"
    )
    subprocess.run(
        [
            str(build_python()),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(folder / "dist"),
            "--workpath",
            str(folder / "work"),
            str(spec),
        ],
        check=True,
    )
    bundle = folder / "dist" / "bare"
    return bundle, bundle / ("bare.exe" if sys.platform == "win32" else "bare")


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def compressed_size(folder: Path) -> int:
    """Bytes of the folder as a .tar.gz (level 6), counted without writing the archive."""
    sink = _Counter()
    with tarfile.open(fileobj=sink, mode="w:gz", compresslevel=6) as archive:  # type: ignore[call-overload]
        archive.add(folder, arcname=folder.name)
    return sink.count


@contextmanager
def display() -> Iterator[dict[str, str]]:
    """Environment for a start: a private Xvfb display when there is one, else offscreen."""
    xvfb = shutil.which("Xvfb")
    if not xvfb or sys.platform != "linux":
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    server = subprocess.Popen(
        [xvfb, f":{number}", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("Xvfb did not start")
            time.sleep(0.05)
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
    finally:
        server.terminate()
        server.wait(10)


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launch until the program says its window is shown; then it is stopped."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **env},
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY):
                return time.perf_counter() - started
        raise SystemExit(f"{command[0]} ended without showing its window")
    finally:
        process.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        process.wait(10)


def _viewable(env: dict[str, str], res_name: str) -> bool:
    """Whether a top-level X window of the program (by WM_CLASS name) is on screen."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], capture_output=True, text=True, env={**os.environ, **env}
    ).stdout
    for line in tree.splitlines():
        if f'("{res_name}" ' in line:
            info = subprocess.run(
                ["xwininfo", "-id", line.split()[0]],
                capture_output=True,
                text=True,
                env={**os.environ, **env},
            ).stdout
            if "IsViewable" in info:
                return True
    return False


def time_to_screen(command: list[str], env: dict[str, str], res_name: str) -> float:
    """Seconds from launch until the program's window is mapped on the X display."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env}
    )
    try:
        while time.perf_counter() - started < 60:
            if _viewable(env, res_name):
                return time.perf_counter() - started
            if process.poll() is not None:
                break
            time.sleep(0.005)
        raise SystemExit(f"{command[0]} showed no window")
    finally:
        process.kill()
        process.wait(10)


def median_start(command: list[str], env: dict[str, str], runs: int) -> float:
    time_to_window(command, env)  # warm-up: the files are in the page cache afterwards
    return statistics.median(time_to_window(command, env) for _ in range(runs))


def median_screen(command: list[str], env: dict[str, str], res_name: str, runs: int) -> float:
    time_to_screen(command, env, res_name)
    return statistics.median(time_to_screen(command, env, res_name) for _ in range(runs))


def first_run(program: Path, env: dict[str, str], runs: int, scratch: Path) -> float:
    times = []
    for n in range(runs):
        folder = scratch / f"first-{n}"
        times.append(time_to_window([str(program), "--self-test", "--data-dir", str(folder)], env))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="use the bundle already built")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    bundle, program = app_bundle()
    if not (args.skip_build and program.exists()):
        subprocess.run([str(PACKAGING / "build.sh")], check=True)
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        scratch = Path(tmp)
        started = time.perf_counter()
        bare_bundle, bare_program = build_bare(scratch)
        print(f"bare window bundle built in {time.perf_counter() - started:.0f} s")

        app_size, bare_size = folder_size(bundle), folder_size(bare_bundle)
        app_gz, bare_gz = compressed_size(bundle), compressed_size(bare_bundle)
        mb = 1_000_000
        print(f"{'what':<34}{'app':>10}{'bare':>10}{'ratio':>8}{'budget':>8}")
        print(
            f"{'bundle folder (MB)':<34}{app_size / mb:>10.1f}{bare_size / mb:>10.1f}"
            f"{app_size / bare_size:>8.2f}{SIZE_BUDGET:>8.1f}"
        )
        print(
            f"{'compressed .tar.gz (MB)':<34}{app_gz / mb:>10.1f}{bare_gz / mb:>10.1f}"
            f"{app_gz / bare_gz:>8.2f}"
        )

        with display() as env:
            data = scratch / "data"
            app_cmd = [str(program), "--self-test", "--data-dir", str(data)]
            bare_s = median_start([str(bare_program)], env, args.runs)
            warm_s = median_start(app_cmd, env, args.runs)
            first_s = first_run(program, env, args.runs, scratch)
            where = env["QT_QPA_PLATFORM"]
            on_screen = None
            if where == "xcb" and shutil.which("xwininfo"):
                on_screen = (
                    median_screen(
                        [str(program), "--data-dir", str(data), "gui"], env, program.name, args.runs
                    ),
                    median_screen([str(bare_program)], env, bare_program.name, args.runs),
                )
        if on_screen:
            app_s, bare_on = on_screen
            print(
                f"{'window on screen, xcb (s)':<34}{app_s:>10.2f}{bare_on:>10.2f}"
                f"{app_s / bare_on:>8.2f}"
            )
        print(
            f"{'self-test ready (list), ' + where + ' (s)':<34}{warm_s:>10.2f}{bare_s:>10.2f}"
            f"{warm_s / bare_s:>8.2f}{2.0:>8.1f}"
        )
        print(
            f"{'  same, new data folder (s)':<34}{first_s:>10.2f}{bare_s:>10.2f}"
            f"{first_s / bare_s:>8.2f}"
        )
        ok = app_size / bare_size <= SIZE_BUDGET
        print(f"bundle size ratio {app_size / bare_size:.2f}: {'within' if ok else 'OVER'} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
