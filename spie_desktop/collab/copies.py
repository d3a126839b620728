"""Send a copy to a partner: same dossier, a new replica, the sections entrusted to them named."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..models.dossier_file import DossierFile
from ..models.errors import DossierError
from ..models.opening import open_dossier


@dataclass(frozen=True)
class PartnerCopy:
    path: Path
    replica_id: str
    partner: str | None
    sections: tuple[str, ...]  # ids of the sections entrusted to that partner


def make_partner_copy(
    df: DossierFile,
    out_path: str | Path,
    for_partner: str | None = None,
    sections: tuple[str, ...] | list[str] = (),
) -> PartnerCopy:
    """Write a copy for a partner (new replica, counter 0) with the SQLite backup API.

    ``sections`` are first entrusted to ``for_partner`` in this dossier (a recorded change, so
    both copies know it); the copy then records, in its own history, whom it was made for.
    """
    out = Path(out_path)
    if out.suffix.lower() != ".spie":
        raise DossierError("La copie doit avoir l'extension .spie.")
    if out.exists() and out.resolve() == Path(df.path).resolve():
        raise DossierError("Choisissez un autre nom : la copie ne peut pas remplacer le dossier lui-même.")
    partner = (for_partner or "").strip() or None
    if sections and not partner:
        raise DossierError("Pour confier des sections, indiquez le partenaire à qui la copie est destinée.")
    for sid in sections:
        try:
            df.template.section(sid)
        except KeyError:
            known = ", ".join(s.id for s in df.template.sections)
            raise DossierError(
                f"La section « {sid} » n'existe pas dans ce formulaire (sections : {known})."
            ) from None
    with df.batch():
        for sid in sections:
            df.entrust_section(sid, partner)
    df.save_copy(out, new_replica=True)
    entrusted = tuple(s for s, p in df.entrusted().items() if partner and p == partner)
    with open_dossier(out, author=df.author, organisation=df.organisation) as copy:
        copy.record_change(
            "copy",
            "",
            None,
            {"for": partner, "from_replica": df.info.replica_id, "sections": list(entrusted)},
        )
        replica = copy.info.replica_id
    return PartnerCopy(out, replica, partner, entrusted)
