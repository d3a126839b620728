"""Child process of the accessibility audit: the real main window on a copy of the example.

Run with the project's Python under an X server and a session bus. It reads one command a line on
standard input and answers ``done <command>`` once the window has settled, so that the audit walks
the tree the screen reader would see at that moment:

    section ID | clear | check | filing | close-filing | dialog NAME | close-dialogs | facts | quit
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget


class _Commands(QObject):
    line = Signal(str)


def main() -> int:
    work = Path(os.environ.get("SPIE_A11Y_WORK") or tempfile.mkdtemp(prefix="spie-a11y-"))
    os.environ["SPIE_DESKTOP_CONFIG_DIR"] = str(work / "config")
    os.environ["SPIE_DESKTOP_DATA_DIR"] = str(work / "data")

    from spie_desktop.app import create_application
    from spie_desktop.interchange import create_example_copy
    from spie_desktop.settings import Settings
    from spie_desktop.ui.main_window import MainWindow

    app = create_application(["spie-desktop"])
    settings = Settings(author_name="Camille Martin", author_organisation="Conseil départemental")
    window = MainWindow(settings)
    width, height = (int(v) for v in os.environ.get("SPIE_A11Y_SIZE", "1366x768").split("x"))
    window.resize(width, height)
    window.show()
    example = create_example_copy(work / "exemples")
    if not window.open_path(example):
        print("error cannot open the example", flush=True)
        return 2

    def action(fragment: str) -> QAction:
        return next(a for a in window.findChildren(QAction) if fragment in a.text().replace("&", ""))

    def top_level(fragment: str):
        return next(
            (w for w in QApplication.topLevelWidgets() if w.isVisible() and fragment in w.windowTitle()), None
        )

    def audited_window() -> QWidget:
        """The window the keyboard is in: a dialog open over the main window, « Dépôt en ligne », or the main one."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            return modal
        others = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible()
            and w is not window
            and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
        ]
        return others[-1] if others else window

    def run(cmd: str) -> None:
        name, _, arg = cmd.strip().partition(" ")
        if name == "section":
            window.show_section(arg)
        elif name == "check":
            window.show_check()
        elif name == "filing":
            action("Dépôt en ligne").trigger()
        elif name == "close-filing":
            view = top_level("Dépôt en ligne")
            if view is not None:
                view.close()
        elif name == "clear":  # empties the first required text of the section, as a user would
            from PySide6.QtWidgets import QLineEdit

            from spie_desktop.ui.fields.base import FieldWidget

            for fw in window.current_form().findChildren(FieldWidget):
                edits = [e for e in fw.findChildren(QLineEdit) if e.isVisible()]
                if fw.spec.required and edits:
                    from PySide6.QtTest import QTest

                    edits[0].setFocus()
                    edits[0].selectAll()
                    QTest.keyClick(edits[0], Qt.Key.Key_Delete)
                    edits[0].editingFinished.emit()
                    window.controller.flush()
                    break
        elif name == "dialog":  # a dialog or panel, as its menu opens it (a11y_dialogs.py)
            from a11y_dialogs import open_dialog

            open_dialog(window, arg, work)
        elif name == "close-dialogs":
            from a11y_dialogs import close_all

            close_all(window)
        elif name in SCENES:
            try:
                SCENES[name](arg)
            except Exception as exc:  # noqa: BLE001 - told to the test instead of a silent hang
                print(f"error {name}: {exc!r}", flush=True)
                return
        elif name == "facts":
            print("facts " + json.dumps(facts(), ensure_ascii=False), flush=True)
        elif name == "quit":
            window.close()
            app.quit()
            return
        QTimer.singleShot(
            int(os.environ.get("SPIE_A11Y_SETTLE_MS", "600")),
            lambda: print(f"done {cmd.strip()}", flush=True),
        )

    def facts() -> dict:
        """What a sighted user sees, to compare with the tree: texts, buttons, required inputs, focus order."""
        from PySide6.QtWidgets import QAbstractButton, QLabel

        from spie_desktop.ui.fields.base import FieldWidget

        def rect(w) -> list[int]:
            top_left = w.mapToGlobal(w.rect().topLeft())
            return [top_left.x(), top_left.y(), w.width(), w.height()]

        def really_visible(w) -> bool:
            if not w.isVisible() or w.width() <= 1 or w.height() <= 1:
                return False
            win = w.window()
            r = w.rect().translated(w.mapTo(win, w.rect().topLeft()))
            return win.rect().intersects(r) and not w.visibleRegion().isEmpty()

        top = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        labels, buttons, required, invalid = [], [], [], []
        for win in top:
            for lab in win.findChildren(QLabel):
                if really_visible(lab) and lab.text().strip() and lab.pixmap().isNull():
                    labels.append(
                        {"text": lab.text(), "format": int(lab.textFormat().value), "rect": rect(lab)}
                    )
            for b in win.findChildren(QAbstractButton):
                if really_visible(b) and b.text().strip():
                    buttons.append(
                        {
                            "text": b.text().replace("&&", "\0").replace("&", "").replace("\0", "&"),
                            "name": b.accessibleName(),
                            "rect": rect(b),
                        }
                    )
            for fw in win.findChildren(FieldWidget):
                shown = bool(fw.problem_texts())
                if (fw.spec.required or shown) and really_visible(fw):
                    for inp in fw.findChildren(QWidget):
                        is_input = any(
                            inp.inherits(c)
                            for c in ("QLineEdit", "QPlainTextEdit", "QComboBox", "QAbstractSpinBox")
                        )
                        if is_input and inp.focusPolicy() & Qt.FocusPolicy.TabFocus and really_visible(inp):
                            if fw.spec.required:
                                required.append({"label": fw.spec.label, "rect": rect(inp)})
                            if shown:
                                invalid.append({"label": fw.spec.label, "rect": rect(inp)})
        from PySide6.QtWidgets import QDockWidget, QScrollArea, QSplitter, QStackedWidget, QTabBar

        def regions(w) -> list:
            out, p = [], w.parentWidget()
            while p is not None and not p.isWindow():
                parent = p.parentWidget()
                if isinstance(p, (QDockWidget, QScrollArea)) or isinstance(
                    parent, (QSplitter, QStackedWidget)
                ):
                    out.append(
                        [
                            f"{type(p).__name__}@{id(p)}",
                            rect(p),
                            p.accessibleName() or p.windowTitle() or type(p).__name__,
                        ]
                    )
                p = parent
            return [["fenêtre", rect(w.window()), "fenêtre"], *reversed(out)]

        audited = audited_window()
        chain = []
        w, seen = audited, 0
        while seen < 20000:
            w = w.nextInFocusChain()
            seen += 1
            if w is audited or w is None:
                break
            if (
                w.focusPolicy() & Qt.FocusPolicy.TabFocus
                and w.isEnabled()
                and really_visible(w)
                and w.window() is audited
            ):
                chain.append(
                    {
                        "class": type(w).__name__,
                        "name": w.accessibleName(),
                        "rect": rect(w),
                        "regions": regions(w),
                    }
                )
        tabs = []
        for win in top:
            for bar in win.findChildren(QTabBar):
                if really_visible(bar):
                    for i in range(bar.count()):
                        r = bar.tabRect(i)
                        tl = bar.mapToGlobal(r.topLeft())
                        tabs.append(
                            {
                                "text": bar.tabText(i).replace("&", ""),
                                "rect": [tl.x(), tl.y(), r.width(), r.height()],
                            }
                        )
        answers = []
        from spie_desktop.ui.filing_view import FilingView

        for view in (w for w in top if isinstance(w, FilingView)):
            for row in view.rows:  # every answer, scrolled into view or not
                text = row.value.toPlainText() if hasattr(row.value, "toPlainText") else row.value.text()
                answers.append({"question": row.item.label, "text": text})
        current = []
        if audited is window and window.controller is not None and window._section_id:
            sections = window.controller.template.sections
            ids = [x.id for x in sections]
            i = ids.index(window._section_id)
            for button, j in ((window.prev_button, i - 1), (window.next_button, i + 1)):
                if 0 <= j < len(ids) and really_visible(button):
                    current.append({"text": sections[j].title, "rect": rect(button)})
        from PySide6.QtGui import QPalette

        from spie_desktop.ui import style

        pal = window.palette()
        role = QPalette.ColorRole

        def pair(fg, bg) -> list[str]:
            return [style.over(fg, bg).name(), bg.name()]

        colours = {
            "texte / fond de fenêtre": pair(pal.color(role.WindowText), pal.color(role.Window)),
            "saisie / fond de saisie": pair(pal.color(role.Text), pal.color(role.Base)),
            "élément choisi": pair(pal.color(role.HighlightedText), pal.color(role.Highlight)),
            "texte indicatif (placeholder)": pair(pal.color(role.PlaceholderText), pal.color(role.Base)),
            "bouton": pair(pal.color(role.ButtonText), pal.color(role.Button)),
            "infobulle": pair(pal.color(role.ToolTipText), pal.color(role.ToolTipBase)),
            "lien": pair(pal.color(role.Link), pal.color(role.Base)),
            "texte discret (aide)": pair(style.muted_color(pal), pal.color(role.Window)),
        }
        for tone in style.Tone:
            colours[f"message « {tone.name.lower()} »"] = pair(
                style.tone_color(pal, tone), pal.color(role.Window)
            )
        return {
            "colours": colours,
            "labels": labels,
            "buttons": buttons,
            "required": required,
            "invalid": invalid,
            "focus_chain": chain,
            "tabs": tabs,
            "answers": answers,
            "current": current,
            "windows": [w.windowTitle() for w in top],
            "audited": audited.windowTitle(),
        }

    SCENES = scenes(window, work)
    commands = _Commands()
    commands.line.connect(run)

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip():
                commands.line.emit(line)
        commands.line.emit("quit")

    threading.Thread(target=read_stdin, daemon=True).start()
    QTimer.singleShot(
        600, lambda: print("ready " + " ".join(s.id for s in window.controller.template.sections), flush=True)
    )
    return app.exec()


def scenes(window, work: Path) -> dict:
    """Commands that make the window announce something, done as a user would (keys) where it can."""
    from PySide6.QtTest import QTest

    from spie_desktop.ui.announce import announce
    from spie_desktop.ui.fields.attachment import AttachmentField
    from spie_desktop.ui.fields.base import FieldWidget
    from spie_desktop.ui.fields.repetition import RepetitionField

    def in_form(kind):
        form = window.current_form()
        return [w for w in form.findChildren(kind) if w.isVisibleTo(form)] if form is not None else []

    def remove_row(_arg: str) -> None:
        field = next(f for f in in_form(RepetitionField) if f.order)
        field.remove(field.order[0])

    def restore_row(_arg: str) -> None:
        next(f for f in in_form(RepetitionField) if f.removed is not None).undo_remove()

    def attach(_arg: str) -> None:
        path = work / "piece-jointe.txt"
        path.write_text("Pièce jointe de l'audit.\n", encoding="utf-8")
        in_form(AttachmentField)[0].attach(path)

    def fail_save(_arg: str) -> None:
        window.controller._failed(
            "L'enregistrement a échoué : le disque est plein. Vos saisies restent dans la fenêtre."
        )

    def empty_and_leave(_arg: str) -> None:
        """Empty the first required one-line answer with the keyboard, then Tab away from it."""
        from PySide6.QtWidgets import QLineEdit

        field = next(
            f
            for f in in_form(FieldWidget)
            if f.spec.required and any(isinstance(w, QLineEdit) for w in f.inputs())
        )
        edit = next(w for w in field.inputs() if isinstance(w, QLineEdit))
        window.raise_()
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 5000)  # focus events only reach an active window
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(edit, Qt.Key.Key_Delete)
        window.controller.recheck()  # the check that typing schedules, now
        QTest.keyClick(edit, Qt.Key.Key_Tab)

    def calendar(_arg: str) -> None:
        from spie_desktop.ui.fields.dates import DateField

        field = in_form(DateField)[0]
        window.raise_()
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 5000)
        field.calendar_button.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(field.calendar_button, Qt.Key.Key_Space)

    def close_calendar(_arg: str) -> None:
        from PySide6.QtWidgets import QApplication

        for w in QApplication.topLevelWidgets():
            if w.objectName() == "calendarPopup" and w.isVisible():
                QTest.keyClick(w, Qt.Key.Key_Escape)

    def press_next(_arg: str) -> None:
        """« Suivant », with the keyboard."""
        window.next_button.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(window.next_button, Qt.Key.Key_Space)

    def save_cycle(_arg: str) -> None:
        """An answer typed, then written: the save state goes « Enregistrement… », « Enregistré »."""
        from PySide6.QtWidgets import QLineEdit

        field = next(f for f in in_form(FieldWidget) if any(isinstance(w, QLineEdit) for w in f.inputs()))
        edit = next(w for w in field.inputs() if isinstance(w, QLineEdit))
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClicks(edit, " bis")
        edit.editingFinished.emit()
        window.controller.flush()

    def copy_answer(_arg: str) -> None:
        """« Copier » on the first answer of « Dépôt en ligne »."""
        from PySide6.QtWidgets import QApplication

        from spie_desktop.ui.filing_view import FilingView

        view = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FilingView) and w.isVisible())
        button = next(b for b in view.copy_buttons() if b.isEnabled())
        button.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(button, Qt.Key.Key_Space)

    def said(_arg: str) -> None:
        from spie_desktop.ui.announce import recent

        print("said " + json.dumps(list(recent), ensure_ascii=False), flush=True)

    return {
        "calendar": calendar,
        "close-calendar": close_calendar,
        "said": said,
        "press-next": press_next,
        "save-cycle": save_cycle,
        "copy-answer": copy_answer,
        "say": lambda arg: announce(window, arg),
        "remove-row": remove_row,
        "restore-row": restore_row,
        "attach": attach,
        "fail-save": fail_save,
        "empty-and-leave": empty_and_leave,
    }


if __name__ == "__main__":
    sys.exit(main())
