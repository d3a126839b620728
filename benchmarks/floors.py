"""The floors the figures are compared with, measured in the same run: what the same work costs
with the bare tools (an empty window, a bare SQLite commit, sqlite3 ``executemany``, plain
reportlab paragraphs, plain QLabels or a QListView)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

EMPTY_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1100, 760)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
f = Painted(); w.installEventFilter(f); w.show()
sys.exit(app.exec())
"""


class BareCommit:
    """One-row updates committed by plain sqlite3 (synchronous FULL, rollback journal, as a dossier)."""

    def __init__(self, folder: Path) -> None:
        self.con = sqlite3.connect(folder / "nu.sqlite", isolation_level=None)
        self.con.execute("PRAGMA journal_mode=DELETE")
        self.con.execute("PRAGMA synchronous=FULL")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS answer(path TEXT PRIMARY KEY, value TEXT, updated_at TEXT)"
        )
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS change(id INTEGER PRIMARY KEY, at TEXT, path TEXT, old TEXT, new TEXT)"
        )
        self.count = 0

    def one(self) -> float:
        """Milliseconds for one update and its change-log row, committed."""
        value = json.dumps(f"Texte {self.count} " * 40)
        self.count += 1
        con = self.con
        t = time.perf_counter()
        con.execute("BEGIN")
        con.execute(
            "INSERT INTO answer VALUES ('perimetre', ?, 'now') ON CONFLICT(path) DO UPDATE SET "
            "value=excluded.value",
            (value,),
        )
        con.execute("INSERT INTO change(at, path, old, new) VALUES ('now', 'perimetre', NULL, ?)", (value,))
        con.execute("COMMIT")
        return (time.perf_counter() - t) * 1000

    def close(self) -> None:
        self.con.close()


def document_rows(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(stored path, JSON value) of every answer of an interchange document, rows flattened."""
    out: list[tuple[str, str]] = []
    for key, value in doc["answers"].items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, row in enumerate(value):
                out.append((f"{key}#{i}", "{}"))  # the row itself
                out.extend(
                    (f"{key}[r{i}].{child}", json.dumps(v)) for child, v in row.items() if child != "_id"
                )
        else:
            out.append((key, json.dumps(value)))
    return out


def executemany_import(folder: Path, doc: dict[str, Any], name: str) -> float:
    """Seconds to write the document's answers and one change-log row each, in one transaction."""
    rows = document_rows(doc)
    path = folder / f"{name}.sqlite"
    path.unlink(missing_ok=True)
    t = time.perf_counter()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE answer(path TEXT PRIMARY KEY, value TEXT, updated_at TEXT)")
    con.execute(
        "CREATE TABLE change(id INTEGER PRIMARY KEY, at TEXT, op TEXT, path TEXT, old TEXT, new TEXT)"
    )
    con.execute("BEGIN")
    con.executemany("INSERT INTO answer VALUES (?, ?, 'now')", rows)
    con.executemany("INSERT INTO change(at, op, path, old, new) VALUES ('now', 'set', ?, NULL, ?)", rows)
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - t


def document_texts(doc: dict[str, Any]) -> list[str]:
    """Every answer of the document as text, in order: what a plain PDF would print."""
    out: list[str] = []
    for key, value in doc["answers"].items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for row in value:
                out.extend(f"{child} : {v}" for child, v in row.items() if child != "_id")
        else:
            out.append(f"{key} : {value}")
    return out


def plain_pdf(doc: dict[str, Any], out: Path) -> float:
    """Seconds for reportlab to lay out the same texts as plain paragraphs, same font, one pass."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from spie_desktop.exports.pdf_style import FONT, register_fonts

    register_fonts()
    style = ParagraphStyle("plain", fontName=FONT, fontSize=10, leading=13)
    t = time.perf_counter()
    story = [Paragraph(escape(text).replace("\n", "<br/>"), style) for text in document_texts(doc)]
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    return time.perf_counter() - t


def labels_in_scroll_area(count: int) -> float:
    """Seconds to build and paint ``count`` plain QLabels in a QScrollArea (a page of rows)."""
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

    app = QApplication.instance() or QApplication([])
    t = time.perf_counter()
    area = QScrollArea()
    page = QWidget()
    layout = QVBoxLayout(page)
    for i in range(count):
        layout.addWidget(QLabel(f"Ligne {i + 1} : Personnel de coordination et de pilotage, 45 000 €"))
    area.setWidget(page)
    area.resize(1100, 760)
    area.show()
    app.processEvents()
    area.repaint()
    elapsed = time.perf_counter() - t
    area.close()
    area.deleteLater()
    app.processEvents()
    return elapsed


def list_view(count: int) -> float:
    """Seconds to show ``count`` rows in a QListView over a string list model, painted."""
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QApplication, QListView

    app = QApplication.instance() or QApplication([])
    t = time.perf_counter()
    model = QStringListModel(
        [f"Ligne {i + 1} : Personnel de coordination et de pilotage, 45 000 €" for i in range(count)]
    )
    view = QListView()
    view.setModel(model)
    view.resize(1100, 760)
    view.show()
    app.processEvents()
    view.repaint()
    elapsed = time.perf_counter() - t
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed


def executemany_merge(mine: Path, theirs: Path, folder: Path) -> tuple[float, float]:
    """Seconds for sqlite3 alone to do a merge's reading and writing: both files' answers and change
    logs read and their JSON decoded, then the missing change-log rows and the answers they set
    written with ``executemany`` in one transaction, into a copy of ``mine``; and the writing alone."""
    import shutil

    dest = folder / "plancher-fusion.sqlite"
    shutil.copyfile(mine, dest)
    cols = "at, author, organisation, op, path, old, new, replica_id, counter"
    t = time.perf_counter()
    con = sqlite3.connect(dest, isolation_level=None)
    con.execute("PRAGMA synchronous=FULL")
    other = sqlite3.connect(f"file:{theirs}?mode=ro", uri=True)
    for db in (con, other):
        {p: json.loads(v) for p, v in db.execute("SELECT path, value FROM answer")}
    known = set()
    for r in con.execute(f"SELECT {cols} FROM change"):
        known.add((r[7], r[8]))
        _ = (json.loads(r[5]) if r[5] else None, json.loads(r[6]) if r[6] else None)
    missing, values = [], {}
    for r in other.execute(f"SELECT {cols} FROM change"):
        _ = (json.loads(r[5]) if r[5] else None, json.loads(r[6]) if r[6] else None)
        if (r[7], r[8]) not in known:
            missing.append(r)
            if r[3] == "set" and r[6] is not None:
                values[r[4]] = r[6]
    other.close()
    writing = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO change({cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", missing)
    con.executemany(
        "INSERT INTO answer(path, value, updated_at) VALUES (?, ?, 'now') ON CONFLICT(path) "
        "DO UPDATE SET value=excluded.value",
        list(values.items()),
    )
    con.execute("COMMIT")
    con.close()
    end = time.perf_counter()
    return end - t, end - writing
