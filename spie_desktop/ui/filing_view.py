"""« Dépôt en ligne »: everything needed to report the dossier on the platform without retyping.

Three tabs: every visible answer in the online form's order with a « Copier » button and a
« Copié ✓ » mark that lasts for the session (repetitions: one block per row, as the platform
adds them); the attachments to upload by hand (and a way to save them out of the dossier); the
prefill data, its link and what cannot be prefilled. The view works on a snapshot; when the
dossier changes it says so and offers « Actualiser » rather than rebuilding under the user.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..exports.text import PasteItem, PasteKind, attachments_to_upload, count_label, demarche_url, paste_items
from ..formatting import format_size
from ..platform_hosts import platform_statement
from ..presentation import plural
from . import dialogs, export_files
from .accessible_text import set_tab_text, with_clear_button
from .filing_prefill import PrefillTab
from .plain import tooltip, window_title
from .style import FORM_QSS, Tone, fr, make_muted, scaled_font, set_text_color, tone_color
from .tab_order import move_to_end

if TYPE_CHECKING:
    from ..snapshot import DossierSnapshot
    from .controller import DossierController

COPIED = "Copié ✓"
CHANGED = "Modifié depuis la copie"
LONG_TEXT = 3000  # beyond this, a scrolling box instead of a label that grows with the text
#: dossier id -> {field path: text copied}: the marks outlive the view for the whole session
_COPIED: dict[str, dict[str, str]] = {}

VIEW_QSS = (
    FORM_QSS
    + """
QLabel#pasteValue {
    border: 1px solid palette(mid);
    border-radius: 4px;
    background: palette(base);
    padding: 6px 8px;
}
QLabel#pasteEmpty {
    padding: 2px 0px;
}
QLabel#copiedMark {
    font-weight: bold;
}
QFrame#rowBlock {
    border: 1px solid palette(mid);
    border-radius: 6px;
    background: palette(alternate-base);
}
QFrame#staleBar {
    border: 1px solid palette(mid);
    border-left: 4px solid palette(highlight);
    border-radius: 4px;
    background: palette(alternate-base);
}
"""
)


def short_label(item: PasteItem) -> str:
    """Inside a row's block, the question alone ("Nom de la structure"), the block says which row."""
    if item.row_index is None:
        return item.label
    return re.split(r", [^,—]*? \d+ — ", item.label, maxsplit=1)[-1]


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def ask_folder(parent: QWidget | None, directory: str = "") -> str | None:
    return dialogs.ask_folder(parent, directory, "Où enregistrer les pièces jointes ?")


def _hint(item: PasteItem) -> str:
    if item.kind is PasteKind.NUMBER:
        return "Nombre : à coller tel quel" + (
            " (virgule décimale, sans espace)." if "," in item.text else "."
        )
    if item.kind is PasteKind.DATE:
        return "Date : à saisir ou coller dans la case de date (jj/mm/aaaa)."
    if item.kind is PasteKind.CHOICE:
        return "Choix : à sélectionner en ligne (cocher, ou choisir dans la liste)."
    return ""


def _small(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFont(scaled_font(label.font(), 0.92))
    label.setWordWrap(True)
    make_muted(label)
    return label


class PasteRow(QWidget):
    """One question: its label, the answer as it will be pasted, « Copier » and the copied mark."""

    def __init__(self, item: PasteItem, marks: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._marks = marks
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.label = QLabel(short_label(item) + (" *" if item.required else ""), self)
        self.label.setAccessibleName(item.label + (" (obligatoire)" if item.required else ""))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setFont(scaled_font(self.label.font(), bold=True))
        top.addWidget(self.label, 1, Qt.AlignmentFlag.AlignVCenter)
        self.mark = QLabel(self)
        self.mark.setObjectName("copiedMark")
        top.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        self.copy_button: QPushButton | None = None
        copyable = item.answered and bool(item.text) and not item.is_attachment
        if copyable:
            self.copy_button = QPushButton("Copier", self)
            self.copy_button.setAccessibleName(f"Copier : {item.label}")
            self.copy_button.setAccessibleDescription(item.text[:300])
            self.copy_button.setToolTip("Mettre cette réponse dans le presse-papiers")
            self.copy_button.clicked.connect(self.copy)
            top.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        layout.addWidget(self._value_widget())
        notes = []
        if item.char_count is not None and item.text:
            notes.append((count_label(item.text, item.char_limit), Tone.ERROR if item.over_limit else None))
        hint = _hint(item) if copyable else ""
        if hint:
            notes.append((hint, None))
        if item.is_attachment and item.attachments:
            notes.append(
                ("À déposer en ligne avec le bouton de la question (voir l'onglet « Pièces jointes »).", None)
            )
        for text, tone in notes:
            note = _small(QLabel(text, self))
            if tone is not None:
                set_text_color(note, tone_color(note.palette(), tone))
            layout.addWidget(note)
        self.update_mark()

    def _value_widget(self) -> QWidget:
        item = self.item
        if item.is_attachment:
            text = "\n".join(f"{a.name} ({format_size(a.size)})" for a in item.attachments) or "Aucun fichier"
        elif not item.answered or not item.text:
            text = "Non renseigné" + (" — question obligatoire" if item.required else "")
        else:
            text = item.text
        if len(text) > LONG_TEXT:
            box = QPlainTextEdit(self)
            box.setPlainText(text)
            box.setReadOnly(True)
            box.setTabChangesFocus(True)
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            box.setAccessibleName(f"Réponse : {item.label}")  # a text box: the answer is its text
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 14 + 12)
            self.value = box
            return box
        value = QLabel(text, self)
        value.setObjectName("pasteValue")
        value.setTextFormat(Qt.TextFormat.PlainText)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleDescription(
            f"Réponse : {item.label}"
        )  # its name is the answer a screen reader says
        if not item.answered or not item.text:
            value.setObjectName("pasteEmpty")
            font = value.font()
            font.setItalic(True)
            value.setFont(font)
            if item.required and not item.is_attachment:
                set_text_color(value, tone_color(value.palette(), Tone.WARNING))
        self.value = value
        return value

    @property
    def copied(self) -> bool:
        return self._marks.get(self.item.path) == self.item.text

    def copy(self) -> None:
        copy_to_clipboard(self.item.text)
        self._marks[self.item.path] = self.item.text
        self.update_mark()
        parent = self.parent()
        while parent is not None and not isinstance(parent, FilingView):
            parent = parent.parent()
        if parent is not None:
            parent.update_counts()

    def update_mark(self) -> None:
        before = self._marks.get(self.item.path)
        if before is None:
            self.mark.hide()
            return
        same = before == self.item.text
        self.mark.setText(COPIED if same else CHANGED)
        set_text_color(self.mark, tone_color(self.mark.palette(), Tone.OK if same else Tone.WARNING))
        self.mark.setAccessibleName(COPIED if same else f"{CHANGED} : copiez de nouveau")
        self.mark.show()
        if self.copy_button is not None:
            state = " (déjà copiée)" if same else " (modifiée depuis la copie)"
            self.copy_button.setAccessibleName(f"Copier : {self.item.label}{state}")


class FilingView(QDialog):
    """A window beside the main one (not modal): the user goes back and forth with the browser."""

    def __init__(self, controller: DossierController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("filingView")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setStyleSheet(VIEW_QSS)
        self.rows: list[PasteRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        self.title = QLabel(self)
        self.title.setFont(scaled_font(self.title.font(), 1.3, bold=True))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        intro = QLabel(
            fr(
                "Ouvrez la démarche dans votre navigateur, puis reportez les réponses dans l'ordre : « Copier » met "
                "la réponse dans le presse-papiers, collez-la dans la question correspondante (Ctrl+V). "
                "Les réponses déjà copiées restent marquées « Copié ✓ »."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        link_row = QHBoxLayout()
        self.link_label = QLabel(self)
        self.link_label.setTextFormat(Qt.TextFormat.PlainText)  # the address comes from the file
        self.link_label.setWordWrap(True)
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_demarche = QPushButton("&Ouvrir la démarche dans le navigateur", self)
        self.open_demarche.clicked.connect(self._open_demarche)
        link_row.addWidget(self.link_label, 1)
        link_row.addWidget(self.open_demarche)
        layout.addLayout(link_row)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.stale_bar = QFrame(self)
        self.stale_bar.setObjectName("staleBar")
        bar = QHBoxLayout(self.stale_bar)
        bar.setContentsMargins(10, 6, 6, 6)
        stale_text = QLabel("Le dossier a été modifié depuis l'ouverture de cette fenêtre.", self.stale_bar)
        stale_text.setWordWrap(True)
        self.refresh_button = QPushButton("&Actualiser", self.stale_bar)
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(stale_text, 1)
        bar.addWidget(self.refresh_button)
        self.stale_bar.hide()
        layout.addWidget(self.stale_bar)

        filter_row = QHBoxLayout()
        filter_label = QLabel("&Filtrer les questions :", self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("un mot de la question ou de la réponse")
        with_clear_button(self.filter_edit)
        self.filter_edit.setAccessibleName("Filtrer les questions à reporter")
        filter_label.setBuddy(self.filter_edit)
        self.filter_status = QLabel(self)
        self.filter_status.setAccessibleDescription("Questions affichées")  # its name is its text
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.filter_status)
        layout.addLayout(filter_row)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("&Fermer")
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

        for signal in (controller.valueChanged, controller.rowsChanged, controller.attachmentsChanged):
            signal.connect(self._dossier_changed)
        controller.destroyed.connect(self.close)
        self.refresh()
        fm = self.fontMetrics()
        height = parent.window().height() if parent is not None else fm.height() * 45
        self.resize(fm.averageCharWidth() * 110, max(fm.height() * 30, int(height * 0.9)))

    # -- building --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Take a new snapshot and rebuild, keeping the tab and the scroll position."""
        tab = self.tabs.currentIndex()
        scroll = self.answers_area.verticalScrollBar().value() if hasattr(self, "answers_area") else 0
        snapshot = self.controller.snapshot()
        self.snapshot = snapshot
        self.marks = _COPIED.setdefault(snapshot.info.id or str(self.controller.path), {})
        title = snapshot.info.title or snapshot.template.title
        self.setWindowTitle(window_title(f"Dépôt en ligne — {title}"))
        self.title.setText(f"Dépôt en ligne : {title}")
        url = demarche_url(snapshot.template)
        self.url = url
        where = platform_statement(snapshot.template)
        if where.refused:
            self.link_label.setText(where.sentence)
        elif url:
            self.link_label.setText(f"Démarche : {url}\n{where.sentence}")
        else:
            self.link_label.setText(
                "Le formulaire ne connaît pas l'adresse de la démarche : ouvrez-la depuis "
                "demarches-simplifiees.fr (lien donné par l'appel)."
            )
        self.open_demarche.setVisible(bool(url))
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        self.rows = []
        self.tabs.addTab(self._answers_page(snapshot), "")
        self.files = attachments_to_upload(snapshot)
        self.tabs.addTab(self._attachments_page(), f"Pièces jointes ({len(self.files)})")
        self.prefill_tab = PrefillTab(
            snapshot, self.controller, after_change=self.refresh, copy_link=self._copy_link, parent=self
        )
        self.tabs.addTab(self.prefill_tab, "Préremplissage")
        self.stale_bar.hide()
        if tab >= 0:
            self.tabs.setCurrentIndex(tab)
        self.answers_area.verticalScrollBar().setValue(scroll)
        self.apply_filter(self.filter_edit.text())
        self.update_counts()
        move_to_end(self.close_button)  # below the pages, which are built after it: Tab reaches it last

    def apply_filter(self, query: str) -> None:
        """Show only the questions whose section, label or answer holds ``query`` (accents and case folded)."""
        from ..search import fold_text

        wanted = fold_text(query.strip())
        shown = 0
        for row in self.rows:
            item = row.item
            visible = not wanted or wanted in fold_text(
                f"{item.section_title} {item.label} {item.text or ''}"
            )
            row.setVisible(visible)
            shown += visible
        for group, rows in self._groups:
            group.setVisible(not wanted or any(not r.isHidden() for r in rows))
        if wanted:
            self.filter_status.setText(f"{plural(shown, 'question')} sur {len(self.rows)}")
        else:
            self.filter_status.setText("")

    def _answers_page(self, snapshot: DossierSnapshot) -> QWidget:
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setAccessibleName("Réponses à reporter en ligne")
        content = QWidget(area)
        outer = QVBoxLayout(content)
        outer.setContentsMargins(4, 4, 16, 16)
        outer.setSpacing(2)
        section_id = None
        block: QVBoxLayout = outer
        block_parent: QWidget = content
        self._groups: list[tuple[QWidget, list[PasteRow]]] = []  # a heading or a row block, and its questions
        heading_rows: list[PasteRow] = []
        frame_rows: list[PasteRow] | None = None
        for item in paste_items(snapshot):
            if item.section_id != section_id:
                section_id = item.section_id
                heading = QLabel(item.section_title, content)
                heading.setFont(scaled_font(heading.font(), 1.2, bold=True))
                heading.setTextFormat(Qt.TextFormat.PlainText)
                heading.setWordWrap(True)
                heading.setContentsMargins(0, 14, 0, 2)
                heading.setAccessibleName(f"Section : {item.section_title}")
                outer.addWidget(heading)
                block, block_parent = outer, content
                heading_rows = []
                self._groups.append((heading, heading_rows))
                frame_rows = None
            if item.kind is PasteKind.ROW:
                frame = QFrame(content)
                frame.setObjectName("rowBlock")
                block = QVBoxLayout(frame)
                block.setContentsMargins(12, 8, 12, 8)
                block.setSpacing(0)
                head = QLabel(item.label, frame)
                head.setTextFormat(Qt.TextFormat.PlainText)
                head.setWordWrap(True)
                head.setFont(scaled_font(head.font(), 1.05, bold=True))
                block.addWidget(head)
                block.addWidget(
                    _small(
                        QLabel(
                            "En ligne, cliquez sur « Ajouter un élément » sous la question, "
                            "puis remplissez cette ligne :",
                            frame,
                        )
                    )
                )
                outer.addSpacing(6)
                outer.addWidget(frame)
                block_parent = frame
                frame_rows = []
                self._groups.append((frame, frame_rows))
                continue
            if item.row_index is None:
                block, block_parent = outer, content
                frame_rows = None
            row = PasteRow(item, self.marks, block_parent)
            block.addWidget(row)
            self.rows.append(row)
            heading_rows.append(row)
            if frame_rows is not None:
                frame_rows.append(row)
        if not self.rows:
            outer.addWidget(QLabel("Aucune question à reporter.", content))
        outer.addStretch(1)
        area.setWidget(content)
        self.answers_area = area
        return area

    def _attachments_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 8, 4, 4)
        intro = QLabel(
            "Ces fichiers ne se copient pas : déposez-les un par un en ligne, avec le bouton de la "
            "question indiquée. Vous pouvez d'abord les enregistrer hors du dossier.",
            page,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        tree = QTreeWidget(page)
        tree.setAccessibleName("Pièces jointes à déposer en ligne")
        tree.setHeaderLabels(["Question", "Fichier", "Taille"])
        tree.setRootIsDecorated(False)
        tree.setWordWrap(True)
        tree.setAlternatingRowColors(True)
        tree.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        for label, a in self.files:
            item = QTreeWidgetItem(tree, [label, a.name, format_size(a.size)])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, tooltip(label))
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{label} : {a.name}, {format_size(a.size)}")
        header = tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.attachments_tree = tree
        layout.addWidget(tree, 1)
        if not self.files:
            tree.hide()
            layout.addWidget(QLabel("Aucune pièce jointe n'est enregistrée dans le dossier.", page))
        row = QHBoxLayout()
        self.save_files_button = QPushButton("&Enregistrer les fichiers dans un dossier…", page)
        self.save_files_button.setEnabled(bool(self.files))
        self.save_files_button.clicked.connect(self.save_attachments)
        row.addWidget(self.save_files_button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    # -- state -----------------------------------------------------------------------------------

    def copy_buttons(self) -> list[QPushButton]:
        return [r.copy_button for r in self.rows if r.copy_button is not None]

    def row_for(self, path: str) -> PasteRow | None:
        return next((r for r in self.rows if r.item.path == path), None)

    def update_counts(self) -> None:
        copyable = [r for r in self.rows if r.copy_button is not None]
        done = sum(1 for r in copyable if r.copied)
        set_tab_text(self.tabs, 0, f"Réponses à reporter ({done} / {len(copyable)} copiées)")
        report = self.controller.report
        if report is not None and not report.can_file:
            n = len(report.blocking)
            self.say(
                f"Attention : le dossier a encore {plural(n, 'problème bloquant')}"
                " (Dossier › Vérifier le dossier). Vous pouvez commencer à reporter les réponses, mais "
                "le dépôt sera refusé tant qu'ils restent.",
                Tone.WARNING,
            )
        else:
            self.say("")

    def say(self, text: str, tone: Tone | None = None) -> None:
        """The line under the démarche's link: a warning about the dossier, or what was just done."""
        self.status.setPalette(self.palette())
        if tone is not None:
            set_text_color(self.status, tone_color(self.status.palette(), tone))
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _dossier_changed(self, *_args) -> None:
        self.stale_bar.show()

    # -- actions ---------------------------------------------------------------------------------

    def _open_demarche(self) -> None:
        if self.url and not export_files.open_externally(self.url):
            dialogs.show_error(
                self,
                f"Le navigateur n'a pas pu être ouvert. Adresse de la démarche : {self.url}",
                "Ouverture impossible",
            )

    def _copy_link(self, link: str) -> None:
        copy_to_clipboard(link)
        self.say("Lien de préremplissage copié dans le presse-papiers.", Tone.OK)

    def save_attachments(self) -> list[Path]:
        """Copy the attachments out of the dossier into a folder, never replacing a file already there;
        names are cleaned, and one file that cannot be written never stops the others."""
        from ..attachment_safety import save_all

        folder = ask_folder(self, str(self.controller.path.parent))
        if not folder:
            return []

        def read(attachment_id: int) -> bytes:
            if self.snapshot.read_attachment:
                return self.snapshot.read_attachment(attachment_id)
            return self.controller.attachment_data(attachment_id)

        report = save_all(Path(folder), [(a.id, a.name) for _label, a in self.files], read)
        if report.failures:
            dialogs.show_error(self, report.message(), "Des pièces jointes n'ont pas pu être enregistrées")
        elif report.renamed or report.risky:
            dialogs.show_info(self, "Pièces jointes enregistrées", report.message())
        n = len(report.written)
        if n:
            self.say(f"{plural(n, 'fichier enregistré')} dans {folder}.", Tone.OK)
        return report.written
