"""Working together in the window: send a copy, bring one back (conflicts side by side), entrust
a section, and the history with restore and "the dossier as it was at…".

Everything here calls spie_desktop.collab; each dialog opens through a module-level function
that tests replace with ``monkeypatch``. The main window wires the menu with
:func:`install_collab_menu`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QDateTime, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGroupBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QMenu, QMenuBar,
    QPlainTextEdit, QPushButton, QRadioButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..formatting import format_datetime, parse_decimal, parse_french_date, parse_integer
from . import dialogs

if TYPE_CHECKING:
    from ..collab.history import HistoryEntry
    from ..collab.merge import Conflict, Contribution
    from ..forms.types import Template
    from ..models import DossierFile
    from .controller import DossierController

JSON_FILTER = "Fichier d'échange JSON (*.json)"


# -- showing values ---------------------------------------------------------------------------


def _who(contributions: "tuple[Contribution, ...]") -> str:
    parts = []
    for c in contributions:
        name = c.author or c.organisation or "Auteur inconnu"
        if c.author and c.organisation:
            name = f"{c.author} ({c.organisation})"
        parts.append(f"{name}, le {format_datetime(c.at)}")
    return " ; ".join(parts) or "—"


def _row_text(values: dict[str, Any] | None, template: "Template | None", path: str) -> str:
    if values is None:
        return "(ligne supprimée)"
    labels: dict[str, str] = {}
    if template is not None:
        try:
            spec = template.field(path.split("[", 1)[0])
            labels = {c.id: c.label for c in spec.children}
        except KeyError:
            pass
    return "\n".join(f"{labels.get(k, k)} : {value_text(v)}" for k, v in values.items()) or "(ligne vide)"


def value_text(value: Any) -> str:
    """The full value as people read it (no truncation: they are choosing between two versions)."""
    if value is None or value == "" or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _field_type(template: "Template | None", path: str):
    if template is None or not path:
        return None
    from ..forms.paths import FieldPath

    try:
        p = FieldPath.parse(path)
        spec = template.field(p.field)
        return (spec.child(p.child) if p.child else spec).type
    except (KeyError, ValueError):
        return None


class CombineError(ValueError):
    pass


def parse_combination(text: str, mine: Any, theirs: Any, field_type=None) -> Any:
    """What a person typed as the combined value, stored like the field's other answers."""
    from ..forms.types import FieldType

    text = text.strip()
    if not text:
        return None
    sample = mine if mine is not None else theirs
    if field_type is FieldType.INTEGER_NUMBER or (field_type is None and isinstance(sample, int)
                                                  and not isinstance(sample, bool)):
        n = parse_integer(text)
        if n is None:
            raise CombineError(f"« {text} » n'est pas un nombre entier.")
        return n
    if field_type is FieldType.DECIMAL_NUMBER:
        d = parse_decimal(text)
        if d is None:
            raise CombineError(f"« {text} » n'est pas un nombre.")
        return format(d, "f")
    if field_type is FieldType.DATE:
        d = parse_french_date(text)
        if d is None:
            raise CombineError(f"« {text} » n'est pas une date (JJ/MM/AAAA).")
        return d.isoformat()
    if field_type is FieldType.MULTIPLE_DROP_DOWN_LIST or isinstance(sample, list):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _combinable(conflict: "Conflict") -> bool:
    from ..collab.merge import ConflictKind

    if conflict.kind is not ConflictKind.VALUE:
        return False
    return not any(isinstance(v, bool) for v in (conflict.mine, conflict.theirs))


def _combination_start(conflict: "Conflict") -> str:
    mine, theirs = conflict.mine, conflict.theirs
    if isinstance(mine, list) or isinstance(theirs, list):
        merged = list(mine or [])
        merged += [v for v in theirs or [] if v not in merged]
        return "\n".join(str(v) for v in merged)
    if isinstance(mine, str) and isinstance(theirs, str) and len(mine) + len(theirs) > 40:
        return f"{mine}\n\n{theirs}"
    return "" if mine is None else str(mine)


# -- the conflict dialog ------------------------------------------------------------------------


class ConflictPanel(QGroupBox):
    """One conflict: my version and theirs side by side, and the choice."""

    MINE, THEIRS, COMBINE = 1, 2, 3

    def __init__(self, conflict: "Conflict", template: "Template | None", parent: QWidget | None = None) -> None:
        from ..collab.merge import ConflictKind

        super().__init__(conflict.label, parent)
        self.conflict = conflict
        self.template = template
        is_row = conflict.kind is ConflictKind.ROW
        grid = QGridLayout(self)
        for col, (title, value, by) in enumerate((
            ("Ma version", conflict.mine, conflict.mine_by), ("Leur version", conflict.theirs, conflict.theirs_by),
        )):
            head = QLabel(f"<b>{title}</b><br><small>{_who(by)}</small>", self)
            head.setWordWrap(True)
            grid.addWidget(head, 0, col)
            box = QPlainTextEdit(self)
            box.setReadOnly(True)
            box.setPlainText(_row_text(value, template, conflict.path) if is_row else value_text(value))
            box.setAccessibleName(f"{title} : {conflict.label}")
            box.setMaximumHeight(110)
            grid.addWidget(box, 1, col)
            if col == 0:
                self.mine_view = box
            else:
                self.theirs_view = box
        self.mine_button = QRadioButton("Garder la mienne", self)
        self.theirs_button = QRadioButton("Garder la leur", self)
        self.combine_button = QRadioButton("Combiner :", self)
        if is_row:
            self.mine_button.setText("Garder ma version de la ligne")
            self.theirs_button.setText("Garder leur version de la ligne")
        self.group = QButtonGroup(self)
        for b, ident in ((self.mine_button, self.MINE), (self.theirs_button, self.THEIRS),
                         (self.combine_button, self.COMBINE)):
            self.group.addButton(b, ident)
        choices = QHBoxLayout()
        choices.addWidget(self.mine_button)
        choices.addWidget(self.theirs_button)
        choices.addWidget(self.combine_button)
        choices.addStretch(1)
        grid.addLayout(choices, 2, 0, 1, 2)
        self.combined_edit = QPlainTextEdit(self)
        self.combined_edit.setAccessibleName(f"Valeur combinée : {conflict.label}")
        self.combined_edit.setPlainText(_combination_start(conflict))
        self.combined_edit.setMaximumHeight(110)
        self.combined_edit.setEnabled(False)
        grid.addWidget(self.combined_edit, 3, 0, 1, 2)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        grid.addWidget(self.error_label, 4, 0, 1, 2)
        if not _combinable(conflict):
            self.combine_button.hide()
            self.combined_edit.hide()
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, ident: int, checked: bool) -> None:
        if ident == self.COMBINE:
            self.combined_edit.setEnabled(checked)
            if checked:
                self.combined_edit.setFocus()
        self.error_label.hide()

    def chosen(self) -> bool:
        return self.group.checkedId() != -1

    def value(self) -> Any:
        """The chosen value; raises CombineError for a combination that cannot be stored."""
        ident = self.group.checkedId()
        if ident == self.MINE:
            return self.conflict.mine
        if ident == self.THEIRS:
            return self.conflict.theirs
        try:
            return parse_combination(self.combined_edit.toPlainText(), self.conflict.mine, self.conflict.theirs,
                                     _field_type(self.template, self.conflict.path))
        except CombineError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            raise


class ConflictDialog(QDialog):
    """Every conflict of a merge, each settled by the user; nothing is merged if they cancel."""

    def __init__(self, conflicts: "list[Conflict] | tuple[Conflict, ...]", template: "Template | None" = None,
                 source: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Intégrer une copie : conflits à résoudre")
        self._resolutions: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        n = len(conflicts)
        intro = QLabel(
            (f"La copie « {source} » et votre dossier ont " if source else "Les deux copies ont ")
            + f"modifié différemment {n} réponse{'s' if n > 1 else ''} depuis leur séparation. "
            "Pour chacune, choisissez la version à garder, ou combinez-les. Rien n'est intégré tant que "
            "vous n'avez pas validé.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        everything = QHBoxLayout()
        self.all_mine = QPushButton("Tout garder de mon côté", self)
        self.all_theirs = QPushButton("Tout prendre de leur côté", self)
        everything.addWidget(self.all_mine)
        everything.addWidget(self.all_theirs)
        everything.addStretch(1)
        layout.addLayout(everything)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        inner_layout = QVBoxLayout(inner)
        self.panels = [ConflictPanel(c, template, inner) for c in conflicts]
        for p in self.panels:
            inner_layout.addWidget(p)
            p.group.idToggled.connect(lambda *_: self._update_ok())
        inner_layout.addStretch(1)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("Intégrer la copie", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.all_mine.clicked.connect(lambda: self._choose_all(ConflictPanel.MINE))
        self.all_theirs.clicked.connect(lambda: self._choose_all(ConflictPanel.THEIRS))
        self._update_ok()
        self.resize(820, 620)

    def _choose_all(self, ident: int) -> None:
        for p in self.panels:
            p.group.button(ident).setChecked(True)

    def _update_ok(self) -> None:
        left = sum(1 for p in self.panels if not p.chosen())
        self.ok_button.setEnabled(left == 0)
        self.ok_button.setToolTip(f"Encore {left} conflit(s) à résoudre" if left else "")

    def accept(self) -> None:
        out: dict[str, Any] = {}
        for p in self.panels:
            if not p.chosen():
                return
            try:
                out[p.conflict.path] = p.value()
            except CombineError:
                p.combined_edit.setFocus()
                return
        self._resolutions = out
        super().accept()

    def resolutions(self) -> dict[str, Any]:
        return dict(self._resolutions)


def ask_conflict_choices(parent: QWidget | None, conflicts, template=None, source: str = "") -> dict[str, Any] | None:
    """The user's choice for every conflict (stored path -> value), or None if they cancelled."""
    dialog = ConflictDialog(conflicts, template, source, parent)
    return dialog.resolutions() if dialog.exec() else None


# -- copies for partners and entrusted sections ---------------------------------------------


class PartnerCopyDialog(QDialog):
    """Whom the copy is for, and which sections are entrusted to them."""

    def __init__(self, dossier: "DossierFile", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Envoyer une copie à un partenaire")
        self.dossier = dossier
        layout = QVBoxLayout(self)
        intro = QLabel(
            "La copie est le même dossier : le partenaire la complète de son côté, sans réseau, puis vous la "
            "renvoie et vous l'intégrez (Intégrer une copie reçue…). Ses sections y sont signalées.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.partner = QComboBox(self)
        self.partner.setEditable(True)
        self.partner.addItems(sorted(set(dossier.entrusted().values())))
        self.partner.setCurrentText("")
        self.partner.lineEdit().setPlaceholderText("Mission locale du …")
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
        chosen = [self.sections.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.sections.count())
                  if self.sections.item(i).checkState() == Qt.CheckState.Checked]
        return partner, chosen if partner else []


def ask_partner_copy(parent: QWidget | None, dossier: "DossierFile") -> tuple[str | None, list[str]] | None:
    dialog = PartnerCopyDialog(dossier, parent)
    return dialog.request() if dialog.exec() else None


class EntrustDialog(QDialog):
    def __init__(self, dossier: "DossierFile", section_id: str | None, parent: QWidget | None = None) -> None:
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
        self._entrusted = dossier.entrusted()
        self.section.currentIndexChanged.connect(self._section_changed)
        self._section_changed()
        form.addRow("Section :", self.section)
        form.addRow("Confiée à :", self.partner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _section_changed(self, *_: object) -> None:
        self.partner.setCurrentText(self._entrusted.get(self.section.currentData(), ""))

    def request(self) -> tuple[str, str | None]:
        return self.section.currentData(), self.partner.currentText().strip() or None


def ask_entrust(parent: QWidget | None, dossier: "DossierFile", section_id: str | None) -> tuple[str, str | None] | None:
    dialog = EntrustDialog(dossier, section_id, parent)
    return dialog.request() if dialog.exec() else None


# -- history ------------------------------------------------------------------------------------


def ask_json_path(parent: QWidget | None, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Exporter le dossier tel qu'il était", suggested, JSON_FILTER)
    if not path:
        return None
    return path if path.lower().endswith(".json") else path + ".json"


class HistoryDialog(QDialog):
    """Who changed what and when, newest first; restore an earlier value; export a past state."""

    COLUMNS = ("Date", "Par", "Champ", "Modification")

    def __init__(self, dossier: "DossierFile", path: str | None = None, *, label: str = "",
                 on_restore: Callable[[int], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dossier = dossier
        self.path = path
        self.on_restore = on_restore
        self.setWindowTitle(f"Historique de « {label or path} »" if path else "Historique du dossier")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("Rétablir la valeur d'avant", self)
        self.restore_button.setToolTip("Remet la valeur qui précédait cette modification (une nouvelle modification)")
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(QLabel("Le dossier tel qu'il était le :", self))
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        row.addWidget(self.when)
        self.export_button = QPushButton("Exporter…", self)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.restore_button.clicked.connect(self.restore_selected)
        self.export_button.clicked.connect(self.export_at)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.entries: list["HistoryEntry"] = []
        self.reload()
        self.resize(900, 560)

    def reload(self) -> None:
        from ..collab.history import history

        self.entries = list(reversed(history(self.dossier, self.path)))
        self.table.setRowCount(len(self.entries))
        for i, e in enumerate(self.entries):
            for col, text in enumerate((format_datetime(e.at), e.who, e.label, e.text)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._selection_changed()

    def selected(self) -> "HistoryEntry | None":
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        e = self.selected()
        self.restore_button.setEnabled(bool(e and e.restorable and not self.dossier.read_only))
        if e is not None:
            self.when.setDateTime(QDateTime.fromString(
                datetime.fromisoformat(e.at).astimezone().strftime("%Y-%m-%d %H:%M:%S"), "yyyy-MM-dd HH:mm:ss"))

    def restore_selected(self) -> None:
        e = self.selected()
        if e is None or not e.restorable:
            return
        from ..models import DossierError

        try:
            if self.on_restore is not None:
                self.on_restore(e.change_id)
            else:
                from ..collab.history import restore

                restore(self.dossier, e.change_id)
        except DossierError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.reload()

    def export_at(self) -> None:
        from ..atomic import atomic_write_text
        from ..collab.history import attachments_missing_at, snapshot_at
        from ..interchange import document_from_snapshot, dumps
        from ..models import DossierError

        when = self.when.dateTime().toPython().astimezone()
        stem = Path(self.dossier.path).stem
        target = ask_json_path(self, str(Path(self.dossier.path).with_name(f"{stem} au {when:%Y-%m-%d %Hh%M}.json")))
        if not target:
            return
        try:
            snap = snapshot_at(self.dossier, when)
            atomic_write_text(target, dumps(document_from_snapshot(snap)))
        except (DossierError, OSError) as exc:
            dialogs.show_error(self, str(exc))
            return
        missing = attachments_missing_at(self.dossier, when)
        note = ("\n\nPièces jointes de cette date qui ne sont plus dans le dossier (non exportées) : "
                + ", ".join(missing)) if missing else ""
        dialogs.show_info(self, "Export terminé",
                          f"Le dossier tel qu'il était le {format_datetime(when)} est enregistré dans :\n{target}{note}")


def show_history(parent: QWidget | None, dossier: "DossierFile", path: str | None = None, label: str = "",
                 on_restore: Callable[[int], None] | None = None) -> None:
    HistoryDialog(dossier, path, label=label, on_restore=on_restore, parent=parent).exec()


# -- the actions, and the menu ----------------------------------------------------------------


def notify_changes(controller: "DossierController", before, after) -> None:
    """Tell the open widgets what a merge or a restore changed underneath them."""
    from ..forms.paths import ROW_KEY

    for key in set(before.answers) | set(after.answers):
        old, new = before.answers.get(key), after.answers.get(key)
        if old == new:
            continue
        rows_old = old if isinstance(old, list) and all(isinstance(r, dict) for r in old) else None
        rows_new = new if isinstance(new, list) and all(isinstance(r, dict) for r in new) else None
        if rows_old is None and rows_new is None:
            controller.valueChanged.emit(key)
            continue
        ids_old = [r.get(ROW_KEY) for r in rows_old or []]
        ids_new = [r.get(ROW_KEY) for r in rows_new or []]
        if ids_old != ids_new:
            controller.rowsChanged.emit(key)
        by_id = {r.get(ROW_KEY): r for r in rows_old or []}
        for r in rows_new or []:
            was = by_id.get(r.get(ROW_KEY), {})
            for child in set(r) | set(was):
                if child != ROW_KEY and r.get(child) != was.get(child):
                    controller.valueChanged.emit(f"{key}[{r.get(ROW_KEY)}].{child}")
    old_att = {(a.path, a.sha256) for a in before.attachments}
    new_att = {(a.path, a.sha256) for a in after.attachments}
    for path in {p for p, _ in old_att ^ new_att}:
        controller.attachmentsChanged.emit(path)
    controller.recheck()


class CollabActions(QObject):
    """The four commands of working together, for the window of ``controller_getter()``."""

    def __init__(self, window: QWidget, controller_getter: Callable[[], "DossierController | None"],
                 current_section: Callable[[], str | None] | None = None,
                 after_change: Callable[[], None] | None = None) -> None:
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

    def _ready(self) -> "DossierController | None":
        """The controller, with every pending edit on disk (a merge or copy must see them)."""
        c = self.controller_getter()
        if c is None:
            return None
        if not c.read_only and not c.flush():
            dialogs.show_error(self.window, f"Vos dernières modifications ne sont pas enregistrées : {c.last_error}")
            return None
        return c

    def _changed(self, c: "DossierController", before) -> None:
        notify_changes(c, before, c.dossier.snapshot())
        if self.after_change is not None:
            self.after_change()

    def send_copy(self) -> Path | None:
        from ..collab import make_partner_copy
        from ..models import DossierError

        c = self._ready()
        if c is None:
            return None
        request = ask_partner_copy(self.window, c.dossier)
        if request is None:
            return None
        partner, sections = request
        stem = c.path.stem + (f" - {partner}" if partner else " - copie partenaire")
        target = dialogs.ask_save_path(self.window, str(c.path.with_name(stem + ".spie")),
                                       "Enregistrer la copie pour le partenaire")
        if not target:
            return None
        before = c.dossier.snapshot()
        try:
            made = make_partner_copy(c.dossier, target, for_partner=partner, sections=sections)
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc))
            return None
        if sections:
            self._changed(c, before)
        titles = {s.id: s.title for s in c.template.sections}
        what = ", ".join(titles.get(s, s) for s in made.sections)
        dialogs.show_info(
            self.window, "Copie prête",
            f"La copie est enregistrée dans :\n{made.path}\n\n"
            + (f"Destinataire : {partner}" + (f" — sections confiées : {what}" if what else "") + "\n\n" if partner else "")
            + "Envoyez ce fichier au partenaire. Quand il vous le renvoie complété, choisissez "
            "« Intégrer une copie reçue… ».")
        return made.path

    def integrate_copy(self):
        from ..collab.merge import MergeOutcome, merge
        from ..models import DossierError

        c = self._ready()
        if c is None or c.read_only:
            return None
        source = dialogs.ask_open_path(self.window, str(c.path.parent))
        if not source:
            return None
        before = c.dossier.snapshot()
        try:
            result = merge(c.dossier, source)
            if result.outcome is MergeOutcome.CONFLICTS:
                choices = ask_conflict_choices(self.window, result.conflicts, c.template, Path(source).name)
                if choices is None:
                    return None
                result = merge(c.dossier, source, resolutions=choices)
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc), "Copie non intégrée")
            return None
        if result.outcome is MergeOutcome.UP_TO_DATE:
            dialogs.show_info(self.window, "Rien de nouveau",
                              f"Tout ce que contient « {Path(source).name} » est déjà dans votre dossier.")
            return result
        if result.outcome is MergeOutcome.CONFLICTS:  # the file changed between the two readings
            dialogs.show_error(self.window, "La copie a changé pendant l'intégration : recommencez.")
            return result
        self._changed(c, before)
        n = result.counts
        dialogs.show_info(
            self.window, "Copie intégrée",
            f"« {Path(source).name} » est intégrée : {n.changes} modification(s) reçue(s), dont {n.values} "
            f"réponse(s), {n.rows_added} ligne(s) ajoutée(s), {n.rows_removed} supprimée(s), "
            f"{n.attachments_added} pièce(s) jointe(s) et {n.comments} commentaire(s)"
            + (f" ; {n.resolved} conflit(s) résolu(s)." if n.resolved else ".")
            + "\n\nL'historique du dossier garde la trace de chaque modification et de cette intégration.")
        return result

    def entrust_section(self) -> None:
        from ..models import DossierError

        c = self._ready()
        if c is None or c.read_only:
            return
        request = ask_entrust(self.window, c.dossier, self.current_section())
        if request is None:
            return
        before = c.dossier.snapshot()
        try:
            c.dossier.entrust_section(*request)
        except DossierError as exc:
            dialogs.show_error(self.window, str(exc))
            return
        self._changed(c, before)

    def _restore(self, c: "DossierController", change_id: int) -> None:
        from ..collab.history import restore

        before = c.dossier.snapshot()
        if restore(c.dossier, change_id):
            self._changed(c, before)

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


def install_collab_menu(window: QWidget, menu_bar_or_menu: QMenuBar | QMenu | None = None,
                        controller_getter: Callable[[], "DossierController | None"] | None = None, *,
                        current_section: Callable[[], str | None] | None = None,
                        after_change: Callable[[], None] | None = None) -> CollabActions:
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
