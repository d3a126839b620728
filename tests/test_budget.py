"""The budget's live totals: the PDF's figures (repetition_totals) and the check's (its sums in the
« budget_equilibre » message), for the example and after changes."""

from __future__ import annotations

from dataclasses import replace

from spie_desktop.budget import budget_summary
from spie_desktop.checks.engine import check
from spie_desktop.exports.text import repetition_totals
from spie_desktop.interchange import create_example_copy
from spie_desktop.models import open_dossier


def _snapshot(tmp_path):
    with open_dossier(create_example_copy(tmp_path), read_only=True) as d:
        return d.snapshot()


def test_the_example_totals_are_the_pdf_ones(tmp_path):
    snap = _snapshot(tmp_path)
    s = budget_summary(snap)
    assert s is not None and s.section_id == "budget"
    spend = next(
        t for t in repetition_totals(snap, snap.template.field("depenses")) if t.child.id == "montant"
    )
    assert [(line.label, line.amount) for line in s.expenses] == [
        *((f"Dépenses {g}", a) for g, a in spend.groups),
        ("Total des dépenses", spend.overall),
    ]
    assert s.expenses[-1].amount == "600\u00a0000,00\u00a0€"
    assert s.balanced and s.balance.amount == "0,00\u00a0€"
    assert s.state_share.amount == "450\u00a0000,00\u00a0€ soit 75\u00a0%"


def test_an_unbalanced_budget_says_what_the_check_says(tmp_path):
    snap = _snapshot(tmp_path)
    rows = [dict(r) for r in snap.answers["depenses"]]
    rows[0]["montant"] = "100000"  # was 95 000
    snap = replace(snap, answers={**snap.answers, "depenses": rows})
    s = budget_summary(snap)
    assert not s.balanced
    assert s.balance.label == "Solde : dépenses non financées" and s.balance.amount == "5\u00a0000,00\u00a0€"
    report = check(snap)
    message = next(p.message for p in report.problems if p.rule_id == "budget_equilibre")
    assert (
        f"les dépenses totalisent {s.expenses[-1].amount} et les ressources {s.resources[-1].amount}"
        in message
    )
    assert "soit un écart de 5\u00a0000,00\u00a0€" in message
