"""A report shown on a visible section lays it out once: the layouts come back enabled and correct."""

from __future__ import annotations

from test_window import make_dossier, settings, window  # noqa: F401 - the shared window fixtures

from spie_desktop.ui.fields.attention import reveal_all


def test_problems_shown_on_a_visible_form_are_laid_out(window, qtbot, tmp_path):  # noqa: F811
    assert window.open_path(make_dossier(tmp_path / "d.spie"))
    form = window.current_form()
    qtbot.waitExposed(form)
    report = window.controller._report
    assert report is not None and report.problems
    reveal_all(
        window.controller
    )  # as after « Vérifier le dossier »: untouched fields show their problems too
    form.apply_report(None)  # clear, then show everything again on the visible form
    form.apply_report(report)
    assert form.column.isEnabled() and form.widget().layout().isEnabled()
    shown = [w for w in form.fields.values() if w.problems]
    assert shown, "the empty dossier has required questions"
    qtbot.waitUntil(lambda: all(w.problem_line.isVisible() and w.problem_line.height() > 0 for w in shown))
    tops = [w.problem_line.mapTo(form.widget(), w.problem_line.rect().topLeft()).y() for w in shown]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # laid out, one under the other
