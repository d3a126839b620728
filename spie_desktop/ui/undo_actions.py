"""Édition › Annuler / Rétablir for the open dossier, and going to what was undone.

The two actions follow the window's controller: their text says what they would undo
(« Annuler la saisie de « Périmètre du projet » »), they are disabled when there is nothing,
and after an undo or a redo the window shows the section and puts the cursor in the field.
The field inputs leave Ctrl+Z, Ctrl+Maj+Z and Ctrl+Y to these actions (FieldWidget.eventFilter):
there is one undo history, the dossier's, never a second one per input.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from ..undo import Step
    from .controller import DossierController

UNDO_KEYS = ("Ctrl+Z",)
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")


class UndoActions(QObject):
    """Annuler and Rétablir for ``window`` (a MainWindow: controller, show_section, go_to_problem)."""

    def __init__(
        self, window: QMainWindow, controller_getter: Callable[[], DossierController | None]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.controller_getter = controller_getter
        self._followed: DossierController | None = None
        self.act_undo = QAction("Annuler", window)
        self.act_undo.setShortcuts([QKeySequence(k) for k in UNDO_KEYS])
        self.act_redo = QAction("Rétablir", window)
        self.act_redo.setShortcuts([QKeySequence(k) for k in REDO_KEYS])
        for action, slot in ((self.act_undo, self.undo), (self.act_redo, self.redo)):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            window.addAction(action)
        self.update_actions()

    def follow(self, controller: DossierController | None) -> None:
        """Listen to the window's current controller (called when a dossier opens or closes)."""
        if controller is self._followed:
            self.update_actions()
            return
        self._followed = controller
        if controller is not None:
            controller.undoChanged.connect(self.update_actions)
            controller.undoApplied.connect(self.show_step)
        self.update_actions()

    def update_actions(self) -> None:
        c = self.controller_getter()
        next_undo, next_redo = c.undo_steps() if c is not None and not c.read_only else (None, None)
        self.act_undo.setText(_menu_text(next_undo, "&Annuler"))
        self.act_redo.setText(_menu_text(next_redo, "&Rétablir"))
        self.act_undo.setEnabled(next_undo is not None)
        self.act_redo.setEnabled(next_redo is not None)

    def undo(self) -> Step | None:
        c = self.controller_getter()
        return c.undo() if c is not None else None

    def redo(self) -> Step | None:
        c = self.controller_getter()
        return c.redo() if c is not None else None

    # -- showing what changed --

    def show_step(self, step: Step) -> None:
        from ..undo import TitleChange, focus_of, undo_label

        w: Any = self.window
        if any(isinstance(ch, TitleChange) for ch in step.changes) and hasattr(w, "_update_header"):
            w._update_header()
        target = next((t for t in map(focus_of, step.changes) if t is not None), None)
        if target is not None:
            self.go_to(*target)
        c = self.controller_getter()
        undone = c is not None and c.undo_session.history.next_redo() is step
        status = getattr(w, "statusBar", None)
        if status is not None:
            status().showMessage(
                undo_label(step, "Annulé :" if undone else "Rétabli :").replace(": :", ":"), 5000
            )

    def go_to(self, kind: str, where: str) -> bool:
        """Show a stored path, a row, a field or a section; True when the cursor went there."""
        w: Any = self.window
        c = self.controller_getter()
        if c is None:
            return False
        if kind == "section":
            w.show_section(where)
            return False
        if kind == "row":
            fid, rid = where.rstrip("]").split("[", 1)
            spec = c.template.field(fid)
            child = next((ch for ch in spec.children if ch.type.holds_answer), None)
            if child is None or rid not in c.row_ids(fid):
                return w.go_to_problem(SimpleNamespace(section_id="", path=fid))
            where = f"{fid}[{rid}].{child.id}"
        went = bool(w.go_to_problem(SimpleNamespace(section_id="", path=where)))
        focus = QApplication.focusWidget()
        if went and isinstance(focus, QPlainTextEdit):  # the text was replaced: the cursor goes to its end
            focus.moveCursor(QTextCursor.MoveOperation.End)
        return went


def _menu_text(step: Step | None, verb: str) -> str:
    """The menu's text with its mnemonic; a « & » in a field's label stays a character."""
    if step is None:  # nothing to undo (a dossier just opened): the undo modules wait for an edit
        return verb
    from ..undo import undo_label

    text = undo_label(step, "\0")
    return text.replace("&", "&&").replace("\0", verb, 1)


def install_undo_actions(window: QMainWindow, menu, controller_getter) -> UndoActions:
    """Put Annuler / Rétablir first in ``menu`` (Édition), then a separator."""
    actions = UndoActions(window, controller_getter)
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, actions.act_undo)
    menu.insertAction(first, actions.act_redo)
    if first is not None:
        menu.insertSeparator(first)
    menu.aboutToShow.connect(actions.update_actions)
    return actions
