"""What runs across the top of an open dossier: the header bar (title, progress, save state) and
the banners (save failures, read-only mode, passing notices).

A banner carries an icon *and* a sentence (never colour alone) and its own buttons; it is a
plain widget the window shows and hides, so nothing modal interrupts typing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .icons import icon, save_state_icon
from .plain import escape
from .section_list import answers_text, percent_of, readiness_text

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from ..checks.report import CompletenessReport
    from .controller import SaveState


class BannerKind(Enum):
    ERROR = ("severity-blocking", "#fdecea", "#c62828")
    WARNING = ("severity-warning", "#fff6d6", "#b58900")
    READ_ONLY = ("read-only", "#eef0f3", "#6b7280")
    INFO = ("info", "#e8f0fb", "#1f4e9c")


class Banner(QFrame):
    """An icon, a message and a few buttons; optionally closable."""

    def __init__(self, kind: BannerKind, parent: QWidget | None = None, *, closable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.kind = kind
        self.set_kind(kind)
        layout.addWidget(self._icon)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self._buttons = QHBoxLayout()
        layout.addLayout(self._buttons)
        self.close_button: QToolButton | None = None
        if closable:
            close = self.close_button = QToolButton(self)
            close.setText("✕")
            close.setToolTip("Masquer ce message")
            close.setAccessibleName("Masquer ce message")
            close.setAutoRaise(True)
            close.clicked.connect(self.dismiss)
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def dismiss(self) -> None:
        """The ✕: hidden (a banner that must stay hidden until something new says so overrides this)."""
        self.hide()

    def set_kind(self, kind: BannerKind) -> None:
        """Its colours and icon (a banner may say an error, then a mere warning), given when it shows:
        the window builds five banners that stay hidden, before its first paint (issue 14)."""
        self.kind = kind
        self._look: BannerKind | None = None
        if self.isVisible():
            self._apply_look()

    def showEvent(self, event: QShowEvent) -> None:
        if self._look is not self.kind:
            self._apply_look()
        super().showEvent(event)

    def _apply_look(self) -> None:
        self._look = kind = self.kind
        icon_name, background, border = kind.value
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}"
            "QFrame#banner QLabel { color: #1b1b1b; background: transparent; }"
        )
        size = self.fontMetrics().height() + 4
        self._icon.setPixmap(icon(icon_name).pixmap(QSize(size, size)))

    def set_text(self, text: str) -> None:
        """A message shown literally (it may quote a file name or a lock holder)."""
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setText(text)
        self.setAccessibleName(self.text())

    def set_rich(self, markup: str) -> None:
        """The application's own rich text (``<b>`` for the lead words): anything quoted in it
        must already be escaped (``plain.escape``); screen readers get the plain sentence."""
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setText(markup)
        self.setAccessibleName(self.text())

    def text(self) -> str:
        """The message as plain text, as read aloud."""
        if self.label.textFormat() == Qt.TextFormat.PlainText:
            return self.label.text()
        import html

        return html.unescape(re.sub(r"<[^>]+>", "", self.label.text()))

    def add_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        self._buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return button


class SaveFailedBanner(Banner):
    """ "Vos dernières modifications ne sont pas encore enregistrées : …" with the way out."""

    def __init__(
        self, save_copy: Callable[[], object], retry: Callable[[], object], parent: QWidget | None = None
    ):
        super().__init__(BannerKind.ERROR, parent)
        self.setAccessibleDescription("Problème d'enregistrement")
        self.copy_button = self.add_button("Enregistrer une copie sous…", save_copy)
        self.retry_button = self.add_button("Réessayer", retry)

    def show_failure(self, reason: str) -> None:
        self.set_kind(BannerKind.ERROR)
        self.setAccessibleDescription("Problème d'enregistrement")
        self.set_rich(
            f"<b>Vos dernières modifications ne sont pas encore enregistrées</b> : {escape(reason)}. "
            "Elles restent dans la fenêtre et l'enregistrement est réessayé régulièrement ; "
            "pour les mettre à l'abri dès maintenant, enregistrez une copie."
        )
        self.show()

    def show_kept(self, message: str) -> None:
        """The server is away, and the unsent edits are kept on this computer (server/queue.py): a
        warning, not an error (nothing is lost; « Réessayer » and the copy stay at hand)."""
        self.set_kind(BannerKind.WARNING)
        self.setAccessibleDescription("Serveur injoignable : saisies gardées sur ce poste")
        self.set_rich(
            f"<b>{escape(message)}</b>. Elles seront envoyées au serveur dès son retour, ou à la "
            "prochaine ouverture du dossier, même si vous fermez la fenêtre."
        )
        self.show()


def failure_reason(message: str) -> str:
    """The reason part of a SaveFailed message ("le disque est plein"), or the whole message."""
    prefix = "L'enregistrement a échoué : "
    if message.startswith(prefix):
        rest = message[len(prefix) :]
        cut = rest.find(". Vos saisies")
        return rest[:cut] if cut >= 0 else rest.rstrip(".")
    return message.rstrip(".")


class ElidedLabel(QLabel):
    """One line, cut with « … » when the window is narrow; the whole text in the tooltip and for
    screen readers. ``text()`` is the whole text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        room = max(self.width() - 2 * self.margin() - 2, 0)
        shown = (
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
            if room
            else self._full
        )
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class HeaderBar(QWidget):
    """Title, form and file, overall progress and save state: always in sight."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        # The title on one line (cut with « … », whole in its tooltip and for screen readers) and the
        # file's name, not its path, under it: at 200 % text the header took five lines of 768.
        self.title = ElidedLabel(self)
        self.title.setObjectName("dossierTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel(self)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)  # the template's title comes from the file
        self.subtitle.setWordWrap(True)
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for label in (self.title, self.subtitle):  # a long title never pushes the progress away
            label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 20)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        layout.addLayout(texts, 1)
        right = QVBoxLayout()
        right.setSpacing(2)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Avancement du dossier")
        self.progress.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.progress_label = QLabel(self)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Two rows, not three: the bar with the save state beside it, the readiness under them
        # (at 200 % text the header took four lines of a 768 px screen).
        state_row = QHBoxLayout()
        state_row.setSpacing(6)
        self.save_icon = QLabel(self)
        self.save_label = QLabel(self)
        self.save_label.setObjectName("saveState")
        self.save_label.setAccessibleDescription(
            "État de l'enregistrement"
        )  # its name: its text, « Enregistré »
        state_row.addWidget(self.progress, 1)
        state_row.addSpacing(self.fontMetrics().averageCharWidth())
        state_row.addWidget(self.save_icon)
        state_row.addWidget(self.save_label)
        right.addLayout(state_row)
        right.addWidget(self.progress_label)
        layout.addLayout(right)

    def set_save_state(self, state: SaveState, text: str = "", icon_name: str | None = None) -> None:
        """The state's words and icon (``text`` / ``icon_name``: said otherwise, e.g. a server away)."""
        size = self.fontMetrics().height()
        shown = icon(icon_name) if icon_name else save_state_icon(state)
        self.save_icon.setPixmap(shown.pixmap(QSize(size, size)))
        self.save_label.setText(text or state.value)

    def set_report(self, report: CompletenessReport | None) -> None:
        if report is None:
            self.progress.hide()
            self.progress_label.hide()
            return
        percent = percent_of(report.progress)
        self.progress.show()
        self.progress_label.show()
        self.progress.setValue(percent)
        # how many answers (the bar) and whether it can be filed (the words) are two things
        self.progress.setFormat(f"{report.answered} / {report.required} réponses")
        text = answers_text(report.answered, report.required)
        ready = readiness_text(report)
        self.progress_label.setText(ready)
        self.progress.setAccessibleDescription(f"{text} ({percent} %). {ready}.")
