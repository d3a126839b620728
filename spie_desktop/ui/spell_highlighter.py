"""Spell checking as one types: a red wavy underline under unknown words of the text areas, and
suggestions, « Ajouter au dictionnaire » and « Ignorer » in their context menu.

One :class:`SpellService` per process loads the dictionary in a background thread (about 0.3 s)
and keeps the :class:`~spie_desktop.spelling.SpellChecker`; each text area gets a
:class:`SpellHighlighter`, which Qt calls for the edited paragraph only, so a keystroke costs the
words of one paragraph, each a cache look-up once seen.

One-line entries (QLineEdit) are not underlined: Qt gives them no highlighter, they mostly hold
names, addresses and identifiers, and their words are checked by « Vérifier l'orthographe du
dossier » like every other answer.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from ..spelling import TITLE_KEY, Misspelling, SpellChecker, Vocabulary, load_engine

if TYPE_CHECKING:
    from .controller import DossierController

VOCABULARY_DELAY_MS = 1500
SLICE_S = 0.008  # the first reading of a dossier's names: a few milliseconds at a time
MEMO_SIZE = 256  # paragraphs remembered per text area
UNDERLINE = QColor(200, 30, 30)


def _holds_any(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def _utf16(text: str, index: int) -> int:
    return (
        index
        if text.isascii() or all(ord(c) < 0x10000 for c in text[:index])
        else len(text[:index].encode("utf-16-le")) // 2
    )


class SpellService(QObject):
    """The process's checker: loaded once in the background, switched on and off by Préférences."""

    ready = Signal()
    changed = Signal()  # words accepted or checking switched: every highlighter redraws
    _loaded = Signal()  # from the loading thread, delivered on the interface thread

    _instance: SpellService | None = None

    @classmethod
    def instance(cls) -> SpellService:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self) -> None:
        super().__init__()
        self.enabled = True
        self.checker: SpellChecker | None = None
        self.error = ""
        self.generation = 0  # bumped whenever the accepted words change: memoised paragraphs are stale
        self._engine = None
        self._highlighters: weakref.WeakSet[SpellHighlighter] = weakref.WeakSet()
        self._controllers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._loaded.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._load, name="spie-dictionnaire", daemon=True)
        from .after_paint import later

        later(self._thread.start)  # at start-up, after the first paint: its imports would slow the window's

    def _load(self) -> None:
        try:
            self._engine = load_engine()
        except Exception as exc:  # noqa: BLE001 - no dictionary means no underlines, never a crash
            self.error = f"Le dictionnaire français n'a pas pu être chargé : {exc}"
        self._loaded.emit()

    def _finish(self) -> None:
        if self.checker is not None or self._engine is None:
            return
        self.checker = SpellChecker(self._engine)
        for controller in list(self._controllers):
            self._update_vocabulary(controller)
        self.ready.emit()
        self._redraw()

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """Block until the dictionary is loaded (tests, « Vérifier l'orthographe du dossier »)."""
        self._thread.join(timeout)
        self._finish()
        return self.checker is not None

    def reload_words(self) -> None:
        """Forget the ignored words and read the personal dictionary again (another data folder)."""
        if self.wait_ready():
            dossier_words = self.checker.dossier_words
            self.checker = SpellChecker(self._engine)
            self.checker.set_dossier_words(dossier_words)
            self._redraw()

    @property
    def active(self) -> bool:
        return self.enabled and self.checker is not None

    def set_enabled(self, on: bool) -> None:
        if on != self.enabled:
            self.enabled = on
            self._redraw()

    def register(self, highlighter: SpellHighlighter) -> None:
        self._highlighters.add(highlighter)

    def _redraw(self, words: frozenset[str] | None = None) -> None:
        """Every text area draws its underlines again; with ``words``, only those holding one of them
        (a dossier's new names), the others' paragraphs being unchanged."""
        self.generation += 1
        lowered = [w.lower() for w in words] if words is not None else None
        for h in list(self._highlighters):
            if not shiboken6.isValid(h):
                self._highlighters.discard(h)
            elif lowered is None or _holds_any(h.document().toPlainText().lower(), lowered):
                h.rehighlight()
        self.changed.emit()

    # -- words -----------------------------------------------------------------------------------

    def add_word(self, word: str) -> None:
        if self.checker is not None:
            try:
                self.checker.add_to_personal(word)
            except OSError:  # the data folder cannot be written: accepted for this session anyway
                self.checker.ignore(word)
            self._redraw()

    def ignore_word(self, word: str) -> None:
        if self.checker is not None:
            self.checker.ignore(word)
            self._redraw()

    def track(self, controller: DossierController) -> None:
        """Accept the dossier's own names (structures, territory); refreshed a moment after they change."""
        if controller not in self._controllers:
            self._controllers[controller] = _VocabularyTracker(self, controller)

    def _update_vocabulary(self, controller: DossierController) -> None:
        tracker = self._controllers.get(controller)
        if tracker is not None:
            tracker.update()

    def _publish(self, words: frozenset[str]) -> None:
        """The dossier's words changed: only the text areas holding one of the changed words redraw."""
        if self.checker is None or words == self.checker.dossier_words:
            return
        changed = words ^ self.checker.dossier_words
        self.checker.set_dossier_words(words)
        self._redraw(changed)


class _VocabularyTracker(QObject):
    """The words of one open dossier (:class:`spie_desktop.spelling.Vocabulary`), kept up to date a
    moment after each change from the changed answers only; the first reading of the whole dossier
    is done in slices of a few milliseconds after the form shows, so neither a first visit nor a
    pause in typing waits for it (issue 14)."""

    def __init__(self, service: SpellService, controller: DossierController) -> None:
        super().__init__(controller)
        self.service = service
        self.controller = controller
        self.vocabulary = Vocabulary(controller.template)
        self.dirty: set[str] = set()
        self.dirty_rows: set[str] = set()
        self._filling: Iterator[None] | None = None
        self.timer = QTimer(self, singleShot=True, interval=VOCABULARY_DELAY_MS)
        self.timer.timeout.connect(self.update)
        self._slices = QTimer(self, singleShot=True, interval=0)
        self._slices.timeout.connect(self._fill_slice)
        controller.valueChanged.connect(self._value_changed)
        controller.rowsChanged.connect(self._rows_changed)
        # Not now: a first visit of the section would wait for it. Names are accepted a moment after
        # the form shows, as after an edit.
        self.timer.start()

    def _value_changed(self, path: str) -> None:
        self.dirty.add(path)
        self.timer.start()

    def _rows_changed(self, field_id: str) -> None:
        self.dirty_rows.add(field_id)
        self.timer.start()

    def update(self) -> None:
        if self.service.checker is None or self._filling is not None:
            return  # the dictionary's loading (or the reading under way) calls again when done
        c = self.controller
        if c.template is not self.vocabulary.template:  # « Associer à une démarche »: new fields
            self.vocabulary = Vocabulary(c.template)
        if not self.vocabulary.filled:
            try:
                snapshot = c.snapshot()
            except Exception:  # noqa: BLE001 - the dossier is closing
                return
            self.dirty.clear()
            self.dirty_rows.clear()
            self._filling = self.vocabulary.fill(snapshot)
            self._fill_slice()
            return
        self._apply_changes()

    def _fill_slice(self) -> None:
        if self._filling is None:
            return
        end = time.perf_counter() + SLICE_S
        try:
            while time.perf_counter() < end:
                next(self._filling)
        except StopIteration:
            self._filling = None
            self._apply_changes()  # what changed while it was read
            return
        except Exception:  # noqa: BLE001 - the dossier is closing: no names, never a crash
            self._filling = None
            return
        self._slices.start()

    def _apply_changes(self) -> None:
        c, vocabulary = self.controller, self.vocabulary
        try:
            for field_id in sorted(self.dirty_rows):
                vocabulary.drop_rows(field_id)
                try:
                    children = [ch.id for ch in c.template.field(field_id).children]
                except KeyError:
                    continue
                for rid in c.row_ids(field_id):
                    for child in children:
                        vocabulary.set(f"{field_id}[{rid}].{child}", c.value(f"{field_id}[{rid}].{child}"))
            for path in sorted(self.dirty):
                try:
                    value = c.value(path)
                except Exception:  # noqa: BLE001 - a row removed meanwhile: its words go
                    value = None
                vocabulary.set(path, value)
            vocabulary.set(TITLE_KEY, c.dossier.title)
        except Exception:  # noqa: BLE001 - the dossier is closing
            return
        finally:
            self.dirty.clear()
            self.dirty_rows.clear()
        self.service._publish(vocabulary.words)


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines unknown words, except the one being typed (as word processors do): it is judged
    once the cursor leaves it, so the underline does not flicker under every keystroke, and typing
    at the end of a paragraph leaves its formats alone (no second layout per key)."""

    def __init__(self, edit: QPlainTextEdit, service: SpellService) -> None:
        super().__init__(edit.document())
        self.edit = edit
        self.service = service
        self.format = QTextCharFormat()
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.format.setUnderlineColor(UNDERLINE)
        self._memo: dict[str, list[tuple[int, int]]] = {}
        self._generation = service.generation
        self._held: tuple[int, int, int] | None = None  # (block number, start, end) of the word being typed
        edit.cursorPositionChanged.connect(self._cursor_moved)
        service.register(self)

    def highlightBlock(self, text: str) -> None:
        service = self.service
        if not service.active or not text:
            return
        block = self.currentBlock()
        cursor = self.edit.textCursor()
        typing_here = self.edit.hasFocus() and cursor.block() == block and not cursor.hasSelection()
        at = cursor.positionInBlock() if typing_here else -1
        for start, length in self._spans(text):
            if start <= at <= start + length and at > start:
                self._held = (block.blockNumber(), start, start + length)
                continue
            self.setFormat(start, length, self.format)

    def _cursor_moved(self) -> None:
        held = self._held
        if held is None:
            return
        cursor = self.edit.textCursor()
        number, start, end = held
        if cursor.blockNumber() == number and start < cursor.positionInBlock() <= end + 1:
            return  # still in (or extending) the word
        self._held = None
        block = self.edit.document().findBlockByNumber(number)
        if block.isValid():
            self.rehighlightBlock(block)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """The underlined ranges of one paragraph, memoised: Qt asks again for an unchanged paragraph
        (layout, several passes per keystroke) and only the paragraph being typed is ever new."""
        if self._generation != self.service.generation or len(self._memo) > MEMO_SIZE:
            self._memo.clear()
            self._generation = self.service.generation
        spans = self._memo.get(text)
        if spans is None:
            spans = []
            for m in self.service.checker.misspellings(text):
                start = _utf16(text, m.start)
                spans.append((start, _utf16(text, m.end) - start))
            self._memo[text] = spans
        return spans


def misspelling_at(edit: QPlainTextEdit, pos: QPoint) -> tuple[Misspelling, QTextCursor] | None:
    """The unknown word under a point of the editor, with a cursor selecting it."""
    service = SpellService.instance()
    if not service.active:
        return None
    cursor = edit.cursorForPosition(pos)
    block = cursor.block()
    text = block.text()
    offset = cursor.positionInBlock()
    for m in service.checker.misspellings(text):
        start, end = _utf16(text, m.start), _utf16(text, m.end)
        if start <= offset <= end:
            word = QTextCursor(block)
            word.setPosition(block.position() + start)
            word.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
            return m, word
    return None


def spelling_menu(edit: QPlainTextEdit, pos: QPoint) -> QMenu:
    """The editor's own menu, with the spelling entries on top when the word under ``pos`` is unknown."""
    menu = edit.createStandardContextMenu(pos)
    found = misspelling_at(edit, pos)
    if found is None:
        return menu
    m, cursor = found
    service = SpellService.instance()
    first = menu.actions()[0] if menu.actions() else None
    suggestions = service.checker.suggestions(m.word) if not edit.isReadOnly() else []
    for s in suggestions:
        action = menu.addAction(s)
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(lambda _c=False, s=s, cur=cursor: _replace(edit, cur, s))
        menu.insertAction(first, action)
    if not suggestions:
        none = menu.addAction("Aucune suggestion")
        none.setEnabled(False)
        menu.insertAction(first, none)
    add = menu.addAction("Ajouter au dictionnaire")
    add.triggered.connect(lambda _c=False: service.add_word(m.word))
    ignore = menu.addAction("Ignorer")
    ignore.triggered.connect(lambda _c=False: service.ignore_word(m.word))
    for a in (add, ignore):
        menu.insertAction(first, a)
    if first is not None:
        menu.insertSeparator(first)
    return menu


def _replace(edit: QPlainTextEdit, cursor: QTextCursor, text: str) -> None:
    """Replace the word as typing would (one step of the editor's own undo, saved like any edit)."""
    cursor.insertText(text)
    edit.setTextCursor(cursor)


def show_menu(menu: QMenu, global_pos: QPoint) -> None:
    """Tests replace this function to trigger an entry instead of opening the menu."""
    menu.exec(global_pos)
    menu.deleteLater()


def attach_spelling(edit: QPlainTextEdit, controller: DossierController | None = None) -> SpellHighlighter:
    """Underline unknown words of ``edit`` and give it the spelling context menu."""
    service = SpellService.instance()
    if controller is not None:
        service.track(controller)
    highlighter = SpellHighlighter(edit, service)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    edit.customContextMenuRequested.connect(
        lambda pos: show_menu(spelling_menu(edit, pos), edit.viewport().mapToGlobal(pos))
    )
    edit._spell_highlighter = highlighter  # kept with the editor
    return highlighter


def spelling_of(widget: QWidget) -> SpellHighlighter | None:
    return getattr(widget, "_spell_highlighter", None)
