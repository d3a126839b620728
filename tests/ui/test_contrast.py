"""RGAA / WCAG 2.1 AA: every text colour pair of the application's palette is at 4.5:1 or more."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from spie_desktop.ui.style import accessible_palette, contrast_ratio, over

ROLE = QPalette.ColorRole
PAIRS = (
    (ROLE.HighlightedText, ROLE.Highlight),
    (ROLE.PlaceholderText, ROLE.Base),
    (ROLE.Text, ROLE.Base),
    (ROLE.WindowText, ROLE.Window),
    (ROLE.Link, ROLE.Base),
    (ROLE.ToolTipText, ROLE.ToolTipBase),
)


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio(QColor("#ffffff"), QColor("#000000")), 1) == 21.0
    assert round(contrast_ratio(QColor("#ffffff"), QColor("#308cc6")), 2) == 3.69  # Fusion's selection
    assert round(contrast_ratio(QColor("#767676"), QColor("#ffffff")), 2) == 4.54


def test_the_application_palette_lifts_every_text_pair_to_4_5(qapp):
    weak = QPalette(QColor("#efefef"))
    weak.setColor(ROLE.Highlight, QColor("#308cc6"))
    weak.setColor(ROLE.HighlightedText, QColor("#ffffff"))
    weak.setColor(ROLE.PlaceholderText, QColor(0, 0, 0, 128))  # Fusion: black at half opacity = 4.0:1
    before = [contrast_ratio(over(weak.color(f), weak.color(b)), weak.color(b)) for f, b in PAIRS]
    assert min(before) < 4.5
    pal = accessible_palette(weak)
    for fg, bg in PAIRS:
        ratio = contrast_ratio(over(pal.color(fg), pal.color(bg)), pal.color(bg))
        assert ratio >= 4.5, (fg, pal.color(fg).name(), pal.color(bg).name(), ratio)
    assert pal.color(ROLE.Text) == weak.color(ROLE.Text)  # pairs already fine are left alone


def test_a_dark_palette_is_lifted_toward_light(qapp):
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(ROLE.Base, QColor("#1e1e1e"))
    dark.setColor(ROLE.PlaceholderText, QColor("#555555"))
    pal = accessible_palette(dark)
    assert contrast_ratio(pal.color(ROLE.PlaceholderText), pal.color(ROLE.Base)) >= 4.5
    assert pal.color(ROLE.PlaceholderText).lightness() > QColor("#555555").lightness()
