"""Starting the window where it cannot show says what is missing, in words."""

from __future__ import annotations

import subprocess
import sys

from app.common.display import XCB_LIBRARIES, display_problem


def everything(name: str) -> str | None:
    return f"lib{name}.so.0"


def nothing(name: str) -> str | None:
    return None


def test_no_display_is_named() -> None:
    problem = display_problem({}, "linux", everything)
    assert problem is not None and "DISPLAY" in problem


def test_missing_libraries_are_named_with_their_packages() -> None:
    problem = display_problem(
        {"DISPLAY": ":0"}, "linux", lambda n: None if n == "xcb-cursor" else "x"
    )
    assert problem is not None and "libxcb-cursor0" in problem and "libxcb-icccm4" not in problem
    every = display_problem({"DISPLAY": ":0"}, "linux", nothing)
    assert every is not None and all(package in every for package in XCB_LIBRARIES.values())


def test_nothing_to_say_when_the_window_can_show() -> None:
    assert display_problem({"DISPLAY": ":0"}, "linux", everything) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", nothing) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", nothing) is None
    assert display_problem({}, "win32", nothing) is None
    assert display_problem({}, "darwin", nothing) is None


def test_the_gui_command_says_it_in_one_line_and_exits_1(tmp_path: object) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "READINESS_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("readiness: ")
