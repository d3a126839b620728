"""What every field widget shares: label, help, messages, and its link to the controller.

A field widget shows one stored path. It writes every user edit through
``controller.set_value`` (the controller debounces saving), flushes when the user leaves the
input, and refreshes when the value changes elsewhere (undo, merge) unless the user is typing
in it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...forms import FieldSpec
from .. import scroll_anchor, style
from ..field_host import FieldHost, row_context
from ..style import Tone
from ..tab_order import apply_tab_order
from .attention import mark_touched, shows_problems, was_left


class FieldHub(QObject):
    """One connection to the controller's signals, dispatched by path.

    With hundreds of fields on screen (30 rows × 7 children), each keystroke still costs one
    dictionary look-up instead of one Python call per widget.
    """

    OBJECT_NAME = "spie-field-hub"

    @classmethod
    def of(cls, controller: FieldHost) -> FieldHub:
        hub = controller.findChild(cls, cls.OBJECT_NAME)
        return hub if hub is not None else cls(controller)

    def __init__(self, controller: FieldHost) -> None:
        super().__init__(controller)  # type: ignore[arg-type] - the host is a QObject
        self.setObjectName(self.OBJECT_NAME)
        self._fields: dict[str, list[weakref.ref]] = {}
        controller.valueChanged.connect(self._on_value)
        controller.attachmentsChanged.connect(self._on_attachments)
        controller.rowsChanged.connect(self._on_rows)
        controller.commentsChanged.connect(self._on_comments)
        controller.valueRestored.connect(self._on_restored)  # an undo: shown even in a focused input

    def register(self, widget: FieldWidget) -> None:
        refs = self._fields.setdefault(widget.path, [])
        refs[:] = [r for r in refs if _alive(r())]
        refs.append(weakref.ref(widget))

    def unregister(self, widget: FieldWidget) -> None:
        refs = self._fields.get(widget.path)
        if refs:
            refs[:] = [r for r in refs if r() is not widget and _alive(r())]

    def _widgets(self, path: str) -> list[FieldWidget]:
        refs = self._fields.get(path)
        if not refs:
            return []
        return [w for w in (r() for r in refs) if _alive(w)]

    def _on_value(self, path: str) -> None:
        for w in self._widgets(path):
            w.external_value_changed()

    def _on_restored(self, path: str) -> None:
        for w in self._widgets(path):
            w.refresh()

    def _on_attachments(self, path: str) -> None:
        for w in self._widgets(path):
            w.attachments_changed()

    def _on_rows(self, field_id: str) -> None:
        for w in self._widgets(field_id):
            w.rows_changed()

    def _on_comments(self, path: str) -> None:
        for w in self._widgets(path):
            w.comments_changed()


def is_undo_key(event) -> bool:
    """Ctrl+Z, Ctrl+Maj+Z, Ctrl+Y (and the platform's own undo and redo keys)."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    ctrl = Qt.KeyboardModifier.ControlModifier
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (event.key() == Qt.Key.Key_Y and mods == ctrl) or (
        event.key() == Qt.Key.Key_Z and mods == ctrl | Qt.KeyboardModifier.ShiftModifier
    )


def _alive(widget: QObject | None) -> bool:
    return widget is not None and shiboken6.isValid(widget)


def link_button(text: str, parent: QWidget) -> QPushButton:
    """A small action that reads like a link (« Effacer la réponse »), still a real, focusable button."""
    b = QPushButton(text, parent)
    style.form_look(b, "linkButton")
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setFlat(True)
    return b


_MARKER_ROOM: dict[str, int] = {}


def marker_room(label: QLabel) -> int:
    """Width kept right of a label for the comment marker at its widest (« Commenter », icon)."""
    key = label.font().key()
    if key not in _MARKER_ROOM:
        fm = label.fontMetrics()
        _MARKER_ROOM[key] = fm.horizontalAdvance("Commenter") + 2 * fm.height() + 8
    return _MARKER_ROOM[key]


def label_text(spec: FieldSpec) -> str:
    """The label as a QLabel with a buddy shows it: "&" doubled so it is no mnemonic."""
    return spec.label.replace("&", "&&") + (" *" if spec.required else "")


class MessageLine(QWidget):
    """Messages under an input, each an icon and words (never colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._shown: list[tuple[Tone, str]] = []
        self.hide()

    def set_messages(self, messages: Sequence[tuple[Tone, str]]) -> None:
        messages = list(messages)
        if messages == self._shown:
            return
        self._shown = messages
        if not messages and self.sizePolicy().retainSizeWhenHidden():
            self.hide()  # the rows stay (hidden), so the room they took is kept
            return
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        for tone, text in messages:
            row = _message_row(self, tone, text)
            self._layout.addWidget(row)
            row.show()
        self.setVisible(bool(messages))

    def texts(self) -> list[str]:
        return [t for _, t in self._shown]


TONE_NAMES = {Tone.ERROR: "Erreur", Tone.WARNING: "Attention", Tone.OK: "Correct", Tone.INFO: "Information"}


def _message_row(parent: QWidget, tone: Tone, text: str) -> QWidget:
    row = QWidget(parent)
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(6)
    icon = QLabel(row)
    size = style.icon_size(row)
    icon.setPixmap(style.tone_icon(tone).pixmap(size))
    icon.setFixedSize(size)
    icon.setAlignment(Qt.AlignmentFlag.AlignTop)
    icon.setAccessibleName(TONE_NAMES[tone])
    words = QLabel(text, row)
    words.setTextFormat(Qt.TextFormat.PlainText)  # check messages quote labels and answers
    words.setObjectName(f"message-{tone.value}")
    words.setWordWrap(True)
    words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    style.set_text_color(words, style.tone_color(words.palette(), tone))
    lay.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    lay.addWidget(words, 1)
    return row


class FieldWidget(QWidget):
    """Base of every field widget: label, help text, input (built by the subclass), hint, problems."""

    #: Modules this widget imports on its first use, which :func:`spie_desktop.ui.fields.preload`
    #: imports ahead, in the window's idle time (tests/ui/test_preload.py keeps the lists complete).
    PRELOAD: tuple[str, ...] = ()

    #: False for widgets that draw their label themselves (checkbox, headings, explications).
    shows_label = True

    #: Focusable widgets came or went (rows, attached files): the form's tab order must follow.
    structureChanged = Signal()

    def __init__(
        self, spec: FieldSpec, controller: FieldHost, path: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.controller = controller
        self.path = path
        self._committing = False
        self._problems: tuple = ()
        self._hint: list[tuple[Tone, str]] = []
        self._comment_counts = (0, 0)  # (open, resolved) review comments on this path
        self.comment_marker = None  # built the first time it is needed (few fields have comments)
        self.setObjectName(f"field:{path}")

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(style.LABEL_SPACING)
        self.label: QLabel | None = None
        self.help_label: QLabel | None = None
        if self.shows_label:
            self.label = QLabel(label_text(spec), self)
            self.label.setTextFormat(Qt.TextFormat.PlainText)  # labels and help come from the template
            self.label.setWordWrap(True)
            self.label.setFont(style.scaled_font(self.label.font(), bold=True))
            if spec.required:
                self.label.setToolTip("Réponse obligatoire")
                self.label.setAccessibleName(f"{spec.label} (obligatoire)")
            self._layout.addWidget(self.label)
            if spec.type.holds_answer:
                # room for the comment marker over the label's right end, kept from the start: the
                # marker (« Commenter » on hover, « 2 » with comments) then never moves the form.
                self.label.setContentsMargins(0, 0, marker_room(self.label), 0)
            if spec.description:
                self.help_label = QLabel(spec.description, self)
                self.help_label.setTextFormat(Qt.TextFormat.PlainText)
                self.help_label.setWordWrap(True)
                self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.help_label.setObjectName("help")
                style.make_muted(self.help_label)
                self._layout.addWidget(self.help_label)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 2, 0, 0)
        self.body.setSpacing(style.LABEL_SPACING)
        self._layout.addLayout(self.body)
        self.hint_line = MessageLine(self)
        self.hint_line.setObjectName("hint")
        self._layout.addWidget(self.hint_line)
        self.problem_line = MessageLine(self)
        self.problem_line.setObjectName("problems")
        self._layout.addWidget(self.problem_line)

        if spec.type.holds_answer:
            self._comment_counts = controller.comment_counts(path)
        self.build()
        self._setup_inputs()
        self.refresh()
        self.set_read_only(bool(controller.read_only))
        if spec.type.holds_answer:
            FieldHub.of(controller).register(self)
            if any(self._comment_counts):
                self._marker().set_counts(*self._comment_counts)
                self._place_marker()

    # -- for subclasses ----------------------------------------------------------------------------

    def build(self) -> None:
        """Create the input widgets into ``self.body``."""

    def inputs(self) -> list[QWidget]:
        """The focusable widgets of this field, in tab order (the first gets the label's buddy)."""
        return []

    def show_value(self, value: Any) -> None:
        """Display a stored value."""

    def set_read_only(self, read_only: bool) -> None:
        for w in self.inputs():
            if hasattr(w, "setReadOnly"):
                w.setReadOnly(read_only)
            else:
                w.setEnabled(not read_only)

    # -- talking to the controller -----------------------------------------------------------------

    def value(self) -> Any:
        return self.controller.value(self.path)

    def refresh(self) -> None:
        self.show_value(self.value())

    def commit(self, value: Any, *, immediate: bool = False) -> None:
        """Hand a user edit to the controller (it saves, debounced, and re-checks)."""
        if self.controller.read_only:
            return
        self._committing = True
        try:
            self.controller.set_value(self.path, value, immediate=immediate)
        finally:
            self._committing = False

    def leave(self) -> None:
        """The user left the input: what they typed goes to disk now, and its problems show."""
        if not self.controller.read_only:
            self.controller.flush()
        self.controller.close_undo_group()
        if self.spec.type.holds_answer:
            mark_touched(self.controller, self.path)
            policy = self.hint_line.sizePolicy()
            if policy.retainSizeWhenHidden():  # the room a vanished hint kept while typing goes back
                policy.setRetainSizeWhenHidden(False)
                self.hint_line.setSizePolicy(policy)
            scroll_anchor.hold(self)  # the line that appears does not push the field being clicked
            self.show_problems()
            card = row_context(self)
            if card is not None:  # a row's header counts the problems it shows
                card.update_header()

    def is_editing(self) -> bool:
        """True while the user types in this field (a focused button or box is no typing)."""
        focus = QApplication.focusWidget()
        return (
            isinstance(focus, (QLineEdit, QPlainTextEdit))
            and not focus.isReadOnly()
            and self.isAncestorOf(focus)
        )

    def external_value_changed(self) -> None:
        if self._committing or self.is_editing():
            return
        self.refresh()

    def attachments_changed(self) -> None:
        """Attachment fields override this."""

    def rows_changed(self) -> None:
        """Repetitions override this."""

    # -- review comments (see ..comments) --------------------------------------------------------

    @property
    def comment_counts(self) -> tuple[int, int]:
        """(open, resolved) review comments on this field."""
        return self._comment_counts

    def comments_changed(self) -> None:
        counts = self.controller.comment_counts(self.path)
        if counts == self._comment_counts:
            return
        self._comment_counts = counts
        if any(counts) or self.comment_marker is not None:
            self._marker().set_counts(*counts)
            self._place_marker()
        self._describe_inputs()

    def _marker(self):
        """The comment marker, right of the label (built on first use)."""
        if self.comment_marker is None and self.label is not None:
            # Over the room kept right of the label, outside the layout: nothing below moves.
            marker = self.controller.review.marker(self.open_comments, self)
            marker.hide()
            self.comment_marker = marker
            self._place_marker()
        elif self.comment_marker is None:
            marker = self.controller.review.marker(self.open_comments, self)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(8)
            if self.label is not None:
                self._layout.removeWidget(self.label)
                row.addWidget(self.label, 1)
                index = 0
            else:  # a checkbox draws its own label: the marker goes beside the input
                index = self._layout.indexOf(self.body)
                self._layout.removeItem(self.body)
                self.body.setParent(None)
                row.addLayout(self.body, 1)
            row.addWidget(marker, 0, Qt.AlignmentFlag.AlignTop)
            self._layout.insertLayout(index, row)
            marker.hide()
            self.comment_marker = marker
        return self.comment_marker

    def _place_marker(self) -> None:
        marker = self.comment_marker
        if marker is None or self.label is None:
            return
        marker.adjustSize()
        line = self.label.fontMetrics().height()
        marker.move(
            max(0, self.width() - marker.width()), max(0, self.label.y() + (line - marker.height()) // 2)
        )
        marker.raise_()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_marker()

    def comment_target(self):
        return self.controller.review.field_target(self)

    def open_comments(self):
        """The comments window of this field (list, add, resolve)."""
        return self.controller.review.open(self, self.controller, self.comment_target())

    def enterEvent(self, event) -> None:
        # « Commenter » while the mouse is over a labelled field (no room is taken otherwise).
        if self.label is not None and self.spec.type.holds_answer and not self.controller.read_only:
            self._marker().offer(True)
            self._place_marker()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        if self.comment_marker is not None and self.comment_marker.offering:
            self.comment_marker.offer(False)
        super().leaveEvent(event)

    def contextMenuEvent(self, event) -> None:
        """Right-click on the label or around the input: comments and this field's history."""
        if not self.spec.type.holds_answer:
            return super().contextMenuEvent(event)
        self.controller.review.show_context_menu(
            self, self.controller, self.comment_target(), self.path, event.globalPos()
        )
        event.accept()

    # -- messages --------------------------------------------------------------------------------

    def set_hint(self, messages: Iterable[tuple[Tone, str]]) -> None:
        """Format hints shown while typing; they never block typing."""
        self._hint = list(messages)
        self._show_hint()

    def _show_hint(self) -> None:
        # Once the completeness check has spoken about this field, its message replaces the
        # widget's own warning (the same thing said twice is noise); neutral hints stay.
        shown = [m for m in self._hint if not (self._problems and m[0] in (Tone.WARNING, Tone.ERROR))]
        # While one types, a hint that goes away keeps its room: the fields below do not jump up
        # and down under the pointer at each keystroke; the room is given back on leaving.
        policy = self.hint_line.sizePolicy()
        hold = (bool(shown) and self.is_editing()) or (policy.retainSizeWhenHidden() and self.is_editing())
        if policy.retainSizeWhenHidden() != hold:
            policy.setRetainSizeWhenHidden(hold)
            self.hint_line.setSizePolicy(policy)
        self.hint_line.set_messages(shown)

    def set_problems(self, problems: Sequence) -> None:
        """Show the completeness engine's problems for this field under the input."""
        problems = tuple(problems)
        if problems == self._problems:
            return
        self._problems = problems
        self.show_problems()

    def show_problems(self) -> None:
        """The problems under the input, once the field was left or the check run (see .attention)."""
        problems = self._problems if shows_problems(self.controller, self.path) else ()
        before = self.problem_line.texts()
        self.problem_line.set_messages(
            [(Tone.ERROR if p.blocking else Tone.WARNING, p.message) for p in problems]
        )
        if was_left(self.controller, self.path):  # said aloud: the user is in another field by now
            from ..announce import field_problems

            field_problems(self, self.spec.label, before, self.problem_line.texts())
        self._show_hint()
        self._describe_inputs()

    @property
    def problems(self) -> tuple:
        return self._problems

    def problem_texts(self) -> list[str]:
        return self.problem_line.texts()

    # -- focus and accessibility -----------------------------------------------------------------

    def focus_input(self) -> bool:
        for w in self.inputs():
            if w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.isHidden():
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return False

    def accessible_description(self) -> str:
        """What a screen reader says after the name: first whether an answer is required and what to
        correct (« Obligatoire. À corriger : … »), then the help, the unit and the comments."""
        parts = []
        if self.spec.required:
            parts.append("Obligatoire.")
        for p in self._problems if shows_problems(self.controller, self.path) else ():  # as under the input
            parts.append(f"{'À corriger' if p.blocking else 'À vérifier'} : {p.message}")
        if self.spec.description:
            parts.append(self.spec.description)
        if self.spec.unit:
            parts.append(f"Unité : {self.spec.unit}.")
        if any(self._comment_counts):
            parts.append(
                self.controller.review.counts_text(*self._comment_counts) + " (Ctrl+Alt+M pour les lire)."
            )
        return " ".join(parts)

    def _describe_inputs(self) -> None:
        desc = self.accessible_description()
        for w in self.inputs():
            w.setAccessibleDescription(desc)

    def _setup_inputs(self) -> None:
        widgets = self.inputs()
        for w in widgets:
            if not w.accessibleName():
                w.setAccessibleName(self.spec.label)
            w.installEventFilter(self)
        self._describe_inputs()
        self._name_combo_parts(widgets)
        if self.label is not None and widgets:
            self.label.setBuddy(widgets[0])
        apply_tab_order(widgets)

    def _name_combo_parts(self, inputs: list[QWidget]) -> None:
        """A screen reader meets an editable list's text box and its blank choice on their own: name them.

        A field's lists are among its inputs (``findChildren`` would wrap every object under the
        field for Python, its layouts' and text documents' included: 3 ms of the start-up, issue 14)."""
        for combo in (w for w in inputs if isinstance(w, QComboBox)):
            name = combo.accessibleName() or self.spec.label
            combo.setAccessibleName(name)  # not its current text, which Qt says when it has no name
            edit = combo.lineEdit()
            if edit is not None and not edit.accessibleName():
                edit.setAccessibleName(name)
                edit.setAccessibleDescription(combo.accessibleDescription())
            for i in range(combo.count()):
                if not combo.itemText(i).strip():
                    combo.setItemData(i, "Aucune réponse", Qt.ItemDataRole.AccessibleTextRole)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.leave()
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and is_undo_key(event):
            event.ignore()  # not the input's own undo: the window's Annuler / Rétablir (the dossier's)
            return True
        return False

    def structure_changed(self) -> None:
        self.structureChanged.emit()

    def tab_chain(self) -> list[QWidget]:
        """Every focusable widget of this field in form order (repetitions include their rows)."""
        return self.inputs()


class DisplayWidget(FieldWidget):
    """A field that only shows text (header_section, explication): no input, no answer."""

    shows_label = False

    def refresh(self) -> None:
        pass

    def set_read_only(self, read_only: bool) -> None:
        pass

    def focus_input(self) -> bool:
        return False
