"""Listen to a running application's AT-SPI events and print them, one JSON line each.

Runs with the system Python (Debian's python3-pyatspi), like atspi_dump.py:
    /usr/bin/python3 atspi_listen.py PID EVENT [EVENT…]
Prints ``listening`` once registered, then ``{"type", "source_role", "source_name", "detail", "any_data"}``
for every event of that application until it is stopped (SIGTERM).
"""

import json
import signal
import sys

import pyatspi


def main():
    pid = int(sys.argv[1])
    kinds = sys.argv[2:] or ["object:announcement"]

    def on_event(event):
        try:
            if event.host_application is not None and event.host_application.get_process_id() != pid:
                return
        except Exception:  # noqa: BLE001 - an object gone meanwhile
            pass
        try:
            role, name = event.source.getRoleName(), event.source.name or ""
        except Exception:  # noqa: BLE001
            role, name = "", ""
        data = event.any_data
        print(
            json.dumps(
                {
                    "type": str(event.type),
                    "source_role": role,
                    "source_name": name,
                    "detail": [event.detail1, event.detail2],
                    "any_data": data if isinstance(data, (str, int, float, bool)) else str(data),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )

    for kind in kinds:
        pyatspi.Registry.registerEventListener(on_event, kind)
    from gi.repository import GLib

    def stop():
        pyatspi.Registry.stop()
        return False

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, stop)
    print("listening", flush=True)
    pyatspi.Registry.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
