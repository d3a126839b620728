"""Every screen a person meets on an open dossier, arranged as they would see it, at a screen size.

``tools/render_screens.py`` saves each one as a PNG; ``tests/ui/test_layout_fits.py`` checks on
the real widgets' geometry (see :mod:`.layout_audit`) that nothing is cut and only vertical
scrolling is needed, at 1280 × 720, 1366 × 768 and 1920 × 1080, with text at 100 % and 200 %, in
the default 1 200 × 820 window, and on a 1366 × 768 screen scaled to 200 % (683 × 384).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

SCREEN_SIZES = ((1280, 720), (1366, 768), (1920, 1080))
TEXT_SCALES = (1.0, 2.0)
#: Also the default window (1 200 × 820) at both text sizes, and a 1366 × 768 screen at 200 %
#: *scaling* (QT_FONT_DPI=192 on X11 gives Qt a device pixel ratio of 2: 683 × 384 logical pixels,
#: text at its normal point size) — the case a person with enlarged text really meets.
EXTRA_SIZES: dict[float, tuple[tuple[int, int], ...]] = {1.0: ((1200, 820), (683, 384)), 2.0: ((1200, 820),)}


def sizes_for(scale: float) -> tuple[tuple[int, int], ...]:
    """The window sizes toured with text at ``scale``."""
    return SCREEN_SIZES + EXTRA_SIZES.get(scale, ())


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.processEvents()


def settle_section(window) -> None:
    """A section as the user sees it a moment after opening it: the fields below its first screenful
    are built after its first paint (section_form.py), then everything is laid out."""
    form = window.current_form()
    for _ in range(1000):
        if getattr(form, "fully_built", True):
            break
        QCoreApplication.processEvents()
    settle()


def scale_text(app: QApplication, factor: float) -> None:
    """Text at 200 % as a person sets it (like QT_FONT_DPI=192): the application font, doubled."""
    font = app.font()
    base = app.property("spieBasePointSize") or font.pointSizeF()
    app.setProperty("spieBasePointSize", base)
    font.setPointSizeF(float(base) * factor)
    app.setFont(font)


def _titled(dialog):
    """« Nouveau dossier » with a long title typed: its file-name preview shows."""
    dialog.title_edit.setText(
        "Candidature SPIE – Département de la Haute-Vallée, « Un parcours, un référent »"
    )
    return dialog


def _dialogs(window: MainWindow) -> list[tuple[str, Callable[[], QDialog]]]:
    from .collab_dialogs import EntrustDialog, PartnerCopyDialog
    from .filing_view import FilingView
    from .history_dialog import HistoryDialog
    from .preferences import PreferencesDialog
    from .shortcuts_dialog import ShortcutsDialog
    from .start_screen import NewDossierDialog

    c = window.controller
    assert c is not None
    sections = c.template.sections
    return [
        ("nouveau-dossier", lambda: _titled(NewDossierDialog(window.settings, window))),
        ("premier-demarrage", lambda: PreferencesDialog(window.settings, window, first_start=True)),
        ("raccourcis", lambda: ShortcutsDialog(window)),
        ("copie-partenaire", lambda: PartnerCopyDialog(c.dossier, window)),
        ("confier-section", lambda: EntrustDialog(c.dossier, sections[3].id, window)),
        ("historique", lambda: HistoryDialog(c.dossier, parent=window)),
        ("depot-en-ligne", lambda: FilingView(c, window)),
    ]


def tour(window: MainWindow, width: int, height: int) -> Iterator[tuple[str, QWidget]]:
    """Yield (name, top-level widget) for each screen, the window resized to ``width`` × ``height``.

    The window has a dossier open. Sections first, then the same with the check panel open, then
    each dialog opened over the window (a dialog is as big as it wants to be, within the screen).
    """
    from . import window_geometry

    previous = window_geometry.simulated_screen
    window_geometry.simulated_screen = QSize(width, height)  # the panel's placement sees that screen
    try:
        yield from _tour(window, width, height)
    finally:
        window_geometry.simulated_screen = previous


def _tour(window: MainWindow, width: int, height: int) -> Iterator[tuple[str, QWidget]]:
    c = window.controller
    assert c is not None
    settle()  # the window's own first fit to the (offscreen) screen is done: the size below holds
    if window.check_dock is not None:  # each size as a fresh window: the panel docked, closed
        window.check_dock.hide()
        window.check_dock.setFloating(False)
        window.check_dock.setProperty("spieFloatedForRoom", None)
    settle()
    window.resize(width, height)
    for i, section in enumerate(c.template.sections, start=1):
        window.show_section(section.id)
        settle_section(window)
        yield f"{i:02d}-{section.id}", window
    window.show_check()
    for i, section in enumerate(c.template.sections, start=1):
        window.show_section(section.id)
        settle_section(window)
        yield f"{i:02d}-{section.id}-verification", window
    window.check_dock.hide()
    for name, make in _dialogs(window):
        dialog = make()
        dialog.show()
        settle()
        hint = dialog.sizeHint()  # as big as it wants, within the screen (a window manager's rule)
        dialog.resize(min(hint.width(), width), min(hint.height(), height))
        settle()
        yield f"dialogue-{name}", dialog
        dialog.close()
        dialog.deleteLater()
    settle()
