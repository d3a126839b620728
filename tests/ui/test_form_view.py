"""What the person sees after an action: a new row in view with the cursor in it, the first field
after Ctrl+PgDown, the field at fault whole after a jump from the check panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from spie_desktop.interchange import create_example_copy
from spie_desktop.settings import Settings
from spie_desktop.ui.main_window import MainWindow
from spie_desktop.ui.screen_tour import settle


@pytest.fixture
def example(qtbot, tmp_path):
    window = MainWindow(Settings(author_name="Camille Martin", author_organisation="CD"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_path(create_example_copy(tmp_path / "exemples"))
    yield window
    if window.controller is not None:
        window.controller.discard_and_close()
        window.controller = None


def fully_visible(form, widget) -> bool:
    """The widget's whole rectangle lies within the scroll view's viewport."""
    vp = form.viewport()
    rect = QRect(widget.mapTo(vp, QPoint(0, 0)), widget.size())
    return QRect(0, 0, vp.width(), vp.height()).contains(rect)


@pytest.mark.parametrize("section, field", [("budget", "depenses"), ("consortium", "consortium")])
def test_an_added_row_is_in_view_with_the_cursor_in_it(example, qtbot, section, field):
    example.show_section(section)
    settle()
    form = example.current_form()
    rep = form.fields[field]
    assert not fully_visible(form, rep.add_button)  # many rows: the button is far below
    form.ensureWidgetVisible(rep.add_button)
    settle()
    qtbot.mouseClick(rep.add_button, Qt.MouseButton.LeftButton)
    settle()
    card = rep.card(rep.order[-1])
    focus = QApplication.focusWidget()
    assert card.isAncestorOf(focus)
    assert fully_visible(form, focus)


def test_ctrl_page_down_shows_the_focused_first_field(example, qtbot):
    example.show_section("calendrier")
    form = example.current_form()
    first = next(w for w in form.fields.values() if w.spec.type.holds_answer)
    first.focus_input()
    form.verticalScrollBar().setValue(form.verticalScrollBar().maximum())
    for target in ("budget", "evaluation", "pieces_jointes"):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        settle()
        assert example._section_id == target
        form = example.current_form()
        focus = QApplication.focusWidget()
        assert form.isAncestorOf(focus)
        assert fully_visible(form, focus), target
        first = next(w for w in form.fields.values() if w.spec.type.holds_answer and not w.isHidden())
        assert first.isAncestorOf(focus)  # the first field, not a button 700 px below


def test_a_jump_from_the_check_panel_shows_the_field_whole(example, qtbot):
    c = example.controller
    path = f"depenses[{c.row_ids('depenses')[-1]}].montant"
    c.set_value(path, None)
    example.show_check()
    settle()
    items = [
        i for i in example.check_view.problem_items() if i.data(0, Qt.ItemDataRole.UserRole + 1).path == path
    ]
    assert items
    example.show_section("porteur")
    example.current_form().horizontalScrollBar().setValue(0)
    example.check_view._on_item(items[0])
    settle()
    form = example.current_form()
    widget = form.widget_for(path)
    assert form.horizontalScrollBar().value() == 0
    assert fully_visible(form, widget)
    assert widget.isAncestorOf(QApplication.focusWidget())


def _fresh(qtbot, tmp_path) -> MainWindow:
    from spie_desktop.forms import registry
    from spie_desktop.models import DossierFile

    path = tmp_path / "neuf.spie"
    DossierFile.create(path, registry.find("ami-spie-2021-vague2"), "Neuf").close()
    window = MainWindow(Settings(author_name="Camille Martin", author_organisation="CD"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.open_path(path)
    return window


def _shown_problems(form) -> list[str]:
    from spie_desktop.ui.fields import FieldWidget

    return [t for w in form.findChildren(FieldWidget) for t in w.problem_texts()]


def test_a_fresh_dossier_is_not_covered_in_red(qtbot, tmp_path):
    window = _fresh(qtbot, tmp_path)
    c = window.controller
    c.recheck()
    settle()
    for section in c.template.sections:
        window.show_section(section.id)
        settle()
        assert _shown_problems(window.current_form()) == [], section.id
    # the section list still says what is missing
    assert "manquant" in window.section_list.item_text("porteur")
    # leaving a required field empty shows its problem under it
    window.show_section("porteur")
    form = window.current_form()
    name = form.fields["porteur_nom"]
    name.focus_input()
    QApplication.focusWidget().clearFocus()
    c.recheck()
    settle()
    assert name.problem_texts()
    assert len(_shown_problems(form)) == 1
    # « Vérifier le dossier »: every problem shows
    window.show_check()
    settle()
    assert len(_shown_problems(form)) > 3
    c.discard_and_close()
    window.controller = None


def test_hovering_a_field_moves_nothing(example, qtbot):
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QEnterEvent

    example.show_section("porteur")
    settle()
    form = example.current_form()
    form.finish_building()  # the fields below the first screenful too (built after the first paint)
    settle()
    fields = [w for w in form.fields.values() if w.spec.type.holds_answer and w.label is not None]
    before = [(w.y(), w.height()) for w in form.fields.values()]
    for w in fields[:6]:
        QApplication.sendEvent(w, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
        settle()
        assert w.comment_marker is not None and w.comment_marker.isVisible()  # « Commenter » is offered
        QApplication.sendEvent(w, QEvent(QEvent.Type.Leave))
        settle()
    assert [(w.y(), w.height()) for w in form.fields.values()] == before


def test_answers_and_readiness_are_two_things(example):
    c = example.controller
    c.recheck()
    settle()
    header = example.header
    report = c.report
    assert not report.blocking and report.warnings  # the example: complete, one deadline warning
    assert header.progress.format() == f"{report.answered} / {report.required} réponses"
    assert header.progress_label.text() == "Prêt à déposer, 1 avertissement à relire"
    c.set_value("porteur_nom", "")
    c.recheck()
    settle()
    assert header.progress_label.text() == "Pas encore prêt à déposer : 1 problème bloquant"


def test_a_row_with_only_a_warning_is_no_red_cross(example):
    from spie_desktop.checks.report import CompletenessReport, Problem, Severity
    from spie_desktop.ui.style import Tone

    example.show_section("budget")
    form = example.current_form()
    rep = form.fields["depenses"]
    rid = rep.order[0]
    path = f"depenses[{rid}].montant"
    warning = Problem(Severity.AVERTISSEMENT, "budget", path, path, "Montant", "Montant élevé.", "w")
    form.apply_report(CompletenessReport((warning,), ()))
    card = rep.card(rid)
    assert card.problem_text.text() == "1 avertissement"
    assert card._problem_tone is Tone.WARNING
    blocking = Problem(Severity.BLOQUANT, "budget", path, path, "Montant", "Indiquez le montant.", "r")
    form.apply_report(CompletenessReport((blocking,), ()))
    assert card.problem_text.text() == "1 problème"
    assert card._problem_tone is Tone.ERROR


def test_budget_totals_follow_the_typing_with_the_pdf_figures(example, qtbot):
    from spie_desktop.exports.text import repetition_totals

    c = example.controller
    example.show_section("budget")
    form = example.current_form()
    panel = form.budget_panel
    assert panel is not None and panel.isVisible()
    assert ("Total des dépenses", "600\u00a0000,00\u00a0€") in panel.texts()
    path = f"depenses[{c.row_ids('depenses')[0]}].montant"
    assert form.focus_path(path)
    edit = QApplication.focusWidget()
    edit.selectAll()
    qtbot.keyClicks(edit, "100000")  # was 95 000: not saved yet, still typing
    qtbot.waitUntil(lambda: ("Total des dépenses", "605\u00a0000,00\u00a0€") in panel.texts(), timeout=3000)
    snap = c.snapshot()
    spend = next(
        t for t in repetition_totals(snap, snap.template.field("depenses")) if t.child.id == "montant"
    )
    shown = dict(panel.texts())
    assert shown["Total des dépenses"] == spend.overall
    for year, subtotal in spend.groups:
        assert shown[f"Dépenses {year}"] == subtotal
    assert shown["Solde : dépenses non financées"] == "5\u00a0000,00\u00a0€"


def test_the_example_reopens_its_copy_and_the_recent_list_has_no_twin(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIE_DESKTOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPIE_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    settings = Settings(author_name="Camille Martin", author_organisation="CD")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    assert window.open_example()
    first = window.controller.path
    window.close_dossier()
    assert window.open_example()
    assert window.controller.path == first
    assert len(list((tmp_path / "data" / "exemples").glob("exemple-*.spie"))) == 1  # the hidden master aside
    assert settings.recent_files.count(str(first.resolve())) == 1 and len(settings.recent_files) == 1
    window.close_dossier()
    assert window.open_fresh_example()  # « Repartir d'un exemple neuf »
    assert window.controller.path != first
    window.controller.discard_and_close()
    window.controller = None


def test_cramped_dialogs_have_room(example, qtbot):
    from spie_desktop.ui.collab_dialogs import PartnerCopyDialog
    from spie_desktop.ui.history_dialog import HistoryDialog

    copy = PartnerCopyDialog(example.controller.dossier, example)
    qtbot.addWidget(copy)
    copy.show()
    settle()
    edit = copy.partner.lineEdit()
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 8
    history = HistoryDialog(example.controller.dossier, parent=example)
    qtbot.addWidget(history)
    history.show()
    settle()
    header = history.table.horizontalHeader()
    assert header.sectionSize(3) >= header.sectionSize(2)  # « Modification » gets the room
    assert history.table.horizontalScrollBar().maximum() == 0


def test_a_hint_that_goes_away_while_typing_moves_nothing_below(qtbot, tmp_path):
    window = _fresh(qtbot, tmp_path)
    window.show_section("porteur")
    settle()
    form = window.current_form()
    siret = next(w for w in form.fields.values() if w.spec.type.value == "siret")
    below = list(form.fields.values())[list(form.fields.values()).index(siret) + 1]
    siret.focus_input()
    edit = QApplication.focusWidget()
    qtbot.keyClicks(edit, "12")  # too short: a hint appears under the field
    settle()
    assert siret.hint_line.texts()
    y_with_hint = below.y()
    edit.clear()  # the hint goes away while the cursor is still there
    siret._edited("")
    settle()
    assert not siret.hint_line.texts()
    assert below.y() == y_with_hint  # nothing jumped up under the pointer
    QApplication.focusWidget().clearFocus()  # leaving gives the room back
    settle()
    assert not siret.hint_line.sizePolicy().retainSizeWhenHidden()
    window.controller.discard_and_close()
    window.controller = None


def test_the_default_window_fits_the_screen(qtbot):
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    avail = QApplication.primaryScreen().availableGeometry()
    assert window.width() <= avail.width() and window.height() <= avail.height()
    # a geometry saved on a bigger screen shrinks to this one
    big = MainWindow(Settings())
    qtbot.addWidget(big)
    big.resize(avail.width() + 600, avail.height() + 400)
    big.fit_to_screen()
    assert big.width() <= avail.width() and big.height() <= avail.height()


def test_a_window_saved_at_another_scale_opens_at_the_default_size(qtbot):
    """Qt refuses a geometry saved on a screen of another logical width (the same screen at 200 %:
    683 pixels instead of 1366): the window then takes the default size, not Qt's 640 × 480 of a
    window never sized (it reopened at 467 × 289 after a session at 200 %)."""
    import struct

    from PySide6.QtCore import QByteArray

    from spie_desktop.ui import window_geometry

    first = MainWindow(Settings())
    qtbot.addWidget(first)
    saved = bytearray(first.saveGeometry().data())
    width = QApplication.primaryScreen().geometry().width()
    saved[46:50] = struct.pack(">i", width // 2)  # the screen's width when it was saved
    hexed = QByteArray(bytes(saved)).toHex().data().decode()
    assert not window_geometry.restore(MainWindow(Settings()), hexed)  # Qt refuses it
    assert window_geometry.restore(MainWindow(Settings()), first.saveGeometry().toHex().data().decode())
    assert not window_geometry.restore(MainWindow(Settings()), "pas de l'hexadécimal é")
    settings = Settings()
    settings.ui["geometry"] = hexed
    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert window.size() == window_geometry.default_size(window)


def test_a_window_as_tall_as_the_screen_leaves_room_for_its_frame(qtbot):
    """Qt's restoreGeometry clamps a window saved on a bigger screen (or at another scale) to the
    whole screen; until the window manager has framed it, it keeps FRAME_ROOM for the title bar."""
    from spie_desktop.ui.window_geometry import FRAME_ROOM

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    avail = QApplication.primaryScreen().availableGeometry()
    window.resize(avail.width(), avail.height())
    assert window.frameGeometry().size() == window.geometry().size()  # no frame known yet
    window.fit_to_screen()
    assert window.height() <= avail.height() - FRAME_ROOM.height()
    assert window.width() <= avail.width() - FRAME_ROOM.width()


def test_on_a_tiny_logical_screen_the_check_panel_floats(example, qtbot, monkeypatch):
    """1366 × 768 at 200 % (QT_FONT_DPI=192 on X11) is 683 × 384 logical pixels: no room beside or
    below the form, so the panel becomes its own window instead of pushing the window off screen."""
    from PySide6.QtCore import QSize

    from spie_desktop.ui import window_geometry

    monkeypatch.setattr(window_geometry, "_screen_room", lambda w: QSize(667, 344))
    example.resize(667, 344)
    settle()
    before = example.size()
    example.show_check()
    settle()
    assert example.check_dock.isFloating()
    assert example.size() == before  # the window did not grow past the screen
