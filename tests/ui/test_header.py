"""The header stays two lines at any text size: a long title is cut with « … » on one line (whole in
its tooltip and for screen readers), the file's name without its folder under it (issue 12)."""

from __future__ import annotations

from test_window import make_dossier, settings, window  # noqa: F401 - the shared window fixtures

from spie_desktop.ui.banners import HeaderBar

LONG = "Candidature SPIE – Département de la Haute-Vallée, « Un parcours, un référent, une équipe »"


def test_a_long_title_stays_on_one_line_and_whole_for_screen_readers(qtbot):
    header = HeaderBar()
    qtbot.addWidget(header)
    header.resize(420, 120)
    header.show()
    header.title.setText(LONG)
    qtbot.waitUntil(lambda: header.title.width() > 0)
    shown = super(type(header.title), header.title).text()  # what QLabel paints
    assert shown.endswith("…") and len(shown) < len(LONG)
    assert header.title.text() == LONG and header.title.accessibleName() == LONG
    assert header.title.toolTip() == LONG
    assert header.title.sizeHint().height() <= header.title.fontMetrics().height() * 1.6  # one line
    header.resize(1900, 120)  # wide enough: whole, no tooltip
    qtbot.waitUntil(lambda: super(type(header.title), header.title).text() == LONG)
    assert header.title.toolTip() == ""


def test_the_subtitle_names_the_file_and_keeps_its_folder_on_demand(window, tmp_path):  # noqa: F811
    path = make_dossier(tmp_path / "dossier-test.spie")
    assert window.open_path(path)
    assert window.header.subtitle.text().endswith("· dossier-test.spie")
    assert str(tmp_path) not in window.header.subtitle.text()
    assert window.header.subtitle.toolTip() == str(path)
