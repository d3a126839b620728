"""The « Exporter » menu driven from a window holding the example: PDF in a worker (with Annuler),
text copies, prefill data, interchange JSON, French errors; and Fichier › Importer un formulaire en ligne…"""

from __future__ import annotations

import errno
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from spie_desktop.app import create_application
from spie_desktop.exports.text import export_text
from spie_desktop.forms import registry
from spie_desktop.settings import Settings, user_templates_dir
from spie_desktop.ui import dialogs, export_files, export_menu, schema_import_dialog
from spie_desktop.ui.dialogs import QUESTIONS
from spie_desktop.ui.export_jobs import JobOutcome
from spie_desktop.ui.export_menu import AfterExport, ExportActions, PdfOptions, PdfOptionsDialog
from spie_desktop.ui.main_window import MainWindow

SAMPLE_SCHEMA = Path(__file__).resolve().parents[1] / "exports" / "fixtures" / "ds-demarche-schema.json"
DIALOGS = list(QUESTIONS)
OWN_DIALOGS = [
    (export_menu, "ask_pdf_options"),
    (export_menu, "ask_export_path"),
    (export_menu, "ask_after_export"),
    (export_menu, "open_externally"),
    (export_menu, "show_in_folder"),
    (export_files, "ask_export_path"),
    (export_files, "ask_after_export"),
    (export_files, "open_externally"),
    (export_files, "show_in_folder"),
    (schema_import_dialog, "ask_schema_path"),
    (schema_import_dialog, "ask_import_choice"),
    (schema_import_dialog, "ask_new_dossier_from"),
]


def _unexpected(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"dialogue inattendu : {name} {args[1:]}")

    return fail


@pytest.fixture
def window(qtbot, monkeypatch):
    for name in DIALOGS:  # a dialog nobody expected fails the test instead of blocking it
        monkeypatch.setattr(dialogs, name, _unexpected(name))
    for module, name in OWN_DIALOGS:
        monkeypatch.setattr(module, name, _unexpected(name))
    create_application()
    w = MainWindow(Settings(author_name="Camille Test", author_organisation="CD Test"))
    qtbot.addWidget(w)
    w.resize(1100, 780)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.controller is not None:
        w.controller.discard_and_close()
        w.controller = None


@pytest.fixture
def example_window(window, example_spie):
    assert window.open_path(example_spie)
    return window


def exports_of(window) -> ExportActions:
    actions = window.findChild(ExportActions)
    assert actions is not None
    return actions


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    assert len(reader.pages) > 2
    return "\n".join(page.extract_text() for page in reader.pages)


DEFAULT_OPTIONS = PdfOptions()  # frozen: one instance serves as the default


def choose(
    monkeypatch, out: Path, *, options: PdfOptions = DEFAULT_OPTIONS, after: AfterExport = AfterExport.CLOSE
):
    """Answer the option, file and end dialogs; return what they were asked."""
    asked: dict = {}

    def ask_options(parent, initial, *, has_comments, can_file):
        asked["options"] = (initial, has_comments, can_file)
        return options

    def ask_path(parent, title, suggested, file_filter, suffix):
        asked["path"] = (title, suggested, file_filter, suffix)
        return str(out)

    def ask_after(parent, path, title, text, open_label):
        asked["after"] = (path, title, text, open_label)
        return after

    monkeypatch.setattr(export_menu, "ask_pdf_options", ask_options)
    monkeypatch.setattr(export_menu, "ask_export_path", ask_path)
    monkeypatch.setattr(export_menu, "ask_after_export", ask_after)
    return asked


def errors_into(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": shown.append((title, text)))
    return shown


def cancel_button(job) -> QPushButton:
    return next(b for b in job.dialog.findChildren(QPushButton) if b.text() == "Annuler")


# -- the menu -------------------------------------------------------------------------------------


def test_menu_has_every_export_and_follows_the_open_dossier(window, example_spie):
    ex = exports_of(window)
    texts = [a.text() for a in ex.menu.actions() if a.text()]
    assert texts == [
        "Copie de relecture &PDF…",
        "&Texte à copier-coller (.txt)…",
        "Texte &mis en forme (.md)…",
        "&Dépôt en ligne…",
        "Données de p&réremplissage…",
        "&Associer à une démarche en ligne…",
        "Fichier d'é&change JSON…",
    ]
    assert ex.menu.title() == "E&xporter" and not ex.menu.menuAction().isEnabled()  # no dossier yet
    assert ex.act_import in window.file_menu.actions() and ex.act_import.isEnabled()
    assert window.open_path(example_spie)
    assert ex.menu.menuAction().isEnabled()


# -- the review copy ------------------------------------------------------------------------------


def test_pdf_from_the_menu_includes_unsaved_edits_then_opens_in_the_viewer(
    example_window, qtbot, monkeypatch, tmp_path
):
    w = example_window
    c = w.controller
    c.set_value("chef_projet_nom", "Relu par Anaïs « Œuvre » & <b>Fils</b>")  # still pending: not on disk yet
    assert c.pending
    out = tmp_path / "sortie" / "relecture.pdf"
    out.parent.mkdir()
    asked = choose(monkeypatch, out, options=PdfOptions(wide_margins=True), after=AfterExport.OPEN)
    opened: list = []
    monkeypatch.setattr(export_menu, "open_externally", lambda target: opened.append(target) or True)
    ex = exports_of(w)
    with qtbot.waitSignal(ex.jobFinished, timeout=30000) as blocker:
        ex.act_pdf.trigger()
    assert blocker.args[0].outcome is JobOutcome.DONE
    initial, has_comments, can_file = asked["options"]
    assert initial == PdfOptions() and has_comments is False and can_file is True
    _title, suggested, _filter, suffix = asked["path"]
    assert Path(suggested).parent == c.path.parent and suggested.endswith(" - copie de relecture.pdf")
    assert c.dossier.title.split(" – ")[0] in Path(suggested).name and suffix == ".pdf"
    text = pdf_text(out)
    assert "Relu par Anaïs « Œuvre » & <b>Fils</b>" in text.replace("\n", " ")
    assert opened == [out] and asked["after"][3] == "&Ouvrir le PDF"
    assert w.settings.ui["exports"]["pdf"] == {"wide_margins": True, "include_comments": False}
    assert "Copie de relecture enregistrée" in w.statusBar().currentMessage()
    assert [p.name for p in out.parent.iterdir()] == ["relecture.pdf"]  # no temporary file left


def test_cancel_before_layout_writes_nothing(example_window, qtbot, monkeypatch, tmp_path):
    import spie_desktop.exports.pdf as pdf

    started, release = threading.Event(), threading.Event()
    real = pdf.completeness_report

    def slow_report(snapshot):  # the worker waits here until « Annuler » has been pressed
        started.set()
        release.wait(10)
        return real(snapshot)

    monkeypatch.setattr(pdf, "completeness_report", slow_report)
    out = tmp_path / "annule.pdf"
    choose(monkeypatch, out)
    ex = exports_of(example_window)
    job = ex.export_pdf()
    assert job is not None and job.running
    assert started.wait(10)
    with qtbot.waitSignal(ex.jobFinished, timeout=30000) as blocker:
        cancel_button(job).click()
        release.set()
    assert blocker.args[0].outcome is JobOutcome.CANCELLED
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".annule*")) == []
    assert example_window.statusBar().currentMessage() == "Export annulé : aucun fichier n'a été écrit."


def test_cancel_during_layout_writes_nothing(example_window, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "annule.pdf"
    choose(monkeypatch, out)
    ex = exports_of(example_window)
    job = ex.export_pdf()
    seen: list[tuple[int, int]] = []
    clicked = threading.Event()

    def hold(_done, _total):  # in the worker: the layout waits until the click was handled, as on a slow PC
        clicked.wait(10)

    def on_progress(done, total):
        seen.append((done, total))
        if len(seen) == 1:
            cancel_button(job).click()  # as the user does once the bar moves
            clicked.set()

    job.worker.progressed.connect(hold, Qt.ConnectionType.DirectConnection)
    job.worker.progressed.connect(on_progress)
    with qtbot.waitSignal(ex.jobFinished, timeout=30000) as blocker:
        pass
    assert blocker.args[0].outcome is JobOutcome.CANCELLED
    assert seen and seen[0][0] < seen[0][1]
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".annule")] == []


def test_pdf_write_failure_is_said_in_french(example_window, qtbot, monkeypatch, tmp_path):
    import spie_desktop.atomic as atomic

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    shown = errors_into(monkeypatch)
    out = tmp_path / "plein.pdf"
    choose(monkeypatch, out)
    ex = exports_of(example_window)
    with qtbot.waitSignal(ex.jobFinished, timeout=30000) as blocker:
        ex.export_pdf()
    assert blocker.args[0].outcome is JobOutcome.FAILED
    assert shown == [
        (
            "La copie PDF n'a pas pu être faite",
            f"Le fichier « {out} » n'a pas pu être écrit : le disque est plein.",
        )
    ]
    assert not out.exists()


def test_pdf_options_dialog(qtbot):
    dialog = PdfOptionsDialog(PdfOptions(wide_margins=True), has_comments=False, can_file=False)
    qtbot.addWidget(dialog)
    assert dialog.wide.isChecked() and not dialog.comments.isEnabled()
    assert "BROUILLON" in dialog.findChild(QLabel, "draftNote").text()
    dialog.wide.click()
    assert dialog.options() == PdfOptions(False, False)
    with_comments = PdfOptionsDialog(PdfOptions(include_comments=True), has_comments=True, can_file=True)
    qtbot.addWidget(with_comments)
    assert with_comments.comments.isChecked() and with_comments.findChild(QLabel, "draftNote") is None
    assert with_comments.options() == PdfOptions(False, True)


# -- text, prefill, JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_text_copy_from_the_menu(example_window, monkeypatch, tmp_path, fmt):
    out = tmp_path / f"depot.{fmt}"
    asked = choose(monkeypatch, out)
    ex = exports_of(example_window)
    (ex.act_txt if fmt == "txt" else ex.act_md).trigger()
    assert asked["path"][3] == f".{fmt}" and asked["path"][1].endswith(f" - dépôt en ligne.{fmt}")
    written = out.read_text(encoding="utf-8").splitlines()
    expected = export_text(example_window.controller.snapshot(), fmt).splitlines()
    differing = [(a, b) for a, b in zip(written, expected, strict=False) if a != b]
    assert len(written) == len(expected) and all("exportée le" in a for a, _ in differing)  # only the time
    assert asked["after"][0] == out


def test_text_write_failure_is_said_in_french(example_window, monkeypatch, tmp_path):
    shown = errors_into(monkeypatch)
    out = tmp_path / "absent" / "depot.txt"  # the folder was removed after being chosen
    choose(monkeypatch, out)
    exports_of(example_window).act_txt.trigger()
    assert shown == [
        (
            "L'export n'a pas pu être enregistré",
            f"Le fichier « {out} » n'a pas pu être écrit : le dossier de destination n'existe pas (ou plus).",
        )
    ]


def test_read_only_place_is_said_in_french(example_window, monkeypatch, tmp_path):
    import spie_desktop.atomic as atomic

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    shown = errors_into(monkeypatch)
    out = tmp_path / "echange.json"
    choose(monkeypatch, out)
    exports_of(example_window).act_json.trigger()
    assert shown and "l'emplacement est en lecture seule" in shown[0][1] and "Read-only" not in shown[0][1]


def test_interchange_json_carries_the_attachments(example_window, monkeypatch, tmp_path):
    from spie_desktop.interchange import validate_document

    out = tmp_path / "echange.json"
    asked = choose(monkeypatch, out)
    exports_of(example_window).act_json.trigger()
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate_document(doc)
    assert doc["dossier"]["title"] == example_window.controller.dossier.title
    assert len(doc["attachments"]) == 9 and all(a["content_base64"] for a in doc["attachments"])
    assert asked["path"][1].endswith(".json")


def test_prefill_data_like_the_command_line(example_window, monkeypatch, tmp_path):
    out = tmp_path / "preremplissage.json"
    choose(monkeypatch, out)
    infos: list = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: infos.append((title, text)))
    exports_of(example_window).act_prefill.trigger()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"body", "link", "endpoint", "not_prefillable"}
    assert data["body"] == {} and data["link"] is None  # the 2021 form has no platform ids
    assert infos and "Aucune réponse ne peut être préremplie" in infos[0][1]


# -- Fichier › Importer un formulaire en ligne… ------------------------------------------------


def test_import_online_form_then_create_a_dossier_from_it(window, qtbot, monkeypatch, tmp_path):
    assert SAMPLE_SCHEMA.exists(), "fixture manquante : tests/exports/fixtures/ds-demarche-schema.json"
    from spie_desktop.ui.start_screen import NewDossierDialog

    monkeypatch.setattr(
        schema_import_dialog, "ask_schema_path", lambda parent, directory="": str(SAMPLE_SCHEMA)
    )
    previews = []

    def choice(parent, preview):
        previews.append(preview)
        dialog = schema_import_dialog.SchemaImportDialog(
            preview, parent
        )  # the real dialog is built and shown
        qtbot.addWidget(dialog)
        assert dialog.create_button.text() == "Enregistrer et &créer un dossier…"
        return schema_import_dialog.ImportChoice.SAVE_AND_CREATE

    def new_dossier(parent, settings, template):
        dialog = NewDossierDialog(settings, parent)
        qtbot.addWidget(dialog)
        assert schema_import_dialog.select_template(dialog, template)
        assert dialog.template_combo.currentData().id == "ds-48211"
        assert dialog.template_combo.currentText().endswith("(modèle ajouté)")
        dialog.title_edit.setText("Candidature importée")
        dialog.folder_edit.setText(str(tmp_path))
        return dialog.request()

    monkeypatch.setattr(schema_import_dialog, "ask_import_choice", choice)
    monkeypatch.setattr(schema_import_dialog, "ask_new_dossier_from", new_dossier)
    exports_of(window).act_import.trigger()

    saved = user_templates_dir() / "ds-48211-r99810.json"
    assert previews and previews[0].target == saved and saved.exists()
    assert any(e.template.id == "ds-48211" and not e.builtin for e in registry.available()[0])
    c = window.controller
    assert c is not None and c.template.id == "ds-48211" and c.dossier.title == "Candidature importée"
    assert c.path == tmp_path / "Candidature importée.spie"
    assert c.template.platform.procedure_path == "ami-exemple"


def test_import_refuses_a_file_that_is_not_a_form(window, monkeypatch, tmp_path):
    bad = tmp_path / "pas-un-formulaire.json"
    bad.write_text(json.dumps({"bonjour": 1}), encoding="utf-8")
    monkeypatch.setattr(schema_import_dialog, "ask_schema_path", lambda parent, directory="": str(bad))
    shown = errors_into(monkeypatch)
    exports_of(window).act_import.trigger()
    assert shown and shown[0][0] == "Formulaire non importé" and "revision" in shown[0][1]
    assert not user_templates_dir().exists() or not list(user_templates_dir().iterdir())


def test_import_dialog_save_only(qtbot, tmp_path):
    assert SAMPLE_SCHEMA.exists(), "fixture manquante : tests/exports/fixtures/ds-demarche-schema.json"
    preview = schema_import_dialog.prepare(SAMPLE_SCHEMA)
    dialog = schema_import_dialog.SchemaImportDialog(preview)
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert dialog.choice is schema_import_dialog.ImportChoice.SAVE
    assert schema_import_dialog.save(preview).exists()


def test_closing_the_window_during_an_export_stops_it(qtbot, monkeypatch, tmp_path, example_spie):
    import spie_desktop.exports.pdf as pdf
    from spie_desktop.ui import export_jobs

    started, release = threading.Event(), threading.Event()
    real = pdf.completeness_report
    monkeypatch.setattr(
        pdf, "completeness_report", lambda snapshot: (started.set(), release.wait(10), real(snapshot))[2]
    )
    create_application()
    w = MainWindow(Settings(author_name="Camille Test"))
    w.show()
    assert w.open_path(example_spie)
    out = tmp_path / "orphelin.pdf"
    choose(monkeypatch, out)
    job = exports_of(w).export_pdf()
    assert started.wait(10)
    w.controller.discard_and_close()
    w.controller = None
    w.deleteLater()
    qtbot.waitUntil(lambda: job._cancel.is_set(), timeout=5000)  # the window's end cancelled the work
    release.set()
    qtbot.waitUntil(lambda: not export_jobs._RUNNING, timeout=10000)
    assert job.result is not None and job.result.outcome is JobOutcome.CANCELLED and not out.exists()
