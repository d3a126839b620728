"""Setting the Tab order of a long form in linear time.

``QWidget.setTabOrder`` walks the window's focus chain on every call, so a form of 2 000 rows spent
most of its opening time there (quadratic). Widgets are created in form order, so the chain is
almost always right already: only the widgets that sit in the wrong place are moved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

_LOOK_AHEAD = 200  # widgets between two inputs (labels, frames, folded rows); beyond, simply reorder


_TAB_POLICIES = frozenset(
    {Qt.FocusPolicy.TabFocus, Qt.FocusPolicy.StrongFocus, Qt.FocusPolicy.WheelFocus}
)  # a set look-up: half the cost of the enum's "&", on the ten thousand widgets a first visit walks


def _tab_stop(w: QWidget) -> bool:
    """Tab would stop on ``w`` (Qt skips widgets that are hidden, disabled or without Tab focus)."""
    return w.focusPolicy() in _TAB_POLICIES and w.isEnabled() and w.isVisibleTo(w.window())


def _next_stop(a: QWidget, members: dict[QWidget, int], scope: QWidget | None = None) -> QWidget | None:
    """The first widget after ``a`` in the focus chain that belongs to the chain being set or that
    Tab could stop on (``a``'s own children, such as a combo box's line edit, are part of ``a``).
    With a ``scope`` holding the whole chain, a walk that leaves it ends there (None): the hidden
    forms of the other sections lie beyond, hundreds of widgets no Tab stops on."""
    w = a.nextInFocusChain()
    for _ in range(_LOOK_AHEAD):
        if w is None or w is a:
            return None
        if w in members or (_tab_stop(w) and not a.isAncestorOf(w)):
            return w
        if scope is not None and not scope.isAncestorOf(w):
            return None
        w = w.nextInFocusChain()
    return None


def apply_tab_order(chain: Sequence[QWidget], scope: QWidget | None = None) -> None:
    """Tab goes through ``chain`` in order (``scope``: a widget holding every one of them).

    A pair already in order is left alone; a pair separated by a widget that comes later in the
    chain is left for that widget's own turn (moving it closes the gap). A last pass reorders
    whatever is still out of place.
    """
    position = {w: i for i, w in enumerate(chain)}
    for i, (a, b) in enumerate(pairwise(chain)):
        nxt = _next_stop(a, position, scope)
        if nxt is b or (nxt is not None and position.get(nxt, -1) > i + 1):
            continue
        QWidget.setTabOrder(a, b)
    for a, b in pairwise(chain):
        if _next_stop(a, position, scope) is not b:
            QWidget.setTabOrder(a, b)


def follow_with(last_stop: QWidget, followers: Sequence[QWidget]) -> None:
    """Tab goes from ``last_stop`` (a form's last input) through ``followers`` in order: buttons drawn
    below or beside the form, whatever the order in which they were created.

    Plain ``setTabOrder`` calls on widgets the caller holds: looking along the window's focus chain
    (as ``apply_tab_order`` does) wraps Qt's own inner widgets in Python, and in the main window that
    left a flow layout's items dangling (a crash on closing)."""
    for a, b in zip([last_stop, *followers], followers, strict=False):
        QWidget.setTabOrder(a, b)


def move_to_end(widget: QWidget) -> None:
    """``widget`` becomes the last Tab stop of its window (a dialog's Fermer, below pages built later)."""
    if not isValid(widget):  # a window being torn down, refreshed by a late callback
        return
    window = widget.window()
    last, w = window, window.nextInFocusChain()
    while w is not None and w is not window:
        if not widget.isAncestorOf(w) and w is not widget and w.focusPolicy() != Qt.FocusPolicy.NoFocus:
            last = w
        w = w.nextInFocusChain()
    if last is not window:
        QWidget.setTabOrder(last, widget)


@contextmanager
def as_one_stop(container: QWidget, first_stop: QWidget) -> Iterator[None]:
    """While the block runs, ``setTabOrder`` moves ``container`` with all its inputs, and puts what
    follows it after its last input.

    A section's scroll area takes no focus (it shows none): Qt's ``setTabOrder`` ignores a widget
    with ``NoFocus``, and moves a plain widget alone, leaving its children where they were. A widget
    that takes a click and hands the focus to a child is a compound one: Qt moves it whole."""
    policy, proxy = container.focusPolicy(), container.focusProxy()
    container.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    container.setFocusProxy(first_stop)
    try:
        yield
    finally:
        container.setFocusProxy(proxy)  # type: ignore[arg-type]  # None (no proxy) is what Qt takes
        container.setFocusPolicy(policy)
