"""Rebuild resources/data/{departements,regions,epcis,communes,pays}.json from their sources.

The platform's lists (``lib/data/api_geo/`` of demarches-simplifiees/demarches-simplifiees.fr,
themselves fetched from geo.api.gouv.fr by its ``lib/tasks/api_geo_data.rake``) are what it
validates prefill values against, so the widgets offer exactly those. Countries come from the
Debian ``iso-codes`` package (ISO 3166-1 codes with their French names).

    python tools/build_platform_data.py /path/to/demarches-simplifiees.fr.git [iso-codes-dir]

Writes compact JSON; never run by the tests.
"""

from __future__ import annotations

import gettext
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "data"
#: APIGeoService.countries drops these (French overseas départements, not countries).
EXCLUDED_COUNTRY_CODES = {"GP", "MQ", "GF", "RE", "YT"}
#: APIGeoService.communes_by_postal_code drops the whole-city codes of Paris, Marseille, Lyon.
EXCLUDED_COMMUNES = {"75056", "13055", "69123"}


def _git_json(git_dir: str, path: str) -> object:
    out = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"HEAD:{path}"], check=True, capture_output=True
    )
    return json.loads(out.stdout)


def _write(name: str, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (OUT / name).write_text(text + "\n", encoding="utf-8")


def main(git_dir: str, iso_dir: str = "/usr/share/iso-codes/json") -> None:
    base = "lib/data/api_geo"
    deps = _git_json(git_dir, f"{base}/departements.json")
    assert isinstance(deps, list)
    departements = [{"code": d["code"], "nom": d["name"], "region": d.get("region_code")} for d in deps]
    departements.append({"code": "99", "nom": "Etranger", "region": None})  # APIGeoService.departements
    departements.sort(key=lambda d: d["code"])
    _write("departements.json", departements)
    regions = _git_json(git_dir, f"{base}/regions.json")
    assert isinstance(regions, list)
    _write(
        "regions.json",
        sorted(({"code": r["code"], "nom": r["name"]} for r in regions), key=lambda r: r["code"]),
    )
    epcis: dict[str, list[list[str]]] = {}
    communes: list[list[str]] = []
    for d in departements:
        code = d["code"]
        if code == "99":
            continue
        rows = _git_json(git_dir, f"{base}/epcis-{code}.json")
        assert isinstance(rows, list)
        epcis[code] = [[e["code"], e["name"]] for e in rows]
        towns = _git_json(git_dir, f"{base}/communes-{code}.json")
        assert isinstance(towns, list)
        communes += [
            [c["code"], c["name"], c.get("postal_code") or "", code]
            for c in towns
            if c["code"] not in EXCLUDED_COMMUNES
        ]
    _write("epcis.json", epcis)
    _write("communes.json", communes)
    iso = json.loads(Path(iso_dir, "iso_3166-1.json").read_text(encoding="utf-8"))["3166-1"]
    fr = gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=["fr"], fallback=True)
    pays = [
        {"code": c["alpha_2"], "nom": fr.gettext(c["name"])}
        for c in iso
        if c["alpha_2"] not in EXCLUDED_COUNTRY_CODES
    ]
    _write("pays.json", sorted(pays, key=lambda p: p["code"]))


if __name__ == "__main__":
    main(*sys.argv[1:])
