"""Every dialog and panel of the window, opened by the audit's driver as the menus would open them.

Each is built with what its menu would give it (the open dossier, the example's own data, the test
fixtures for a schema read from a file) and shown without ``exec()``, so that the driver keeps
answering while the audit reads the tree. ``close_all`` closes them again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

FIXTURES = Path(__file__).resolve().parents[1] / "exports" / "fixtures"


def _new(window, work: Path) -> QWidget:
    from spie_desktop.ui.start_screen import NewDossierDialog

    return NewDossierDialog(window.settings, window)


def _preferences(window, work: Path) -> QWidget:
    from spie_desktop.ui.preferences import PreferencesDialog

    return PreferencesDialog(window.settings, window)


def _pdf(window, work: Path) -> QWidget:
    from spie_desktop.ui.export_menu import PdfOptions, PdfOptionsDialog

    report = window.controller.report
    return PdfOptionsDialog(
        PdfOptions(), has_comments=True, can_file=report.can_file if report else None, parent=window
    )


def _print(window, work: Path) -> QWidget:
    from spie_desktop.printing import PrintOptions
    from spie_desktop.ui.print_dialog import PrintOptionsDialog

    return PrintOptionsDialog(PrintOptions("Bureau", 2, True), ["Bureau", "Couleur"], "Bureau", window)


def _partner(window, work: Path) -> QWidget:
    from spie_desktop.ui.collab_dialogs import PartnerCopyDialog

    return PartnerCopyDialog(window.controller.dossier, window)


def _entrust(window, work: Path) -> QWidget:
    from spie_desktop.ui.collab_dialogs import EntrustDialog

    return EntrustDialog(window.controller.dossier, window.section_list.current_section(), window)


def _history(window, work: Path) -> QWidget:
    from spie_desktop.ui.history_dialog import HistoryDialog

    return HistoryDialog(window.controller.dossier, parent=window)


def _conflicts(window, work: Path) -> QWidget:
    """A partner's copy that disagrees with the dossier on one answer, merged without writing (dry run)."""
    from spie_desktop.collab import make_partner_copy, merge
    from spie_desktop.models import open_dossier
    from spie_desktop.ui.conflict_dialog import ConflictDialog

    c = window.controller
    c.flush()
    copy = work / "copie-partenaire.spie"
    copy.unlink(missing_ok=True)
    make_partner_copy(c.dossier, copy, "Mission locale")
    with open_dossier(copy, author="Karim", organisation="Mission locale") as theirs:
        theirs.set_value("porteur_adresse", "2 place de la Mission locale, 99000 Morvanne")
    c.set_value("porteur_adresse", "3 rue du Département, 99000 Morvanne", immediate=True)
    conflicts = merge(c.dossier, copy, dry_run=True).conflicts
    if not conflicts:
        raise RuntimeError("the partner's copy made no conflict")
    return ConflictDialog(conflicts, c.template, copy.name, window)


def _schema_import(window, work: Path) -> QWidget:
    from spie_desktop.ui.schema_import_dialog import SchemaImportDialog, prepare

    return SchemaImportDialog(prepare(FIXTURES / "ds-demarche-schema.json"), window)


def _link(window, work: Path) -> QWidget:
    from spie_desktop.exports.link_store import load_schema, plan_link
    from spie_desktop.ui.link_dialog import LinkDialog

    schema, where = load_schema(str(FIXTURES / "ds-ami-spie-reworded-schema.json"))
    return LinkDialog(plan_link(window.controller.template, schema, where), window)


def _search(window, work: Path) -> None:
    window.writing.show_search(replace=True)
    panel = window.writing.search_panel
    panel.query.setText("RSA")
    panel.refresh()


def _replace_preview(window, work: Path) -> QWidget:
    from spie_desktop.search import plan_replacements
    from spie_desktop.ui.search_panel import ReplacePreview

    plan = plan_replacements(window.controller.snapshot(), "RSA", "revenu de solidarité active")
    return ReplacePreview(plan, "RSA", "revenu de solidarité active", window)


def _spelling(window, work: Path) -> None:
    window.writing.show_spelling()


def _shortcuts(window, work: Path) -> QWidget:
    from spie_desktop.ui.shortcuts_dialog import ShortcutsDialog

    return ShortcutsDialog(window)


DIALOGS: dict[str, Callable] = {
    "nouveau-dossier": _new,
    "preferences": _preferences,
    "export-pdf": _pdf,
    "impression": _print,
    "copie-partenaire": _partner,
    "confier-section": _entrust,
    "historique": _history,
    "integration-conflits": _conflicts,
    "import-formulaire": _schema_import,
    "association-demarche": _link,
    "recherche": _search,
    "apercu-remplacement": _replace_preview,
    "orthographe": _spelling,
    "raccourcis": _shortcuts,
}


def open_dialog(window, name: str, work: Path) -> None:
    dialog = DIALOGS[name](window, work)
    if dialog is not None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()


def close_all(window) -> None:
    """Close the dialogs (not « Dépôt en ligne » nor the main window) and hide the writing panels."""
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isVisible() and w.objectName() != "filingView" and w.isWindow():
            w.close()
            w.deleteLater()  # a closed dialog kept would stay in the tree
    for dock in (window.writing.search_dock, window.writing.spelling_dock):
        if dock is not None:
            dock.hide()
