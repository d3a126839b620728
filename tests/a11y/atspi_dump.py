"""Dump what a screen reader gets from an application: its AT-SPI tree, as JSON on standard output.

Runs with the system Python, whose ``pyatspi`` (Debian's python3-pyatspi) talks to the accessibility
bus:  /usr/bin/python3 atspi_dump.py PID [--timeout S]
Each node: role, name, description, states, extents (screen pixels), the text of a Text interface,
the current value of a Value interface, and its children.
"""

import json
import sys
import time

import pyatspi

MAX_CHILDREN = 2000
MAX_TEXT = 4000


def find_app(pid, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # noqa: BLE001 - an application that went away meanwhile
                continue
        time.sleep(0.3)
    return None


def node(obj, depth=0):
    states = obj.getState()
    out = {
        "role": obj.getRoleName(),
        "name": obj.name or "",
        "description": obj.description or "",
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
    }
    try:
        ext = obj.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        out["extents"] = [ext.x, ext.y, ext.width, ext.height]
    except NotImplementedError:
        pass
    try:
        text = obj.queryText()
        out["text"] = text.getText(0, min(text.characterCount, MAX_TEXT))
    except NotImplementedError:
        pass
    try:
        out["value"] = obj.queryValue().currentValue
    except NotImplementedError:
        pass
    children = []
    if depth < 60:
        for i in range(min(obj.childCount, MAX_CHILDREN)):
            child = obj.getChildAtIndex(i)
            if child is not None:
                children.append(node(child, depth + 1))
    out["children"] = children
    return out


def main():
    pid = int(sys.argv[1])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--timeout" else 20.0
    app = find_app(pid, timeout)
    if app is None:
        print(json.dumps({"error": "application not on the accessibility bus"}))
        return 1
    print(json.dumps(node(app), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
