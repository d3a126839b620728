"""One instance per user *and* graphical session: another display of the same account keeps its own window."""

from __future__ import annotations

import uuid

from spie_desktop.ui import single_instance
from spie_desktop.ui.single_instance import InstanceServer, hand_over, server_name, session_key


def test_two_displays_of_the_same_user_get_two_servers():
    first = server_name({"DISPLAY": ":0"}, "linux")
    assert server_name({"DISPLAY": ":1"}, "linux") != first
    assert server_name({"DISPLAY": ":0.0"}, "linux") == first  # screen 0 of the same display
    assert server_name({"DISPLAY": ":0"}, "linux") == first  # stable: a later launch finds the first


def test_wayland_sessions_and_displayless_sessions_differ():
    names = {
        server_name(env, "linux")
        for env in (
            {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
            {"WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":1"},
            {"XDG_SESSION_ID": "3"},
            {"XDG_SESSION_ID": "7"},
            {},
        )
    }
    assert len(names) == 5
    # within a graphical session the display decides: a launch that lacks XDG_SESSION_ID still finds it
    assert session_key({"DISPLAY": ":0", "XDG_SESSION_ID": "3"}, "linux") == session_key(
        {"DISPLAY": ":0"}, "linux"
    )


def test_windows_sessions_are_told_apart(monkeypatch):
    monkeypatch.setattr(single_instance, "_windows_session_id", lambda: 1)
    one = server_name({}, "win32")
    monkeypatch.setattr(single_instance, "_windows_session_id", lambda: 2)
    assert server_name({}, "win32") != one
    monkeypatch.setattr(single_instance, "_windows_session_id", lambda: None)  # no session id: per user
    assert session_key({}, "win32") == ""


def test_the_session_id_lookup_never_raises_off_windows():
    assert single_instance._windows_session_id() is None or isinstance(
        single_instance._windows_session_id(), int
    )


def test_a_launch_on_another_display_does_not_reach_this_window(qtbot):
    tag = uuid.uuid4().hex[:8]
    here = server_name({"DISPLAY": f":{tag}-a"}, "linux")
    server = InstanceServer(here)
    assert server.listen()
    try:
        assert hand_over("/tmp/x.spie", name=server_name({"DISPLAY": f":{tag}-b"}, "linux")) is False
    finally:
        server.close()
