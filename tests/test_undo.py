"""Annuler / Rétablir without Qt: grouping of typing, inversion into recorded edits, merges, refusals."""

from __future__ import annotations

import pytest

from spie_desktop.forms import parse_template
from spie_desktop.models import DossierFile
from spie_desktop.undo import GROUP_SPAN_S, PAUSE_S, Step, UndoHistory, ValueChange, undo_label
from spie_desktop.undo_edits import UndoRefused
from spie_desktop.undo_session import UndoSession

TEMPLATE = {
    "format": "spie-template",
    "format_version": 1,
    "id": "t-undo",
    "version": "1",
    "title": "Essai",
    "description": "",
    "deadline": None,
    "platform": {},
    "parameters": {},
    "sections": [
        {
            "id": "s",
            "title": "Section",
            "description": "",
            "fields": [
                {"id": "nom", "type": "text", "label": "Nom"},
                {"id": "perimetre", "type": "textarea", "label": "Périmètre du projet"},
                {"id": "accord", "type": "yes_no", "label": "Accord ?"},
                {"id": "piece", "type": "piece_justificative", "label": "Pièce"},
                {
                    "id": "membres",
                    "type": "repetition",
                    "label": "Membres",
                    "children": [
                        {"id": "structure", "type": "text", "label": "Structure"},
                        {"id": "annexe", "type": "piece_justificative", "label": "Annexe"},
                    ],
                },
            ],
        }
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def dossier(tmp_path):
    d = DossierFile.create(tmp_path / "u.spie", parse_template(TEMPLATE), "Essai", author="Camille")
    yield d
    d.close()


def type_text(
    session: UndoSession, d: DossierFile, clock: Clock, path: str, text: str, dt: float = 0.1
) -> None:
    """Keystrokes as the controller sees them: the value so far, then the edit written."""
    for i in range(1, len(text) + 1):
        before = d.get(path)
        clock.now += dt
        d.set_value(path, text[:i])
        session.recorded_value(path, before, text[:i], typing=True)


def test_a_burst_of_typing_is_one_step_and_a_pause_or_another_field_breaks_it(dossier):
    clock = Clock()
    s = UndoSession(dossier, clock)
    type_text(s, dossier, clock, "perimetre", "Trois EPCI")
    assert len(s.history.undo_stack) == 1
    assert undo_label(s.history.next_undo()) == "Annuler la saisie de « Périmètre du projet »"
    clock.now += PAUSE_S + 0.1  # a pause
    before = dossier.get("perimetre")
    dossier.set_value("perimetre", before + "!")
    s.recorded_value("perimetre", before, before + "!", typing=True)
    assert len(s.history.undo_stack) == 2
    type_text(s, dossier, clock, "nom", "Ma")
    assert len(s.history.undo_stack) == 3
    s.history.close_group()  # the user left the field and came back
    type_text(s, dossier, clock, "nom", "Mar")
    assert len(s.history.undo_stack) == 4
    s.undo()
    assert dossier.get("nom") == "Ma"


def test_long_typing_breaks_at_a_word_boundary_after_a_while():
    h = UndoHistory(Clock())
    clock = h.clock
    text = ""
    for ch in "un deux trois quatre cinq six sept huit":
        clock.now += 0.3
        h.record_value("perimetre", text, text + ch, "la saisie", typing=True)
        text += ch
    # about 12 s of typing: a break at the first word after each 5 s
    assert 2 <= len(h.undo_stack) <= 3
    assert all(isinstance(s.changes[0], ValueChange) for s in h.undo_stack)
    first = h.undo_stack[0].changes[0]
    assert first.before == "" and first.after.endswith(" ") and len(first.after) < len(text)
    assert 0.3 * len(first.after) + 0.6 > GROUP_SPAN_S


def test_undo_and_redo_are_recorded_edits_in_the_change_log(dossier):
    clock = Clock()
    s = UndoSession(dossier, clock)
    type_text(s, dossier, clock, "nom", "Alpha")
    dossier.set_value("accord", True)
    s.recorded_value("accord", None, True, typing=False)
    rid = dossier.add_row("membres", {"structure": "CAF"})
    s.recorded_row_added("membres", rid)
    removed = dossier.remove_row("membres", rid)
    s.recorded_row_removed(removed)
    n = dossier.change_count
    s.undo()  # the removal
    assert dossier.row_ids("membres") == [rid] and dossier.get(f"membres[{rid}].structure") == "CAF"
    s.undo()  # the addition
    assert dossier.row_ids("membres") == []
    s.undo()  # the yes/no
    s.undo()  # the typing, in one go
    assert dossier.get("nom") is None and dossier.get("accord") is None
    log = dossier.changes()[n:]
    assert [(c.op, c.path) for c in log] == [
        ("row_add", f"membres[{rid}]"),
        ("row_remove", f"membres[{rid}]"),
        ("set", "accord"),
        ("set", "nom"),
    ]
    assert log[-1].old == "Alpha" and log[-1].new is None and log[-1].author == "Camille"
    assert s.undo() is None
    s.redo()
    s.redo()
    assert dossier.get("nom") == "Alpha" and dossier.get("accord") is True
    s.redo()
    s.redo()
    assert dossier.row_ids("membres") == []
    assert [c.op for c in dossier.changes()[-4:]] == ["set", "set", "row_add", "row_remove"]


def test_a_row_removed_with_its_file_comes_back_with_it_and_goes_again(dossier):
    s = UndoSession(dossier)
    rid = dossier.add_row("membres", {"structure": "Mission locale"})
    dossier.add_attachment(f"membres[{rid}].annexe", b"%PDF-1.4 convention", name="convention.pdf")
    s.recorded_row_removed(dossier.remove_row("membres", rid))
    s.undo()
    files = dossier.attachments(f"membres[{rid}].annexe")
    assert [f.name for f in files] == ["convention.pdf"]
    assert dossier.attachment_data(files[0].id) == b"%PDF-1.4 convention"
    s.redo()
    assert dossier.row_ids("membres") == [] and dossier.attachments() == []
    s.undo()
    assert dossier.attachment_data(dossier.attachments()[0].id) == b"%PDF-1.4 convention"


def test_a_duplicated_row_goes_and_comes_back_with_its_values(dossier):
    s = UndoSession(dossier)
    r1 = dossier.add_row("membres", {"structure": "CAF"})
    r2 = dossier.duplicate_row("membres", r1)
    s.recorded_row_added("membres", r2, duplicate=True)
    assert undo_label(s.history.next_undo()) == "Annuler la duplication d'une ligne de « Membres »"
    s.undo()
    assert dossier.row_ids("membres") == [r1]
    s.redo()
    assert dossier.row_ids("membres") == [r1, r2] and dossier.get(f"membres[{r2}].structure") == "CAF"


def test_files_title_and_moves(dossier):
    s = UndoSession(dossier)
    info = dossier.add_attachment("piece", b"abc", name="a.txt")
    s.recorded_file_added(info)
    s.recorded_file_removed(info, dossier.attachment_data(info.id))
    dossier.remove_attachment(info.id)
    dossier.set_title("Nouveau titre")
    s.recorded_title("Essai", "Nouveau titre")
    r1, r2 = dossier.add_row("membres"), dossier.add_row("membres")
    before = dossier.row_ids("membres")
    dossier.move_row("membres", r2, 0)
    s.recorded_move("membres", before)
    s.undo()
    assert dossier.row_ids("membres") == [r1, r2]
    s.undo()
    assert dossier.title == "Essai"
    s.undo()
    assert [a.name for a in dossier.attachments("piece")] == ["a.txt"]
    s.undo()
    assert dossier.attachments("piece") == []
    s.redo()
    assert dossier.attachment_data(dossier.attachments("piece")[0].id) == b"abc"


def test_an_undo_refuses_to_overwrite_what_changed_since_and_writes_nothing(dossier):
    s = UndoSession(dossier)
    dossier.set_value("nom", "Alpha")
    s.recorded_value("nom", None, "Alpha", typing=False)
    dossier.set_value("nom", "Beta")  # a restore or a merge, outside the undo history
    n = dossier.change_count
    with pytest.raises(UndoRefused, match="« Nom » a changé depuis"):
        s.undo()
    assert dossier.get("nom") == "Beta" and dossier.change_count == n
    assert s.history.can_undo  # the step stays: nothing was lost


def test_a_batch_is_one_step_and_undoing_it_only_reverts_what_it_changed(dossier):
    s = UndoSession(dossier)
    dossier.set_value("nom", "Avant")
    s.begin_batch("Remplacer « a » par « b »")
    s.begin_batch("intérieur")  # nested: the outer label wins
    dossier.set_value("perimetre", "b b")
    r = dossier.add_row("membres", {"structure": "b"})
    assert s.end_batch() is None
    step = s.end_batch()
    assert step is not None and undo_label(step) == "Annuler : Remplacer « a » par « b »"
    dossier.set_value("accord", True)  # not part of the step, not undone by it
    s.undo()
    assert dossier.get("perimetre") is None and dossier.row_ids("membres") == []
    assert dossier.get("nom") == "Avant" and dossier.get("accord") is True
    s.redo()
    assert dossier.get(f"membres[{r}].structure") == "b" and dossier.get("perimetre") == "b b"


def test_undo_label_forms():
    assert undo_label(None) == "Annuler" and undo_label(None, "Rétablir") == "Rétablir"
    assert (
        undo_label(Step("l'ajout d'une ligne à « Membres »", ()))
        == "Annuler l'ajout d'une ligne à « Membres »"
    )


def test_partner_merges_see_an_undo_as_an_ordinary_edit_and_converge(dossier, tmp_path):
    from spie_desktop.collab.merge import merge
    from spie_desktop.models import open_dossier

    s = UndoSession(dossier)
    dossier.set_value("nom", "Alpha")
    s.recorded_value("nom", None, "Alpha", typing=False)
    copy = dossier.save_copy(tmp_path / "partenaire.spie")  # the partner has « Alpha »
    with open_dossier(copy, author="Partenaire") as theirs:
        theirs.set_value("perimetre", "Leur texte")
    s.begin_batch("l'intégration de « partenaire.spie »", keep_files=True)
    merge(dossier, copy)
    s.end_batch()
    s.undo()  # the merge: their text goes, my own answer stays
    assert dossier.get("perimetre") is None and dossier.get("nom") == "Alpha"
    s.redo()
    s.undo()
    s.undo()  # my answer
    assert dossier.get("nom") is None
    with open_dossier(copy, author="Partenaire") as theirs:  # they bring in my copy: my undos reach them
        merge(theirs, dossier.path)
        assert theirs.get("nom") is None and theirs.get("perimetre") is None


def test_removed_files_kept_for_undo_are_bounded_oldest_first(dossier):
    s = UndoSession(dossier)
    s.history.file_bytes_limit = 25
    for name in ("a.txt", "b.txt", "c.txt"):
        info = dossier.add_attachment("piece", b"x" * 10, name=name)
        s.recorded_file_removed(info, dossier.attachment_data(info.id))
        dossier.remove_attachment(info.id)
    assert [st.label for st in s.history.undo_stack] == [
        "le retrait du fichier « b.txt »",
        "le retrait du fichier « c.txt »",
    ]
