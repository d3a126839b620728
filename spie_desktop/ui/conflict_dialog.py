"""The conflict dialog of a merge: my version and theirs side by side, and for each conflict the
choice to keep mine, keep theirs or type a combination. Nothing is merged until every conflict
has a choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..formatting import format_datetime, parse_decimal, parse_french_date, parse_integer
from ..presentation import plural
from .plain import escape, plain, plain_label
from .word_diff import diff_html

if TYPE_CHECKING:
    from ..collab.merge import Conflict, Contribution
    from ..forms.types import Template


# -- showing values ---------------------------------------------------------------------------


def _who(contributions: tuple[Contribution, ...]) -> str:
    parts = []
    for c in contributions:
        name = c.author or c.organisation or "Auteur inconnu"
        if c.author and c.organisation:
            name = f"{c.author} ({c.organisation})"
        parts.append(f"{name}, le {format_datetime(c.at)}")
    return " ; ".join(parts) or "—"


def _row_text(values: dict[str, Any] | None, template: Template | None, path: str) -> str:
    if values is None:
        return "(ligne supprimée)"
    labels: dict[str, str] = {}
    if template is not None:
        try:
            spec = template.field(path.split("[", 1)[0])
            labels = {c.id: c.label for c in spec.children}
        except KeyError:
            pass
    return "\n".join(f"{labels.get(k, k)} : {value_text(v)}" for k, v in values.items()) or "(ligne vide)"


def value_text(value: Any) -> str:
    """The full value as people read it (no truncation: they are choosing between two versions)."""
    if value is None or value == "" or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _field_type(template: Template | None, path: str):
    if template is None or not path:
        return None
    from ..forms.paths import FieldPath

    try:
        p = FieldPath.parse(path)
        spec = template.field(p.field)
        return (spec.child(p.child) if p.child else spec).type
    except (KeyError, ValueError):
        return None


class CombineError(ValueError):
    pass


def parse_combination(text: str, mine: Any, theirs: Any, field_type=None) -> Any:
    """What a person typed as the combined value, stored like the field's other answers."""
    from ..forms.types import FieldType

    text = text.strip()
    if not text:
        return None
    sample = mine if mine is not None else theirs
    if field_type is FieldType.INTEGER_NUMBER or (
        field_type is None and isinstance(sample, int) and not isinstance(sample, bool)
    ):
        n = parse_integer(text)
        if n is None:
            raise CombineError(f"« {text} » n'est pas un nombre entier.")
        return n
    if field_type is FieldType.DECIMAL_NUMBER:
        d = parse_decimal(text)
        if d is None:
            raise CombineError(f"« {text} » n'est pas un nombre.")
        return format(d, "f")
    if field_type is FieldType.DATE:
        d = parse_french_date(text)
        if d is None:
            raise CombineError(f"« {text} » n'est pas une date (JJ/MM/AAAA).")
        return d.isoformat()
    if field_type is FieldType.MULTIPLE_DROP_DOWN_LIST or isinstance(sample, list):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _combinable(conflict: Conflict) -> bool:
    from ..collab.merge import ConflictKind

    if conflict.kind is not ConflictKind.VALUE:
        return False
    return not any(isinstance(v, bool) for v in (conflict.mine, conflict.theirs))


def _combination_start(conflict: Conflict) -> str:
    mine, theirs = conflict.mine, conflict.theirs
    if isinstance(mine, list) or isinstance(theirs, list):
        merged = list(mine or [])
        merged += [v for v in theirs or [] if v not in merged]
        return "\n".join(str(v) for v in merged)
    if isinstance(mine, str) and isinstance(theirs, str) and len(mine) + len(theirs) > 40:
        return f"{mine}\n\n{theirs}"
    return "" if mine is None else str(mine)


# -- the conflict dialog ------------------------------------------------------------------------


class ConflictPanel(QGroupBox):
    """One conflict: my version and theirs side by side, and the choice."""

    MINE, THEIRS, COMBINE = 1, 2, 3

    def __init__(self, conflict: Conflict, template: Template | None, parent: QWidget | None = None) -> None:
        from ..collab.merge import ConflictKind

        super().__init__(conflict.label, parent)  # a QGroupBox title is plain text
        self.conflict = conflict
        self.template = template
        is_row = conflict.kind is ConflictKind.ROW
        grid = QGridLayout(self)
        texts = [
            _row_text(v, template, conflict.path) if is_row else value_text(v)
            for v in (conflict.mine, conflict.theirs)
        ]
        marked = diff_html(*texts)  # the words that differ, underlined and shaded
        for col, (title, by) in enumerate(
            (("Ma version", conflict.mine_by), ("Leur version", conflict.theirs_by))
        ):
            head = QLabel(f"<b>{title}</b><br><small>{escape(_who(by))}</small>", self)
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setWordWrap(True)
            grid.addWidget(head, 0, col)
            box = QTextEdit(self)
            box.setReadOnly(True)
            box.setAcceptRichText(False)
            box.setHtml(marked[col])
            box.setAccessibleName(f"{title} : {conflict.label}")
            box.setAccessibleDescription("Les mots qui diffèrent de l'autre version sont soulignés.")
            box.setMaximumHeight(110)
            grid.addWidget(box, 1, col)
            if col == 0:
                self.mine_view = box
            else:
                self.theirs_view = box
        self.mine_button = QRadioButton("Garder la mienne", self)
        self.theirs_button = QRadioButton("Garder la leur", self)
        self.combine_button = QRadioButton("Combiner :", self)
        if is_row:
            self.mine_button.setText("Garder ma version de la ligne")
            self.theirs_button.setText("Garder leur version de la ligne")
        self.group = QButtonGroup(self)
        for b, ident in (
            (self.mine_button, self.MINE),
            (self.theirs_button, self.THEIRS),
            (self.combine_button, self.COMBINE),
        ):
            self.group.addButton(b, ident)
        choices = QHBoxLayout()
        choices.addWidget(self.mine_button)
        choices.addWidget(self.theirs_button)
        choices.addWidget(self.combine_button)
        choices.addStretch(1)
        grid.addLayout(choices, 2, 0, 1, 2)
        self.combined_edit = QPlainTextEdit(self)
        self.combined_edit.setAccessibleName(f"Valeur combinée : {conflict.label}")
        self.combined_edit.setPlainText(_combination_start(conflict))
        self.combined_edit.setMaximumHeight(110)
        self.combined_edit.setEnabled(False)
        grid.addWidget(self.combined_edit, 3, 0, 1, 2)
        self.error_label = plain_label("", self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        grid.addWidget(self.error_label, 4, 0, 1, 2)
        if not _combinable(conflict):
            self.combine_button.hide()
            self.combined_edit.hide()
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, ident: int, checked: bool) -> None:
        if ident == self.COMBINE:
            self.combined_edit.setEnabled(checked)
            if checked:
                self.combined_edit.setFocus()
        self.error_label.hide()

    def chosen(self) -> bool:
        return self.group.checkedId() != -1

    def value(self) -> Any:
        """The chosen value; raises CombineError for a combination that cannot be stored."""
        ident = self.group.checkedId()
        if ident == self.MINE:
            return self.conflict.mine
        if ident == self.THEIRS:
            return self.conflict.theirs
        try:
            return parse_combination(
                self.combined_edit.toPlainText(),
                self.conflict.mine,
                self.conflict.theirs,
                _field_type(self.template, self.conflict.path),
            )
        except CombineError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            raise


class ConflictDialog(QDialog):
    """Every conflict of a merge, each settled by the user; nothing is merged if they cancel."""

    def __init__(
        self,
        conflicts: list[Conflict] | tuple[Conflict, ...],
        template: Template | None = None,
        source: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Intégrer une copie : conflits à résoudre")
        self._resolutions: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        n = len(conflicts)
        intro = QLabel(
            (f"La copie « {source} » et votre dossier ont " if source else "Les deux copies ont ")
            + f"modifié différemment {plural(n, 'réponse')} depuis leur séparation. "
            "Pour chacune, choisissez la version à garder, ou combinez-les. Rien n'est intégré tant que "
            "vous n'avez pas validé.",
            self,
        )
        plain(intro)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        everything = QHBoxLayout()
        self.all_mine = QPushButton("Tout garder de mon côté", self)
        self.all_theirs = QPushButton("Tout prendre de leur côté", self)
        everything.addWidget(self.all_mine)
        everything.addWidget(self.all_theirs)
        everything.addStretch(1)
        layout.addLayout(everything)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        inner_layout = QVBoxLayout(inner)
        self.panels = [ConflictPanel(c, template, inner) for c in conflicts]
        for p in self.panels:
            inner_layout.addWidget(p)
            p.group.idToggled.connect(lambda *_: self._update_ok())
        inner_layout.addStretch(1)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("Intégrer la copie", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.all_mine.clicked.connect(lambda: self._choose_all(ConflictPanel.MINE))
        self.all_theirs.clicked.connect(lambda: self._choose_all(ConflictPanel.THEIRS))
        self._update_ok()
        self.resize(820, 620)

    def _choose_all(self, ident: int) -> None:
        for p in self.panels:
            p.group.button(ident).setChecked(True)

    def _update_ok(self) -> None:
        left = sum(1 for p in self.panels if not p.chosen())
        self.ok_button.setEnabled(left == 0)
        self.ok_button.setToolTip(f"Encore {left} conflit(s) à résoudre" if left else "")

    def accept(self) -> None:
        out: dict[str, Any] = {}
        for p in self.panels:
            if not p.chosen():
                return
            try:
                out[p.conflict.path] = p.value()
            except CombineError:
                p.combined_edit.setFocus()
                return
        self._resolutions = out
        super().accept()

    def resolutions(self) -> dict[str, Any]:
        return dict(self._resolutions)
