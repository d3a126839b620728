"""Others' edits seen in the window within a moment: the server's LISTEN/NOTIFY through a
QSocketNotifier (nothing polls). What the user is typing stays: a pending value wins in the
controller, and saving it over someone else's change is refused with both values shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

if TYPE_CHECKING:
    from .controller import DossierController


#: Milliseconds between two looks at who else has the dossier open (one query on the watcher's connection).
PRESENCE_EVERY_MS = 20_000


class LiveServer(QObject):
    def __init__(
        self,
        controller: DossierController,
        after_change: Callable[[], None],
        status_bar: QStatusBar | None = None,
    ) -> None:
        super().__init__(controller)
        from ..server.notify import Watcher

        self.controller = controller
        self.after_change = after_change
        self.watcher = Watcher.of(controller.dossier)
        self.notifier = QSocketNotifier(self.watcher.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._heard)
        controller.destroyed.connect(self.close)
        self.status_bar = status_bar
        self.presence = QLabel("")
        self.presence.setAccessibleName("Aussi ouvert par")
        if status_bar is not None:
            status_bar.addPermanentWidget(self.presence)
        self.presence_timer = QTimer(self, interval=PRESENCE_EVERY_MS, timeout=self.show_presence)
        self.presence_timer.start()
        self.show_presence()

    def show_presence(self) -> None:
        """« Aussi ouvert par : … » (the server's view of who has this dossier open)."""
        from ..models import DossierError

        try:
            others = self.watcher.present()
        except DossierError:
            others = []
        self.presence.setText(f"Aussi ouvert par : {', '.join(others)}" if others else "")

    def _heard(self) -> None:
        from ..models import DossierError

        c = self.controller
        try:
            if c.dossier.store.closed:
                self.close()
                return
            if not self.watcher.wait(timeout=0) or c.dossier.store.batch_depth:
                return
            if not c.refresh_from_server():
                return
        except DossierError:  # the server went away: the next save says so, and reconnects
            return
        self.after_change()

    def close(self) -> None:
        try:
            self.presence_timer.stop()
            self.notifier.setEnabled(False)
            if self.status_bar is not None:
                self.status_bar.removeWidget(self.presence)
            self.presence.deleteLater()
            self.watcher.close()
        except (RuntimeError, OSError):
            pass
