"""One running application per user and graphical session: a second launch hands its file to the first.

Double-clicking a .spie file while the application is open must bring the open window forward
and open the file there, not start a second copy fighting over locks. The same account may have
several sessions at once (a second display, a remote desktop): each keeps its own instance, so a
file is never handed to a window the person cannot see. The session is the Wayland and X display
names (XDG_SESSION_ID when there is no display), the session id on Windows.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import sys
from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1500


def _windows_session_id() -> int | None:
    """The Terminal Services session of this process (0 for services, 1+ for each logged-on desktop)."""
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        session = wintypes.DWORD()
        if kernel32.ProcessIdToSessionId(kernel32.GetCurrentProcessId(), ctypes.byref(session)):
            return int(session.value)
    except Exception:  # noqa: BLE001 - no session id: one instance per user, as before
        pass
    return None


def session_key(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """What tells this graphical session from another of the same account ("" when nothing does)."""
    if (platform or sys.platform) == "win32":
        session = _windows_session_id()
        return "" if session is None else f"session={session}"
    env = os.environ if env is None else env
    wayland = env.get("WAYLAND_DISPLAY", "")
    x11 = re.sub(r"\.\d+$", "", env.get("DISPLAY", ""))  # ":0.0" is screen 0 of display ":0"
    if wayland or x11:
        return f"wayland={wayland};x11={x11}"
    session = env.get("XDG_SESSION_ID", "")
    return f"xdg={session}" if session else ""


def server_name(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some sandboxes
        user = "utilisateur"
    key = f"{user}\n{session_key(env, platform)}"
    return "spie-desktop-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def hand_over(path: str | None, example: bool = False, name: str | None = None) -> bool:
    """Send the request to a running instance; True if one took it (then this process should exit)."""
    sock = QLocalSocket()
    sock.connectToServer(name or server_name())
    if not sock.waitForConnected(TIMEOUT_MS):
        return False
    payload = json.dumps({"open": path, "example": example}).encode("utf-8") + b"\n"
    sock.write(payload)
    sock.flush()
    sock.waitForBytesWritten(TIMEOUT_MS)  # False when already written: not an error
    ok = sock.waitForReadyRead(TIMEOUT_MS) and bytes(sock.readAll().data()).strip() == b"ok"
    sock.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    """Listens for later launches; emits ``openRequested(path or "", example)``."""

    openRequested = Signal(str, bool)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a socket left by a crashed instance
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._buffers.pop(s, None))

    def _read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        self._buffers[sock] = data
        if b"\n" not in data:
            return
        line = data.split(b"\n", 1)[0]
        try:
            msg = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            msg = {}
        sock.write(b"ok\n")
        sock.flush()
        path = msg.get("open") if isinstance(msg, dict) else None
        example = bool(msg.get("example")) if isinstance(msg, dict) else False
        self.openRequested.emit(path if isinstance(path, str) else "", example)
