"""Helpers of the collaboration tests: a clock the tests control, three partners on their own
copies, and what people see of a dossier (imported by name: conftest modules share one name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from spie_desktop.collab import make_partner_copy
from spie_desktop.models import DossierFile, open_dossier

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """Every reading is one second after the previous one: changes never share a timestamp."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> str:
        self.now += timedelta(seconds=1)
        return self.now.isoformat(timespec="milliseconds")

    def jump(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


PEOPLE = {
    "cd": ("Claire Martin", "Conseil départemental"),
    "ml": ("Karim Benali", "Mission locale du Val"),
    "asso": ("Sophie Roux", "Association Tremplin"),
}


class Consortium:
    """The coordinator's dossier and one copy per partner, opened under each person's name."""

    def __init__(self, tmp_path, template, cd_at=None) -> None:
        self.dir = tmp_path
        name, org = PEOPLE["cd"]
        # the coordinator's dossier: a file, or a dossier on a PostgreSQL server (its address)
        self.files = {"cd": cd_at or tmp_path / "cd.spie"}
        cd = DossierFile.create(
            self.files["cd"], template, "Candidature SPIE du Val", author=name, organisation=org
        )
        cd.set_value("porteur_nom", "Département du Val")
        cd.add_row(
            "consortium", {"structure": "Département du Val", "type_structure": "Conseil départemental"}
        )
        self.base_row = cd.row_ids("consortium")[0]
        cd.add_row("jalons", {"libelle": "Lancement"})
        make_partner_copy(
            cd, tmp_path / "ml.spie", for_partner="Mission locale du Val", sections=["public_cible"]
        )
        make_partner_copy(cd, tmp_path / "asso.spie", for_partner="Association Tremplin", sections=["projet"])
        cd.close()
        self.files["ml"] = tmp_path / "ml.spie"
        self.files["asso"] = tmp_path / "asso.spie"

    def open(self, who: str):
        name, org = PEOPLE[who]
        return open_dossier(self.files[who], author=name, organisation=org)

    def copy_of(self, who: str, name: str):
        """A frozen copy of someone's file as it is now (what they would send by e-mail)."""
        with self.open(who) as df:
            return df.save_copy(self.dir / name, new_replica=False)


def state(df) -> dict:
    """What people see: answers with rows in order, title, attachments, comments, entrusted sections."""
    return {
        "title": df.title,
        "answers": {k: v for k, v in df.answers().items() if v != []},  # no rows = no answer
        # attachments are united by field and content: the same file twice at a field counts once
        "attachments": sorted({(a.path, a.sha256) for a in df.attachments()}),
        "comments": sorted((c.id, c.text, c.resolved) for c in df.comments()),
        "entrusted": df.entrusted(),
    }
