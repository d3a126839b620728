"""The printable review copy of a dossier (PDF, A4), for people who print and annotate.

``write_pdf`` is a pure function of a snapshot; it can run off the interface thread, reports
progress and can be cancelled. Nothing is written unless the whole document was built.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_writer
from ..formatting import format_datetime
from . import ExportCancelled, ExportError

if TYPE_CHECKING:
    from ..checks.report import CompletenessReport
    from ..snapshot import DossierSnapshot


def completeness_report(snapshot: DossierSnapshot) -> CompletenessReport | None:
    """The check engine's report, or None while the engine is not available."""
    try:
        from ..checks import check
    except ImportError:
        return None
    try:
        return check(snapshot)
    except Exception:  # a checker bug must not cost the user the review copy; the cover says "Non vérifié"
        logging.getLogger(__name__).exception("contrôle de complétude impossible pendant l'export PDF")
        return None


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_pdf(
    snapshot: DossierSnapshot,
    *,
    report: CompletenessReport | None = None,
    wide_margins: bool = False,
    include_comments: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    check: bool = True,
) -> bytes:
    """The PDF as bytes. ``report`` defaults to the check engine's (``check=False`` to skip it)."""
    from reportlab.platypus.doctemplate import LayoutError

    from .pdf_layout import PageDecor, ReviewDoc
    from .pdf_story import StoryBuilder
    from .pdf_style import clean, register_fonts

    register_fonts()
    if report is None and check:
        report = completeness_report(snapshot)
    when = now or datetime.now(UTC)
    export_time = format_datetime(when.isoformat())
    t = snapshot.template
    decor = PageDecor(
        header_left=snapshot.info.title or t.title,
        header_right=t.title,
        footer_left=f"Copie de relecture exportée le {export_time}",
        draft=report is None or not report.can_file,
        wide_margins=wide_margins,
    )
    if cancel is not None and cancel():
        raise ExportCancelled()
    buffer = io.BytesIO()
    doc = ReviewDoc(
        buffer,
        decor,
        progress=progress,
        cancel=cancel,
        expected=1,
        title=clean(snapshot.info.title or t.title),
        author="SPIE Desktop",
        creator="SPIE Desktop",
        subject=clean(f"Copie de relecture — {t.title}"),
        lang="fr-FR",
        displayDocTitle=True,
    )
    story = StoryBuilder(
        snapshot,
        report,
        width=doc.width,
        include_comments=include_comments,
        cancel=cancel,
        export_time=export_time,
        deferred=doc.deferred,
    ).build()
    doc.expected = len(story) + 1
    try:
        doc.build(story)
    except ExportCancelled:
        raise
    except LayoutError as exc:
        where = (
            f"la réponse à « {_shorten(doc.current_field)} »"
            if doc.current_field
            else "un élément du dossier"
        )
        raise ExportError(
            f"La copie PDF n'a pas pu être mise en page : {where} contient un bloc trop grand pour tenir sur "
            "une page (un très long texte dans un tableau, par exemple). Raccourcissez-le, puis exportez de nouveau."
        ) from exc
    except Exception as exc:  # reportlab's layout errors carry no user-facing message
        raise ExportError(
            f"La copie PDF n'a pas pu être mise en page ({exc.__class__.__name__} : {str(exc)[:200]})."
        ) from exc
    if progress is not None:
        progress(doc.expected, doc.expected)
    return buffer.getvalue()


def write_pdf(
    snapshot: DossierSnapshot,
    out_path: str | Path,
    *,
    report: CompletenessReport | None = None,
    wide_margins: bool = False,
    include_comments: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> None:
    """Write the review copy to ``out_path`` atomically; raise ExportCancelled or ExportError."""
    data = build_pdf(
        snapshot,
        report=report,
        wide_margins=wide_margins,
        include_comments=include_comments,
        progress=progress,
        cancel=cancel,
        now=now,
    )
    if cancel is not None and cancel():
        raise ExportCancelled()
    try:
        with atomic_writer(out_path) as fh:
            fh.write(data)
    except OSError as exc:
        raise ExportError(
            f"Le fichier « {out_path} » n'a pas pu être écrit : {exc.strerror or exc}."
        ) from exc
