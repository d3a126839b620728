"""Issue 14: a section's first screenful of fields is built before it shows, the others just after
its first paint, a slice at a time; whatever comes before that (a jump to a field below, a Tab walk,
a report) finds every field, in form order, with its problems and its visibility."""

from __future__ import annotations

from test_window import make_dossier, settings, window  # noqa: F401 - the shared window fixtures

from spie_desktop.ui.fields.attention import reveal_all


def _longest(window) -> str:  # noqa: F811
    sections = window.controller.template.sections
    return max(sections, key=lambda s: len(s.fields)).id


def test_the_first_screenful_shows_first_and_the_rest_follows(window, qtbot, tmp_path, monkeypatch):  # noqa: F811
    from spie_desktop.ui import section_form

    monkeypatch.setattr(section_form, "UNPAINTED_BUILD_MS", 600_000)  # the paint itself starts the rest
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    sid = _longest(window)
    window.show_section(sid)
    form = window.current_form()
    section = window.controller.template.section(sid)
    assert 0 < len(form._fields) < len(section.fields)  # only what the first screen holds
    shown = list(form._fields.values())
    assert all(w.isVisible() for w in shown if w.spec.visible_if is None)
    qtbot.waitUntil(lambda: form.fully_built, timeout=10_000)  # once painted, the rest in slices
    assert list(form._fields) == [f.id for f in section.fields]  # in form order
    layout_order = [form.column.itemAt(i).widget() for i in range(form.column.count())]
    fields = [w for w in layout_order if w in form._fields.values()]
    assert fields == list(form._fields.values())


def test_a_jump_to_a_field_not_built_yet_builds_and_focuses_it(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    sid = _longest(window)
    section = window.controller.template.section(sid)
    window.show_section(sid)
    form = window.current_form()
    last = next(f.id for f in reversed(section.fields) if f.type.holds_answer and f.visible_if is None)
    assert last not in form._fields
    assert form.focus_path(last)  # as the check panel or « Rechercher » would
    assert form.fully_built
    qtbot.waitUntil(
        lambda: form.widget_for(last).hasFocus() or form.widget_for(last).isAncestorOf(window.focusWidget())
    )


def test_fields_built_after_a_report_show_its_problems(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    sid = _longest(window)
    reveal_all(window.controller)
    window.controller.recheck()
    window.show_section(sid)
    form = window.current_form()
    report = window.controller.last_report
    assert report is not None
    unbuilt = [f.id for f in window.controller.template.section(sid).fields if f.id not in form._fields]
    wanted = {p.path for p in report.problems if p.path in unbuilt}
    assert wanted, "the empty dossier has required questions below the first screen"
    qtbot.waitUntil(lambda: form.fully_built, timeout=10_000)
    assert {fid for fid in unbuilt if form._fields[fid].problems} == wanted


def test_a_shown_dossier_is_kept_out_of_full_collections_until_it_closes(window, tmp_path):  # noqa: F811
    """Python's full collections no longer walk the open dossier's objects (they paused a first
    visit); closing gives them back, so what the dossier left in cycles is freed."""
    import gc

    gc.unfreeze()
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    assert gc.get_freeze_count() > 1000
    window.show_section(_longest(window))
    assert gc.get_freeze_count() > 1000
    assert window.close_dossier()
    assert gc.get_freeze_count() == 0


def test_a_field_its_condition_hides_is_built_later_in_its_place(window, qtbot, tmp_path, monkeypatch):  # noqa: F811
    """The example's first section: its attachment shows only for « Autre acteur… ». It takes no room
    on the first screen, so it is built after the paint, or at once when the answer shows it; either
    way between the fields around it, in form order for Tab and the reports."""
    from spie_desktop.ui import section_form

    monkeypatch.setattr(section_form, "UNPAINTED_BUILD_MS", 600_000)
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    section = window.controller.template.section("recevabilite")
    ids = [f.id for f in section.fields]
    hidden = ids.index("accord_cd")
    assert section.fields[hidden].visible_if is not None and hidden < len(ids) - 1
    form = section_form.SectionForm(window.controller, section)  # no window: no screen to fill
    qtbot.addWidget(form)
    assert list(form._fields) == ids[:hidden] + ids[hidden + 1 :]  # every field but the hidden one
    assert not form.fully_built

    condition = section.fields[hidden].visible_if
    window.controller.set_value(condition.field, condition.equals, immediate=True)  # shows it
    assert form.fully_built
    assert list(form._fields) == ids  # in form order
    column = [form.column.itemAt(i).widget() for i in range(form.column.count())]
    assert [w for w in column if w in form._fields.values()] == list(form._fields.values())
    assert not form._fields["accord_cd"].isHidden()
    assert form.tab_stops().index(next(iter(form._fields["accord_cd"].tab_chain()))) > 0


def test_a_hidden_field_built_after_the_paint_stays_hidden(window, qtbot, tmp_path, monkeypatch):  # noqa: F811
    """Built into a page already shown, a widget is shown by its layout unless it was told otherwise:
    the attachment « Autre acteur… » asks for must stay hidden when the answer is another."""
    from spie_desktop.ui import section_form

    monkeypatch.setattr(section_form, "UNPAINTED_BUILD_MS", 600_000)
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    window.show()
    window.show_section("recevabilite")
    form = window.current_form()
    assert "accord_cd" not in form._fields
    qtbot.waitUntil(lambda: form.fully_built, timeout=10_000)  # after the paint, in a slice
    qtbot.wait(50)  # the layout's queued show, if any, has run
    assert form._fields["accord_cd"].isHidden()
    assert not form.is_shown("accord_cd")
