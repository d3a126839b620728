"""Child process of the durability test: edits a dossier forever, printing each committed edit."""

from __future__ import annotations

import sys

from spie_desktop.models import open_dossier


def main() -> None:
    path, tag = sys.argv[1], sys.argv[2]
    df = open_dossier(path, break_stale_lock=True, author="durabilite")
    df._conn  # noqa: B018 - load the SQL layer now, so kills land in the storm of edits, not in imports
    print("pret", flush=True)
    n = 0
    while True:
        n += 1
        if n % 3 == 0:
            df.set_value("perimetre", f"{tag}-{n} " + "texte " * (n % 50))
        else:
            df.add_row("jalons", {"libelle": f"{tag}-{n}", "date": "2022-06-01"})
        print(f"ok {tag}-{n}", flush=True)


if __name__ == "__main__":
    main()
