"""Dossiers at 1×, 10× and 100× the example's repetition rows (50 / 500 / 5 000 rows), built
through the public interchange import, as a user importing a big consortium's file would.

    python benchmarks/scaled.py 100 out.spie      # writes one dossier and prints its row count

Row ``k`` of copy ``c`` is the example's row ``k`` with its texts marked « (c) », so the dossier
reads like a real one (no two rows equal) and its amounts, dates and choices stay valid. The
example's attachments stay on the example's rows (files are not what this measures).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

FACTORS = (1, 10, 100)


def example_document() -> dict[str, Any]:
    from spie_desktop.interchange import example_document_path, load_document

    return load_document(example_document_path())


def repetition_ids(doc: dict[str, Any]) -> list[str]:
    return [k for k, v in doc["answers"].items() if isinstance(v, list) and v and isinstance(v[0], dict)]


def scaled_document(factor: int, doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """The example document with every repetition's rows repeated ``factor`` times."""
    doc = copy.deepcopy(doc or example_document())
    for rep in repetition_ids(doc):
        rows = doc["answers"][rep]
        out = list(rows)
        for c in range(1, factor):
            for row in rows:
                new = {
                    k: (f"{v} ({c + 1})" if isinstance(v, str) and k not in _KEEP and " " in v else v)
                    for k, v in row.items()
                    if k != "_id"
                }
                out.append(new)
        doc["answers"][rep] = out
    doc["dossier"] = {**doc["dossier"], "id": f"{doc['dossier']['id'][:-4]}{factor:04d}"}
    return doc


# children whose text is a choice, a date, an amount or an address: kept as they are so they stay valid
_KEEP = {
    "type_structure",
    "role",
    "axe",
    "categorie",
    "annee",
    "nature",
    "statut",
    "date",
    "date_debut",
    "date_fin",
    "montant",
    "contact_email",
    "contact_telephone",
    "epci",
    "unite",
    "valeur_reference",
    "cible_2022",
    "cible_2023",
}


def row_count(doc: dict[str, Any]) -> int:
    return sum(len(doc["answers"][rep]) for rep in repetition_ids(doc))


def write_scaled(factor: int, out: Path) -> Path:
    from spie_desktop.interchange import import_document

    return import_document(scaled_document(factor), out, author="Banc d'essai")


def main() -> int:
    factor, out = int(sys.argv[1]), Path(sys.argv[2])
    write_scaled(factor, out)
    print(json.dumps({"factor": factor, "rows": row_count(scaled_document(factor)), "path": str(out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
