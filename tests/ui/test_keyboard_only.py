"""Issue 13: the whole task with the keyboard only — key events (QTest) sent to whatever has the
focus, never a click nor a method of the window: create a dossier, fill a field in each section,
add and remove a row (and put it back), attach a file through the file dialog, run the check and
jump to a problem, export the PDF review copy.

The code only looks (which widget has the focus, which dialog is open) to decide the next key, as a
person looks at the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from spie_desktop.app import create_application
from spie_desktop.settings import Settings
from spie_desktop.ui import announce, dialogs
from spie_desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus() -> QWidget:
    """The widget the keys go to: the focused one, else the active window (the start screen)."""
    w = QApplication.focusWidget() or QApplication.activeWindow()
    assert w is not None, "plus rien n'a le focus"
    return w


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), key, modifiers)


def type_text(text: str) -> None:
    QTest.keyClicks(focus(), text)


def tab_until(found: Callable[[QWidget], bool], limit: int = 120, backwards: bool = False) -> QWidget:
    for _ in range(limit):
        if found(focus()):
            return focus()
        press(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    raise AssertionError(
        f"Tab n'a pas atteint le contrôle voulu (dernier : {focus()!r} {focus().accessibleName()!r})"
    )


class Dialogs:
    """What to do with each modal dialog when it shows up: (words of its title, keys to press)."""

    def __init__(self, qtbot) -> None:
        self.steps: list[tuple[str, Callable[[QWidget], None]]] = []
        self.done: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def expect(self, title: str, keys: Callable[[QWidget], None]) -> None:
        self.steps.append((title, keys))

    def _look(self) -> None:
        modal = QApplication.activeModalWidget()
        if (
            not self.steps
            or modal is None
            or not modal.isVisible()
            or self.steps[0][0] not in modal.windowTitle()
        ):
            return
        if QApplication.focusWidget() is None or not modal.isAncestorOf(QApplication.focusWidget()):
            modal.activateWindow()
            return
        title, keys = self.steps.pop(0)
        self.done.append(title)
        keys(modal)


def type_path_in_file_dialog(path: Path) -> Callable[[QWidget], None]:
    def keys(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        name = tab_until(lambda w: isinstance(w, QLineEdit) and dialog.isAncestorOf(w), limit=12)
        name.selectAll()  # as Ctrl+A would
        press(Qt.Key.Key_A, CTRL)
        type_text(str(path))
        press(Qt.Key.Key_Return)

    return keys


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: pytest.fail(f"erreur inattendue : {a[1:]}"))
    create_application()
    w = MainWindow(Settings(author_name="Camille Clavier"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


def window_manager_activates(qtbot, window: QWidget) -> None:
    """What the desktop does when a dialog closes (the offscreen platform has no window manager)."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def _editable(form: QWidget) -> Callable[[QWidget], bool]:
    def found(w: QWidget) -> bool:
        if not form.isAncestorOf(w):
            return False
        if isinstance(w, QLineEdit):
            return not w.isReadOnly() and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))
        return isinstance(w, (QPlainTextEdit, QAbstractSpinBox, QComboBox)) or (
            isinstance(w, QAbstractButton) and w.text().replace("&", "").startswith("Ajouter")
        )

    return found


def fill_one_field(window: MainWindow, section: str) -> str:
    """Tab to the section's first answer and give it one (adding a row first when the section
    only has lists); returns what kind of control was filled."""
    form = window.current_form()
    press(Qt.Key.Key_Tab)
    for _ in range(3):
        w = tab_until(_editable(form))
        if isinstance(w, QAbstractButton):  # « Ajouter un … »: a row, then its first field
            press(Qt.Key.Key_Space)
            continue
        if isinstance(w, QComboBox):
            press(Qt.Key.Key_Down)
        elif isinstance(w, QAbstractSpinBox):
            type_text("12")
        else:
            type_text(f"Reponse au clavier ({section})")
        return type(w).__name__
    raise AssertionError(f"aucune réponse à donner dans « {section} »")


def test_a_whole_dossier_with_the_keyboard_only(window, qtbot, tmp_path):
    script = Dialogs(qtbot)
    folder = tmp_path / "dossiers"
    folder.mkdir()

    # 1. Créer un dossier : Ctrl+N, le titre, l'emplacement, Entrée.
    def new_dossier(dialog: QWidget) -> None:
        tab_until(lambda w: isinstance(w, QLineEdit) and w.accessibleName() == "Titre du dossier", limit=10)
        type_text("Dossier au clavier")
        tab_until(
            lambda w: isinstance(w, QLineEdit) and w.accessibleName() == "Dossier où enregistrer le fichier",
            limit=10,
        )
        press(Qt.Key.Key_A, CTRL)
        type_text(str(folder))
        press(Qt.Key.Key_Return)

    script.expect("ouveau", new_dossier)
    press(Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.controller is not None, timeout=10000)
    assert window.controller.dossier.title == "Dossier au clavier"
    assert window.controller.path.parent == folder
    window_manager_activates(qtbot, window)

    # 2. Une réponse dans chaque section : Ctrl+L (liste des sections), Tab jusqu'à la réponse.
    sections = [s.id for s in window.controller.template.sections]
    filled = {}
    for i, section in enumerate(sections):
        if i == 0:
            press(Qt.Key.Key_L, CTRL)
            qtbot.waitUntil(
                lambda: window.section_list.isAncestorOf(focus()) or focus() is window.section_list
            )
        else:
            press(Qt.Key.Key_PageDown, CTRL)
        qtbot.waitUntil(lambda section=section: window._section_id == section, timeout=3000)
        if section == "pieces_jointes":
            continue  # its answer is a file: step 4
        filled[section] = fill_one_field(window, section)
    assert len(filled) == len(sections) - 1, filled

    # 3. Ajouter une ligne, la supprimer, la remettre (« Annuler »).
    press(Qt.Key.Key_L, CTRL)
    for _ in range(sections.index("pieces_jointes") - sections.index("consortium")):
        press(Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: window._section_id == "consortium", timeout=3000)
    form = window.current_form()
    announce.recent.clear()
    press(Qt.Key.Key_Tab)
    tab_until(
        lambda w: (
            form.isAncestorOf(w)
            and isinstance(w, QAbstractButton)
            and w.accessibleName().startswith("Supprimer")
        )
    )
    press(Qt.Key.Key_Space)
    assert any(m.startswith("Ligne supprimée") for m, _ in announce.recent), list(announce.recent)
    tab_until(
        lambda w: (
            form.isAncestorOf(w)
            and isinstance(w, QAbstractButton)
            and w.accessibleName().startswith("Annuler la suppression")
        ),
        backwards=True,
        limit=40,
    )
    press(Qt.Key.Key_Space)
    assert any(m.startswith("Ligne rétablie") for m, _ in announce.recent), list(announce.recent)

    # 4. Joindre un fichier : le bouton, puis le nom tapé dans la boîte de dialogue.
    piece = tmp_path / "statuts.txt"
    piece.write_text("Statuts de l'association.\n", encoding="utf-8")
    press(Qt.Key.Key_L, CTRL)
    press(Qt.Key.Key_End)
    qtbot.waitUntil(lambda: window._section_id == "pieces_jointes", timeout=3000)
    form = window.current_form()
    press(Qt.Key.Key_Tab)
    tab_until(
        lambda w: (
            form.isAncestorOf(w)
            and isinstance(w, QAbstractButton)
            and (
                w.accessibleName().startswith("Choisir un fichier")
                or w.text().replace("&", "").startswith(("Choisir", "Joindre"))
            )
        )
    )
    script.expect("oindre", type_path_in_file_dialog(piece))
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: any(window.controller.attachments(p) for p in _attachment_paths(window)), timeout=10000
    )
    assert any("statuts.txt" in m for m, _ in announce.recent)
    window_manager_activates(qtbot, window)

    # 5. Vérifier (F7), descendre jusqu'à un problème, Entrée : le curseur est dans son champ.
    press(Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.check_dock is not None and window.check_view.tree.hasFocus(), timeout=5000)
    tree = window.check_view.tree
    for _ in range(40):  # the first problem tied to a field (not « Ensemble du dossier »)
        press(Qt.Key.Key_Down)
        item = tree.currentItem()
        found = item.data(0, Qt.ItemDataRole.UserRole + 1) if item is not None else None
        if found is not None and found.path:
            break
    problem = tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1)
    press(Qt.Key.Key_Return)
    try:
        qtbot.waitUntil(
            lambda: window.current_form() is not None and window.current_form().isAncestorOf(focus()),
            timeout=5000,
        )
    except Exception:  # noqa: BLE001 - said plainly
        raise AssertionError(
            f"Entrée sur {problem.path!r} ({problem.message}) : le focus est sur {focus()!r} "
            f"{focus().accessibleName()!r}, section {window._section_id}"
        ) from None
    assert window._section_id == problem.section_id or not problem.section_id
    press(Qt.Key.Key_F7, CTRL | SHIFT)  # and the panel closes from the keyboard too
    assert not window.check_dock.isVisible()

    # 6. La copie de relecture PDF : Ctrl+Maj+P, Entrée (« Choisir l'emplacement… »), le nom, Entrée.
    pdf = tmp_path / "copie.pdf"
    script.expect("Copie de relecture", lambda d: press(Qt.Key.Key_Return))
    script.expect("Enregistrer la copie", type_path_in_file_dialog(pdf))
    script.expect("prête", lambda d: press(Qt.Key.Key_Escape))
    press(Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.waitUntil(lambda: "prête" in script.done, timeout=60000)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert script.steps == []


def _attachment_paths(window: MainWindow) -> list[str]:
    from spie_desktop.forms import FieldType

    return [
        f.id
        for s in window.controller.template.sections
        for f in s.fields
        if f.type is FieldType.PIECE_JUSTIFICATIVE
    ]
