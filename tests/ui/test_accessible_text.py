"""Issue 13: what a screen reader reads stays current and named; Tab goes as the eye reads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLineEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.ui.accessible_text import name_empty_cells, set_tab_text, with_clear_button
from spie_desktop.ui.tab_order import follow_with, move_to_end


def _chain(window: QWidget) -> list[QWidget]:
    out, w = [], window.nextInFocusChain()
    while w is not window:
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            out.append(w)
        w = w.nextInFocusChain()
    return out


def test_tab_text_changes(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "Réponses à reporter (0 / 3 copiées)")
    set_tab_text(tabs, 0, "Réponses à reporter (1 / 3 copiées)")
    assert tabs.tabText(0) == "Réponses à reporter (1 / 3 copiées)"


def test_the_clear_button_and_empty_cells_are_named(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    with_clear_button(edit)
    assert edit.isClearButtonEnabled()
    assert [b.accessibleName() for b in edit.findChildren(QToolButton)] == ["Effacer le texte"]
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setColumnCount(3)
    group = QTreeWidgetItem(tree, ["Reliées (2)"])
    row = QTreeWidgetItem(group, ["Nom", "", "80 %"])
    name_empty_cells(group, "Reliées (2)")
    name_empty_cells(row, "Aucune correspondance")
    assert [group.data(c, Qt.ItemDataRole.AccessibleTextRole) for c in (1, 2)] == [
        "Reliées (2)",
        "Reliées (2)",
    ]
    assert row.data(1, Qt.ItemDataRole.AccessibleTextRole) == "Aucune correspondance"
    assert row.data(2, Qt.ItemDataRole.AccessibleTextRole) is None


def test_buttons_built_before_the_form_come_after_its_fields(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    sections = QLineEdit(window)  # the section list, first stop of the window
    layout.addWidget(sections)
    prev, nxt = QPushButton("Précédent", window), QPushButton("Suivant", window)
    form = QWidget(window)  # built after the buttons, as a section's form is
    fields = [QLineEdit(form) for _ in range(3)]
    form_layout = QVBoxLayout(form)
    for f in fields:
        form_layout.addWidget(f)
    layout.addWidget(form)
    layout.addWidget(prev)
    layout.addWidget(nxt)
    assert _chain(window) == [sections, prev, nxt, *fields]
    QWidget.setTabOrder(sections, fields[0])
    follow_with(fields[-1], [prev, nxt])
    assert _chain(window) == [sections, *fields, prev, nxt]


def test_a_dialog_close_button_goes_last(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    search = QLineEdit(window)
    close = QPushButton("Fermer", window)
    page = QWidget(window)  # a tab's page, built after the button
    edits = [QLineEdit(page) for _ in range(2)]
    move_to_end(close)
    assert _chain(window) == [search, *edits, close]
