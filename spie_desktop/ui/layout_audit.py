"""What a person would see as cut: widgets past the edge of their window or scroll view, a
horizontal scroll bar, a label or button narrower than its text.

Used by ``tools/render_screens.py`` (it prints what it finds) and by the UI tests that resize the
real window to 1280 × 720, 1366 × 768 and 1920 × 1080 at 100 % and 200 % text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QScrollArea,
    QWidget,
)

#: Sub-pixel rounding of layouts and frames.
TOLERANCE = 2


@dataclass(frozen=True)
class Overflow:
    """One thing cut or sticking out, named so that a failing test says which widget it is."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def describe(w: QWidget) -> str:
    name = w.objectName() or type(w).__name__
    text = ""
    if isinstance(w, (QLabel, QAbstractButton)):
        text = " ".join(w.text().split())[:50]
    elif w.accessibleName():
        text = w.accessibleName()[:50]
    return f"{name} « {text} »" if text else name


def _visible_descendants(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.isWindow() is False]


def _inside_scroll_area(w: QWidget, root: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None and p is not root:
        if isinstance(p, QAbstractScrollArea) and p.viewport().isAncestorOf(w):
            return True
        p = p.parentWidget()
    return False


def _text_cut(w: QWidget) -> str:
    """A label or button shown narrower than its text needs (elided or clipped)."""
    if isinstance(w, QLabel):
        if w.wordWrap() or not w.text() or (w.pixmap() is not None and not w.pixmap().isNull()):
            return ""
        need = w.minimumSizeHint().width()
    elif isinstance(w, QAbstractButton):
        if not w.text():
            return ""
        need = w.minimumSizeHint().width()
    else:
        return ""
    if w.width() + TOLERANCE < need:
        return f"texte coupé ({w.width()} px pour {need} px)"
    return ""


def audit_scroll_area(area: QScrollArea) -> list[Overflow]:
    """Only vertical scrolling: no horizontal bar, every visible widget within the viewport's width."""
    found: list[Overflow] = []
    bar = area.horizontalScrollBar()
    if bar.isVisible() and bar.maximum() > 0:
        found.append(Overflow(describe(area), f"barre de défilement horizontale ({bar.maximum()} px)"))
    page = area.widget()
    if page is None:
        return found
    vp = area.viewport()
    width = vp.width()
    for w in _visible_descendants(page):
        if w.width() <= 0:
            continue
        x = w.mapTo(vp, QPoint(0, 0)).x()
        if x < -TOLERANCE or x + w.width() > width + TOLERANCE:
            found.append(Overflow(describe(w), f"dépasse la vue ({x} → {x + w.width()} px sur {width} px)"))
        elif cut := _text_cut(w):
            found.append(Overflow(describe(w), cut))
    return found


def audit_window(
    root: QWidget, max_width: int | None = None, max_height: int | None = None
) -> list[Overflow]:
    """The window within the screen size given, its widgets within it, its scroll views without a
    horizontal bar, and no text cut."""
    found: list[Overflow] = []
    if max_width is not None and root.width() > max_width + TOLERANCE:
        found.append(
            Overflow(describe(root), f"plus large que l'écran ({root.width()} px sur {max_width} px)")
        )
    if max_height is not None and root.height() > max_height + TOLERANCE:
        found.append(
            Overflow(describe(root), f"plus haute que l'écran ({root.height()} px sur {max_height} px)")
        )
    bounds = QRect(0, 0, root.width(), root.height())
    for w in _visible_descendants(root):
        if isinstance(w, QScrollArea) and w.widget() is not None:
            found.extend(audit_scroll_area(w))
        if _inside_scroll_area(w, root) or w.width() <= 0:
            continue
        rect = QRect(w.mapTo(root, QPoint(0, 0)), w.size())
        if rect.left() < -TOLERANCE or rect.right() > bounds.right() + TOLERANCE:
            found.append(Overflow(describe(w), f"dépasse la fenêtre ({rect.left()} → {rect.right()} px)"))
        elif cut := _text_cut(w):
            found.append(Overflow(describe(w), cut))
    return found
