"""Widgets whose text wraps to the form's width instead of widening it.

Qt's check boxes and tool buttons keep their text on one line: a long option (« Jeunes de moins
de 26 ans, dont sortants de l'aide sociale à l'enfance… ») or a row title would then set the
form's minimum width and bring a horizontal scroll bar at 1366 × 768 or with text at 200 %.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QStyleOptionButton,
    QWidget,
)

#: The narrowest a wrapping text gets, in average characters (a long word may still need more).
MIN_CHARS = 16


def _plain(text: str) -> str:
    """The text as shown: « && » is an ampersand, a single « & » a mnemonic marker."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")


class WrapCheckBox(QCheckBox):
    """A check box whose label wraps (height for width), clickable on its whole text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _indicator(self) -> tuple[int, int]:
        s = self.style()
        return (
            s.pixelMetric(s.PixelMetric.PM_IndicatorWidth, None, self),
            s.pixelMetric(s.PixelMetric.PM_CheckBoxLabelSpacing, None, self),
        )

    def _text_rect(self, width: int) -> QRect:
        ind, gap = self._indicator()
        return QRect(ind + gap + 2, 0, max(1, width - ind - gap - 4), 100000)

    def _text_height(self, width: int) -> int:
        r = self.fontMetrics().boundingRect(
            self._text_rect(width), int(Qt.TextFlag.TextWordWrap), _plain(self.text())
        )
        return r.height()

    def sizeHint(self) -> QSize:
        ind, gap = self._indicator()
        fm = self.fontMetrics()
        w = ind + gap + 6 + fm.horizontalAdvance(_plain(self.text()))
        return QSize(w, max(fm.height(), ind) + 4)

    def minimumSizeHint(self) -> QSize:
        ind, gap = self._indicator()
        fm = self.fontMetrics()
        words = _plain(self.text()).split() or [""]
        longest = max(fm.horizontalAdvance(w) for w in words)
        w = ind + gap + 6 + min(longest, fm.averageCharWidth() * MIN_CHARS)
        return QSize(min(w, self.sizeHint().width()), self.heightForWidth(w))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        ind, _ = self._indicator()
        return max(self._text_height(width), ind) + 4

    def hitButton(self, pos) -> bool:
        """The indicator and the text, not the empty space right of a short label."""
        ind, gap = self._indicator()
        text = min(
            self.fontMetrics().horizontalAdvance(_plain(self.text())), self._text_rect(self.width()).width()
        )
        return QRect(0, 0, ind + gap + 6 + text, self.height()).contains(pos)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        ind, _ = self._indicator()
        fm = self.fontMetrics()
        first_line = fm.height()
        indicator = QStyleOptionButton(opt)
        indicator.rect = QRect(0, 2 + max(0, (first_line - ind) // 2), ind, ind)
        style = self.style()  # its enums through it: no QStyle import at start-up (ui/style.tone_icon)
        style.drawPrimitive(style.PrimitiveElement.PE_IndicatorCheckBox, indicator, p, self)
        text_rect = self._text_rect(self.width())
        text_rect.setTop(2)
        text_rect.setHeight(self.height() - 2)
        p.setPen(self.palette().color(self.foregroundRole()))
        flags = (
            int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
        )
        drawn = p.boundingRect(text_rect, flags, _plain(self.text()))
        p.drawText(text_rect, flags, _plain(self.text()))
        if self.hasFocus():
            focus = QStyleOptionButton(opt)
            focus.rect = drawn.adjusted(-2, 0, 2, 0)
            style.drawPrimitive(style.PrimitiveElement.PE_FrameFocusRect, focus, p, self)
        p.end()


class FlowLayout(QLayout):
    """Widgets side by side, going to the next line when the width runs out (Qt's flow layout
    example): a date with its « Calendrier… » and « Effacer la date », Oui / Non and « Effacer la
    réponse », a file's name and its buttons."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._hfw: tuple[int, int] | None = None
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._hfw = None

    def _live(self) -> list[QLayoutItem]:
        """The items Qt has not deleted behind our back: a widget destroyed while the focus moves
        (closing a dossier, switching section) can take its QWidgetItem with it, and a layout pass
        raising on the dead wrapper crashes PySide instead of being reported."""
        if not all(shiboken6.isValid(i) for i in self._items):
            self._items = [i for i in self._items if shiboken6.isValid(i)]
        return self._items

    def count(self) -> int:
        return len(self._live())

    def itemAt(self, index: int) -> QLayoutItem | None:
        items = self._live()
        return items[index] if 0 <= index < len(items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        items = self._live()
        self._hfw = None
        return items.pop(index) if 0 <= index < len(items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Qt asks the same width many times per layout pass (about ten per field on a first
        # visit): the answer is kept until the layout is invalidated (issue 14).
        cached = self._hfw
        if cached is not None and cached[0] == width:
            return cached[1]
        height = self._do_layout(QRect(0, 0, width, 0), apply=False)
        self._hfw = (width, height)
        return height

    def invalidate(self) -> None:
        self._hfw = None
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        shown = [i for i in self._live() if not i.isEmpty()]
        w = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        h = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._live():
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._live():
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            w = min(hint.width(), area.width())
            if x > area.x() and x + w > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            h = item.heightForWidth(w) if item.hasHeightForWidth() else hint.height()
            if apply:
                item.setGeometry(QRect(x, y, w, h))
            x += w + self._spacing
            line = max(line, h)
        return y + line - rect.y() + m.bottom()
