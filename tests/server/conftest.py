"""What the window tests of a team-server dossier share."""

from __future__ import annotations

import pytest

from spie_desktop.models import DossierFile


@pytest.fixture
def url(pg_server, template_2021):
    """A new team-server dossier whose porteur_nom is « Département »."""
    u = pg_server.url(pg_server.new_id())
    with DossierFile.create(u, template_2021, "Dossier partagé") as df:
        df.set_value("porteur_nom", "Département")
    return u


@pytest.fixture
def open_server_window(qtbot):
    """``open_server_window(url)``: a shown MainWindow with that server dossier open (its edits
    discarded at the end of the test, so the next test starts from the server's own state)."""
    from spie_desktop.app import create_application
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    opened = []

    def open_window(url: str) -> MainWindow:
        create_application()
        w = MainWindow(Settings(author_name="Camille Test"))
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        assert w.open_path(url)
        opened.append(w)
        return w

    yield open_window
    for w in opened:
        if w.controller is not None:
            w.controller.discard_and_close()
            w.controller = None
