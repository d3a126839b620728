"""One running application per user: a second launch hands its file to the first and exits.

Double-clicking a .spie file while the application is open must bring the open window forward
and open the file there, not start a second copy fighting over locks.
"""

from __future__ import annotations

import getpass
import hashlib
import json

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1500


def server_name() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some sandboxes
        user = "utilisateur"
    return "spie-desktop-" + hashlib.sha1(user.encode("utf-8")).hexdigest()[:12]


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
