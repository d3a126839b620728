"""« Envoyer à la plateforme… »: the explicit click that creates the prefilled draft online.

Confirm what goes where, post off the interface thread, then record the answer in the dossier's
history, open ``dossier_url`` in the browser and say the number and the date to claim it before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from . import dialogs, export_files
from .style import fr

if TYPE_CHECKING:
    from ..exports.prefill import PrefillResult
    from .controller import DossierController


def confirm_send(parent: QWidget | None, text: str) -> bool:
    """Tests replace this function."""
    return dialogs.confirm(parent, "Envoyer à la plateforme", text, "&Envoyer")


def show_sent(parent: QWidget | None, text: str) -> None:
    """Tests replace this function."""
    dialogs.show_info(parent, "Dossier créé sur la plateforme", text)


def sent_status(controller: DossierController) -> str:
    """« Envoyé le … : dossier n° …, à reprendre avant le … », or "" when never sent."""
    from ..exports.link_store import last_sent
    from ..formatting import format_datetime

    sent = last_sent(controller.dossier.changes())
    if sent is None:
        return ""
    return (
        f"Envoyé à la plateforme le {format_datetime(sent.get('sent_at') or sent.get('at'))} : dossier "
        f"n° {sent.get('dossier_number', '?')}, à reprendre avant le {format_datetime(sent.get('claim_before'))} "
        f"en ouvrant {sent.get('dossier_url', '')}"
    )


def send_dossier(
    parent: QWidget | None,
    controller: DossierController,
    result: PrefillResult,
    after: Callable[[], None] | None = None,
) -> None:
    from ..exports.online import send_prefill
    from .export_jobs import JobOutcome, run_export

    template = controller.template
    host = template.platform.host
    undone = len(result.not_prefillable)
    text = fr(
        f"Envoyer {len(result.body)} réponse(s) à {host} (démarche n° {template.platform.procedure_number}) ? "
        "La plateforme crée un brouillon prérempli ; vous l'ouvrez ensuite dans le navigateur et vous vous "
        "connectez pour le reprendre, dans les 5 jours. "
        + (f"{undone} question(s) resteront à faire en ligne. " if undone else "")
        + (
            f"{len(result.refused)} réponse(s) ne sont pas envoyées (voir plus bas)."
            if result.refused
            else ""
        )
    )
    if not confirm_send(parent, text):
        return
    body = dict(result.body)

    def done(job: Any) -> None:
        if job.outcome is JobOutcome.FAILED:
            dialogs.show_error(parent, job.message, "Envoi impossible")
            return
        if job.outcome is not JobOutcome.DONE:
            return
        sent = job.value
        from ..formatting import format_datetime

        try:
            controller.record_sent(sent)
        except (OSError, ValueError) as exc:
            dialogs.show_error(
                parent,
                f"Le dossier a été créé en ligne mais l'envoi n'a pas pu être noté dans "
                f"l'historique ({exc}). Numéro : {sent.dossier_number}, lien : {sent.dossier_url}",
            )
        opened = export_files.open_externally(sent.dossier_url)
        show_sent(
            parent,
            fr(
                f"Dossier n° {sent.dossier_number} créé sur la plateforme, à reprendre avant le "
                f"{format_datetime(sent.claim_before.isoformat())} : "
                + (
                    "il s'ouvre dans le navigateur ; connectez-vous pour le reprendre."
                    if opened
                    else f"ouvrez {sent.dossier_url} dans le navigateur et connectez-vous pour le reprendre."
                )
            ),
        )
        if after is not None:
            after()

    run_export(
        parent,
        lambda progress, cancelled: send_prefill(template, body),
        label="Envoi à la plateforme…",
        on_done=done,
    )
