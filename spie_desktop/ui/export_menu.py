"""The « Exporter » menu: review copy (PDF), text copies, *Dépôt en ligne*, prefill data, interchange JSON.

Every export works on the snapshot taken on the interface thread when the user asks (unsaved
edits included); the PDF is built in a worker thread behind a progress dialog with « Annuler ».
Dialogs go through the module-level functions below (and :mod:`.dialogs`), which tests replace.
The main window builds this menu through :func:`build_export_menu`; this module also puts
« Importer un formulaire en ligne… » in the window's « Fichier » menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from . import dialogs, shortcuts
from .export_files import (  # the dialogs and helpers this menu calls by these names (tests replace them here)
    JSON_FILTER,
    MD_FILTER,
    PDF_FILTER,
    TXT_FILTER,
    AfterExport,
    ask_after_export,
    ask_export_path,
    export_file_name,
    open_externally,
    save_prefill,
    show_in_folder,
)
from .export_jobs import JobOutcome, JobResult, failure_message, run_export

if TYPE_CHECKING:
    from ..snapshot import DossierSnapshot
    from .controller import DossierController
    from .main_window import MainWindow

SETTINGS_KEY = "exports"  # settings.ui: last options and folder


@dataclass(frozen=True)
class PdfOptions:
    wide_margins: bool = False
    include_comments: bool = False


# -- dialogs (replaced by tests) ----------------------------------------------------------------


class PdfOptionsDialog(QDialog):
    """The two options of the review copy, said in the words of someone who prints and annotates."""

    def __init__(
        self, options: PdfOptions, *, has_comments: bool, can_file: bool | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from .style import Tone, make_muted, scaled_font, set_text_color, tone_color

        self.setWindowTitle("Copie de relecture PDF")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(14)
        intro = QLabel(
            "Une copie du dossier à imprimer et à relire : page de garde, sommaire, toutes les questions "
            "avec leurs réponses, les pièces jointes et le bilan de la vérification.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.wide = QCheckBox("&Marges larges pour annoter à la main", self)
        self.wide.setChecked(options.wide_margins)
        self.comments = QCheckBox("Inclure les &commentaires de relecture", self)
        self.comments.setChecked(options.include_comments and has_comments)
        self.comments.setEnabled(has_comments)
        helps = (
            (self.wide, "Une large marge à droite de chaque page, pour écrire vos remarques sur le papier."),
            (
                self.comments,
                "Les commentaires laissés sur les questions sont imprimés sous chaque réponse."
                if has_comments
                else "Ce dossier n'a pas encore de commentaire de relecture.",
            ),
        )
        indent = self.wide.style().pixelMetric(self.wide.style().PixelMetric.PM_IndicatorWidth) + 8
        for box, text in helps:
            group = QVBoxLayout()
            group.setSpacing(2)
            help_label = QLabel(text, self)
            help_label.setWordWrap(True)
            help_label.setIndent(indent)
            help_label.setFont(scaled_font(help_label.font(), 0.92))
            make_muted(help_label)
            box.setAccessibleDescription(text)
            group.addWidget(box)
            group.addWidget(help_label)
            layout.addLayout(group)
        if can_file is False:
            draft = QLabel(
                "Le dossier n'est pas encore prêt à être déposé : chaque page portera la mention "
                "«\u00a0BROUILLON — copie de relecture\u00a0».",
                self,
            )
            draft.setWordWrap(True)
            draft.setObjectName("draftNote")
            set_text_color(draft, tone_color(draft.palette(), Tone.WARNING))
            layout.addWidget(draft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.addButton("&Choisir l'emplacement…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.resize(
            self.minimumWidth(),
            self.heightForWidth(self.minimumWidth())
            if self.hasHeightForWidth()
            else self.sizeHint().height(),
        )

    def options(self) -> PdfOptions:
        return PdfOptions(self.wide.isChecked(), self.comments.isChecked() and self.comments.isEnabled())


def ask_pdf_options(
    parent: QWidget | None, options: PdfOptions, *, has_comments: bool, can_file: bool | None
) -> PdfOptions | None:
    dialog = PdfOptionsDialog(options, has_comments=has_comments, can_file=can_file, parent=parent)
    return dialog.options() if dialog.exec() else None


# -- helpers ------------------------------------------------------------------------------------


def _after(parent: QWidget, path: Path, title: str, text: str, open_label: str) -> None:
    choice = ask_after_export(parent, path, title, text, open_label)
    if choice is AfterExport.OPEN and not open_externally(path):
        dialogs.show_error(
            parent,
            f"Aucune application n'a pu ouvrir « {path.name} ». Le fichier est enregistré ici : {path}",
            "Ouverture impossible",
        )
    elif choice is AfterExport.SHOW_FOLDER:
        show_in_folder(path)


# -- the actions --------------------------------------------------------------------------------


class ExportActions(QObject):
    """The menu's actions for one window; ``jobFinished`` tells (tests, mostly) when a PDF job ended."""

    jobFinished = Signal(object)  # JobResult

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("exportActions")
        self.window = window
        self.job = None

    # state kept in the settings (last options, last folder)

    def _store(self) -> dict:
        store = self.window.settings.ui.setdefault(SETTINGS_KEY, {})
        return store if isinstance(store, dict) else {}

    def _controller(self) -> DossierController | None:
        return getattr(self.window, "controller", None)

    def _suggested(self, controller: DossierController, what: str, suffix: str) -> str:
        folder = self._store().get("folder")
        base = Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else controller.path.parent
        title = controller.dossier.title or controller.path.stem
        return str(base / export_file_name(title, what, suffix))

    def _ask_path(
        self, controller: DossierController, title: str, what: str, file_filter: str, suffix: str
    ) -> Path | None:
        path = ask_export_path(
            self.window, title, self._suggested(controller, what, suffix), file_filter, suffix
        )
        if not path:
            return None
        self._store()["folder"] = str(Path(path).parent)
        return Path(path)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10000)

    def _write(self, path: Path, produce: Callable[[], str | bytes]) -> bool:
        """Produce and write a small export on the interface thread; a failure is said in French."""
        from ..atomic import atomic_write_bytes

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = produce()
            atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data)
        except Exception as exc:  # noqa: BLE001 - OSError, ExportError…: a French message, never a traceback
            QGuiApplication.restoreOverrideCursor()
            dialogs.show_error(self.window, failure_message(exc, path), "L'export n'a pas pu être enregistré")
            return False
        QGuiApplication.restoreOverrideCursor()
        return True

    # the review copy

    def export_pdf(self):
        """Options, then the file name, then the worker; returns the running job (or None)."""
        c = self._controller()
        if c is None or (self.job is not None and self.job.running):
            return None
        store = self._store()
        saved = store.get("pdf") if isinstance(store.get("pdf"), dict) else {}
        snapshot = c.snapshot()
        report = c.report
        options = ask_pdf_options(
            self.window,
            PdfOptions(bool(saved.get("wide_margins")), bool(saved.get("include_comments"))),
            has_comments=bool(snapshot.comments),
            can_file=None if report is None else report.can_file,
        )
        if options is None:
            return None
        store["pdf"] = {"wide_margins": options.wide_margins, "include_comments": options.include_comments}
        path = self._ask_path(
            c, "Enregistrer la copie de relecture", "copie de relecture", PDF_FILTER, ".pdf"
        )
        if path is None:
            return None
        return self.start_pdf(snapshot, path, options)

    def start_pdf(self, snapshot: DossierSnapshot, path: Path, options: PdfOptions):
        def work(progress, cancel) -> Path:
            from ..exports.pdf import write_pdf

            write_pdf(
                snapshot,
                path,
                wide_margins=options.wide_margins,
                include_comments=options.include_comments,
                progress=progress,
                cancel=cancel,
            )
            return path

        self.job = run_export(
            self.window,
            work,
            label="Préparation de la copie de relecture…",
            path=path,
            on_done=lambda result: self._pdf_done(result, path),
        )
        return self.job

    def _pdf_done(self, result: JobResult, path: Path) -> None:
        import shiboken6

        if not shiboken6.isValid(self) or not shiboken6.isValid(self.window):
            return  # the window closed while the copy was being made
        if result.outcome is JobOutcome.DONE:
            self._status(f"Copie de relecture enregistrée : {path}")
            _after(
                self.window,
                path,
                "Copie de relecture prête",
                f"La copie de relecture est enregistrée :\n{path}\n\nOuvrez-la dans votre lecteur de PDF "
                "pour la lire ; pour l'imprimer directement : Fichier › Imprimer… (Ctrl+P).",
                "&Ouvrir le PDF",
            )
        elif result.outcome is JobOutcome.CANCELLED:
            self._status("Export annulé : aucun fichier n'a été écrit.")
        else:
            dialogs.show_error(self.window, result.message, "La copie PDF n'a pas pu être faite")
        self.jobFinished.emit(result)

    # the text copies

    def export_text(self, fmt: str = "txt") -> Path | None:
        c = self._controller()
        if c is None:
            return None
        md = fmt == "md"
        path = self._ask_path(
            c,
            "Enregistrer le texte mis en forme" if md else "Enregistrer le texte à copier-coller",
            "dépôt en ligne",
            MD_FILTER if md else TXT_FILTER,
            ".md" if md else ".txt",
        )
        if path is None:
            return None
        snapshot = c.snapshot()

        def produce() -> str:
            from ..exports.text import export_text

            return export_text(snapshot, fmt)

        if not self._write(path, produce):
            return None
        self._status(f"Texte enregistré : {path}")
        _after(
            self.window,
            path,
            "Texte enregistré",
            f"Le texte du dossier, dans l'ordre du formulaire en ligne, est enregistré :\n{path}",
            "&Ouvrir le fichier",
        )
        return path

    # filing online

    def link_demarche(self) -> None:
        from .link_dialog import link_to_demarche

        c = self._controller()
        if c is not None:
            link_to_demarche(self.window, c)

    def show_filing_view(self):
        from .filing_view import FilingView

        c = self._controller()
        if c is None:
            return None
        view = next((v for v in self.window.findChildren(FilingView) if v.controller is c), None)
        QGuiApplication.setOverrideCursor(
            Qt.CursorShape.WaitCursor
        )  # a few hundred questions: about a second
        try:
            if view is None:
                view = FilingView(c, self.window)
            elif view.stale_bar.isVisible():
                view.refresh()
        finally:
            QGuiApplication.restoreOverrideCursor()
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def export_prefill(self) -> Path | None:
        c = self._controller()
        if c is None:
            return None
        path = self._ask_path(
            c, "Enregistrer les données de préremplissage", "préremplissage", JSON_FILTER, ".json"
        )
        if path is None:
            return None
        return save_prefill(self.window, c.snapshot(), path)

    # interchange

    def export_json(self) -> Path | None:
        c = self._controller()
        if c is None:
            return None
        path = self._ask_path(c, "Enregistrer le fichier d'échange", "", JSON_FILTER, ".json")
        if path is None:
            return None
        snapshot = c.snapshot()

        def produce() -> str:  # attachments are read from the file here, on the interface thread
            from ..interchange import document_from_snapshot, dumps

            return dumps(document_from_snapshot(snapshot))

        if not self._write(path, produce):
            return None
        self._status(f"Fichier d'échange enregistré : {path}")
        _after(
            self.window,
            path,
            "Fichier d'échange enregistré",
            f"Le dossier complet, pièces jointes comprises, est enregistré :\n{path}\n\n"
            "Un autre partenaire peut l'importer dans SPIE Desktop.",
            "&Ouvrir le fichier",
        )
        return path

    def import_schema(self) -> None:
        from .schema_import_dialog import import_schema

        import_schema(self.window)


def _add_import_to_file_menu(window: MainWindow, action: QAction) -> bool:
    """« Importer un formulaire en ligne… » under « Ouvrir un dossier récent » in « Fichier »."""
    menu = getattr(window, "file_menu", None)
    recent = getattr(window, "recent_menu", None)
    if not isinstance(menu, QMenu):
        return False
    actions = menu.actions()
    anchor = recent.menuAction() if isinstance(recent, QMenu) else None
    i = actions.index(anchor) + 1 if anchor in actions else 0
    if i < len(actions):
        menu.insertAction(actions[i], action)
    else:
        menu.addAction(action)
    return True


def build_export_menu(window: MainWindow) -> QMenu:
    """The « Exporter » menu of a main window (and Fichier › Importer un formulaire en ligne…)."""
    exports = ExportActions(window)
    menu = QMenu("E&xporter", window)
    menu.setObjectName("exportMenu")

    def add(
        text: str, slot: Callable[[], Any], shortcut: QKeySequence | None = None, tip: str = ""
    ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    exports.act_pdf = add(
        "Copie de relecture &PDF…",
        exports.export_pdf,
        shortcuts.key("export_pdf"),
        "Un PDF à lire, imprimer et annoter",
    )
    exports.act_txt = add(
        "&Texte à copier-coller (.txt)…",
        lambda: exports.export_text("txt"),
        tip="Toutes les réponses dans l'ordre du formulaire en ligne",
    )
    exports.act_md = add(
        "Texte &mis en forme (.md)…",
        lambda: exports.export_text("md"),
        tip="Les réponses avec titres et listes (Markdown)",
    )
    menu.addSeparator()
    exports.act_filing = add(
        "&Dépôt en ligne…",
        exports.show_filing_view,
        shortcuts.key("filing_view"),
        "Reporter les réponses sur demarches-simplifiees.fr, question par question",
    )
    exports.act_prefill = add(
        "Données de p&réremplissage…",
        exports.export_prefill,
        tip="Les réponses au format de préremplissage de la plateforme",
    )
    exports.act_link = add(
        "&Associer à une démarche en ligne…",
        exports.link_demarche,
        tip="Relier les questions du dossier à celles de la démarche, pour la préremplir",
    )
    menu.addSeparator()
    exports.act_json = add(
        "Fichier d'é&change JSON…",
        exports.export_json,
        tip="Le dossier complet, pièces jointes comprises, pour un autre partenaire",
    )

    act_import = QAction("Importer un &formulaire en ligne…", window)
    act_import.setStatusTip(
        "Préparer hors ligne un dossier pour une autre démarche de demarches-simplifiees.fr"
    )
    act_import.triggered.connect(lambda _checked=False: exports.import_schema())
    exports.act_import = act_import
    if not _add_import_to_file_menu(window, act_import):
        menu.addSeparator()
        menu.addAction(act_import)
    exports.menu = menu
    return menu
