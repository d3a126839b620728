"""One repetition row as a card: a header (number, title, summary, problems, actions) and,
once opened, the row's children as a small form.

A card is built only while its row is near the view (see row_window.py) and may be dropped when
it scrolls far away: whether the row is open is kept by the owner (``expanded_rows``), and the
header reads everything else from the controller when it is built.

Import circle allowed: the repetition (:class:`.repetition.RepetitionField`) is named for its type
only, under ``TYPE_CHECKING``; ``make_field`` is imported from the package at call time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ...forms import FieldType, is_visible
from ...presentation import short_answer
from .. import style
from ..icons import icon
from ..plain import tooltip
from ..style import Tone
from .base import FieldWidget
from .expander import RowExpander

if TYPE_CHECKING:
    from .repetition import RepetitionField

SUMMARY_TYPES = (
    FieldType.DROP_DOWN_LIST,
    FieldType.INTEGER_NUMBER,
    FieldType.DECIMAL_NUMBER,
    FieldType.DATE,
    FieldType.YES_NO,
)


def short_value(spec, value: Any) -> str:
    """A row header's line for an answer: the one rule of :mod:`spie_desktop.presentation`."""
    return short_answer(spec, value)


ROW_ACTIONS = (
    ("duplicate", "Dupliquer", "ajouter une copie de cette ligne juste après"),
    ("up", "Monter", "placer cette ligne avant la précédente"),
    ("down", "Descendre", "placer cette ligne après la suivante"),
    ("remove", "Supprimer", "supprimer cette ligne (vous pourrez annuler)"),
)
ROW_ACTION_TIPS = {key: tip for key, _, tip in ROW_ACTIONS}
CARD_RADIUS = 6


class RowCard(QFrame):
    """One row: a header with its actions, and (once opened) its children's widgets."""

    def __init__(self, owner: RepetitionField, row_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else owner)
        self.owner = owner
        self.row_id = row_id
        self.index = 0
        self.children_widgets: dict[str, FieldWidget] = {}
        # Its rounded border is painted (paintEvent), not a style sheet: a sheet on the card would
        # put every widget inside it, the opened row's fields included, through Qt's style-sheet
        # engine, a third of a card's cost (issue 14).
        self.setObjectName("rowCard")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(style.CARD_PADDING, 8, style.CARD_PADDING, 8)
        outer.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(4)
        # The arrow and a wrapping title (a one-line button would set the form's width); the title is
        # also the button's text and accessible name, and a click on it folds or opens the row.
        # An expandable control, not a check box (issue 13): see expander.py.
        self.toggle = RowExpander(self)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click focuses it, not the page
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        style.form_look(self.toggle, "rowToggle")
        self.toggle.clicked.connect(lambda: self.set_expanded(not self.expanded))
        self.toggle.installEventFilter(self)  # ↑ / ↓: the previous / next row's header
        header.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("rowTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setFont(style.scaled_font(self.title_label.font(), bold=True))
        self.title_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 12)
        self.title_label.installEventFilter(self)
        header.addWidget(self.title_label, 1)
        self.problem_icon = QLabel(self)
        size = style.icon_size(self)
        self.problem_icon.setPixmap(style.tone_icon(Tone.ERROR).pixmap(size))
        self.problem_icon.setFixedSize(size)
        self.problem_text = QLabel(self)
        style.set_text_color(self.problem_text, style.tone_color(self.problem_text.palette(), Tone.ERROR))
        self.problem_icon.hide()
        self.problem_text.hide()
        self._problem_tone = Tone.ERROR
        header.addWidget(self.problem_icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.problem_text, 0, Qt.AlignmentFlag.AlignTop)
        self._header = header
        self.comment_marker: Any = None  # « 2 » open comments on this row's fields, built when needed
        self._comment_prefix = f"{owner.spec.id}[{row_id}]."
        # Compact actions: icons with a tooltip and an accessible name that names the row
        # (« Supprimer : Membre 2 — CD 56 »), so four of them never take the row's width.
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip in ROW_ACTIONS:
            b = QToolButton(self)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click focuses it, not the page
            b.setText(text)
            b.setIcon(icon(f"row-{key}"))
            b.setIconSize(size)
            b.setToolTip(tooltip(f"{text} — {tip}"))
            b.setAutoRaise(True)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            b.setObjectName(f"row-{key}")
            header.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[key] = b
        self.buttons["duplicate"].clicked.connect(lambda: owner.duplicate(self.row_id))
        self.buttons["up"].clicked.connect(lambda: owner.move(self.row_id, -1))
        self.buttons["down"].clicked.connect(lambda: owner.move(self.row_id, +1))
        self.buttons["remove"].clicked.connect(lambda: owner.remove(self.row_id))
        outer.addLayout(header)
        self.summary = QLabel(self)  # a folded row still says what it holds: « 2022 · 45 000,50 € »
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("rowSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setContentsMargins(style.CARD_PADDING + self.fontMetrics().height(), 0, 0, 0)
        style.make_muted(self.summary)
        self.summary.hide()
        outer.addWidget(self.summary)

        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(style.CARD_PADDING, 4, 0, 4)
        self.body_layout.setSpacing(style.FIELD_SPACING - 6)
        self.body.hide()
        outer.addWidget(self.body)
        owner.controller.commentsChanged.connect(self._comments_changed)
        self.update_comments()

    def paintEvent(self, event) -> None:
        """A 1 px border (2 px while the row has problems), rounded, in the palette's mid colour, on
        the base colour: what the form's other frames look like."""
        border = 2 if self.property("problems") == "true" else 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), border))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        half = border / 2
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(half, half, -half, -half), CARD_RADIUS, CARD_RADIUS
        )
        painter.end()

    # -- state -----------------------------------------------------------------------------------

    @property
    def expanded(self) -> bool:
        return self.toggle.is_expanded()

    def set_expanded(self, on: bool, *, relayout: bool = True) -> None:
        """Open or fold the row; ``relayout=False`` while the row window itself is placing rows."""
        (self.owner.expanded_rows.add if on else self.owner.expanded_rows.discard)(self.row_id)
        self.toggle.set_expanded(on)
        if on and not self.children_widgets:
            self._build_children()
        if not on:
            focus = QApplication.focusWidget()
            if focus is not None and self.body.isAncestorOf(focus):  # never leave the focus nowhere
                self.toggle.setFocus(Qt.FocusReason.OtherFocusReason)
        self.body.setVisible(on)
        self.update_header()
        if relayout:
            self.owner.rows.relayout()  # the rows below move now: focus and scrolling follow at once
        self.owner.structure_changed()

    def _build_children(self) -> None:
        from . import make_field  # the package imports this module

        spec = self.owner.spec
        for child in spec.children:
            path = f"{spec.id}[{self.row_id}].{child.id}"
            w = make_field(child, self.owner.controller, path, self.body)
            self.children_widgets[child.id] = w
            w.structureChanged.connect(self.owner.structure_changed)
            self.body_layout.addWidget(w)
            w.set_problems(self.owner.child_problems.get(path, ()))
        self.update_visibility()

    def update_visibility(self) -> None:
        if not self.children_widgets:
            return
        row = self.owner.row_values(self.row_id)
        answers = self.owner.answers_view()
        for child in self.owner.spec.children:
            if child.visible_if is not None:
                self.children_widgets[child.id].setVisible(is_visible(child, answers, row))

    def title(self) -> str:
        spec = self.owner.spec
        label = spec.row_label or "Ligne"
        text = f"{label} {self.index + 1}"
        child_id = self.owner.title_child_id
        if child_id:
            value = self.owner.controller.value(f"{spec.id}[{self.row_id}].{child_id}")
            if isinstance(value, str) and value.strip():
                first = " ".join(value.split())
                if len(first) > 70:
                    first = first[:69] + "…"
                return f"{text} — {first}"
        return text

    def update_header(self) -> None:
        title = self.title()
        self.toggle.setText(title.replace("&", "&&"))
        self.title_label.setText(title)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if self.expanded else Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleName(title)  # the open / folded state is the control's own (expander.py)
        self.setAccessibleName(title)
        self.toggle.setToolTip("Replier la ligne" if self.expanded else "Déplier la ligne")
        summary = "" if self.expanded else self.owner.row_summary(self.row_id)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        paths = self.owner.row_problem_paths(self.row_id)
        problems = [p for path in paths for p in self.owner.child_problems.get(path, ())]
        count = len(paths)
        blocking = any(getattr(p, "blocking", True) for p in problems) or not problems
        tone = Tone.ERROR if blocking else Tone.WARNING  # a warning is no red cross
        if tone is not self._problem_tone:
            self._problem_tone = tone
            self.problem_icon.setPixmap(style.tone_icon(tone).pixmap(style.icon_size(self)))
            style.set_text_color(self.problem_text, style.tone_color(self.problem_text.palette(), tone))
        self.problem_icon.setVisible(count > 0)
        self.problem_text.setVisible(count > 0)
        if blocking:
            self.problem_text.setText(f"{count} problème{'s' if count > 1 else ''}")
        else:
            self.problem_text.setText(f"{count} avertissement{'s' if count > 1 else ''}")
        if self.property("problems") != ("true" if count else "false"):
            self.setProperty("problems", "true" if count else "false")
            self.update()  # the border's width says it too
        for key, b in self.buttons.items():
            b.setAccessibleName(f"{b.text()} : {title}")
            b.setToolTip(tooltip(f"{b.text()} : {title} — {ROW_ACTION_TIPS[key]}"))

    def set_position(self, index: int, count: int) -> None:
        self.index = index
        self.buttons["up"].setEnabled(index > 0)
        self.buttons["down"].setEnabled(index < count - 1)
        self.update_header()

    def set_read_only(self, read_only: bool) -> None:
        for b in self.buttons.values():
            b.setVisible(not read_only)

    # -- review comments on the row (see ..comments) --------------------------------------------

    def _comments_changed(self, path: str) -> None:
        if path.startswith(self._comment_prefix):
            self.update_comments()

    def update_comments(self) -> None:
        """The header's marker: open comments on any field of this row (a folded row says it too)."""
        cs = self.owner.controller.comments_under(self._comment_prefix)
        resolved = sum(1 for c in cs if c.resolved)
        if not cs and self.comment_marker is None:
            return
        if self.comment_marker is None:
            self.comment_marker = self.owner.controller.review.marker(
                self.open_comments, self, scope="sur cette ligne"
            )
            self._header.insertWidget(
                self._header.indexOf(self.problem_text) + 1, self.comment_marker, 0, Qt.AlignmentFlag.AlignTop
            )
        self.comment_marker.set_counts(len(cs) - resolved, resolved)
        review = self.owner.controller.review
        self.toggle.setAccessibleDescription(
            f"{review.counts_text(len(cs) - resolved, resolved)} sur cette ligne." if cs else ""
        )

    def comment_target(self):
        return self.owner.controller.review.row_target(self)

    def open_comments(self):
        """The comments window of the whole row (every field's), new ones on its naming field."""
        return self.owner.controller.review.open(self, self.owner.controller, self.comment_target())

    def eventFilter(self, obj, event) -> bool:
        """A click on the title folds or opens the row, like the arrow beside it; ↑ / ↓ on the header
        go to the previous / next row (built if it was not: a long list stays quick to walk)."""
        if (
            obj is self.toggle
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(event.key())
            if step is not None:
                self.owner.focus_row(self.index + step)
                return True
        if (
            obj is self.title_label
            and event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
            and not self.title_label.hasSelectedText()
        ):
            self.toggle.click()
            return True
        return super().eventFilter(obj, event)

    def contextMenuEvent(self, event) -> None:
        """Right-click on the row's header: the row's comments."""
        host = self.owner.controller
        host.review.show_context_menu(self, host, self.comment_target(), None, event.globalPos())
        event.accept()

    def apply_problems(self) -> None:
        for w in self.children_widgets.values():
            w.set_problems(self.owner.child_problems.get(w.path, ()))
        self.update_header()

    def tab_chain(self) -> list[QWidget]:
        chain: list[QWidget] = [self.toggle, *self.buttons.values()]
        if self.expanded:
            for w in self.children_widgets.values():
                chain.extend(w.tab_chain())
        return chain


class AnswersView:
    """Top-level answers read through the controller, for ``is_visible`` inside rows."""

    def __init__(self, controller) -> None:
        self.controller = controller

    def get(self, key: str, default: Any = None) -> Any:
        value = self.controller.value(key)
        return default if value is None else value

    def __contains__(self, key: str) -> bool:
        return self.controller.value(key) is not None
