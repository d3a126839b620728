"""The comments marker beside a field (or a row), its icon and words, and what a comments window is about.

A field's marker says how many comments are open, with an icon *and* words (« 2 », read out as
« 2 commentaires ouverts »); a field whose comments are all resolved shows « Résolu ». A field
without comments shows no marker (the form stays quiet), except « Commenter » while the mouse
is over it. A click opens the comments window (:mod:`.comments`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolButton, QWidget

from ..presentation import plural
from . import style

if TYPE_CHECKING:
    from ..snapshot import CommentInfo

#: Opens the comments of the field that has the keyboard focus (as in common word processors).
COMMENT_SHORTCUT = "Ctrl+Alt+M"


# -- words ---------------------------------------------------------------------------------------


def counts_text(open_: int, resolved: int) -> str:
    """« 2 commentaires ouverts », « 1 commentaire ouvert, 1 résolu », « Aucun commentaire »."""
    if open_:
        text = plural(open_, "commentaire ouvert")
        if resolved:
            text += f", {plural(resolved, 'résolu')}"
        return text
    if resolved:
        return f"Aucun commentaire ouvert, {plural(resolved, 'résolu')}"
    return "Aucun commentaire"


# -- the icon: a speech bubble (lines inside when open, a check mark when all are resolved) -------


@cache
def comment_icon(kind: str = "open") -> QIcon:
    """``open``: bubble with lines; ``resolved``: bubble with a check; ``add``: bubble with a plus."""
    size = 64
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QApplication.palette().color(QApplication.palette().ColorRole.WindowText)
    if kind == "open":
        ink = QColor(QApplication.palette().color(QApplication.palette().ColorRole.Highlight))
    pen = QPen(ink, 5)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(5, 6, 54, 40), 10, 10)
    tail = QPainterPath()
    tail.moveTo(QPointF(16, 44))
    tail.lineTo(QPointF(12, 59))
    tail.lineTo(QPointF(30, 44))
    tail.closeSubpath()
    shape = bubble.united(tail)
    if kind == "open":
        fill = QColor(ink)
        fill.setAlpha(40)
        p.setBrush(fill)
    p.drawPath(shape)
    if kind == "open":
        for y, w in ((19, 34), (27, 34), (35, 22)):
            p.drawLine(QPointF(15, y), QPointF(15 + w, y))
    elif kind == "resolved":
        p.drawPolyline([QPointF(19, 26), QPointF(28, 35), QPointF(45, 17)])
    else:  # add
        p.drawLine(QPointF(32, 15), QPointF(32, 37))
        p.drawLine(QPointF(21, 26), QPointF(43, 26))
    p.end()
    return QIcon(pix)


# -- what a comments window is about ------------------------------------------------------------


@dataclass
class CommentTarget:
    """A field (``prefix`` None: the comments of ``add_path`` only) or a whole row (``prefix``
    « rep[row]. »: every comment of the row; new ones go on ``add_path``)."""

    label: str
    add_path: str
    prefix: str | None = None
    child_labels: dict[str, str] = field(default_factory=dict)  # row: stored path -> child label

    def covers(self, path: str) -> bool:
        return path.startswith(self.prefix) if self.prefix is not None else path == self.add_path

    def comments(self, controller) -> list[CommentInfo]:
        if self.prefix is not None:
            return controller.comments_under(self.prefix)
        return controller.comments(self.add_path)

    def counts(self, controller) -> tuple[int, int]:
        if self.prefix is None:
            return controller.comment_counts(self.add_path)
        cs = self.comments(controller)
        resolved = sum(1 for c in cs if c.resolved)
        return len(cs) - resolved, resolved


def field_target(widget) -> CommentTarget:
    """The comments of one field widget (its stored path)."""
    label = widget.spec.label
    from ..forms import FieldPath

    try:
        p = FieldPath.parse(widget.path)
    except ValueError:
        p = None
    if p is not None and p.row is not None:
        row_label = _row_title(widget)
        if row_label:
            label = f"{row_label} › {label}"
    return CommentTarget(label, widget.path)


def _row_title(widget) -> str:
    """« Membre 2 — Mission locale » for a child widget inside a row card."""
    from .field_host import row_context

    card = row_context(widget)
    return card.title() if card is not None else ""


def row_target(card) -> CommentTarget:
    """The comments of a whole row: all of its fields'; new ones on its naming child."""
    spec = card.owner.spec
    prefix = f"{spec.id}[{card.row_id}]."
    answer_children = [c for c in spec.children if c.type.holds_answer]
    child_id = card.owner.title_child_id or (
        answer_children[0].id if answer_children else spec.children[0].id
    )
    labels = {f"{prefix}{c.id}": c.label for c in spec.children}
    return CommentTarget(f"{spec.label} › {card.title()}", f"{prefix}{child_id}", prefix, labels)


# -- the marker ------------------------------------------------------------------------------------


class CommentMarker(QToolButton):
    """Icon and number of open comments; a click opens the comments window.

    Out of the Tab chain (the form's order stays the inputs'): the count is also in the input's
    accessible description, and Ctrl+Alt+M opens the window from the keyboard.
    """

    def __init__(self, opener: Callable[[], None], parent: QWidget | None = None, *, scope: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("commentMarker")
        self.scope = scope  # « sur cette ligne » for a row card
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        h = self.fontMetrics().height()
        self.setIconSize(style.icon_size(self))
        self.setFixedHeight(h + 6)
        self.setStyleSheet("QToolButton#commentMarker { padding: 0px 4px; }")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.open_count = 0
        self.resolved_count = 0
        self.offering = False  # showing « Commenter » (no comment yet)
        self.clicked.connect(opener)

    @property
    def has_comments(self) -> bool:
        return bool(self.open_count or self.resolved_count)

    def set_counts(self, open_: int, resolved: int) -> None:
        self.open_count, self.resolved_count = open_, resolved
        self._show()

    def offer(self, on: bool) -> None:
        """Show « Commenter » while the mouse is over a field without comments."""
        self.offering = on
        self._show()

    def _show(self) -> None:
        open_, resolved = self.open_count, self.resolved_count
        words = counts_text(open_, resolved) + (f" {self.scope}" if self.scope and self.has_comments else "")
        if open_:
            self.setIcon(comment_icon("open"))
            self.setText(str(open_))
            tip = f"{words} — cliquer pour les lire, répondre ou les marquer comme résolus"
        elif resolved:
            self.setIcon(comment_icon("resolved"))
            self.setText("Résolu" if resolved == 1 else "Résolus")
            tip = f"{words} — cliquer pour les relire"
        else:
            self.setIcon(comment_icon("add"))
            self.setText("Commenter")
            words = "Commenter"  # the word on the button (WCAG 2.5.3); the tooltip says the rest
            tip = f"Ajouter un commentaire de relecture ({COMMENT_SHORTCUT})"
        self.setAccessibleName(words)
        self.setAccessibleDescription(tip)  # set, not taken from the tooltip: a screen reader hears it change
        self.setToolTip(tip)
        self.setVisible(self.has_comments or self.offering)
