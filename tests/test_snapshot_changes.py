"""A snapshot with unsaved edits, and what changed between two snapshots (spie_desktop/snapshot_changes.py)."""

from __future__ import annotations

from dataclasses import replace

from spie_desktop.snapshot import AttachmentInfo, DossierInfo, DossierSnapshot
from spie_desktop.snapshot_changes import changes_between, with_pending


def snap(template_2021, answers, attachments=()) -> DossierSnapshot:
    info = DossierInfo("d1", "Essai", template_2021.id, template_2021.version, "2026-01-01", "2026-01-01")
    return DossierSnapshot(template_2021, info, answers, tuple(attachments))


def test_pending_edits_are_put_in_a_copy(template_2021):
    base = snap(
        template_2021, {"nom": "A", "membres": [{"_id": "r1", "nom": "X"}, {"_id": "r2", "nom": "Y"}]}
    )
    seen = with_pending(base, {"nom": "B", "membres[r2].nom": "Z"})
    assert seen.answers == {"nom": "B", "membres": [{"_id": "r1", "nom": "X"}, {"_id": "r2", "nom": "Z"}]}
    assert base.answers["membres"][1]["nom"] == "Y"  # the snapshot itself is untouched
    assert with_pending(base, {}) is base


def test_changes_name_values_rows_and_attachments(template_2021):
    a = AttachmentInfo(1, "statuts", "statuts.pdf", "application/pdf", 10, "aa")
    before = snap(template_2021, {"nom": "A", "same": 1, "membres": [{"_id": "r1", "nom": "X"}]}, [a])
    after = snap(
        template_2021,
        {"nom": "B", "same": 1, "membres": [{"_id": "r1", "nom": "W"}, {"_id": "r2"}]},
        [replace(a, sha256="bb")],
    )
    changes = changes_between(before, after)
    assert sorted(changes) == sorted(
        [("value", "nom"), ("rows", "membres"), ("value", "membres[r1].nom"), ("attachments", "statuts")]
    )
    assert changes.index(("rows", "membres")) < changes.index(("value", "membres[r1].nom"))
    assert changes_between(before, before) == []
