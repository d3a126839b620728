"""Working together in the window: send a copy, bring one back (conflicts side by side), entrust
a section, and the history with restore and "the dossier as it was at…".

Everything here calls spie_desktop.collab; each dialog opens through a module-level function
of this module that tests replace with ``monkeypatch``. The main window adds the commands with
:func:`install_collab_menu`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMenuBar,
    QVBoxLayout,
    QWidget,
)

from . import dialogs

if TYPE_CHECKING:
    from ..models import DossierFile
    from .conflict_dialog import CombineError, ConflictDialog, ConflictPanel, parse_combination, value_text
    from .controller import DossierController
    from .history_dialog import HistoryDialog, ask_json_path

__all__ = [
    "CollabActions",
    "CombineError",
    "ConflictDialog",
    "ConflictPanel",
    "EntrustDialog",
    "HistoryDialog",
    "PartnerCopyDialog",
    "ask_conflict_choices",
    "ask_entrust",
    "ask_json_path",
    "ask_partner_copy",
    "install_collab_menu",
    "parse_combination",
    "show_history",
    "value_text",
]


#: Names this module gives from the dialogs' own modules, imported when first asked for: the menu is
#: built at start-up, the dialogs (difflib, the word diff, the history) load when one opens (issue 14).
_LAZY = {
    "CombineError": ".conflict_dialog",
    "ConflictDialog": ".conflict_dialog",
    "ConflictPanel": ".conflict_dialog",
    "parse_combination": ".conflict_dialog",
    "value_text": ".conflict_dialog",
    "HistoryDialog": ".history_dialog",
    "ask_json_path": ".history_dialog",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __package__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- the dialogs, each behind a function tests can replace ----------------------------------


def ask_conflict_choices(
    parent: QWidget | None, conflicts, template=None, source: str = ""
) -> dict[str, Any] | None:
    """The user's choice for every conflict (stored path -> value), or None if they cancelled."""
    from .conflict_dialog import ConflictDialog

    dialog = ConflictDialog(conflicts, template, source, parent)
    return dialog.resolutions() if dialog.exec() else None


def show_history(
    parent: QWidget | None,
    dossier: DossierFile,
    path: str | None = None,
    label: str = "",
    on_restore: Callable[[int], None] | None = None,
) -> None:
    from .history_dialog import HistoryDialog

    HistoryDialog(dossier, path, label=label, on_restore=on_restore, parent=parent).exec()


# -- copies for partners and entrusted sections ---------------------------------------------


class PartnerCopyDialog(QDialog):
    """Whom the copy is for, and which sections are entrusted to them."""

    def __init__(self, dossier: DossierFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Envoyer une copie à un partenaire")
        self.dossier = dossier
        layout = QVBoxLayout(self)
        intro = QLabel(
            "La copie est le même dossier : le partenaire la complète de son côté, sans réseau, puis vous la "
            "renvoie et vous l'intégrez (Intégrer une copie reçue…). Ses sections y sont signalées.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.partner = QComboBox(self)
        self.partner.setEditable(True)
        self.partner.addItems(sorted(set(dossier.entrusted().values())))
        self.partner.setCurrentText("")
        self.partner.lineEdit().setPlaceholderText("Mission locale du …")
        self.partner.lineEdit().setAccessibleName(
            "Partenaire"
        )  # the text box inside the list, said on its own
        self.partner.setMinimumContentsLength(28)  # the placeholder and a partner's name whole
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        form.addRow("Partenaire :", self.partner)
        layout.addLayout(form)
        layout.addWidget(QLabel("Sections confiées à ce partenaire :", self))
        self.sections = QListWidget(self)
        for s in dossier.template.sections:
            item = QListWidgetItem(s.title, self.sections)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        layout.addWidget(self.sections, 1)
        self.partner.currentTextChanged.connect(self._partner_changed)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Enregistrer la copie…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _partner_changed(self, name: str) -> None:
        theirs = {s for s, p in self.dossier.entrusted().items() if p == name.strip()}
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            sid = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if sid in theirs else Qt.CheckState.Unchecked)

    def request(self) -> tuple[str | None, list[str]]:
        partner = self.partner.currentText().strip() or None
        chosen = [
            self.sections.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.sections.count())
            if self.sections.item(i).checkState() == Qt.CheckState.Checked
        ]
        return partner, chosen if partner else []


def ask_partner_copy(parent: QWidget | None, dossier: DossierFile) -> tuple[str | None, list[str]] | None:
    dialog = PartnerCopyDialog(dossier, parent)
    return dialog.request() if dialog.exec() else None


class EntrustDialog(QDialog):
    def __init__(self, dossier: DossierFile, section_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Confier une section à un partenaire")
        form = QFormLayout(self)
        self.section = QComboBox(self)
        for s in dossier.template.sections:
            self.section.addItem(s.title, s.id)
        if section_id:
            self.section.setCurrentIndex(max(0, self.section.findData(section_id)))
        self.partner = QComboBox(self)
        self.partner.setEditable(True)
        self.partner.addItems(sorted(set(dossier.entrusted().values())))
        self.partner.lineEdit().setPlaceholderText("Personne (section gardée par le porteur)")
        self.partner.lineEdit().setAccessibleName(
            "Confiée à"
        )  # the text box inside the list, said on its own
        self._entrusted = dossier.entrusted()
        self.section.currentIndexChanged.connect(self._section_changed)
        self._section_changed()
        form.addRow("Section :", self.section)
        form.addRow("Confiée à :", self.partner)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _section_changed(self, *_: object) -> None:
        self.partner.setCurrentText(self._entrusted.get(self.section.currentData(), ""))

    def request(self) -> tuple[str, str | None]:
        return self.section.currentData(), self.partner.currentText().strip() or None


def ask_entrust(
    parent: QWidget | None, dossier: DossierFile, section_id: str | None
) -> tuple[str, str | None] | None:
    dialog = EntrustDialog(dossier, section_id, parent)
    return dialog.request() if dialog.exec() else None


# -- the actions, and the menu ----------------------------------------------------------------


class CollabActions(QObject):
    """The four commands of working together, for the window of ``controller_getter()``."""

    def __init__(
        self,
        window: QWidget,
        controller_getter: Callable[[], DossierController | None],
        current_section: Callable[[], str | None] | None = None,
        after_change: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.controller_getter = controller_getter
        self.current_section = current_section or (lambda: None)
        self.after_change = after_change
        self.act_send = QAction("Envoyer une copie à un partenaire…", self)
        self.act_merge = QAction("Intégrer une copie reçue…", self)
        self.act_entrust = QAction("Confier la section…", self)
        self.act_history = QAction("Historique du dossier…", self)
        self.act_send.triggered.connect(self.send_copy)
        self.act_merge.triggered.connect(self.integrate_copy)
        self.act_entrust.triggered.connect(self.entrust_section)
        self.act_history.triggered.connect(self.show_dossier_history)
        self.update_actions()

    @property
    def actions(self) -> list[QAction]:
        return [self.act_send, self.act_merge, self.act_entrust, self.act_history]

    def update_actions(self) -> None:
        c = self.controller_getter()
        writable = c is not None and not c.read_only
        self.act_send.setEnabled(c is not None)
        self.act_merge.setEnabled(writable)
        self.act_entrust.setEnabled(writable)
        self.act_history.setEnabled(c is not None)

    def _ready(self) -> DossierController | None:
        """The controller, with every pending edit on disk (a merge or copy must see them)."""
        c = self.controller_getter()
        if c is None:
            return None
        if not c.read_only and not c.flush():
            dialogs.show_error(
                self.window, f"Vos dernières modifications ne sont pas enregistrées : {c.last_error}"
            )
            return None
        return c

    def _changed(self) -> None:
        """The controller told the widgets; the window's own parts (title, section list) follow."""
        if self.after_change is not None:
            self.after_change()

    def send_copy(self) -> Path | None:
        from ..models import DossierError

        c = self._ready()
        if c is None:
            return None
        request = ask_partner_copy(self.window, c.dossier)
        if request is None:
            return None
        partner, sections = request
        stem = c.path.stem + (f" - {partner}" if partner else " - copie partenaire")
        target = dialogs.ask_save_path(
            self.window, str(c.path.with_name(stem + ".spie")), "Enregistrer la copie pour le partenaire"
        )
        if not target:
            return None
        try:
            made = c.make_partner_copy(target, partner, sections)
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc))
            return None
        if sections:
            self._changed()
        titles = {s.id: s.title for s in c.template.sections}
        what = ", ".join(titles.get(s, s) for s in made.sections)
        dialogs.show_info(
            self.window,
            "Copie prête",
            f"La copie est enregistrée dans :\n{made.path}\n\n"
            + (
                f"Destinataire : {partner}" + (f" — sections confiées : {what}" if what else "") + "\n\n"
                if partner
                else ""
            )
            + "Envoyez ce fichier au partenaire. Quand il vous le renvoie complété, choisissez "
            "« Intégrer une copie reçue… ».",
        )
        return made.path

    def integrate_copy(self):
        from ..collab.merge import MergeOutcome
        from ..models import DossierError

        c = self._ready()
        if c is None or c.read_only:
            return None
        source = dialogs.ask_open_path(self.window, str(c.path.parent))
        if not source:
            return None
        try:
            result = c.integrate_copy(
                source,
                lambda conflicting: ask_conflict_choices(
                    self.window, conflicting.conflicts, c.template, Path(source).name
                ),
            )
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc), "Copie non intégrée")
            return None
        if result is None:  # the user cancelled the conflicts: nothing changed
            return None
        if result.outcome is MergeOutcome.UP_TO_DATE:
            dialogs.show_info(
                self.window,
                "Rien de nouveau",
                f"Tout ce que contient « {Path(source).name} » est déjà dans votre dossier"
                + (
                    (", ou n'est pas à vous de l'écrire :\n" + "\n".join(result.refused))
                    if result.refused
                    else "."
                ),
            )
            return result
        if result.outcome is MergeOutcome.CONFLICTS:  # the file changed between the two readings
            dialogs.show_error(self.window, "La copie a changé pendant l'intégration : recommencez.")
            return result
        self._changed()
        n = result.counts
        dialogs.show_info(
            self.window,
            "Copie intégrée",
            f"« {Path(source).name} » est intégrée : {n.changes} modification(s) reçue(s), dont {n.values} "
            f"réponse(s), {n.rows_added} ligne(s) ajoutée(s), {n.rows_removed} supprimée(s), "
            f"{n.attachments_added} pièce(s) jointe(s) et {n.comments} commentaire(s)"
            + (f" ; {n.resolved} conflit(s) résolu(s)." if n.resolved else ".")
            + (
                f"\n\n{n.combined} texte(s) modifié(s) des deux côtés, dans des paragraphes différents, ont été "
                "réunis en un seul texte qui garde les deux apports."
                if n.combined
                else ""
            )
            + (("\n\nNon repris :\n" + "\n".join(result.refused)) if result.refused else "")
            + "\n\nL'historique du dossier garde la trace de chaque modification et de cette intégration.",
        )
        return result

    def entrust_section(self) -> None:
        from ..models import DossierError

        c = self._ready()
        if c is None or c.read_only:
            return
        request = ask_entrust(self.window, c.dossier, self.current_section())
        if request is None:
            return
        try:
            c.entrust_section(*request)
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc))
            return
        self._changed()

    def _restore(self, c: DossierController, change_id: int) -> None:
        if c.restore_change(change_id):
            self._changed()

    def show_dossier_history(self) -> None:
        self.show_field_history(None)

    def show_field_history(self, path: str | None, label: str = "") -> None:
        """The history of one stored path (a field, a row or a row's field), or of the whole dossier."""
        c = self._ready()
        if c is None:
            return
        if path and not label:
            from ..collab.units import field_label

            label = field_label(c.template, path, {f: c.row_ids(f) for f in [path.split("[", 1)[0]]})
        show_history(self.window, c.dossier, path, label, on_restore=lambda cid: self._restore(c, cid))


def install_collab_menu(
    window: QWidget,
    menu_bar_or_menu: QMenuBar | QMenu | None = None,
    controller_getter: Callable[[], DossierController | None] | None = None,
    *,
    current_section: Callable[[], str | None] | None = None,
    after_change: Callable[[], None] | None = None,
) -> CollabActions:
    """Add the commands of working together to a menu (or a new "Partenaires" menu of a menu bar).

    ``controller_getter`` defaults to ``window.controller``; the actions follow it each time the
    menu opens. ``after_change`` runs after a merge, a restore or an entrusted section (e.g. to
    refresh the section list and the header); the widgets are told through the controller.
    """
    getter = controller_getter or (lambda: getattr(window, "controller", None))
    actions = CollabActions(window, getter, current_section, after_change)
    target = menu_bar_or_menu if menu_bar_or_menu is not None else window.menuBar()  # type: ignore[attr-defined]
    if isinstance(target, QMenuBar):
        menu = QMenu("&Partenaires", window)
        help_menu = getattr(window, "help_menu", None)
        if help_menu is not None:
            target.insertMenu(help_menu.menuAction(), menu)
        else:
            target.addMenu(menu)
    else:
        menu = target
        if not menu.isEmpty():
            menu.addSeparator()
    for action in actions.actions:
        menu.addAction(action)
    menu.aboutToShow.connect(actions.update_actions)
    window.collab_actions = actions  # type: ignore[attr-defined]
    return actions
