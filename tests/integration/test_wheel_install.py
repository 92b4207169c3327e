"""The built wheel, installed into a fresh virtual environment, works as the admin guide says.

The wheel is built from a copy of the sources (nothing is written into the checkout) without
build isolation, and installed with `--no-deps --no-index`: nothing is downloaded. The fresh
environment sees the test environment's installed packages (SQLAlchemy, FastAPI...) through a
`.pth` line, but not the checkout: `app` must come from the wheel, and so must `forms/`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync_support import db_params, pg_base_url, pg_schema

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def shipped_files() -> set[str]:
    """Every file the wheel must carry under share/readiness: the questionnaires as shipped
    (not their src/ folders), the resources (not the translation sources) and the user guides
    (Help > User guide finds them beside resources/)."""
    wanted: set[str] = set()
    for folder in ("forms", "resources"):
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT)
            if not path.is_file() or "src" in rel.parts[1:-1] or path.suffix in {".po", ".pot"}:
                continue
            wanted.add(rel.as_posix())
    wanted.update(f"docs/{guide.name}" for guide in (ROOT / "docs").glob("user-guide*.md"))
    return wanted


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    (source / "docs").mkdir()
    for guide in (ROOT / "docs").glob("user-guide*.md"):
        shutil.copy2(guide, source / "docs" / guide.name)
    for folder in ("app", "forms", "resources"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--quiet",
         "--no-deps", "--no-index", "--no-build-isolation", "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = out.glob("readiness-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel installed (no pip of its own: the test's pip installs)."""
    target = tmp_path_factory.mktemp("venv") / "hub env"  # a space, as in real paths
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
    python = venv_python(target)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # the test environment's third-party packages, not its editable `app` (its .pth is not read)
    parents = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site, "test-deps.pth").write_text("\n".join(sorted(parents)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return target


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def readiness(venv: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """The installed `readiness` script of the fresh environment, run from outside the checkout."""
    script = venv / ("Scripts/readiness.exe" if os.name == "nt" else "bin/readiness")
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "READINESS_HUB_DB"}}
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=120,
        env={**clean, **(env or {})}, cwd=cwd or venv,
    )  # fmt: skip


def test_the_wheel_carries_every_shipped_questionnaire_and_resource(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    prefix = next(n.split("/share/readiness/")[0] for n in names if "/share/readiness/" in n)
    carried = {
        n.removeprefix(f"{prefix}/share/readiness/") for n in names if n.startswith(prefix + "/")
    }
    assert carried == shipped_files()
    assert any(n.startswith("app/hub/migrations/versions/") for n in names)
    assert any(n.startswith("app/storage/migrations/versions/") for n in names)


def test_the_installed_code_and_forms_come_from_the_wheel(venv: Path) -> None:
    where = subprocess.run(
        [str(venv_python(venv)), "-c",
         "import app, app.common.paths as p; print(app.__file__); print(p.forms_dir()); "
         "print(p.resources_dir())"],
        check=True, capture_output=True, text=True, cwd=venv,
    ).stdout.splitlines()  # fmt: skip
    assert all(Path(line).resolve().is_relative_to(venv.resolve()) for line in where), where
    assert Path(where[1]).name == "forms"
    # where Help > User guide looks (app/ui/help_menu.py): beside resources/
    assert (Path(where[2]).parent / "docs" / "user-guide.md").is_file()
    assert (Path(where[2]) / "fonts" / "DejaVuSans.ttf").is_file()


def test_forms_validate_checks_the_installed_questionnaires(venv: Path) -> None:
    done = readiness(venv, "forms", "validate")
    assert done.returncode == 0, done.stderr
    count = len([f for f in shipped_files() if f.startswith("forms/") and f.endswith(".yaml")])
    assert done.stdout == f"{count} file(s) checked: 0 error(s), 0 warning(s)\n"
    assert count >= 2


def test_an_installation_without_its_questionnaires_fails_validate(venv: Path) -> None:
    (forms,) = venv.glob("**/share/readiness/forms")
    hidden = forms.with_name("forms-hidden")
    forms.rename(hidden)
    try:
        done = readiness(venv, "forms", "validate")
    finally:
        hidden.rename(forms)
    assert done.returncode == 1
    assert done.stdout == "0 file(s) checked: 1 error(s), 0 warning(s)\n"
    assert ": error: " in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def hub_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub data' / 'hub.sqlite3'}"
        return
    with pg_schema() as (url, _schema):
        yield url


@pytest.mark.parametrize("hub_url", db_params(), indirect=True)
def test_hub_init_and_publish_from_the_installed_wheel(
    venv: Path, hub_url: str, tmp_path: Path
) -> None:
    """As in the admin guide: the URL (with its password) in a file for `hub init`, in the
    environment for `hub forms publish`, never on the command line."""
    if hub_url.startswith("sqlite"):
        (tmp_path / "hub data").mkdir()
    url_file = tmp_path / "owner.url"
    url_file.write_text(f"# the owner's URL\n{hub_url}\n", encoding="utf-8")
    url_file.chmod(0o600)
    data = {"READINESS_DATA_DIR": str(tmp_path / "data")}

    done = readiness(venv, "hub", "init", "--db-file", str(url_file), env=data)
    assert done.returncode == 0, done.stderr
    assert "(schema " in done.stdout and "note:" not in done.stderr

    env = {**data, "READINESS_HUB_DB": hub_url}
    first = readiness(venv, "hub", "forms", "publish", "precision-oncology-readiness", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("published: precision-oncology-readiness ")
    again = readiness(venv, "hub", "forms", "publish", "precision-oncology-readiness", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("already published: precision-oncology-readiness ")
    assert again.stdout.splitlines()[-1] == first.stdout.splitlines()[-1]  # the same SHA-256
    assert not (tmp_path / "data" / "hub.sqlite3").exists()  # the named database, not the default
    assert pg_base_url() or (tmp_path / "hub data" / "hub.sqlite3").is_file()
