"""piece_justificative: files chosen or dropped, stored inside the dossier; open, replace, remove.

Dialogs and the desktop are reached through module-level functions (``choose_file``,
``open_externally``, ``viewer_available``, ``ask_save_attachment``) that tests replace with
``monkeypatch``. A received file's names and types are untrusted (``attachment_safety``): programs
and shortcuts are never handed to the system's opener.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...attachment_safety import (
    OpenPlan,
    Sniffed,
    clean_name,
    mismatch_note,
    open_plan,
    os_reason,
    sniff,
    with_article,
)
from ...formatting import format_size
from ...models import MAX_ATTACHMENT
from .. import style
from ..announce import announce
from ..style import Tone
from .base import FieldWidget
from .wrap import FlowLayout

_TEMP_DIR: Path | None = None


def choose_file(parent: QWidget, title: str) -> str | None:
    """Ask for one file to attach; None when cancelled."""
    from ..file_dialogs import attachment_start, get_open_file_name, remember_attachment_dir

    name = get_open_file_name(parent, title, attachment_start(), "Tous les fichiers (*)")
    if name:
        remember_attachment_dir(name)  # the next « Joindre » starts there
    return name or None


def open_externally(path: Path) -> bool:
    """Open a file with the system's application for it; False when there is none (the desktop's
    opener would otherwise start and silently do nothing)."""
    if viewer_available(path) is False:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _xdg_mime(*args: str) -> str | None:
    import shutil
    import subprocess  # here: a section showing attachments paints without it

    query = shutil.which("xdg-mime")
    if query is None:
        return None
    try:
        done = subprocess.run([query, *args], capture_output=True, text=True, timeout=3, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def viewer_available(path: Path) -> bool | None:
    """Whether the desktop has an application for this file: False when surely not, None when it
    cannot tell (then the system's opener decides)."""
    if not sys.platform.startswith("linux"):
        return None
    import shutil

    if shutil.which("xdg-open") is None:
        return False
    media_type = _xdg_mime("query", "filetype", str(path))
    if not media_type:
        return None
    default = _xdg_mime("query", "default", media_type)
    return None if default is None else bool(default)


def ask_save_attachment(parent: QWidget, suggested: str) -> str | None:
    """Where to save an attachment that is not opened; None when cancelled."""
    from ..file_dialogs import get_save_file_name

    return (
        get_save_file_name(parent, "Enregistrer la pièce jointe sous…", suggested, "Tous les fichiers (*)")
        or None
    )


def temp_copy(name: str, data: bytes) -> Path:
    """Write an attachment beside the others of this session, so the viewer gets its (cleaned) name."""
    import tempfile

    global _TEMP_DIR
    if _TEMP_DIR is None:
        _TEMP_DIR = Path(tempfile.mkdtemp(prefix="spie-pieces-"))
    folder = Path(tempfile.mkdtemp(dir=_TEMP_DIR))
    target = folder / clean_name(name)
    target.write_bytes(data)
    return target


_SNIFFED: dict[str, Sniffed] = {}  # sha256 → what the bytes are (attachments never change in place)


def too_large_message(path: Path, size: int) -> str:
    return (
        f"Le fichier « {path.name} » pèse {format_size(size)} : la plateforme n'accepte pas plus de 200 Mo "
        "par pièce jointe. Compressez-le ou scindez-le avant de le joindre."
    )


def _is_web_address(url: str) -> bool:
    """Only an https address, without « user@ », becomes a link: the template comes from a file."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


class DropZone(QFrame):
    """Where a file can be dropped; says so in words, and holds the « Choisir un fichier… » button."""

    def __init__(self, field: AttachmentField) -> None:
        super().__init__(field)
        self.field = field
        style.form_look(self, "dropZone")
        self.setAcceptDrops(True)
        lay = FlowLayout(self, spacing=8)  # the button goes below the words in a narrow form
        lay.setContentsMargins(style.CARD_PADDING, 10, style.CARD_PADDING, 10)
        self.text = QLabel("Déposez un fichier ici, ou", self)
        self.text.setWordWrap(True)
        style.make_muted(self.text)
        self.button = QPushButton("Choisir un fichier…", self)
        lay.addWidget(self.text)
        lay.addWidget(self.button)

    def _set_dragging(self, on: bool) -> None:
        self.setProperty("dragging", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:
        if (
            not self.field.controller.read_only
            and event.mimeData().hasUrls()
            and any(u.isLocalFile() for u in event.mimeData().urls())
        ):
            event.acceptProposedAction()
            self._set_dragging(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        self._set_dragging(False)

    def dropEvent(self, event) -> None:
        self._set_dragging(False)
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        for f in files:
            self.field.attach(f)


class AttachmentField(FieldWidget):
    """The stored files of one field, each with Ouvrir / Remplacer / Retirer, and a drop zone."""

    def build(self) -> None:
        self.list_box = QVBoxLayout()
        self.list_box.setContentsMargins(0, 0, 0, 0)
        self.list_box.setSpacing(4)
        self.body.addLayout(self.list_box)
        self.drop_zone = DropZone(self)
        self.drop_zone.button.setAccessibleName(f"Choisir un fichier : {self.spec.label}")  # see _rebuild
        self.drop_zone.button.clicked.connect(self.choose)
        self.body.addWidget(self.drop_zone)
        if _is_web_address(self.spec.file_template):  # the model file the démarche offers for download
            model = QLabel(
                f'<a href="{html.escape(self.spec.file_template)}">Télécharger le modèle de document '
                "proposé par la démarche</a>",
                self,
            )
            model.setTextFormat(Qt.TextFormat.RichText)
            model.setOpenExternalLinks(True)
            model.setObjectName("file_template")
            self.body.addWidget(model)
        self._row_buttons: list[QWidget] = []
        self._removed: tuple[str, bytes] | None = None
        self.undo_bar: QFrame | None = None

    def inputs(self) -> list[QWidget]:
        return [*self._row_buttons, self.drop_zone.button]

    def set_read_only(self, read_only: bool) -> None:
        self.drop_zone.setVisible(not read_only)
        for b in self._row_buttons:
            if b.property("writes"):
                b.setVisible(not read_only)

    def show_value(self, value: Any) -> None:
        self._rebuild()

    def refresh(self) -> None:
        self._rebuild()

    def attachments_changed(self) -> None:
        removed = getattr(self, "_removed", None)
        if removed is not None and removed[0] in self.file_names():  # put back by Ctrl+Z
            self._removed = None
            self._drop_undo(rebuild=False)
        self._rebuild()

    def _rebuild(self) -> None:
        while self.list_box.count():
            item = self.list_box.takeAt(0)
            if item.widget() and item.widget() is not self.undo_bar:
                item.widget().hide()
                item.widget().deleteLater()
        self._row_buttons = []
        infos = self.controller.attachments(self.path)
        for info in infos:
            row = self._row(info)
            self.list_box.addWidget(row)
            row.show()
        words = "Ajouter un autre fichier" if infos else "Choisir un fichier"
        self.drop_zone.button.setText(f"{words}…")
        self.drop_zone.button.setAccessibleName(
            f"{words} : {self.spec.label}"
        )  # the words on the button (WCAG 2.5.3)
        self.drop_zone.text.setText(
            "Un autre document ? Déposez-le ici, ou" if infos else "Déposez un fichier ici, ou"
        )
        if self.undo_bar is not None:
            self.list_box.addWidget(self.undo_bar)
        ro = bool(self.controller.read_only)
        for b in self._row_buttons:
            b.installEventFilter(self)
            if b.property("writes"):
                b.setVisible(not ro)
        self._describe_inputs()
        self.structure_changed()

    def _row(self, info) -> QWidget:
        row = QFrame(self)
        style.form_look(row, "attachmentRow")
        lay = FlowLayout(row, spacing=6)  # name, size, then the buttons, on two lines when narrow
        lay.setContentsMargins(10, 6, 6, 6)
        shown = clean_name(info.name)  # no bidi trick or padding can disguise the extension
        name = QLabel(shown, row)
        name.setTextFormat(Qt.TextFormat.PlainText)
        name.setFont(style.scaled_font(name.font(), bold=True))
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kind = self._sniffed(info)
        type_label = QLabel(kind.label if kind else "type inconnu", row)  # from the bytes, not the name
        type_label.setTextFormat(Qt.TextFormat.PlainText)
        type_label.setObjectName("attachmentType")
        style.make_muted(type_label)
        size = QLabel(format_size(info.size), row)
        style.make_muted(size)
        name.setWordWrap(True)
        for label in (name, type_label, size):  # flowing: on two lines when the form is narrow
            lay.addWidget(label)
        note = mismatch_note(info.name, info.media_type, kind) if kind else ""
        if note:
            warn = QLabel(note, row)
            warn.setTextFormat(Qt.TextFormat.PlainText)
            warn.setObjectName("attachmentMismatch")
            warn.setWordWrap(True)
            style.set_text_color(warn, style.tone_color(warn.palette(), Tone.WARNING))
            lay.addWidget(warn)
        for text, slot, writes in (
            ("Ouvrir", lambda: self.open(info.id, info.name), False),
            ("Remplacer…", lambda: self.replace(info.id), True),
            ("Retirer", lambda: self.remove(info.id, info.name), True),
        ):
            b = QPushButton(text, row)
            b.setAccessibleName(f"{text.rstrip('…')} « {shown} »")
            b.setProperty("writes", writes)
            b.clicked.connect(slot)
            lay.addWidget(b)
            self._row_buttons.append(b)
        return row

    def _sniffed(self, info) -> Sniffed | None:
        kind = _SNIFFED.get(info.sha256)
        if kind is None:
            try:
                kind = sniff(self.controller.attachment_data(info.id))
            except Exception:  # noqa: BLE001 - an unreadable attachment shows as « type inconnu »
                return None
            _SNIFFED[info.sha256] = kind
        return kind

    def file_names(self) -> list[str]:
        return [a.name for a in self.controller.attachments(self.path)]

    # -- actions -----------------------------------------------------------------------------------

    def _say(self, messages: list[tuple[Tone, str]]) -> None:
        self.set_hint(messages)
        if messages:  # attached, refused, restored, no viewer: said aloud too (the focus is elsewhere)
            announce(
                self,
                " ".join(text for _tone, text in messages),
                assertive=any(tone is Tone.ERROR for tone, _text in messages),
            )

    def precheck(self, file_path: Path) -> str | None:
        try:
            size = file_path.stat().st_size
        except OSError as exc:
            return f"Le fichier « {file_path.name} » ne peut pas être lu ({exc.strerror})."
        if size > MAX_ATTACHMENT:
            return too_large_message(file_path, size)
        return None

    def attach(self, file_path: str | Path) -> bool:
        if self.controller.read_only:
            return False
        file_path = Path(file_path)
        refusal = self.precheck(file_path)
        if refusal:
            self._say([(Tone.ERROR, refusal)])
            return False
        info = self.controller.add_attachment(self.path, file_path)
        if info is None:
            message = self.controller.last_error or f"Le fichier « {file_path.name} » n'a pas pu être joint."
            self._say([(Tone.ERROR, message)])
            return False
        self._say([(Tone.OK, f"« {info.name} » est joint au dossier ({format_size(info.size)}).")])
        self._drop_undo()
        return True

    def choose(self) -> None:
        chosen = choose_file(self, f"Joindre un fichier : {self.spec.label}")
        if chosen:
            self.attach(chosen)

    def replace(self, attachment_id: int) -> None:
        chosen = choose_file(self, f"Remplacer le fichier : {self.spec.label}")
        if not chosen:
            return
        if self.attach(chosen):
            self.controller.remove_attachment(attachment_id)

    def open(self, attachment_id: int, name: str) -> None:
        shown = clean_name(name)
        try:
            data = self.controller.attachment_data(attachment_id)
        except Exception:  # noqa: BLE001 - any failure is told, never raised at the user
            self._say([(Tone.ERROR, f"Le fichier « {shown} » n'a pas pu être lu dans le dossier.")])
            return
        plan = open_plan(name, data)
        if not plan.safe:
            self._save_instead(plan, data)
            return
        try:
            target = temp_copy(plan.file_name, data)
        except OSError as exc:
            self._say([(Tone.ERROR, f"Le fichier « {shown} » n'a pas pu être préparé : {os_reason(exc)}.")])
            return
        if not open_externally(target):
            self._say(
                [
                    (
                        Tone.WARNING,
                        f"Aucune application installée sur cet ordinateur n'ouvre {with_article(plan.sniffed.label)} "
                        f"(« {shown} »). Une copie est ici : {target}",
                    )
                ]
            )

    def _save_instead(self, plan: OpenPlan, data: bytes) -> None:
        """A program or a shortcut: saved only where the user chooses, with the warning."""
        from ...atomic import atomic_write_bytes

        self._say([(Tone.WARNING, plan.warning)])
        folder = Path(self.controller.path).parent
        chosen = ask_save_attachment(self, str(folder / plan.file_name))
        if not chosen:
            return
        try:
            atomic_write_bytes(chosen, data)
        except OSError as exc:
            self._say(
                [
                    (Tone.WARNING, plan.warning),
                    (Tone.ERROR, f"« {plan.file_name} » n'a pas pu être enregistré : {os_reason(exc)}."),
                ]
            )
            return
        self._say([(Tone.WARNING, plan.warning), (Tone.OK, f"Enregistré (sans l'ouvrir) : {chosen}")])

    def remove(self, attachment_id: int, name: str) -> None:
        try:
            data = self.controller.attachment_data(attachment_id)
        except Exception:  # noqa: BLE001 - without its content the removal simply cannot be undone
            data = None
        self.controller.remove_attachment(attachment_id)
        self._removed = (name, data) if data is not None else None
        self._say([])
        self._show_undo(name)

    def _show_undo(self, name: str) -> None:
        self._drop_undo(rebuild=False)
        if self._removed is None:
            self._rebuild()
            return
        bar = QFrame(self)
        style.form_look(bar, "undoBar")
        lay = QHBoxLayout(bar)
        lay.setContentsMargins(10, 4, 4, 4)
        gone = QLabel(f"Fichier « {clean_name(name)} » retiré.", bar)
        gone.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(gone, 1)
        undo = QPushButton("Annuler", bar)
        undo.setAccessibleName(f"Annuler le retrait de « {name} »")
        undo.clicked.connect(self.undo_remove)
        lay.addWidget(undo)
        self.undo_bar = bar
        self._rebuild()
        announce(self, f"Fichier « {clean_name(name)} » retiré. Le bouton « Annuler » le remet.")
        undo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop_undo(self, rebuild: bool = True) -> None:
        if self.undo_bar is not None:
            self.undo_bar.deleteLater()
            self.undo_bar = None
            if rebuild:
                self._rebuild()

    def undo_remove(self) -> None:
        if self._removed is None:
            return
        name, data = self._removed
        self._removed = None
        self._drop_undo()
        if self.controller.restore_attachment(self.path, name, data):  # the newest step: an undo
            self._say([(Tone.OK, f"« {name} » est de nouveau joint au dossier.")])
        else:
            self._say([(Tone.ERROR, self.controller.last_error or f"« {name} » n'a pas pu être remis.")])
