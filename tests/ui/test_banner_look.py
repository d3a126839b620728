"""A banner takes its colours and icon when it shows, and again when its kind changes while shown."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from spie_desktop.ui.banners import Banner, BannerKind


def _window(qtbot) -> tuple[QWidget, Banner]:
    w = QWidget()
    qtbot.addWidget(w)
    banner = Banner(BannerKind.WARNING, w, closable=True)
    QVBoxLayout(w).addWidget(banner)
    w.show()
    qtbot.waitExposed(w)
    return w, banner


def test_a_hidden_banner_gets_its_look_when_shown(qtbot):
    _, banner = _window(qtbot)
    assert not banner.isVisible() and banner.styleSheet() == ""  # nothing made while hidden
    banner.set_text("Attention.")
    banner.show()
    assert BannerKind.WARNING.value[1] in banner.styleSheet()
    assert not banner._icon.pixmap().isNull()


def test_a_shown_banner_changes_look_with_its_kind(qtbot):
    _, banner = _window(qtbot)
    banner.show()
    banner.set_kind(BannerKind.ERROR)
    assert BannerKind.ERROR.value[1] in banner.styleSheet()
    banner.hide()
    banner.set_kind(BannerKind.INFO)  # hidden: given at the next show
    banner.show()
    assert BannerKind.INFO.value[1] in banner.styleSheet()
