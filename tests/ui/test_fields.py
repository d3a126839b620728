"""Field widgets driven like a user: typed, clicked, left; what lands in the file is checked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from spie_desktop.checks.report import CompletenessReport, Problem, Severity
from spie_desktop.models import open_dossier
from spie_desktop.ui.fields import attachment as attachment_module


def problem(path: str, message: str, section: str = "tout", blocking: bool = True) -> Problem:
    return Problem(
        Severity.BLOQUANT if blocking else Severity.AVERTISSEMENT, section, path, path, "", message, "test"
    )


# -- every type, through the widgets, into the file and back -------------------------------------


def test_every_field_type_typed_then_reopened(ui, qtbot, controller_all, dossier_all, tmp_path, monkeypatch):
    form = ui.show_form(controller_all, "tout")
    f = form.fields

    ui.type_into(f["nom"].edit, "Département du Morbihan")
    ui.type_into(f["presentation"].edit, "Une présentation.\nSur deux lignes.")
    ui.type_into(f["effectif"].edit, "1 234")
    ui.type_into(f["budget"].edit, "1 234,56")
    ui.type_into(f["debut"].edit, "11/10/2021")
    ui.type_into(f["courriel"].edit, "claire.martin@morbihan.fr")
    ui.type_into(f["telephone"].edit, "02 97 54 80 00")
    ui.type_into(f["siret"].edit, "225 600 014 00016")
    ui.type_into(f["iban"].edit, "FR76 3000 6000 0112 3456 7890 189")
    qtbot.mouseClick(f["accord"].buttons[1], Qt.MouseButton.LeftButton)  # Non
    qtbot.mouseClick(f["certifie"].box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(f["civilite"].buttons[0], Qt.MouseButton.LeftButton)  # Madame
    combo = f["nature"].combo
    combo.setCurrentIndex(combo.findText("Autre…"))
    combo.activated.emit(combo.currentIndex())
    assert f["nature"].other_edit.isVisible()
    ui.type_into(f["nature"].other_edit, "Associatif")
    qtbot.mouseClick(f["publics"].boxes[1], Qt.MouseButton.LeftButton)  # Seniors
    qtbot.mouseClick(f["publics"].boxes[2], Qt.MouseButton.LeftButton)  # Autre public
    ui.type_into(f["publics_autre"].edit, "Indépendants")
    ui.type_into(f["departement"].combo.lineEdit(), "Morbihan")
    ui.leave(form)
    ui.type_into(f["epci"].edit, "Golfe du Morbihan - Vannes agglomération")
    source = tmp_path / "deliberation.pdf"
    source.write_bytes(b"%PDF-1.4 essai")
    monkeypatch.setattr(attachment_module, "choose_file", lambda parent, title: str(source))
    qtbot.mouseClick(f["piece"].drop_zone.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(f["membres"].add_button, Qt.MouseButton.LeftButton)
    row = controller_all.row_ids("membres")[0]
    ui.type_into(f["membres"].card(row).children_widgets["structure"].edit, "Pôle emploi")
    ui.leave(form)

    assert controller_all.close()
    with open_dossier(dossier_all.path) as again:
        expected = {
            "nom": "Département du Morbihan",
            "presentation": "Une présentation.\nSur deux lignes.",
            "effectif": 1234,
            "budget": "1234.56",
            "debut": "2021-10-11",
            "courriel": "claire.martin@morbihan.fr",
            "telephone": "02 97 54 80 00",
            "siret": "225 600 014 00016",
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "accord": False,
            "certifie": True,
            "civilite": "Mme",
            "nature": "Associatif",
            "publics": ["Seniors", "Autre public"],
            "publics_autre": "Indépendants",
            "departement": "56",
            "epci": "Golfe du Morbihan - Vannes agglomération",
            f"membres[{row}].structure": "Pôle emploi",
        }
        for path, value in expected.items():
            got = again.get(path)
            assert got == value and type(got) is type(value), path
        [att] = again.attachments("piece")
        assert att.name == "deliberation.pdf"
        assert again.attachment_data(att.id) == b"%PDF-1.4 essai"


def test_values_are_shown_back_when_the_form_opens(ui, qtbot, controller_all):
    for path, value in {
        "budget": "1234.56",
        "effectif": 12000,
        "debut": "2021-10-11",
        "accord": True,
        "departement": "2A",
        "nature": "Privé",
        "publics": ["Jeunes"],
    }.items():
        controller_all.set_value(path, value)
    form = ui.show_form(controller_all, "tout")
    f = form.fields
    assert f["budget"].edit.text() == "1\u00a0234,56"
    assert f["effectif"].edit.text() == "12\u00a0000"
    assert f["debut"].edit.text() == "11/10/2021"
    assert f["accord"].buttons[0].isChecked() and not f["accord"].buttons[1].isChecked()
    assert f["departement"].combo.currentText() == "2A – Corse-du-Sud"
    assert f["nature"].combo.currentText() == "Privé"
    assert [b.isChecked() for b in f["publics"].boxes] == [True, False, False]


# -- numbers ---------------------------------------------------------------------------------------


def test_decimal_typed_in_french_is_stored_in_dot_form_and_shown_back_in_french(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    edit = form.fields["budget"].edit
    ui.type_into(edit, "1234,56")
    ui.leave(form)
    assert controller_all.value("budget") == "1234.56"
    assert edit.text() == "1\u00a0234,56"
    edit.clear()
    ui.type_into(edit, "1 234,560")
    ui.leave(form)
    assert controller_all.value("budget") == "1234.560"  # as typed: no rounding
    assert edit.text() == "1\u00a0234,560"


def test_invalid_integer_is_kept_as_typed(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["effectif"]
    ui.type_into(field.edit, "12a")
    ui.leave(form)
    assert controller_all.value("effectif") == "12a"
    assert field.edit.text() == "12a"
    assert any("entier" in t for t in field.hint_line.texts())
    field.edit.clear()
    ui.type_into(field.edit, "99999999999999999999")
    ui.leave(form)
    assert controller_all.value("effectif") == 99999999999999999999  # no clamping either


# -- text ------------------------------------------------------------------------------------------


def test_textarea_counts_utf8_bytes_and_warns_from_75_percent(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["presentation"]  # character_limit 400
    ui.type_into(field.edit, "été")
    assert field.counter_text() == "5 / 400 caractères"  # é counts 2, like the platform
    assert not field.counter_warns and not field.counter_icon.isVisible()
    ui.type_into(field.edit, "a" * 294)  # 299 bytes: still under 75 %
    assert not field.counter_warns
    ui.type_into(field.edit, "a")  # 300 bytes = 75 %
    assert field.counter_warns
    assert field.counter_icon.isVisible()
    assert "proche de la limite" in field.counter_text()
    ui.type_into(field.edit, "é" * 60)
    assert "au-delà de la limite" in field.counter_text()
    assert len(controller_all.value("presentation")) == 3 + 295 + 60  # nothing cut


def test_textarea_grows_with_its_text_up_to_a_maximum(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    edit = form.fields["presentation"].edit
    small = edit.height()
    edit.setPlainText("\n".join(f"ligne {i}" for i in range(10)))
    assert edit.height() > small
    assert edit.verticalScrollBar().maximum() == 0  # no inner scrolling while it fits
    edit.setPlainText("\n".join(f"ligne {i}" for i in range(200)))
    assert edit.height() < form.height() * 2


def test_siret_hint_while_typing_never_blocks(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["siret"]
    ui.type_into(field.edit, "1234")
    assert field.hint_line.texts() == ["Format attendu : 14 chiffres — 4 saisis."]
    ui.type_into(field.edit, "5678901234")
    assert any("contrôle de clé" in t for t in field.hint_line.texts())
    assert controller_all.value("siret") == "12345678901234"  # kept: the hint never refuses
    ui.type_into(field.edit, "99")
    assert any("c'est trop" in t for t in field.hint_line.texts())


def test_email_hint_waits_until_the_user_leaves(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["courriel"]
    ui.type_into(field.edit, "claire")
    assert field.hint_line.texts() == []
    ui.leave(form)
    assert any("nom@exemple.fr" in t for t in field.hint_line.texts())


# -- dates and choices -------------------------------------------------------------------------------


def test_date_from_the_calendar_and_cleared(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["debut"]
    assert field.edit.text() == "" and controller_all.value("debut") is None  # no fake default date
    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    assert field.popup.isVisible()
    field.popup.clicked.emit(QDate(2022, 3, 15))
    assert not field.popup.isVisible()
    assert controller_all.value("debut") == "2022-03-15"
    assert field.edit.text() == "15/03/2022"
    qtbot.mouseClick(field.clear_button, Qt.MouseButton.LeftButton)
    assert controller_all.value("debut") is None and field.edit.text() == ""


def test_impossible_date_is_kept_as_typed_with_a_hint(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["debut"]
    ui.type_into(field.edit, "31/02/2023")
    ui.leave(form)
    assert controller_all.value("debut") == "31/02/2023"
    assert any("pas une date" in t for t in field.hint_line.texts())


def test_yes_no_can_go_back_to_unanswered(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["accord"]
    assert not field.clear_button.isVisible()
    qtbot.mouseClick(field.buttons[0], Qt.MouseButton.LeftButton)
    assert controller_all.value("accord") is True
    assert field.clear_button.isVisible()
    qtbot.mouseClick(field.clear_button, Qt.MouseButton.LeftButton)
    assert controller_all.value("accord") is None
    assert not any(b.isChecked() for b in field.buttons)


def test_departement_found_by_code_or_name(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["departement"]
    ui.type_into(field.combo.lineEdit(), "finistere")
    ui.leave(form)
    assert controller_all.value("departement") == "29"
    assert field.combo.currentText() == "29 – Finistère"
    field.combo.lineEdit().clear()
    ui.type_into(field.combo.lineEdit(), "2B")
    ui.leave(form)
    assert controller_all.value("departement") == "2B"


# -- conditional display -----------------------------------------------------------------------------


def test_conditional_field_hides_and_shows_live(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    other = form.fields["publics_autre"]
    boxes = form.fields["publics"].boxes
    assert not other.isVisible()
    qtbot.mouseClick(boxes[2], Qt.MouseButton.LeftButton)  # Autre public
    assert other.isVisible()
    qtbot.mouseClick(boxes[2], Qt.MouseButton.LeftButton)
    assert not other.isVisible()
    controller_all.set_value("publics", ["Autre public"])  # from elsewhere (undo, merge)
    assert other.isVisible()
    assert form.fields["publics"].boxes[2].isChecked()


def test_conditional_field_of_the_2021_template(ui, qtbot, controller):
    form = ui.show_form(controller, "recevabilite")
    accord = form.fields["accord_cd"]
    combo = form.fields["type_porteur"].combo
    assert not accord.isVisible()
    combo.setCurrentIndex(combo.findText("Autre acteur de l'insertion ou de l'emploi"))
    combo.activated.emit(combo.currentIndex())
    assert accord.isVisible()
    assert controller.value("type_porteur") == "Autre acteur de l'insertion ou de l'emploi"


# -- attachments ---------------------------------------------------------------------------------------


def test_attachment_added_opened_replaced_removed_and_restored(
    ui, qtbot, controller_all, tmp_path, monkeypatch
):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    first = tmp_path / "budget.ods"
    first.write_bytes(b"x" * 2048)
    second = tmp_path / "budget-v2.ods"
    second.write_bytes(b"y" * 10)
    monkeypatch.setattr(attachment_module, "choose_file", lambda parent, title: str(first))
    qtbot.mouseClick(field.drop_zone.button, Qt.MouseButton.LeftButton)
    [info] = controller_all.attachments("piece")
    assert controller_all.attachment_data(info.id) == b"x" * 2048
    assert field.file_names() == ["budget.ods"]
    labels = [w.text() for w in field.findChildren(type(form.title_label)) if not w.isHidden()]
    assert "budget.ods" in labels and "2,0\u00a0Ko" in labels

    opened: list[Path] = []
    monkeypatch.setattr(attachment_module, "open_externally", lambda p: opened.append(p) or True)
    field.open(info.id, info.name)
    assert opened and opened[0].name == "budget.ods" and opened[0].read_bytes() == b"x" * 2048

    monkeypatch.setattr(attachment_module, "choose_file", lambda parent, title: str(second))
    field.replace(info.id)
    assert field.file_names() == ["budget-v2.ods"]

    [info2] = controller_all.attachments("piece")
    field.remove(info2.id, info2.name)
    assert controller_all.attachments("piece") == []
    assert field.undo_bar is not None
    field.undo_remove()
    [back] = controller_all.attachments("piece")
    assert back.name == "budget-v2.ods" and controller_all.attachment_data(back.id) == b"y" * 10


def test_attachment_over_the_limit_is_refused_with_a_message(
    ui, qtbot, controller_all, tmp_path, monkeypatch
):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    big = tmp_path / "video.mp4"
    big.write_bytes(b"z" * 5000)
    monkeypatch.setattr(attachment_module, "MAX_ATTACHMENT", 4096)
    monkeypatch.setattr(attachment_module, "choose_file", lambda parent, title: str(big))
    qtbot.mouseClick(field.drop_zone.button, Qt.MouseButton.LeftButton)
    assert controller_all.attachments("piece") == []
    assert any("200 Mo" in t and "video.mp4" in t for t in field.hint_line.texts())


# -- problems, focus, accessibility, read-only -----------------------------------------------------------


def test_report_problems_show_under_their_field_and_clear(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    form.apply_report(
        CompletenessReport(
            (problem("nom", "Indiquez le nom."), problem("", "Section incomplète.", blocking=False)), ()
        )
    )
    assert form.fields["nom"].problem_texts() == []  # empty and not reached yet: no red
    from spie_desktop.ui.fields.attention import reveal_all

    reveal_all(controller_all)  # « Vérifier le dossier »
    form.reveal_problems()
    assert form.fields["nom"].problem_texts() == ["Indiquez le nom."]
    assert form.fields["nom"].problem_line.isVisible()
    # said first, before the help: « Obligatoire. À corriger : … » (issue 13)
    assert (
        form.fields["nom"]
        .edit.accessibleDescription()
        .startswith("Obligatoire. À corriger : Indiquez le nom.")
    )
    assert form.section_problems.isVisible()
    form.apply_report(CompletenessReport((), ()))
    assert form.fields["nom"].problem_texts() == []
    assert not form.fields["nom"].problem_line.isVisible()
    assert not form.section_problems.isVisible()


def test_focus_path_scrolls_and_focuses(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    assert form.focus_path("epci")
    assert QApplication.focusWidget() is form.fields["epci"].edit
    assert not form.focus_path("publics_autre")  # hidden by its condition
    assert not form.focus_path("inconnu")
    rid = controller_all.add_row("membres")
    assert form.focus_path(f"membres[{rid}].role")
    assert QApplication.focusWidget() is form.fields["membres"].card(rid).children_widgets["role"].edit


def test_inputs_carry_their_label_and_help_for_assistive_technology(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    nom = form.fields["nom"]
    assert nom.edit.accessibleName() == "Nom"
    assert nom.edit.accessibleDescription() == "Obligatoire. Le nom complet."
    assert nom.label.buddy() is nom.edit
    assert nom.label.text() == "Nom *"
    assert "obligatoire" in nom.label.accessibleName()
    assert form.fields["budget"].edit.accessibleDescription() == "Unité : €."


def test_tab_follows_the_form_order(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    form.fields["nom"].edit.setFocus()
    ui.press(form.fields["nom"].edit, Qt.Key.Key_Tab, "\t")
    assert QApplication.focusWidget() is form.fields["presentation"].edit
    ui.press(form.fields["presentation"].edit, Qt.Key.Key_Tab, "\t")
    assert QApplication.focusWidget() is form.fields["effectif"].edit


def test_value_changed_elsewhere_refreshes_unless_typing(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    edit = form.fields["nom"].edit
    form.fields["epci"].edit.setFocus()
    controller_all.set_value("nom", "Depuis l'annulation")
    assert edit.text() == "Depuis l'annulation"
    ui.type_into(edit, " et la saisie")
    controller_all.set_value("nom", "autre chose")  # while the user types: the entry is left alone
    assert edit.text() == "Depuis l'annulation et la saisie"


def test_read_only_dossier_cannot_be_edited(ui, qtbot, dossier_all):
    from spie_desktop.ui.controller import DossierController

    dossier_all.set_value("nom", "Déjà là")
    path = dossier_all.path
    dossier_all.close()
    ro = open_dossier(path, read_only=True)
    try:
        controller = DossierController(ro)
        form = ui.show_form(controller, "tout")
        assert form.fields["nom"].edit.isReadOnly()
        assert form.fields["nom"].edit.text() == "Déjà là"
        assert not form.fields["accord"].buttons[0].isEnabled()
        assert not form.fields["nature"].combo.isEnabled()
        assert not form.fields["membres"].add_button.isVisible()
        assert not form.fields["piece"].drop_zone.isVisible()
        assert not form.fields["debut"].calendar_button.isVisible()
    finally:
        ro.close()


def test_file_dropped_on_the_zone_is_attached(ui, qtbot, controller_all, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    form = ui.show_form(controller_all, "tout")
    zone = form.fields["piece"].drop_zone
    dropped = tmp_path / "lettre de soutien.pdf"
    dropped.write_bytes(b"%PDF soutien")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    enter = QDragEnterEvent(
        zone.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(zone, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(zone.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(zone, drop)
    [info] = controller_all.attachments("piece")
    assert info.name == "lettre de soutien.pdf"
    assert controller_all.attachment_data(info.id) == b"%PDF soutien"


def test_typed_values_helpers_keep_what_is_not_understood():
    from spie_desktop.ui.fields.dates import date_value, datetime_value
    from spie_desktop.ui.fields.numbers import decimal_value, integer_value
    from spie_desktop.ui.fields.places import resolve_departement

    assert integer_value("1 234") == 1234 and integer_value("-5") == -5
    assert integer_value("12a") == "12a" and integer_value("  ") is None
    assert decimal_value("1 234,56") == "1234.56" and decimal_value("0,10") == "0.10"
    assert decimal_value("12,3,4") == "12,3,4"
    assert date_value("1/2/2022") == "2022-02-01" and date_value("2022-02-01") == "2022-02-01"
    assert date_value("31/02/2022") == "31/02/2022"
    assert datetime_value("01/02/2022 14h30") == "2022-02-01T14:30"
    assert resolve_departement("Côtes-d'Armor") == "22"
    assert resolve_departement("cotes d armor") == "22"
    assert resolve_departement("2a") == "2A"
    assert resolve_departement("974 – La Réunion") == "974"
    assert resolve_departement("Bretagne") is None


def test_calendar_opens_from_the_keyboard(ui, qtbot, controller_all):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    form = ui.show_form(controller_all, "tout")
    field = form.fields["debut"]
    ui.activate(form)
    field.edit.setFocus()
    alt_down = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QApplication.sendEvent(field.edit, alt_down)
    assert field.popup is not None and field.popup.isVisible()
    field.popup.activated.emit(QDate(2023, 12, 31))
    assert controller_all.value("debut") == "2023-12-31"


def test_textarea_of_several_paragraphs_shows_them_all(ui, qtbot, controller_all):
    paragraph = (
        "Pour les personnes, le projet change trois choses : un premier rendez-vous sous quinze jours. " * 2
    )
    controller_all.set_value("presentation", "\n\n".join([paragraph] * 4))
    form = ui.show_form(controller_all, "tout")
    edit = form.fields["presentation"].edit
    qtbot.waitUntil(lambda: edit.verticalScrollBar().maximum() == 0, timeout=2000)
    assert edit.height() > 10 * edit.fontMetrics().lineSpacing()


def test_leaving_a_field_writes_it_at_once(ui, qtbot, controller_all, dossier_all):
    form = ui.show_form(controller_all, "tout")
    ui.type_into(form.fields["nom"].edit, "Mission locale")
    assert controller_all.pending == {"nom": "Mission locale"}  # typed: held for the debounced save
    assert dossier_all.get("nom") is None
    ui.leave(form)
    assert controller_all.pending == {}
    assert dossier_all.get("nom") == "Mission locale"


def test_tab_reaches_the_buttons_of_a_file_just_attached(ui, qtbot, controller_all, tmp_path, monkeypatch):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    source = tmp_path / "rib.pdf"
    source.write_bytes(b"%PDF rib")
    monkeypatch.setattr(attachment_module, "choose_file", lambda parent, title: str(source))
    qtbot.mouseClick(field.drop_zone.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form._tab_timer.isActive())
    epci = form.fields["epci"].edit
    epci.setFocus()
    ui.press(epci, Qt.Key.Key_Tab, "\t")
    assert QApplication.focusWidget().text() == "Ouvrir"  # the file's buttons, then the drop zone's


def test_enter_in_the_departement_field_takes_the_highlighted_suggestion(ui, qtbot, controller_all):
    from PySide6.QtWidgets import QApplication

    form = ui.show_form(controller_all, "tout")
    field = form.fields["departement"]
    edit = field.combo.lineEdit()
    ui.type_into(edit, "Drôm")
    popup = field.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().isValid(), timeout=2000)
    assert popup.currentIndex().data() == "26 – Drôme"  # shown highlighted, so Enter is no surprise
    target = QApplication.activePopupWidget() or edit
    ui.press(target, Qt.Key.Key_Return, "\r")
    qtbot.waitUntil(lambda: controller_all.value("departement") == "26", timeout=2000)
    assert field.combo.currentText() == "26 – Drôme"
    assert field.hint_line.texts() == []


def test_an_amount_reads_the_same_typed_or_stored(ui, qtbot, controller_all):
    form = ui.show_form(controller_all, "tout")
    field = form.fields["budget"]  # decimal, unit €
    ui.type_into(field.edit, "400000")
    ui.leave(form)
    assert field.edit.text() == "400\u00a0000,00"
    controller_all.set_value("budget", "450000.5")
    field.refresh()
    assert field.edit.text() == "450\u00a0000,50"
    assert controller_all.value("budget") == "450000.5"


def test_every_list_and_its_text_box_are_named_after_the_question(ui, controller_all):
    """A screen reader meets an editable list's text box and a blank choice on their own: each is named."""
    from PySide6.QtWidgets import QComboBox

    form = ui.show_form(controller_all, "tout")
    combos = [c for w in form.fields.values() for c in w.findChildren(QComboBox)]
    assert {"nature", "departement"} <= {
        fid for fid, w in form.fields.items() if w.findChildren(QComboBox)
    }  # the form has a plain list and an editable one
    for combo in combos:
        field = next(w for w in form.fields.values() if w.isAncestorOf(combo))
        assert combo.accessibleName(), field.spec.id
        if combo.lineEdit() is not None:
            assert combo.lineEdit().accessibleName() == combo.accessibleName()
        for i in range(combo.count()):
            if not combo.itemText(i).strip():
                assert combo.itemData(i, Qt.ItemDataRole.AccessibleTextRole) == "Aucune réponse"
    assert form.fields["nature"].combo.accessibleName() == form.fields["nature"].spec.label
