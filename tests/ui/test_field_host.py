"""The controller is the fields' typed host (ui/field_host.py) and the window's one way into the dossier."""

from __future__ import annotations

from spie_desktop.models import DossierFile
from spie_desktop.ui.controller import DossierController
from spie_desktop.ui.field_host import CommentsFeature, FieldHost


def members(protocol: type) -> set[str]:
    """A protocol's attributes (annotated) and methods / properties (defined)."""
    defined = {
        n
        for n, v in vars(protocol).items()
        if not n.startswith("_") and (callable(v) or isinstance(v, property))
    }
    return defined | set(protocol.__annotations__)


def test_the_controller_has_every_member_of_the_field_host(qtbot, tmp_path, template_2021):
    dossier = DossierFile.create(tmp_path / "d.spie", template_2021, "Essai")
    c = DossierController(dossier)
    try:
        for name in sorted(members(FieldHost)):
            assert hasattr(c, name), name
        for name in sorted(members(CommentsFeature)):
            assert callable(getattr(c.review, name)), name
    finally:
        c.close()


def test_touched_fields_live_in_the_controller(qtbot, tmp_path, template_2021):
    from spie_desktop.ui.fields.attention import mark_touched, reveal_all, shows_problems

    dossier = DossierFile.create(tmp_path / "d.spie", template_2021, "Essai")
    c = DossierController(dossier)
    try:
        assert not shows_problems(c, "porteur_nom")  # empty and never left
        mark_touched(c, "porteur_nom")
        assert c.attention.touched == {"porteur_nom"} and shows_problems(c, "porteur_nom")
        assert not shows_problems(c, "porteur_adresse")
        reveal_all(c)
        assert c.attention.revealed and shows_problems(c, "porteur_adresse")
    finally:
        c.close()


def test_an_entrusted_section_goes_through_the_controller_and_its_signals(qtbot, tmp_path, template_2021):
    dossier = DossierFile.create(tmp_path / "d.spie", template_2021, "Essai")
    c = DossierController(dossier)
    section = template_2021.sections[2].id
    try:
        with qtbot.waitSignal(c.reportChanged, timeout=2000):
            c.entrust_section(section, "Mission locale")
        assert c.entrusted() == {section: "Mission locale"}
        assert c.undo() is not None and c.entrusted() == {}  # one undo step
    finally:
        c.close()
