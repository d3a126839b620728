"""What a field widget may ask of the dossier it shows: the typed face of the controller for fields.

:class:`~spie_desktop.ui.controller.DossierController` is the one :class:`FieldHost` of the
application; the protocol says which of its members the fields, rows and forms rely on (instead of
probing it with ``hasattr``). The review comments come with it as a :class:`CommentsFeature`
(``host.review``), so that the fields never import the comments window themselves.

A leaf: it imports nothing of the package but the snapshot's records (for the types).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint, SignalInstance
    from PySide6.QtWidgets import QToolButton, QWidget

    from ..forms import Template
    from ..snapshot import AttachmentInfo, CommentInfo


class Attention(Protocol):
    """When a field's problems show (see :mod:`.fields.attention`): left by the user, or the check run."""

    touched: set[str]
    revealed: bool


class CommentsFeature(Protocol):
    """The review comments as the fields use them: their marker, their window and their menu."""

    def marker(self, on_click: Callable[[], Any], parent: QWidget, **options: Any) -> QToolButton: ...

    def field_target(self, widget: QWidget) -> Any: ...

    def row_target(self, card: QWidget) -> Any: ...

    def open(self, anchor: QWidget, host: FieldHost, target: Any) -> QWidget: ...

    def show_context_menu(
        self, anchor: QWidget, host: FieldHost, target: Any, history_path: str | None, at: QPoint
    ) -> None: ...

    def counts_text(self, open_count: int, resolved: int) -> str: ...


class FieldHost(Protocol):
    """The controller's members that the field widgets use."""

    valueChanged: SignalInstance
    rowsChanged: SignalInstance
    attachmentsChanged: SignalInstance
    commentsChanged: SignalInstance
    valueRestored: SignalInstance
    attention: Attention
    review: CommentsFeature

    @property
    def read_only(self) -> bool: ...

    @property
    def template(self) -> Template: ...

    def value(self, path: str) -> Any: ...

    def set_value(self, path: str, value: Any, *, immediate: bool = False) -> None: ...

    def flush(self) -> bool: ...

    def close_undo_group(self) -> None: ...

    def row_ids(self, field_id: str) -> list[str]: ...

    def attachments(self, path: str) -> list[AttachmentInfo]: ...

    def add_attachment(self, path: str, file_path: str | Path) -> AttachmentInfo | None: ...

    def comments(self, path: str | None = None) -> list[CommentInfo]: ...

    def comments_under(self, prefix: str) -> list[CommentInfo]: ...

    def comment_counts(self, path: str) -> tuple[int, int]: ...


@runtime_checkable
class RowContext(Protocol):
    """The row card a field sits in (a repetition's row): its title, and its header to update."""

    def title(self) -> str: ...

    def update_header(self) -> None: ...


def row_context(widget: QWidget) -> RowContext | None:
    """The row card around ``widget``, or None outside a repetition."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, RowContext):
        parent = parent.parentWidget()
    return parent
