"""The same field edited in two windows of a team-server dossier, as the live view delivers it: a value
I was typing when someone else's arrived is refused and kept (never silently written over theirs), and
the « Garder la mienne / Garder la leur » banner shows their newest value when a third person changes
the field again."""

from __future__ import annotations

import pytest

from spie_desktop.models import open_dossier
from spie_desktop.server.address import parse_address
from spie_desktop.server.queue import EditQueue, queue_path


def _queue(url: str) -> EditQueue:
    return EditQueue(queue_path(parse_address(url)))


def _with_banner(url: str, qtbot):
    """A window's controller on ``url`` and the « Garder la mienne / la leur » banner bound to it."""
    from spie_desktop.ui.refused_banner import RefusedBanner

    c = _window(url)
    banner = RefusedBanner()
    qtbot.addWidget(banner)
    banner.bind(c)
    return c, banner


def _window(url):
    from spie_desktop.ui.controller import DossierController

    return DossierController(open_dossier(url, author="A"))


def test_what_i_was_typing_when_their_value_arrived_live_does_not_replace_it(url, qtbot):
    c = _window(url)
    kept: list[bool] = []
    c.refusedKept.connect(lambda: kept.append(True))
    try:
        c.set_value("porteur_nom", "Ma version")  # typed, not saved yet (the save waits for a pause)
        with open_dossier(url, author="B") as other:
            other.set_value("porteur_nom", "Leur version")
        assert c.refresh_from_server()  # what the live view does when it hears B's change
        assert c.value("porteur_nom") == "Ma version"  # what I am typing stays on screen
        assert c.flush()
        assert kept  # offered in the banner
        [refused] = _queue(url).conflicts()
        assert (refused.mine, refused.theirs) == ("Ma version", "Leur version")
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Leur version"  # B's value was not overwritten


def test_typing_after_their_value_arrived_is_saved_as_usual(url, qtbot):
    """I saw their value before I typed: mine replaces it knowingly, nothing is refused."""
    c = _window(url)
    try:
        with open_dossier(url, author="B") as other:
            other.set_value("porteur_nom", "Leur version")
        assert c.refresh_from_server()
        c.set_value("porteur_nom", "Ma version après la leur")
        assert c.flush()
        assert _queue(url).conflicts() == []
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Ma version après la leur"


def test_the_banner_shows_their_newest_value_and_garder_la_mienne_replaces_that_one(url, qtbot):
    c, banner = _with_banner(url, qtbot)
    try:
        with open_dossier(url, author="B") as other:
            other.set_value("porteur_nom", "Version de B")
        c.set_value("porteur_nom", "Ma version")
        assert c.flush()
        assert "Version de B" in banner.text() and "Ma version" in banner.text()
        with open_dossier(url, author="D") as third:
            third.set_value("porteur_nom", "Version de D")
        assert c.refresh_from_server()  # the live view hears D: the banner follows
        assert "Version de D" in banner.text() and "Version de B" not in banner.text()
        [refused] = _queue(url).conflicts()
        assert refused.theirs == "Version de D"  # kept so: « Garder la mienne » replaces what was shown
        banner.mine_button.click()
        assert banner.isHidden()
        assert c.dossier.get("porteur_nom") == "Ma version"
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Ma version"


def test_garder_la_mienne_refused_by_a_newer_change_shows_it_and_a_second_click_replaces_it(url, qtbot):
    """Without the live view (a third change between the banner and the click): refused once, the
    banner now shows the newest value, and choosing again replaces that one (the question is not
    asked forever)."""
    c, banner = _with_banner(url, qtbot)
    errors: list[str] = []
    c.error.connect(errors.append)
    try:
        with open_dossier(url, author="B") as other:
            other.set_value("porteur_nom", "Version de B")
        c.set_value("porteur_nom", "Ma version")
        assert c.flush()
        with open_dossier(url, author="D") as third:
            third.set_value("porteur_nom", "Version de D")
        banner.mine_button.click()
        assert errors and "Version de D" in errors[-1]
        assert c.dossier.get("porteur_nom") == "Version de D"  # not overwritten unseen
        assert not banner.isHidden() and "Version de D" in banner.text()
        banner.mine_button.click()
        assert banner.isHidden()
    finally:
        c.discard_and_close()
    with open_dossier(url) as again:
        assert again.get("porteur_nom") == "Ma version"


def test_keep_mine_refused_by_a_newer_change_keeps_that_one_for_the_next_choice(url):
    """The core alone (a command, no banner): the refusal keeps the newer value it was refused by."""
    from spie_desktop.server.connect import EditConflict
    from spie_desktop.server.queue import keep_mine

    q = _queue(url)
    q.keep_conflict("u1", "porteur_nom", "Ma version", "Département")
    with open_dossier(url, author="D") as third:
        third.set_value("porteur_nom", "Version de D")
    with open_dossier(url) as df:
        with pytest.raises(EditConflict):
            keep_mine(df, "u1")
        [refused] = q.conflicts()
        assert refused.theirs == "Version de D"
        assert keep_mine(df, "u1")
        assert df.get("porteur_nom") == "Ma version"


def test_the_banner_says_who_and_is_reached_from_the_field_with_alt_m_and_alt_l(url, qtbot):
    """Keyboard only: the banner is far above the field in the Tab order; Alt+M / Alt+L choose while
    the focus stays in the form, and a screen reader hears the question once, with these keys."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

    from spie_desktop.ui import announce
    from spie_desktop.ui.refused_banner import RefusedBanner

    c = _window(url)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    banner = RefusedBanner(window)
    field = QLineEdit(window)
    layout.addWidget(banner)
    layout.addWidget(field)
    banner.bind(c)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    field.setFocus()
    try:
        for mine in ("Première", "Seconde"):
            with open_dossier(url, author="B") as other:
                other.set_value("porteur_nom", f"Leur {mine}")
            c.set_value("porteur_nom", mine)
            announce.recent.clear()
            assert c.flush()
            assert "modifié par spie_admin (Leur" in banner.text()  # the server's role, not a guess
            said = [m for m, _ in announce.recent if "Alt+M" in m]
            assert len(said) == 1 and "Alt+L" in said[0]
            key = Qt.Key.Key_L if mine == "Première" else Qt.Key.Key_M
            qtbot.keyClick(field, key, Qt.KeyboardModifier.AltModifier)
            assert banner.isHidden(), (mine, banner.text())
            assert c.dossier.get("porteur_nom") == ("Leur Première" if mine == "Première" else "Seconde")
    finally:
        c.discard_and_close()


def test_at_opening_the_banner_does_not_take_the_first_focus_and_its_cross_is_remembered(
    url, qtbot, open_server_window
):
    """A value refused before the opening: the banner shows, but the first focus is the section list's
    (Space there does not close the banner unread); once closed with ✕ it stays closed at the next
    refreshes, and comes back for a new refusal."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    _queue(url).keep_conflict("u1", "porteur_nom", "Ma version", "Département")
    w = open_server_window(url)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)
    banner, c = w.refused_banner, w.controller
    assert banner.isVisible() and "Ma version" in banner.text()
    assert QApplication.focusWidget() is w.section_list
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert banner.isVisible()

    banner.close_button.click()
    assert banner.isHidden()
    with open_dossier(url, author="B") as other:
        other.set_value("porteur_adresse", "1 rue de B")
    assert c.refresh_from_server()  # what the live view does, often
    banner.refresh()
    assert banner.isHidden()
    assert [r.uid for r in c.refused_values()] == ["u1"]  # still kept, to choose later

    with open_dossier(url, author="B") as other:  # a new refusal: the banner comes back
        other.set_value("porteur_siret", "11111111111111")
    c.set_value("porteur_siret", "22222222222222")
    assert c.flush()
    assert banner.isVisible() and "Encore 1 autre saisie" in banner.text()
