"""« Associer à une démarche en ligne… »: choose the démarche, see the matching, confirm, store.

The matching (exports/link.py) is shown in four groups: reliées, douteuses (each with a box to
keep it, ticked), questions of the template without a match (to answer online), questions of
the démarche without a match. Nothing is stored before « Associer ». Downloading the démarche's
form happens only here, on this explicit request, off the interface thread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import dialogs
from .accessible_text import name_empty_cells
from .style import fr

if TYPE_CHECKING:
    from ..exports.link import LinkPlan
    from .controller import DossierController


class LinkDialog(QDialog):
    """The matching, to confirm; ``kept_plan()`` is the plan without the unticked doubtful pairs."""

    def __init__(self, plan: LinkPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkDialog")
        self.setWindowTitle("Associer à une démarche en ligne")
        self.plan = plan
        layout = QVBoxLayout(self)
        intro = QLabel(
            fr(
                f"Démarche n° {plan.procedure_number or '?'} ({plan.host}). Les questions du dossier ont été reliées "
                "à celles de la démarche d'après leur type, leur place et leur libellé. Vérifiez les correspondances "
                "douteuses : décochez celles qui sont fausses. " + plan.summary() + "."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Question du dossier", "Question de la démarche", "Ressemblance"])
        self.doubtful_items: list[tuple[QTreeWidgetItem, Any]] = []
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._group("reliees", "Reliées", [(p.ours_label, p.theirs_label, p) for p in plan.matched])
        doubtful = self._group(
            "douteuses",
            "Douteuses — cochez celles à garder",
            [(p.ours_label, p.theirs_label, p) for p in plan.doubtful],
        )
        for i in range(doubtful.childCount()):
            item = doubtful.child(i)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked)
            self.doubtful_items.append((item, plan.doubtful[i]))
        self._group(
            "dossier_seul",
            "Questions du dossier sans correspondance (à remplir en ligne)",
            [(label, "", None) for label in plan.unmatched_ours],
            expanded=False,
        )
        self._group(
            "demarche_seule",
            "Questions de la démarche sans correspondance",
            [("", label, None) for label in plan.unmatched_theirs],
        )
        self.tree.resizeColumnToContents(2)
        self.tree.setColumnWidth(0, 360)
        self.tree.setColumnWidth(1, 360)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Associer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("A&nnuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 600)

    def _group(
        self, key: str, title: str, rows: list[tuple[str, str, Any]], *, expanded: bool = True
    ) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [f"{title} ({len(rows)})"])
        self.groups[key] = group
        for ours, theirs, pair in rows:
            item = QTreeWidgetItem(group, [ours, theirs, f"{pair.score:.0f} %" if pair else ""])
            if pair is not None and pair.note:
                item.setToolTip(1, pair.note)
            name_empty_cells(item, "Aucune correspondance")
        name_empty_cells(group, group.text(0))  # a group line says its title in every column
        group.setExpanded(expanded)
        return group

    def kept_plan(self) -> LinkPlan:
        dropped = {id(p) for item, p in self.doubtful_items if item.checkState(0) != Qt.CheckState.Checked}
        plan = self.plan
        return dataclasses.replace(
            plan,
            pairs=[p for p in plan.pairs if id(p) not in dropped],
            unmatched_ours=plan.unmatched_ours + [p.ours_label for p in plan.pairs if id(p) in dropped],
            unmatched_theirs=plan.unmatched_theirs + [p.theirs_label for p in plan.pairs if id(p) in dropped],
        )


def ask_link_source(parent: QWidget | None) -> str | None:
    """The démarche's address (downloaded on this request) or a schema file already downloaded."""
    box = QMessageBox(parent)
    box.setWindowTitle("Associer à une démarche en ligne")
    box.setText(fr("D'où vient le formulaire de la démarche ?"))
    box.setInformativeText(
        fr(
            "Son adresse (https://…/commencer/…) : l'application télécharge alors son formulaire "
            "public, une seule fois. Ou un fichier déjà téléchargé depuis …/preremplir/…/schema."
        )
    )
    web = box.addButton("Adresse &web…", QMessageBox.ButtonRole.AcceptRole)
    file = box.addButton("&Fichier…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("A&nnuler", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is web:
        text = dialogs.ask_text(parent, "Adresse de la démarche", "Adresse de la démarche :", "https://")
        return text.strip() if text and text.strip() not in ("", "https://") else None
    if box.clickedButton() is file:
        from .schema_import_dialog import ask_schema_path

        return ask_schema_path(parent)
    return None


def show_link_dialog(parent: QWidget | None, plan: LinkPlan) -> LinkPlan | None:
    """The plan the user confirmed, or None (tests replace this function)."""
    dialog = LinkDialog(plan, parent)
    return dialog.kept_plan() if dialog.exec() == QDialog.DialogCode.Accepted else None


def link_to_demarche(
    parent: QWidget | None, controller: DossierController, after: Callable[[], None] | None = None
) -> None:
    """The whole flow; ``after`` runs once the link is stored (e.g. refresh « Dépôt en ligne »)."""
    from ..exports.link_store import load_schema

    if controller.read_only:
        dialogs.show_error(parent, "Ce dossier est ouvert en lecture seule : il ne peut pas être associé.")
        return
    source = ask_link_source(parent)
    if not source:
        return
    if source.startswith(("https://", "http://")):
        from .export_jobs import JobOutcome, run_export

        def done(result: Any) -> None:
            if result.outcome is JobOutcome.DONE:
                schema, where = result.value
                _confirm_and_store(parent, controller, schema, where, after)
            elif result.outcome is JobOutcome.FAILED:
                dialogs.show_error(parent, result.message, "Téléchargement impossible")

        run_export(
            parent,
            lambda progress, cancelled: load_schema(source),
            label="Téléchargement du formulaire de la démarche…",
            on_done=done,
        )
        return
    try:
        schema, where = load_schema(source)
    except ValueError as exc:
        dialogs.show_error(parent, str(exc), "Formulaire illisible")
        return
    _confirm_and_store(parent, controller, schema, where, after)


def _confirm_and_store(
    parent: QWidget | None,
    controller: DossierController,
    schema: dict,
    where: str,
    after: Callable[[], None] | None,
) -> None:
    from ..exports.link_store import plan_link

    try:
        plan = plan_link(controller.template, schema, where)
    except ValueError as exc:
        dialogs.show_error(parent, str(exc), "Formulaire illisible")
        return
    if not plan.pairs:
        dialogs.show_error(
            parent,
            "Aucune question de la démarche ne correspond à celles du dossier : rien n'est enregistré.",
            "Association impossible",
        )
        return
    kept = show_link_dialog(parent, plan)
    if kept is None:
        return
    try:
        controller.link_demarche(kept)
    except (OSError, ValueError) as exc:
        dialogs.show_error(parent, f"L'association n'a pas pu être enregistrée : {exc}")
        return
    dialogs.show_info(
        parent,
        "Dossier associé",
        fr(
            f"Le dossier est associé à la démarche n° {kept.procedure_number} : {len(kept.pairs)} question(s) se "
            "préremplissent désormais (Exporter › Dépôt en ligne…, onglet « Préremplissage »). L'association est "
            "inscrite dans l'historique."
        ),
    )
    if after is not None:
        after()
