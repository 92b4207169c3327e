"""Every process a test starts must be gone when the test run ends.

A child left running (a hub server whose test lost track of it, say) keeps its port and its
database connections: the next test's health check can be answered by the old server, and on
PostgreSQL the next CI run cannot drop its database. At the end of the session this plugin
lists the direct children of the pytest process that are still alive (or dead but never
reaped), kills them, and fails the run naming each one. Linux only (it reads /proc); elsewhere
it does nothing.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest


def children_of(pid: int) -> list[tuple[int, str, str]]:
    """(pid, state, command line) of every process whose parent is `pid`."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # the command name in parentheses may hold spaces: fields start after the last ')'
        fields = stat[stat.rindex(")") + 2 :].split()
        state, parent = fields[0], int(fields[1])
        if parent == pid:
            found.append((int(entry.name), state, cmdline.strip()))
    return found


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaked = children_of(os.getpid())
    if not leaked:
        return
    lines = [f"  pid {pid} ({state}): {cmd or '?'}" for pid, state, cmd in leaked]
    message = "processes started by the tests outlived them (killed now):\n" + "\n".join(lines)
    for pid, _state, _cmd in leaked:
        _reap(pid)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "leaked processes", red=True)
        reporter.write_line(message)
    else:
        print(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
