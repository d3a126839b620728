"""The width the wrapping delegate lays its texts out in is the viewport's, however the bars stand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QListWidget, QTreeWidget, QTreeWidgetItem

from spie_desktop.ui.section_list import viewport_width

POLICIES = [
    Qt.ScrollBarPolicy.ScrollBarAsNeeded,
    Qt.ScrollBarPolicy.ScrollBarAlwaysOn,
    Qt.ScrollBarPolicy.ScrollBarAlwaysOff,
]


@pytest.mark.parametrize("rows", [2, 80])  # no vertical bar needed / a bar needed
@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("frame", [QFrame.Shape.StyledPanel, QFrame.Shape.NoFrame])
def test_list_width_is_the_viewport_s(qtbot, rows, policy, frame):
    view = QListWidget()
    qtbot.addWidget(view)
    view.setFrameShape(frame)
    view.setVerticalScrollBarPolicy(policy)
    view.addItems([f"Section {i}" for i in range(rows)])
    view.resize(260, 300)
    view.show()
    qtbot.waitExposed(view)
    bar = view.verticalScrollBar()
    shown = policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOn or (
        rows > 10 and policy == Qt.ScrollBarPolicy.ScrollBarAsNeeded
    )
    qtbot.waitUntil(lambda: bar.isVisible() == shown)
    for width in (260, 410, 190):
        view.resize(width, 300)
        qtbot.wait(1)
        assert viewport_width(view) == view.viewport().width()


def test_tree_with_margins_is_the_viewport_s(qtbot):
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    tree.setHeaderHidden(True)
    tree.setViewportMargins(6, 0, 9, 0)
    for i in range(60):
        QTreeWidgetItem(tree, [f"Problème {i}"])
    tree.resize(300, 200)
    tree.show()
    qtbot.waitExposed(tree)
    qtbot.waitUntil(tree.verticalScrollBar().isVisible)
    assert viewport_width(tree) == tree.viewport().width()
    tree.clear()
    qtbot.waitUntil(lambda: not tree.verticalScrollBar().isVisible())
    assert viewport_width(tree) == tree.viewport().width()
