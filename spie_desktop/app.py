"""Start the window: QApplication in French, settings, first-start questions, then hand over.

Only what the first paint needs is imported here; exports (reportlab) and migrations (Alembic)
load when used, so ``--quit-after-show`` measures a realistic start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QEvent, QEventLoop, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from . import APP_ID, APP_NAME, __version__
from .ui import feature_scan

feature_scan.install()  # before the window's modules are imported (ui/feature_scan.py)

PAINT_TIMEOUT_MS = 10_000  # --quit-after-show gives up waiting for a first paint after this
_translators: list[QTranslator] = []  # kept alive with the (one) application


def install_french(app: QApplication) -> list[QTranslator]:
    """Qt's own French strings (Annuler, Oui, Non, Enregistrer…) and French number/date formats."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
            break  # qt_fr is a meta-catalogue that includes qtbase_fr: one of them is enough
    from .ui.qt_words import FallbackTranslator

    fallback = FallbackTranslator(app)  # the few words of Qt's file dialog that qtbase_fr lacks
    app.installTranslator(fallback)
    installed.append(fallback)
    _translators[:] = installed
    return installed


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once (an existing instance, e.g. under pytest-qt, is reused)."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        app = cast(QApplication, existing)  # the window needs widgets: never a bare QCoreApplication
    if not app.property("spie_ready"):
        app.setOrganizationName(APP_NAME)
        app.setOrganizationDomain("spie-desktop.fr")
        app.setApplicationName(APP_NAME)
        app.setApplicationDisplayName(APP_NAME)
        app.setApplicationVersion(__version__)
        app.setDesktopFileName(APP_ID)
        install_french(app)
        from .ui.icons import app_icon
        from .ui.style import accessible_palette

        app.setPalette(accessible_palette(app.palette()))  # every text at 4.5:1 or more (RGAA)
        from .ui import focus_ring

        focus_ring.install(app)  # the keyboard focus always shows, at 3:1 or more

        app.setWindowIcon(app_icon())
        app.setProperty("spie_ready", True)
    return app


class _FirstPaint(QObject):
    """Quits a local event loop once the watched window has painted."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.loop.quit)  # after this paint has completed
        return False


def _wait_for_first_paint(window) -> None:
    loop = QEventLoop()
    watcher = _FirstPaint(loop)
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(PAINT_TIMEOUT_MS, loop.quit)
    if not watcher.painted:
        loop.exec()
    window.removeEventFilter(watcher)


def ensure_author(settings) -> None:
    """At first start (no name, no organisation yet), ask who is writing, once."""
    from .settings import save_settings
    from .ui import dialogs

    if settings.author_name or settings.author_organisation or settings.ui.get("author_asked"):
        return
    dialogs.ask_author(None, settings, first_start=True)
    settings.ui["author_asked"] = True  # asked once, even if the user skipped it
    try:
        save_settings(settings)
    except OSError:
        pass


def attach_instance_server(window, name: str | None = None):
    """Let later launches hand their file to this window (see ui/single_instance); None if unavailable."""
    from .ui.single_instance import InstanceServer

    server = InstanceServer(name, parent=window)
    if not server.listen():
        return None

    def open_request(path: str, example: bool) -> None:
        if example:
            window.open_example()
        elif path:
            window.open_path(path)
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()

    server.openRequested.connect(open_request)
    return server


def run(
    path: str | None = None, *, example: bool = False, quit_after_show: bool = False, read_only: bool = False
) -> int:
    """Show the window (with ``path``, or a copy of the example, loaded) and run until it closes.

    ``quit_after_show``: return 0 as soon as the window is shown and painted (2 when the file
    could not be opened), for the start-up benchmark and smoke tests.
    """
    app = create_application()
    if not quit_after_show and not read_only:
        from .server import names_server
        from .ui.single_instance import hand_over

        target = (path if names_server(path) else str(Path(path).resolve())) if path else None
        if hand_over(target, example):
            return 0  # the application already running took the file
    from .settings import load_settings
    from .ui import after_paint
    from .ui.main_window import MainWindow

    settings = load_settings()
    if not quit_after_show:
        ensure_author(settings)
    after_paint.begin_startup()  # what the first paint does not need waits for it (ui/after_paint.py)
    window = MainWindow(settings, start_screen=not (example or path))  # built if the opening fails
    after_paint.watch(window)
    if not quit_after_show:
        attach_instance_server(window)
    loaded = True
    if example:
        loaded = window.open_example()
    elif path:
        loaded = window.open_path(path, read_only=read_only)
    if window.controller is None:
        window.show_start()
    if quit_after_show:
        _wait_for_first_paint(window)
        window.close()
        window.deleteLater()
        return 0 if loaded else 2
    window.show()
    QTimer.singleShot(0, _warm_up_writer)
    sys.excepthook = lambda kind, exc, tb: _report_unexpected(window, exc)
    return app.exec()


def _report_unexpected(window, exc: BaseException) -> None:
    """An error no code path expected: saved edits are safe; say so in French, log the details."""
    from .crashlog import write_crash_log
    from .ui import dialogs

    log = write_crash_log(exc)
    try:
        controller = getattr(window, "controller", None)
        if controller is not None:
            controller.flush()
    except Exception:  # noqa: BLE001 - already reporting an error
        pass
    dialogs.show_error(
        window,
        "Une erreur inattendue s'est produite. Vos saisies enregistrées sont dans le fichier du dossier ; "
        f"si quelque chose ne fonctionne plus, fermez puis rouvrez le dossier. Détails techniques : {log}",
        "Erreur inattendue",
    )


def _warm_up_writer() -> None:
    """Import the SQL layer used at the first save while the person reads the window.

    Opening needs only sqlite3 (the window paints sooner); the first edit needs SQLAlchemy,
    about 0.3 s of imports that would otherwise land on that first save.
    """
    import threading

    def load() -> None:
        try:
            import spie_desktop.models.sql  # noqa: F401
        except Exception:  # noqa: BLE001 - the first save will import it again and report
            pass

    threading.Thread(target=load, name="prechargement-sql", daemon=True).start()
