"""Fields that only show text: a sub-heading (header_section) and a framed explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout

from .. import style
from .base import DisplayWidget

HEADING_SCALE = {1: 1.45, 2: 1.25, 3: 1.1}


class HeaderSectionField(DisplayWidget):
    """header_section: a bold, larger sub-heading; its level sets the size."""

    def build(self) -> None:
        self.heading = QLabel(self.spec.label, self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setFont(
            style.scaled_font(self.heading.font(), HEADING_SCALE.get(self.spec.level, 1.1), bold=True)
        )
        self.heading.setAccessibleName(self.spec.label)
        self.heading.setAccessibleDescription("Sous-titre")
        self.body.setContentsMargins(0, 10, 0, 0)
        self.body.addWidget(self.heading)
        if self.spec.description:
            help_label = QLabel(self.spec.description, self)
            help_label.setTextFormat(Qt.TextFormat.PlainText)
            help_label.setWordWrap(True)
            help_label.setObjectName("help")
            style.make_muted(help_label)
            self.body.addWidget(help_label)


class ExplicationField(DisplayWidget):
    """explication: help text in a framed box, not an input."""

    def build(self) -> None:
        self.frame = QFrame(self)
        style.form_look(self.frame, "explication")
        lay = QVBoxLayout(self.frame)
        lay.setContentsMargins(
            style.CARD_PADDING + 4, style.CARD_PADDING, style.CARD_PADDING, style.CARD_PADDING
        )
        lay.setSpacing(6)
        title = QLabel(self.spec.label, self.frame)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        title.setFont(style.scaled_font(title.font(), bold=True))
        lay.addWidget(title)
        if self.spec.description:
            text = QLabel(self.spec.description, self.frame)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setTextFormat(Qt.TextFormat.PlainText)
            lay.addWidget(text)
        if self.spec.collapsible_text:
            self.more = QToolButton(self.frame)
            self.more.setText("Lire la suite")
            self.more.setCheckable(True)
            self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.more.setArrowType(Qt.ArrowType.RightArrow)
            self.more_text = QLabel(self.spec.collapsible_text, self.frame)
            self.more_text.setWordWrap(True)
            self.more_text.setTextFormat(Qt.TextFormat.PlainText)
            self.more_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.more_text.setVisible(False)
            self.more.toggled.connect(self._unfold)
            lay.addWidget(self.more)
            lay.addWidget(self.more_text)
        self.frame.setAccessibleName(self.spec.label)
        self.frame.setAccessibleDescription(self.spec.description)
        self.body.addWidget(self.frame)

    def _unfold(self, shown: bool) -> None:
        """The platform's collapsible explanation: folded until asked for, as online."""
        self.more_text.setVisible(shown)
        self.more.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.more.setText("Replier" if shown else "Lire la suite")


class OnlineOnlyField(DisplayWidget):
    """A question only the platform can take (a map, a register lookup): said, not asked."""

    def build(self) -> None:
        self.frame = QFrame(self)
        style.form_look(self.frame, "explication")
        lay = QVBoxLayout(self.frame)
        lay.setContentsMargins(
            style.CARD_PADDING + 4, style.CARD_PADDING, style.CARD_PADDING, style.CARD_PADDING
        )
        title = QLabel(self.spec.label + (" *" if self.spec.required else ""), self.frame)
        title.setWordWrap(True)
        title.setFont(style.scaled_font(title.font(), bold=True))
        lay.addWidget(title)
        self.notice = QLabel(online_notice(self.spec.type.value, self.spec.required), self.frame)
        self.notice.setWordWrap(True)
        style.make_muted(self.notice)
        lay.addWidget(self.notice)
        if self.spec.description:
            text = QLabel(self.spec.description, self.frame)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            lay.addWidget(text)
        self.frame.setAccessibleName(self.spec.label)
        self.frame.setAccessibleDescription(self.notice.text())
        self.body.addWidget(self.frame)


def online_notice(platform_type: str, required: bool) -> str:
    what = {"carte": "une carte à tracer"}.get(
        platform_type, "des données que la plateforme va chercher elle-même"
    )
    need = "obligatoire, " if required else ""
    return (
        f"À remplir en ligne ({need}{what}) : cette question ne se prépare pas ici ; elle figure dans "
        "« À faire en ligne » du dépôt."
    )
