"""Review comments in the wizard: the comments window, the context menu and the shortcut.

The marker beside a field (or a row) and what a window is about (:class:`CommentTarget`) live in
:mod:`.comment_marker`; their names are importable from here too. Comments are reached by the
marker, by right-clicking a field's label (« Commentaires… », « Historique de ce champ… ») and,
from the keyboard, with Ctrl+Alt+M in the field.

Where a comment lives: the models address comments by stored field path (``field``,
``rep[row].child``) or ``""`` for the whole dossier. A comment on a *whole row* is stored on the
row's naming child (the one whose answer titles the row card, else its first answer field), and
the row's window lists the comments of every field of the row.

Everything goes through the window's :class:`~spie_desktop.ui.controller.DossierController`,
which answers from an index in memory and emits ``commentsChanged(path)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..formatting import format_datetime
from . import style
from .comment_marker import (
    COMMENT_SHORTCUT,
    CommentMarker,
    CommentTarget,
    comment_icon,
    counts_text,
    field_target,
    row_target,
)
from .plain import window_title

if TYPE_CHECKING:
    from ..snapshot import CommentInfo

#: The marker's names stay importable from here (the fields import them from this module).
__all__ = [
    "COMMENT_SHORTCUT",
    "DIALOG_NAME",
    "CommentCard",
    "CommentMarker",
    "CommentTarget",
    "CommentsDialog",
    "ReviewComments",
    "comment_icon",
    "context_menu",
    "counts_text",
    "field_target",
    "install_comment_shortcut",
    "open_comments",
    "row_target",
    "show_menu",
    "signed_by",
]

DIALOG_NAME = "commentsDialog"


# -- words ---------------------------------------------------------------------------------------


def signed_by(author: str, organisation: str) -> str:
    """« Claire Martin (Département du Val) », honest when nobody signed."""
    who = author.strip() or "Auteur non renseigné"
    return f"{who} ({organisation.strip()})" if organisation.strip() else who


# -- the comments window ---------------------------------------------------------------------


class CommentCard(QFrame):
    """One comment: who, when, open or resolved (icon and words), the text, and the action."""

    def __init__(
        self,
        info: CommentInfo,
        on_label: str,
        read_only: bool,
        on_toggle: Callable[[str, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName("commentCard")
        self.setProperty("resolved", "true" if info.resolved else "false")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        head = QHBoxLayout()
        head.setSpacing(6)
        who = QLabel(
            f"<b>{_html(info.author.strip() or 'Auteur non renseigné')}</b>"
            + (f" — {_html(info.organisation)}" if info.organisation.strip() else ""),
            self,
        )
        who.setTextFormat(Qt.TextFormat.RichText)
        who.setWordWrap(True)
        head.addWidget(who, 1)
        when = QLabel(f"le {format_datetime(info.created_at)}", self)
        style.make_muted(when)
        head.addWidget(when, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        if on_label:
            on = QLabel(f"Sur : {on_label}", self)
            on.setTextFormat(Qt.TextFormat.PlainText)
            on.setWordWrap(True)
            style.make_muted(on)
            lay.addWidget(on)
        self.text = QLabel(info.text, self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.text)
        foot = QHBoxLayout()
        foot.setSpacing(6)
        state_icon = QLabel(self)
        size = style.icon_size(self)
        state_icon.setPixmap(comment_icon("resolved" if info.resolved else "open").pixmap(size))
        state_icon.setFixedSize(size)
        foot.addWidget(state_icon)
        if info.resolved:
            state = "Résolu" + (f" le {format_datetime(info.resolved_at)}" if info.resolved_at else "")
        else:
            state = "Ouvert"
        self.state_label = QLabel(state, self)
        self.state_label.setObjectName("commentState")
        foot.addWidget(self.state_label)
        foot.addStretch(1)
        self.toggle_button: QPushButton | None = None
        if not read_only:
            text = "Rouvrir" if info.resolved else "Marquer comme résolu"
            b = QPushButton(text, self)
            b.setAccessibleName(
                f"{text} : commentaire de {signed_by(info.author, info.organisation)}, "
                f"le {format_datetime(info.created_at)}"
            )
            b.clicked.connect(lambda: on_toggle(info.id, not info.resolved))
            foot.addWidget(b)
            self.toggle_button = b
        lay.addLayout(foot)
        description = (
            f"Commentaire de {signed_by(info.author, info.organisation)}, le "
            f"{format_datetime(info.created_at)}, {state.lower()}. {info.text}"
        )
        self.setAccessibleName(description[:400])
        if info.resolved:
            style.make_muted(self.text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CARD_QSS = """
QFrame#commentCard {
    border: 1px solid palette(mid);
    border-left: 4px solid palette(highlight);
    border-radius: 4px;
    background: palette(base);
}
QFrame#commentCard[resolved="true"] {
    border-left: 4px dotted palette(mid);
    background: palette(alternate-base);
}
"""


class CommentsDialog(QDialog):
    """The comments of one field or row: the list, « Ajouter un commentaire », resolve / reopen.

    Not modal: the user can keep the form in view (and edit it) while reading the comments. One
    per window; opening it for another field retargets it.
    """

    def __init__(self, controller, target: CommentTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(DIALOG_NAME)
        self.controller = controller
        self.target = target
        self.setStyleSheet(CARD_QSS)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the question's label, from the template
        self.heading.setWordWrap(True)
        self.heading.setFont(style.scaled_font(self.heading.font(), 1.15, bold=True))
        layout.addWidget(self.heading)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        style.make_muted(self.summary)
        layout.addWidget(self.summary)

        self.comments_area = QScrollArea(self)
        self.comments_area.setWidgetResizable(True)
        self.comments_area.setFrameShape(QFrame.Shape.NoFrame)
        self.comments_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget(self.comments_area)
        self.list_layout = QVBoxLayout(holder)
        self.list_layout.setContentsMargins(0, 0, 4, 0)
        self.list_layout.setSpacing(8)
        self.list_layout.addStretch(1)
        self.comments_area.setWidget(holder)
        layout.addWidget(self.comments_area, 1)
        self.empty_label = QLabel("Aucun commentaire pour l'instant.", self)
        style.make_muted(self.empty_label)
        layout.addWidget(self.empty_label)

        self.add_box = QWidget(self)
        add = QVBoxLayout(self.add_box)
        add.setContentsMargins(0, 4, 0, 0)
        add.setSpacing(4)
        add_label = QLabel("&Ajouter un commentaire", self.add_box)
        add_label.setFont(style.scaled_font(add_label.font(), bold=True))
        add.addWidget(add_label)
        self.editor = QPlainTextEdit(self.add_box)
        self.editor.setAccessibleName("Ajouter un commentaire")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText("Votre remarque pour les partenaires…")
        self.editor.setFixedHeight(self.editor.fontMetrics().lineSpacing() * 4 + 14)
        add_label.setBuddy(self.editor)
        add.addWidget(self.editor)
        row = QHBoxLayout()
        self.signature = QLabel(self.add_box)
        self.signature.setTextFormat(Qt.TextFormat.PlainText)
        self.signature.setWordWrap(True)
        style.make_muted(self.signature)
        row.addWidget(self.signature, 1)
        self.add_button = QPushButton("Ajouter", self.add_box)
        self.add_button.setToolTip("Ajouter le commentaire (Ctrl+Entrée)")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_comment)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        add.addLayout(row)
        layout.addWidget(self.add_box)
        self.editor.textChanged.connect(
            lambda: self.add_button.setEnabled(bool(self.editor.toPlainText().strip()))
        )
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(seq), self.editor, self.add_comment, context=Qt.ShortcutContext.WidgetShortcut
            )
        self.read_only_note = QLabel(
            "Dossier ouvert en lecture seule : les commentaires se lisent, mais ne peuvent être ni ajoutés "
            "ni marqués comme résolus.",
            self,
        )
        self.read_only_note.setWordWrap(True)
        layout.addWidget(self.read_only_note)

        from PySide6.QtWidgets import QDialogButtonBox  # here: the window's start-up opens no dialog

        buttons = QDialogButtonBox(self)
        close = buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.cards: list[CommentCard] = []
        controller.commentsChanged.connect(self._on_comments_changed)
        cw = self.fontMetrics().averageCharWidth()
        self.resize(cw * 96, self.fontMetrics().height() * 32)
        self.set_target(target)

    # -- content ---------------------------------------------------------------------------------

    def set_target(self, target: CommentTarget) -> None:
        self.target = target
        self.setWindowTitle(window_title(f"Commentaires — {target.label}"))
        self.heading.setText(target.label)
        self.editor.clear()
        ro = bool(self.controller.read_only)
        self.add_box.setVisible(not ro)
        self.read_only_note.setVisible(ro)
        d = self.controller.dossier
        on_server = getattr(getattr(d, "store", None), "backend", None) is not None
        author = (getattr(d, "comment_author", None) or getattr(d, "author", "")) or ""
        if author.strip():
            signed = f"Signé : {signed_by(author, getattr(d, 'organisation', '') or '')}"
            # on a team server the server signs with the connected role, not the Préférences name
            self.signature.setText(f"{signed} — votre nom de connexion au serveur" if on_server else signed)
        else:
            self.signature.setText(
                "Vos commentaires ne seront pas signés : indiquez votre nom dans Édition › Préférences…"
            )
        self.refresh()

    def refresh(self) -> None:
        for card in self.cards:
            self.list_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        comments = self.target.comments(self.controller)
        ro = bool(self.controller.read_only)
        holder = self.comments_area.widget()
        for i, info in enumerate(comments):
            on = self.target.child_labels.get(info.path, "") if self.target.prefix is not None else ""
            card = CommentCard(info, on, ro, self.set_resolved, holder)
            self.list_layout.insertWidget(i, card)
            self.cards.append(card)
        open_ = sum(1 for c in comments if not c.resolved)
        self.summary.setText(counts_text(open_, len(comments) - open_) + ".")
        self.summary.setVisible(bool(comments))  # none: the empty list says it, once
        self.empty_label.setVisible(not comments)
        self.comments_area.setVisible(bool(comments))

    def _on_comments_changed(self, path: str) -> None:
        if self.target.covers(path):
            self.refresh()

    # -- actions -----------------------------------------------------------------------------------

    def add_comment(self) -> bool:
        text = self.editor.toPlainText().strip()
        if not text or self.controller.read_only:
            return False
        info = self.controller.add_comment(self.target.add_path, text)
        if info is None:  # refused: the controller said why (banner); the text stays
            return False
        self.editor.clear()
        if not self.target.covers(info.path):
            self.refresh()
        self.comments_area.widget().adjustSize()
        bar = self.comments_area.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def set_resolved(self, comment_id: str, resolved: bool) -> None:
        self.controller.set_comment_resolved(comment_id, resolved)


def open_comments(anchor: QWidget, controller, target: CommentTarget) -> CommentsDialog:
    """Show the comments window of ``target`` beside the form (one per window, retargeted)."""
    window = anchor.window()
    dialog = window.findChild(CommentsDialog, DIALOG_NAME)
    if dialog is None or dialog.controller is not controller:
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
        dialog = CommentsDialog(controller, target, window)
    else:
        dialog.set_target(target)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if not controller.read_only:
        dialog.editor.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog


# -- the context menu of a field or a row ------------------------------------------------------


def context_menu(anchor: QWidget, controller, target: CommentTarget, history_path: str | None) -> QMenu:
    """« Commentaires (2 ouverts)… » / « Ajouter un commentaire… », and « Historique de ce champ… »."""
    menu = QMenu(anchor)
    open_, resolved = target.counts(controller)
    if open_ or resolved:
        text = f"Commentaires ({counts_text(open_, resolved).lower()})…"
    elif controller.read_only:
        text = "Commentaires (aucun)…"
    else:
        text = "Ajouter un commentaire…"
    act = menu.addAction(comment_icon("open" if open_ else "add"), text)
    act.setShortcut(QKeySequence(COMMENT_SHORTCUT))
    act.triggered.connect(lambda: open_comments(anchor, controller, target))
    actions = getattr(anchor.window(), "collab_actions", None)
    if history_path and actions is not None and hasattr(actions, "show_field_history"):
        label = target.label if target.prefix is None else ""
        hist = menu.addAction("Historique de ce champ…")
        hist.triggered.connect(lambda: actions.show_field_history(history_path, label))
    return menu


def show_menu(menu: QMenu, global_pos) -> None:
    """Pop a context menu up (tests replace this function)."""
    menu.exec(global_pos)


def install_comment_shortcut(form: QWidget, on_activated: Callable[[], None]) -> QShortcut:
    """Ctrl+Alt+M anywhere in ``form`` (a section's form)."""
    return QShortcut(
        QKeySequence(COMMENT_SHORTCUT),
        form,
        on_activated,
        context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
    )


class ReviewComments:
    """The comments feature as the fields get it from their host (``controller.review``, see
    :class:`~spie_desktop.ui.field_host.CommentsFeature`): the fields import nothing of this module."""

    def marker(self, on_click: Callable[[], object], parent: QWidget, **options: object) -> CommentMarker:
        return CommentMarker(on_click, parent, **options)

    def field_target(self, widget: QWidget) -> CommentTarget:
        return field_target(widget)

    def row_target(self, card: QWidget) -> CommentTarget:
        return row_target(card)

    def open(self, anchor: QWidget, host, target: CommentTarget) -> CommentsDialog:
        return open_comments(anchor, host, target)

    def show_context_menu(
        self, anchor: QWidget, host, target: CommentTarget, history_path: str | None, at
    ) -> None:
        show_menu(context_menu(anchor, host, target, history_path), at)

    def counts_text(self, open_count: int, resolved: int) -> str:
        return counts_text(open_count, resolved)
