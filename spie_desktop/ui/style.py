"""Shared look of the form: spacing, colours derived from the palette, relative font sizes, icons.

Colours come from the current palette (light or dark system theme) and are only ever a second
signal: every state is also said by an icon and words. Font sizes are relative to the
application font, so the system's size setting and high-DPI scaling are followed.
"""

from __future__ import annotations

import re
from enum import StrEnum

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

#: Vertical gaps (in pixels before high-DPI scaling, which Qt applies itself).
FIELD_SPACING = 22  # between two fields of a form
LABEL_SPACING = 4  # between a field's label, help, input and messages
SECTION_MARGIN = 28  # around the form
CARD_PADDING = 12
FORM_MAX_WIDTH = 880  # a comfortable line length for help texts and answers


class Tone(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    OK = "ok"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _blend(a: QColor, b: QColor, share_a: float) -> QColor:
    return QColor(
        round(a.red() * share_a + b.red() * (1 - share_a)),
        round(a.green() * share_a + b.green() * (1 - share_a)),
        round(a.blue() * share_a + b.blue() * (1 - share_a)),
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: QColor, background: QColor) -> QColor:
    """The opaque colour a translucent ``colour`` shows on ``background``."""
    return _blend(colour, background, colour.alphaF())


def _toward(colour: QColor, target: QColor, minimum: float, against: QColor) -> QColor:
    """``colour`` moved step by step toward ``target`` until it reaches ``minimum`` against ``against``."""
    for step in range(21):
        candidate = _blend(target, colour, step / 20)
        if contrast_ratio(candidate, against) >= minimum:
            return candidate
    return target


def accessible_palette(palette: QPalette, minimum: float = 4.5) -> QPalette:
    """The system palette with every text pair the application shows at ``minimum`` contrast or more.

    RGAA / WCAG 2.1 AA ask 4.5:1 for text: the selection (white on the theme's blue, 3.7:1 with
    Fusion), placeholders and disabled-looking hints are darkened (or lightened on a dark theme)
    only as far as needed, so the system theme keeps its character. The single source of these
    colours: widgets take them from the palette, style sheets from ``muted_color``/``tone_color``.
    """
    pal = QPalette(palette)
    role = QPalette.ColorRole
    dark = is_dark(pal)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text, base = pal.color(group, role.HighlightedText), pal.color(group, role.Highlight)
        if contrast_ratio(text, base) < minimum:
            pal.setColor(
                group,
                role.Highlight,
                _toward(base, QColor("#000000" if text.lightness() > 128 else "#ffffff"), minimum, text),
            )
        for fg, bg in (
            (role.PlaceholderText, role.Base),
            (role.Link, role.Base),
            (role.ToolTipText, role.ToolTipBase),
        ):
            back = pal.color(group, bg)
            colour = over(pal.color(group, fg), back)  # Fusion's placeholder is black at half opacity
            if contrast_ratio(colour, back) < minimum:
                pal.setColor(
                    group, fg, _toward(colour, QColor("#ffffff" if dark else "#000000"), minimum, back)
                )
    return pal


#: Thickness of the keyboard focus ring, in pixels before high-DPI scaling (WCAG 2.2: 2 px or more).
FOCUS_WIDTH = 2
#: What the focus ring must reach against every colour it is drawn on or next to (WCAG 1.4.11).
FOCUS_MINIMUM = 3.0


def focus_surroundings(palette: QPalette) -> list[QColor]:
    """The colours a focus ring sits on: window, input and button faces, alternate rows, the
    unfocused frame (``mid``)."""
    role = QPalette.ColorRole
    return [palette.color(r) for r in (role.Window, role.Base, role.Button, role.AlternateBase, role.Mid)]


def focus_color(palette: QPalette) -> QColor:
    """The keyboard focus ring: the theme's selection colour, darkened (or lightened on a dark
    theme) until it stands at ``FOCUS_MINIMUM`` or more against everything around it."""
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    target = QColor("#ffffff" if is_dark(palette) else "#000000")
    for step in range(21):
        candidate = _blend(target, colour, step / 20)
        if all(contrast_ratio(candidate, c) >= FOCUS_MINIMUM for c in focus_surroundings(palette)):
            return candidate
    return target


def calendar_colors(palette: QPalette) -> tuple[QColor, QColor]:
    """(weekend days, days of the next or previous month) of the date picker, at 4.5:1 on the input
    background: Qt's default pure red is 4.0:1 and its greyed days 1.9:1."""
    base = palette.color(QPalette.ColorRole.Base)
    weekend = _toward(
        tone_color(palette, Tone.ERROR), QColor("#ffffff" if is_dark(palette) else "#000000"), 4.5, base
    )
    outside = _toward(muted_color(palette), palette.color(QPalette.ColorRole.Text), 4.5, base)
    return weekend, outside


def muted_color(palette: QPalette) -> QColor:
    """Help-text colour: softer than the text but still well above 4.5:1 contrast."""
    return _blend(
        palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.72
    )


def tone_color(palette: QPalette, tone: Tone) -> QColor:
    dark = is_dark(palette)
    if tone is Tone.ERROR:
        return QColor("#ff8a80" if dark else "#a4161a")
    if tone is Tone.WARNING:
        return QColor("#ffcc80" if dark else "#7a4a00")
    if tone is Tone.OK:
        return QColor("#a5d6a7" if dark else "#1b5e20")
    return muted_color(palette)


def tone_icon(tone: Tone) -> QIcon:
    style = QApplication.style()
    # QStyle's enums through the style object: a module-level ``import QStyle`` would build its
    # Python class (16 ms of enums) at start-up, before the first paint needs it
    pixmaps = style.StandardPixmap
    pixmap = {
        Tone.ERROR: pixmaps.SP_MessageBoxCritical,
        Tone.WARNING: pixmaps.SP_MessageBoxWarning,
        Tone.OK: pixmaps.SP_DialogApplyButton,
        Tone.INFO: pixmaps.SP_MessageBoxInformation,
    }[tone]
    return style.standardIcon(pixmap)


def icon_size(widget: QWidget) -> QSize:
    """An icon as tall as a line of the widget's text, so it scales with the font."""
    h = widget.fontMetrics().height()
    return QSize(h, h)


def scaled_font(base: QFont, factor: float = 1.0, *, bold: bool = False) -> QFont:
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    elif base.pixelSize() > 0:
        font.setPixelSize(round(base.pixelSize() * factor))
    if bold:
        font.setBold(True)
    return font


def set_text_color(widget: QWidget, color: QColor) -> None:
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.WindowText, color)
    pal.setColor(QPalette.ColorRole.Text, color)
    widget.setPalette(pal)


def make_muted(label: QLabel) -> None:
    set_text_color(label, muted_color(label.palette()))


def fr(text: str) -> str:
    """French guillemets never part from their words at a line break."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


#: Style sheet of the form's frames. Only borders and backgrounds: fonts and text colours stay
#: with the palette so the system theme and size apply.
FORM_QSS = """
QPushButton#linkButton {
    border: 1px solid transparent;
    background: transparent;
    color: palette(link);
    text-decoration: underline;
    padding: 2px 4px;
}
QPushButton#linkButton:focus {
    border: 1px dotted palette(highlight);
}
QPushButton#linkButton:disabled {
    color: palette(mid);
}
QToolButton#rowToggle {
    border: none;
    background: transparent;
    padding: 2px 4px;
}
QToolButton#rowToggle:focus {
    border: 1px dotted palette(highlight);
}
QFrame#explication {
    border: 1px solid palette(mid);
    border-left: 4px solid palette(highlight);
    border-radius: 4px;
    background: palette(alternate-base);
}
QFrame#dropZone {
    border: 2px dashed palette(mid);
    border-radius: 6px;
    background: palette(alternate-base);
}
QFrame#dropZone[dragging="true"] {
    border: 2px solid palette(highlight);
}
QFrame#undoBar, QFrame#sectionProblems, QFrame#budgetTotals {
    border: 1px solid palette(mid);
    border-radius: 4px;
    background: palette(alternate-base);
}
QFrame#attachmentRow {
    border: 1px solid palette(midlight);
    border-radius: 4px;
    background: palette(base);
}
"""


def _rules_by_name(qss: str) -> dict[str, str]:
    """FORM_QSS's rules grouped by the object names their selectors name (``#rowCard`` …)."""
    out: dict[str, list[str]] = {}
    for block in qss.split("}"):
        if "{" not in block:
            continue
        selectors = block.split("{", 1)[0]
        names = set(re.findall(r"#(\w+)", selectors))
        for name in names:
            out.setdefault(name, []).append(block.strip() + "\n}\n")
    return {name: "".join(rules) for name, rules in out.items()}


_FORM_RULES = _rules_by_name(FORM_QSS)


def form_look(widget: QWidget, name: str) -> None:
    """Name ``widget`` and give it FORM_QSS's rules for that name, on itself only.

    A style sheet on the whole page made Qt polish every widget of a form with the style-sheet
    engine (a third of a first visit, issue 14); scoped this way only these frames, buttons and
    what they hold are, and the rest of the form keeps the plain, faster system style."""
    widget.setObjectName(name)
    widget.setStyleSheet(_FORM_RULES[name])
