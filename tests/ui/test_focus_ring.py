"""Issue 13: the keyboard focus shows in every kind of control, at 3:1 or more against what
surrounds it, computed from the colours the application sets (palette → ``style.focus_color``)
and read back from what the control paints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from spie_desktop.app import create_application
from spie_desktop.ui import focus_ring, style
from spie_desktop.ui.fields.base import link_button


def test_the_ring_colour_stands_at_3_to_1_against_everything_around_it(qapp):
    create_application()
    pal = QApplication.palette()
    ring = style.focus_color(pal)
    for around in style.focus_surroundings(pal):
        assert style.contrast_ratio(ring, around) >= 3.0, (ring.name(), around.name())
    assert style.FOCUS_WIDTH >= 2


def test_a_dark_theme_gets_a_light_ring(qapp):
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3daee9"))
    ring = style.focus_color(dark)
    assert all(style.contrast_ratio(ring, c) >= 3.0 for c in style.focus_surroundings(dark))


def _controls(parent: QWidget) -> dict[str, QWidget]:
    tabs = QTabWidget(parent)
    tabs.addTab(QWidget(), "Première")
    tabs.addTab(QWidget(), "Seconde")
    combo = QComboBox(parent)
    combo.addItems(["Public", "Privé"])
    default = QPushButton("&Choisir l'emplacement…", parent)
    default.setDefault(True)
    tool = QToolButton(parent)
    tool.setObjectName("rowToggle")  # borderless, transparent: the case Fusion shows nothing for
    tool.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    tool.setAutoRaise(True)
    items = QListWidget(parent)
    items.addItems(["Porteur", "Territoire"])
    return {
        "saisie": QLineEdit("Texte", parent),
        "zone de texte": QPlainTextEdit("Texte", parent),
        "liste déroulante": combo,
        "case à cocher": QCheckBox("&Marges larges pour annoter à la main", parent),
        "bouton radio": QRadioButton("Oui", parent),
        "bouton par défaut": default,
        "bouton outil": tool,
        "lien": link_button("Effacer la date", parent),
        "liste": items,
        "onglet": tabs.tabBar(),
        "nombre": QSpinBox(parent),
    }


@pytest.fixture
def dialog(qtbot):
    create_application()
    d = QDialog()
    d.setStyleSheet(style.FORM_QSS)  # as in the section forms
    lay = QVBoxLayout(d)
    controls = _controls(d)
    for name, w in controls.items():
        lay.addWidget(w.parentWidget() if name == "onglet" else w)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is d, timeout=2000)
    return d, controls


@pytest.mark.parametrize(
    "kind",
    [
        "saisie",
        "zone de texte",
        "liste déroulante",
        "case à cocher",
        "bouton radio",
        "bouton par défaut",
        "bouton outil",
        "lien",
        "liste",
        "onglet",
        "nombre",
    ],
)
def test_each_kind_of_control_shows_the_ring_when_focused(dialog, qtbot, kind):
    d, controls = dialog
    widget = controls[kind]
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focus_ring.ring_of(QApplication.instance()) is not None, timeout=2000)
    ring = focus_ring.ring_of(QApplication.instance())
    assert ring.target is widget
    expected = style.focus_color(QApplication.palette())
    image = d.grab().toImage()
    assert ring.parentWidget() is d  # a child of the window, never of the control
    corner = ring.geometry().topLeft()
    left_edge = QColor(image.pixel(corner + QPoint(0, ring.height() // 2)))
    top_edge = QColor(image.pixel(corner + QPoint(ring.width() // 2, 0)))
    assert left_edge == expected and top_edge == expected, (kind, left_edge.name(), top_edge.name())
    outside = QColor(image.pixel(corner + QPoint(-2, ring.height() // 2))) if corner.x() >= 2 else None
    if outside is not None:  # what surrounds the control on screen
        assert style.contrast_ratio(expected, outside) >= 3.0, (kind, outside.name())
    inside = QColor(image.pixel(corner + QPoint(style.FOCUS_WIDTH + 1, ring.height() // 2)))
    selected = QApplication.palette().color(QPalette.ColorRole.Highlight)  # Tab selects a line edit's text
    assert style.contrast_ratio(expected, inside) >= 3.0 or inside in (expected, selected), (
        kind,
        inside.name(),
    )
    widget.clearFocus()
    assert focus_ring.ring_of(QApplication.instance()) is None


def test_the_ring_follows_the_current_tab(dialog, qtbot):
    _d, controls = dialog
    bar = controls["onglet"]
    bar.setFocus(Qt.FocusReason.TabFocusReason)
    bar.setCurrentIndex(1)
    ring = focus_ring.ring_of(QApplication.instance())
    tab = bar.tabRect(1)
    assert ring.geometry() == QRect(bar.mapTo(ring.parentWidget(), tab.topLeft()), tab.size())
