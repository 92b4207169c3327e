"""One window per data folder: starting the app again brings the running window forward.

The first process to start on a data folder takes a lock file (`QLockFile`, which notices a
crashed owner by its process id) and listens on a local socket named after the folder (a named
pipe on Windows, a Unix socket elsewhere). A later start on the same folder finds the lock taken,
connects, sends its command-line arguments and leaves; the first process's `activated` signal
fires with those arguments, and the window comes forward.

Protocol: the later process sends one line of JSON, `{"args": [...]}`, and waits for the line
`ok`. Anything else on the socket is ignored and the connection closed.

    guard = SingleInstance(DataPaths.resolve(data_dir).root)
    claim = guard.claim(sys.argv[1:])
    if claim is Claim.FORWARDED:
        return 0                     # the running window came forward
    if claim is Claim.UNREACHABLE:
        ...                          # tell the person, exit 1: never a second window
    guard.activated.connect(lambda args: bring_forward(window))
    ...
    guard.release()                  # after the event loop ends
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger("readiness.ui.instance")

MAX_MESSAGE = 64 * 1024  # bytes; a command line is far shorter
ACK = b"ok\n"


class Claim(enum.Enum):
    """What `SingleInstance.claim()` found."""

    PRIMARY = "primary"  # this process owns the data folder: open the window
    FORWARDED = "forwarded"  # a running window owns it and was asked to come forward: exit 0
    UNREACHABLE = "unreachable"  # a running process owns it but did not answer: tell, exit 1


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment
        return str(getattr(os, "getuid", lambda: "")())


def instance_key(data_root: str | os.PathLike[str]) -> str:
    """The socket and lock name for a data folder, the same whichever way the folder is spelt.

    The user is part of it: two people on one computer never talk to each other's window. A hash
    keeps the name short (Unix socket paths are limited to about 100 bytes) and free of
    characters a pipe name cannot hold.
    """
    folder = Path(data_root).expanduser()
    with contextlib.suppress(OSError, RuntimeError):
        folder = folder.resolve()
    spelt = os.path.normcase(os.path.abspath(folder))  # case-insensitive on Windows
    digest = hashlib.sha256(f"{_user()}\0{spelt}".encode()).hexdigest()[:24]
    return f"readiness-{digest}"


def lock_path(key: str) -> Path:
    """The lock file: in the per-user temporary folder, never in the data folder itself."""
    return Path(QDir.tempPath()) / f"{key}.lock"


class SingleInstance(QObject):
    """Owns a data folder for this process, or hands the start over to the process that does.

    Signals:
        activated(list): a later start on the same data folder asked this window to come
            forward; the list holds that start's command-line arguments.
    """

    activated = Signal(list)

    def __init__(
        self,
        data_root: str | os.PathLike[str],
        parent: QObject | None = None,
        *,
        wait_ms: int = 5000,
    ) -> None:
        super().__init__(parent)
        self.key = instance_key(data_root)
        self.data_root = Path(data_root)
        self._wait_ms = wait_ms
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    @property
    def is_primary(self) -> bool:
        return self._lock is not None

    def claim(self, arguments: Sequence[str] = ()) -> Claim:
        """Take the data folder, or pass `arguments` to the window that already has it."""
        if self._lock is not None:
            return Claim.PRIMARY
        lock = QLockFile(str(lock_path(self.key)))
        lock.setStaleLockTime(0)  # only a dead owner makes the lock stale, never its age
        if lock.tryLock(0):
            self._lock = lock
            self._listen()
            return Claim.PRIMARY
        if lock.error() != QLockFile.LockError.LockFailedError:
            # The temporary folder is unusable: working without the guard beats not starting.
            log.warning("no single-instance lock at %s (%s)", lock_path(self.key), lock.error())
            return Claim.PRIMARY
        return self._forward(list(arguments))

    def release(self) -> None:
        """Stop answering later starts and free the data folder (call when the window closes)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        for socket in list(self._buffers):
            socket.abort()
        self._buffers.clear()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # -- the owning process --------------------------------------------------------------------

    def _listen(self) -> None:
        # A socket file left behind by an owner that crashed (Unix) would make listen() fail.
        QLocalServer.removeServer(self.key)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_new_connection)
        if not server.listen(self.key):
            # Still the owner: later starts will report UNREACHABLE rather than open a second
            # window on the same database.
            log.warning("cannot listen on %s: %s", self.key, server.errorString())
            server.deleteLater()
            return
        self._server = server

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                break
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += bytes(socket.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE:
                self._drop(socket, "message too long")
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        try:
            message = json.loads(line.decode("utf-8"))
            arguments = message["args"]
            if not isinstance(arguments, list) or not all(isinstance(a, str) for a in arguments):
                raise TypeError("args is not a list of strings")
        except (ValueError, KeyError, TypeError) as exc:
            self._drop(socket, f"unreadable message: {exc}")
            return
        socket.write(ACK)
        socket.flush()
        socket.disconnectFromServer()
        log.info("a second start on this data folder: bringing the window forward")
        self.activated.emit(arguments)

    def _drop(self, socket: QLocalSocket, why: str) -> None:
        log.warning("ignored a local connection: %s", why)
        self._buffers.pop(socket, None)
        socket.abort()

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    # -- a later process -----------------------------------------------------------------------

    def _forward(self, arguments: list[str]) -> Claim:
        payload = json.dumps({"args": arguments}).encode("utf-8") + b"\n"
        _allow_foreground()
        deadline = time.monotonic() + self._wait_ms / 1000
        # The owner may still be starting (lock taken, not yet listening): retry until the deadline.
        while True:
            if self._send(payload, max(100, int((deadline - time.monotonic()) * 1000))):
                return Claim.FORWARDED
            if time.monotonic() >= deadline:
                log.warning("the window that has %s open did not answer", self.data_root)
                return Claim.UNREACHABLE
            time.sleep(0.1)

    def _send(self, payload: bytes, wait_ms: int) -> bool:
        socket = QLocalSocket()
        try:
            socket.connectToServer(self.key)
            if not socket.waitForConnected(min(wait_ms, 1000)):
                return False
            socket.write(payload)
            if not socket.waitForBytesWritten(wait_ms):
                return False
            answer = b""
            while ACK not in answer and socket.waitForReadyRead(wait_ms):
                answer += bytes(socket.readAll().data())
            return ACK in answer
        finally:
            socket.abort()


def bring_forward(window: QWidget) -> None:
    """Show `window` un-minimised, on top and focused."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def _allow_foreground() -> None:
    """Windows gives the foreground only to the program the person just started; pass it on."""
    if sys.platform != "win32":
        return
    import ctypes

    asfw_any = -1
    with contextlib.suppress(AttributeError, OSError):
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)
