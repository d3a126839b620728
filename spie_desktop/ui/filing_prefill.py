"""The « Préremplissage » tab of the « Dépôt en ligne » window: the prefill link, its instructions,
the JSON to save, and what cannot be prefilled.

A widget of its own, :class:`PrefillTab`, built by :class:`~spie_desktop.ui.filing_view.FilingView`
from the view's snapshot and its controller; ``after_change`` (the view's refresh) runs after a send
or a link to a démarche, ``copy_link`` puts the link in the clipboard and says so in the view.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from . import export_files
from .style import fr, scaled_font

if TYPE_CHECKING:
    from ..exports.prefill import PrefillResult
    from ..snapshot import DossierSnapshot
    from .controller import DossierController


class PrefillTab(QScrollArea):
    """The prefill tab: what can be sent, the link, the JSON to save, what is left to do online."""

    def __init__(
        self,
        snapshot: DossierSnapshot,
        controller: DossierController,
        *,
        after_change: Callable[[], None],
        copy_link: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.snapshot = snapshot
        self.controller = controller
        self._after_change = after_change
        self._copy_link = copy_link
        self.prefill: PrefillResult | None = None
        self.prefill_link: QLineEdit | None = None
        self.prefill_host: QLabel | None = None
        self.link_button: QPushButton | None = None
        self.sent_label: QLabel | None = None
        self.send_button: QPushButton | None = None
        self._build(snapshot)

    def _build(self, snapshot: DossierSnapshot) -> None:
        from ..exports.prefill import build_prefill

        area = self
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget(area)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 8, 16, 8)
        layout.setSpacing(8)
        area.setWidget(page)
        self.prefill_link = None
        self.prefill_host = None
        has_ids = any(f.ds_id for _, f in snapshot.template.iter_fields())
        try:
            result = build_prefill(snapshot)
        except Exception as exc:  # noqa: BLE001 - a bug in one answer must not close the view
            layout.addWidget(
                self._para(page, f"Les données de préremplissage n'ont pas pu être préparées ({exc}).")
            )
            layout.addStretch(1)
            return
        self.prefill = result
        if not has_ids:
            layout.addWidget(
                self._para(
                    page,
                    (
                        "Ce formulaire ne porte pas les identifiants des questions de la plateforme : le dossier ne peut "
                        "pas encore être prérempli. Associez-le à la démarche en ligne : l'application relie ses questions "
                        "à celles de la démarche, vous vérifiez, et le préremplissage devient possible. Sinon, reportez "
                        "les réponses avec l'onglet « Réponses à reporter »."
                    ),
                )
            )
            self.link_button = QPushButton("&Associer à une démarche en ligne…", page)
            self.link_button.clicked.connect(self.link_demarche)
            row = QHBoxLayout()
            row.addWidget(self.link_button)
            row.addStretch(1)
            layout.addLayout(row)
            layout.addStretch(1)
            return
        self._send_block(page, layout, result)
        layout.addWidget(
            self._para(
                page,
                (
                    "La plateforme peut créer un dossier déjà rempli avec vos réponses. L'application n'envoie rien "
                    "elle-même : elle prépare le lien et les données, vous les utilisez."
                ),
            )
        )
        where = (
            f"Aucun lien ne sera ouvert et aucune donnée envoyée : {result.host_refused}"
            if result.host_refused
            else f"Les données seront envoyées à {result.host}."
        )
        self.prefill_host = self._para(page, where)
        self.prefill_host.setFont(scaled_font(self.prefill_host.font(), bold=True))
        layout.addWidget(self.prefill_host)
        layout.addWidget(self._heading(page, "Lien de préremplissage"))
        if result.link:
            link = QLineEdit(result.link, page)
            link.setReadOnly(True)
            link.setAccessibleName("Lien de préremplissage")
            link.setCursorPosition(0)
            self.prefill_link = link
            layout.addWidget(link)
            buttons = QHBoxLayout()
            copy = QPushButton("Copier le &lien", page)
            copy.clicked.connect(lambda: self._copy_link(result.link or ""))
            opened = QPushButton("Ouvrir le lien dans le &navigateur", page)
            opened.clicked.connect(lambda: export_files.open_externally(result.link or ""))
            buttons.addWidget(copy)
            buttons.addWidget(opened)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        else:
            layout.addWidget(self._para(page, f"Pas de lien : {result.link_note or 'rien à préremplir'}."))
        layout.addWidget(self._heading(page, "Mode d'emploi"))
        layout.addWidget(
            self._bullets(page, result.instructions() or ["Aucune réponse à préremplir pour l'instant."])
        )
        save = QPushButton("&Enregistrer les données de préremplissage (JSON)…", page)
        save.clicked.connect(self.save_prefill)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        layout.addLayout(row)
        if result.link_warning:
            layout.addWidget(self._para(page, result.link_warning))
        if result.not_prefillable:
            layout.addWidget(self._heading(page, f"À faire en ligne ({len(result.not_prefillable)})"))
            layout.addWidget(
                self._para(page, "Ces questions ne se préremplissent pas ; faites-les sur la plateforme :")
            )
            layout.addWidget(
                self._bullets(page, [f"{label} : {why}" if why else label for label, why in result.undone()])
            )
        if result.refused:
            layout.addWidget(self._heading(page, f"Réponses non envoyées ({len(result.refused)})"))
            layout.addWidget(
                self._para(
                    page,
                    "La plateforme les ignorerait sans le dire : corrigez-les dans le "
                    "dossier ou saisissez-les en ligne.",
                )
            )
            layout.addWidget(self._bullets(page, [f"{label} : {reason}" for label, reason in result.refused]))
        layout.addStretch(1)

    @staticmethod
    def _para(parent: QWidget, text: str) -> QLabel:
        label = QLabel(fr(text), parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @staticmethod
    def _heading(parent: QWidget, text: str) -> QLabel:
        label = QLabel(text, parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setFont(scaled_font(label.font(), 1.1, bold=True))
        label.setContentsMargins(0, 8, 0, 0)
        return label

    @staticmethod
    def _bullets(parent: QWidget, lines: list[str]) -> QLabel:
        label = QLabel(
            "<ul style='margin-left:-20px'>"
            + "".join(
                f"<li style='margin-bottom:4px'>{html.escape(fr(line), quote=False)}</li>" for line in lines
            )
            + "</ul>",
            parent,
        )
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _send_block(self, page: QWidget, layout: QVBoxLayout, result) -> None:
        """« Envoi à la plateforme »: what was sent already, and the button that sends (on click only)."""
        from .online_send import sent_status

        layout.addWidget(self._heading(page, "Envoi à la plateforme"))
        self.sent_label = self._para(page, sent_status(self.controller) or "Pas encore envoyé.")
        self.sent_label.setObjectName("sentStatus")
        layout.addWidget(self.sent_label)
        self.send_button = QPushButton("&Envoyer à la plateforme…", page)
        self.send_button.setEnabled(bool(result.endpoint and result.body) and not self.controller.read_only)
        self.send_button.setToolTip(
            "Crée sur la plateforme un brouillon prérempli avec ces réponses, à reprendre dans les 5 jours"
        )
        self.send_button.clicked.connect(self.send_to_platform)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addStretch(1)
        layout.addLayout(row)

    # -- actions ---------------------------------------------------------------------------------

    # The questions, the send job and its messages belong to the « Dépôt en ligne » window, not to
    # this tab: ``after_change`` rebuilds the tabs (this one is deleted) while they may still run.

    def send_to_platform(self) -> None:
        from .online_send import send_dossier

        send_dossier(self.window(), self.controller, self.prefill, after=self._after_change)

    def link_demarche(self) -> None:
        from .link_dialog import link_to_demarche

        link_to_demarche(self.window(), self.controller, after=self._after_change)

    def save_prefill(self) -> Path | None:
        c = self.controller
        title = c.dossier.title or c.path.stem
        suggested = str(c.path.parent / export_files.export_file_name(title, "préremplissage", ".json"))
        path = export_files.ask_export_path(
            self.window(),
            "Enregistrer les données de préremplissage",
            suggested,
            export_files.JSON_FILTER,
            ".json",
        )
        if not path:
            return None
        return export_files.save_prefill(self.window(), self.snapshot, Path(path))
