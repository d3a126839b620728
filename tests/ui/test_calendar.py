"""Issue 13: the date picker is named down to each day, listed as a window, readable in colour,
and driven by keys (arrows, Page préc./suiv., Entrée, Échap back to a focused « Calendrier… »)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from spie_desktop.app import create_application
from spie_desktop.ui import focus_ring, style
from spie_desktop.ui.fields.calendar import spoken_date


def _open(ui, controller_all):
    create_application()  # the palette and the focus ring, as the application has them
    form = ui.show_form(controller_all, "tout")
    field = form.fields["debut"]
    field.commit("2022-01-03", immediate=True)
    field.show_value("2022-01-03")
    field.calendar_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(field.calendar_button, Qt.Key.Key_Space)
    popup = field.popup
    ui.qtbot.waitUntil(lambda: popup.isVisible() and popup.grid.hasFocus(), timeout=3000)
    return form, field, popup


def test_each_day_says_its_whole_date_and_the_controls_are_named(ui, controller_all):
    _form, _field, popup = _open(ui, controller_all)
    assert spoken_date(QDate(2022, 1, 3)) == "lundi 3 janvier 2022"
    assert spoken_date(QDate(2022, 2, 1)) == "mardi 1er février 2022"
    current = popup.grid.currentItem()
    assert current.data(Qt.ItemDataRole.AccessibleTextRole).startswith("lundi 3 janvier 2022")
    assert popup.grid.accessibleName() == "Jours de janvier 2022"
    assert (
        popup.previous.accessibleName() == "Mois précédent" and popup.next.accessibleName() == "Mois suivant"
    )
    assert popup.year_box.accessibleName() == "Année" and popup.month_label.text() == "janvier"
    assert popup.accessibleName() == "Calendrier"
    outside = popup.grid.item(0, 0)  # 27 décembre 2021, shown before the 1er janvier
    assert outside.data(Qt.ItemDataRole.AccessibleTextRole) == "lundi 27 décembre 2021 (hors de janvier)"
    # a tool window, not a popup: Qt's accessibility lists it among the application's windows
    assert popup.windowType() == Qt.WindowType.Tool


def test_weekend_and_other_month_days_are_at_4_5_to_1(ui, controller_all):
    _form, _field, popup = _open(ui, controller_all)
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    saturday = popup.grid.item(1, 5)  # samedi 8 janvier
    other = popup.grid.item(0, 0)
    for item in (saturday, other):
        assert style.contrast_ratio(item.foreground().color(), base) >= 4.5, item.foreground().color().name()
    assert saturday.foreground().color() != other.foreground().color()


def test_keys_move_change_month_pick_and_escape_gives_the_button_back(ui, controller_all):
    _form, field, popup = _open(ui, controller_all)
    QTest.keyClick(popup.grid, Qt.Key.Key_Right)
    assert (
        popup.grid.currentItem().data(Qt.ItemDataRole.AccessibleTextRole).startswith("mardi 4 janvier 2022")
    )
    QTest.keyClick(popup.grid, Qt.Key.Key_PageDown)
    assert popup.month_shown() == (2022, 2)
    QTest.keyClick(popup.grid, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    ui.qtbot.waitUntil(lambda: field.calendar_button.hasFocus(), timeout=3000)
    ring = focus_ring.ring_of(QApplication.instance())
    assert ring is not None and ring.target is field.calendar_button  # its ring shows after closing
    QTest.keyClick(field.calendar_button, Qt.Key.Key_Space)
    ui.qtbot.waitUntil(lambda: popup.isVisible() and popup.grid.hasFocus(), timeout=3000)
    QTest.keyClick(popup.grid, Qt.Key.Key_Down)  # 10 janvier
    QTest.keyClick(popup.grid, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert controller_all.value("debut") == date(2022, 1, 10).isoformat()
    assert field.edit.text() == "10/01/2022"
