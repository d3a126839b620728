"""The form fits the users' screens: 1280 × 720 (1920 × 1080 at 150 %), 1366 × 768 and 1920 × 1080,
the default 1 200 × 820 window, a 1366 × 768 screen at 200 % (683 × 384), with text at 100 % and 200 %, the check panel closed or open, and every dialog: only vertical
scrolling, nothing past its view, no text cut. Checked on the real widgets' geometry."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from spie_desktop.interchange import create_example_copy
from spie_desktop.settings import Settings
from spie_desktop.ui.layout_audit import audit_window
from spie_desktop.ui.main_window import MainWindow
from spie_desktop.ui.screen_tour import TEXT_SCALES, scale_text, sizes_for, tour


@pytest.fixture
def example_window(qtbot, tmp_path):
    def make(scale: float) -> MainWindow:
        scale_text(QApplication.instance(), scale)
        window = MainWindow(Settings(author_name="Camille Martin", author_organisation="CD"))
        qtbot.addWidget(window)
        window.show()
        assert window.open_path(create_example_copy(tmp_path / f"exemples-{scale}"))
        return window

    yield make
    scale_text(QApplication.instance(), 1.0)


@pytest.mark.parametrize("scale", TEXT_SCALES, ids=lambda s: f"texte-{round(s * 100)}")
def test_every_screen_fits(example_window, scale):
    window = example_window(scale)
    problems: list[str] = []
    seen = 0
    for width, height in sizes_for(scale):
        for name, widget in tour(window, width, height):
            seen += 1
            if widget is window:  # the screen size asked for, not one the window chose itself
                assert (window.width(), window.height()) == (width, height), name
            problems += [f"{width}×{height} {name}: {o}" for o in audit_window(widget, width, height)]
    assert seen == len(sizes_for(scale)) * (2 * len(window.controller.template.sections) + 7)
    assert not problems, "\n".join(problems[:40])


def test_the_audit_sees_a_cut_form(example_window):
    """The check can fail: a form squeezed below its minimum shows a horizontal bar."""
    window = example_window(1.0)
    window.resize(1366, 768)
    window.show_section("budget")
    form = window.current_form()
    form.widget().setMinimumWidth(3000)
    for _ in range(3):
        QApplication.processEvents()
    found = audit_window(window, 1366, 768)
    assert any("barre de défilement horizontale" in str(o) for o in found)
