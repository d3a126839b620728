"""The date picker: a month grid whose every day says its whole date (« mardi 3 janvier 2022 »).

Qt's QCalendarWidget names its cells « 3 », its month arrows and year box not at all, opens as a
popup that the accessibility tree does not list, and paints weekends in pure red (4.0:1) and the
days of the neighbouring months in the disabled grey (1.9:1). This one is a small frameless tool
window (listed in the tree, named « Calendrier ») with named month arrows, the month's name and a year box
and a grid of 6 weeks whose cells carry their full French date; colours come from
``style.calendar_colors``. Keys: arrows move, Page préc./suiv. change month, Entrée picks,
Échap closes (the focus goes back to the « Calendrier… » button).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import style

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
DATE_ROLE = Qt.ItemDataRole.UserRole + 7


def spoken_date(day: QDate) -> str:
    """« mardi 3 janvier 2022 » (« 1er » for the first of the month, as it is said)."""
    number = "1er" if day.day() == 1 else str(day.day())
    return f"{FRENCH.dayName(day.dayOfWeek())} {number} {FRENCH.monthName(day.month())} {day.year()}"


class CalendarPopup(QFrame):
    """``clicked``/``activated`` give the picked date; ``closed`` when Échap or a click elsewhere shut it."""

    clicked = Signal(QDate)
    activated = Signal(QDate)
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("calendarPopup")
        self.setWindowTitle("Calendrier")
        self.setAccessibleName("Calendrier")
        self.setFrameShape(QFrame.Shape.Box)
        self._selected = QDate.currentDate()
        self._year, self._month = self._selected.year(), self._selected.month()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        self.previous = self._arrow("‹", "Mois précédent", -1)
        self.month_label = QLabel(self)  # « janvier » (a combo box is named by its value on Linux)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.year_box = QSpinBox(self)
        self.year_box.setRange(1900, 2200)
        self.year_box.setAccessibleName("Année")
        self.next = self._arrow("›", "Mois suivant", 1)
        top.addWidget(self.previous)
        top.addWidget(self.month_label, 1)
        top.addWidget(self.year_box)
        top.addWidget(self.next)
        self.month_label.setBuddy(self.year_box)
        layout.addLayout(top)
        self.grid = QTableWidget(6, 7, self)
        self.grid.setObjectName("calendarGrid")
        self.grid.setHorizontalHeaderLabels(
            [FRENCH.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]
        )
        for d in range(1, 8):
            self.grid.horizontalHeaderItem(d - 1).setData(
                Qt.ItemDataRole.AccessibleTextRole, FRENCH.dayName(d)
            )
        self.grid.verticalHeader().hide()
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setTabKeyNavigation(False)
        cell = self.fontMetrics().horizontalAdvance("00") + 18
        for c in range(7):
            self.grid.setColumnWidth(c, cell)
        self.grid.setMinimumWidth(cell * 7 + 4)
        self.grid.setMinimumHeight(
            self.grid.horizontalHeader().sizeHint().height() + 6 * (self.fontMetrics().height() + 8) + 4
        )
        self.grid.cellClicked.connect(lambda r, c: self.clicked.emit(self._date_at(r, c)))
        self.grid.cellActivated.connect(lambda r, c: self.activated.emit(self._date_at(r, c)))
        self.grid.installEventFilter(self)
        layout.addWidget(self.grid)
        self.year_box.valueChanged.connect(lambda y: self._show_month(y, self._month))
        self._show_month(self._year, self._month)

    def _arrow(self, text: str, name: str, step: int) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setAccessibleName(name)
        b.setToolTip(f"{name} (Page {'précédente' if step < 0 else 'suivante'})")
        b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        b.clicked.connect(lambda: self.step_month(step))
        return b

    # -- the month shown ----------------------------------------------------------------------------

    def selectedDate(self) -> QDate:
        return self._selected

    def setSelectedDate(self, day: QDate) -> None:
        self._selected = day
        self._show_month(day.year(), day.month())

    def month_shown(self) -> tuple[int, int]:
        return self._year, self._month

    def step_month(self, step: int) -> None:
        first = QDate(self._year, self._month, 1).addMonths(step)
        self._show_month(first.year(), first.month())

    def _first_cell(self) -> QDate:
        first = QDate(self._year, self._month, 1)
        return first.addDays(1 - first.dayOfWeek())  # back to Monday

    def _date_at(self, row: int, column: int) -> QDate:
        return self._first_cell().addDays(row * 7 + column)

    def _show_month(self, year: int, month: int) -> None:
        current = self.grid.currentIndex()
        keep = (current.row(), current.column()) if current.isValid() else None
        self._year, self._month = year, month
        self.month_label.setText(FRENCH.monthName(month))
        self.year_box.blockSignals(True)
        self.year_box.setValue(year)
        self.year_box.blockSignals(False)
        weekend, outside = style.calendar_colors(QApplication.palette())
        today = QDate.currentDate()
        start = self._first_cell()
        select = None
        for i in range(42):
            day = start.addDays(i)
            item = QTableWidgetItem(str(day.day()))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setData(DATE_ROLE, day)
            words = spoken_date(day)
            if day == today:
                words += ", aujourd'hui"
            if day.month() != month:
                words += f" (hors de {FRENCH.monthName(month)})"
                item.setForeground(QBrush(outside))
            elif day.dayOfWeek() >= 6:
                item.setForeground(QBrush(weekend))
            if day == today:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, words)
            item.setToolTip(words)
            self.grid.setItem(i // 7, i % 7, item)
            if day == self._selected:
                select = (i // 7, i % 7)
        self.grid.setAccessibleName(f"Jours de {FRENCH.monthName(month)} {year}")
        row, column = select or keep or (0, QDate(year, month, 1).dayOfWeek() - 1)
        self.grid.setCurrentCell(row, column)

    # -- keys and closing ---------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.grid and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.step_month(-1 if key == Qt.Key.Key_PageUp else 1)
                return True
            row, column = self.grid.currentRow(), self.grid.currentColumn()
            moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
            if key in moves and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                target = self._date_at(row, column).addDays(moves[key])
                if target.month() != self._month:  # beyond the month: the next page, on that day
                    self._selected = target
                    self._show_month(target.year(), target.month())
                else:
                    index = self._first_cell().daysTo(target)
                    self.grid.setCurrentCell(index // 7, index % 7)
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.closed.emit()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow() and self.isVisible():
            self.hide()  # a click elsewhere: gone, as a popup would be

    def show_under(self, anchor: QWidget) -> None:
        """Show under ``anchor`` (kept on its screen), with the cursor on the chosen day."""
        self.adjustSize()
        where = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry()
        x = max(screen.left(), min(where.x(), screen.right() - self.width()))
        y = (
            where.y()
            if where.y() + self.height() <= screen.bottom()
            else anchor.mapToGlobal(QPoint(0, 0)).y() - self.height()
        )
        self.move(x, max(screen.top(), y))
        self.show()
        self.raise_()
        self.activateWindow()
        self.grid.setFocus(Qt.FocusReason.PopupFocusReason)
