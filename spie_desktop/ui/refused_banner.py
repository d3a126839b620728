"""The banner that offers « Garder la mienne » / « Garder la leur » for a value of mine the team
server refused because someone else had just saved the same field (kept by server/queue.py, in the
dossier's queue file on this computer, so it survives a restart).

One refused value at a time, the oldest first; after a choice the next one is shown, beside their
newest value (a third person's change since the refusal, heard by the live view). The banner sits
above the form, far from the field in the Tab order: Alt+M and Alt+L choose from anywhere in the
window, and a screen reader hears the question (and these keys) when it is first shown. Its ✕ hides
it until a new value is refused (the ones refused so far stay kept, and show again at the next
opening)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from ..errors import SpieError
from ..presentation import plural
from .announce import announce
from .banners import Banner, BannerKind

if TYPE_CHECKING:
    from .controller import DossierController


class RefusedBanner(Banner):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BannerKind.WARNING, parent, closable=True)
        self.controller: DossierController | None = None
        self.uid = ""
        self.path = ""
        self.said = ""  # the uid last announced: a question is said once, not at each refresh
        #: the refused values shown when the ✕ was pressed: hidden until a new one is refused
        self.dismissed: set[str] = set()
        self.mine_button = self.add_button("Garder la mienne", self.keep_mine)
        self.mine_button.setToolTip("Remettre votre saisie à la place de celle de l'autre personne (Alt+M)")
        self.theirs_button = self.add_button("Garder la leur", self.keep_theirs)
        self.theirs_button.setToolTip("Oublier votre saisie refusée (Alt+L)")
        for keys, button in (("Alt+M", self.mine_button), ("Alt+L", self.theirs_button)):
            # a shortcut of the window, live only while the banner shows (not a mnemonic: the
            # offscreen and macOS platforms have none)
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.click)

    def bind(self, controller: DossierController | None) -> None:
        """Follow this dossier's refused values (None: no dossier)."""
        if controller is not self.controller:
            self.dismissed = set()
        self.controller = controller
        if controller is not None:
            controller.refusedKept.connect(self.refresh)
            controller.valueChanged.connect(self._value_changed)
        self.refresh()

    def _value_changed(self, path: str) -> None:
        """A value read from the server (the live view) or saved here: when it is the field of the
        refused value shown, the banner shows their newest value (a third person changed it again)."""
        if self.uid and self.path == path:
            self.refresh()

    def refresh(self) -> None:
        c = self.controller
        refused = c.refused_values() if c is not None else []
        if not refused or all(r.uid in self.dismissed for r in refused):
            self.uid = self.path = ""  # none, or closed with ✕: until a new refusal, the keys do nothing
            self.hide()
            if not refused:
                self.dismissed.clear()
            return
        # only when a value was refused: spie_desktop.collab stays unloaded at start-up (issue 14)
        from ..collab.history import show_value

        first = refused[0]
        self.uid, self.path = first.uid, first.path
        try:
            label = c.dossier.store.check_path(first.path)[1].label if c is not None else first.path
        except SpieError:
            label = first.path
        more = len(refused) - 1
        who = (_author_of(c, first.path, first.theirs) if c is not None else "") or "quelqu'un d'autre"
        self.set_text(
            f"« {label} » a été modifié par {who} ({show_value(first.theirs, 60)}) "
            f"avant l'enregistrement de votre saisie ({show_value(first.mine, 60)}). Votre saisie est "
            "gardée sur ce poste : choisissez celle qui reste."
            + (f" (Encore {plural(more, 'autre saisie')} à trancher.)" if more else "")
        )
        self.show()
        if self.said != first.uid:
            self.said = first.uid
            announce(
                self,
                f"{self.text()} Alt+M : garder la vôtre ; Alt+L : garder la leur.",
                assertive=True,
            )

    def dismiss(self) -> None:
        """The ✕: the values refused so far stay kept on this computer, the banner stays hidden at the
        next refresh (the live view refreshes often) and comes back for a new refusal."""
        c = self.controller
        self.dismissed |= {r.uid for r in (c.refused_values() if c is not None else [])}
        self.uid = self.path = ""
        self.hide()

    def keep_mine(self) -> None:
        if self.controller is not None and self.uid:
            self.controller.keep_mine(self.uid)
        self.refresh()

    def keep_theirs(self) -> None:
        if self.controller is not None and self.uid:
            self.controller.keep_theirs(self.uid)
        self.refresh()


def _author_of(c: DossierController, path: str, theirs: object) -> str:
    """Who saved ``theirs`` at ``path`` (the server's change log: the connected role), or ""."""
    from ..server.queue import same_value

    try:
        found = c.dossier.changes(path)
    except SpieError:
        return ""
    for change in reversed(found):
        if change.op in ("set", "resolve") and same_value(change.new, theirs):
            return change.author
    return ""
