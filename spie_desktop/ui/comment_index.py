"""The open dossier's review comments by stored path, in memory (no Qt).

Widgets ask for comments by path many times (each field of a form, each row card): they are
answered from an index built from the dossier's comments in memory, rebuilt only when the dossier
changed underneath (a merge, a restore) — never per keystroke, never from the disk. The controller
owns one and tells the widgets (``commentsChanged``) what :meth:`CommentIndex.changed_paths` says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..models import DossierFile
    from ..snapshot import CommentInfo


class CommentIndex:
    """Comments of one dossier by stored path, built on first use."""

    def __init__(self, dossier: DossierFile) -> None:
        self.dossier = dossier
        self._index: dict[str, tuple[CommentInfo, ...]] | None = None
        self._stamp = -1  # the dossier's change count when the index was built

    def build(self) -> dict[str, tuple[CommentInfo, ...]]:
        index: dict[str, list[CommentInfo]] = {}
        for c in self.dossier.comments():
            index.setdefault(c.path, []).append(c)
        return {p: tuple(v) for p, v in index.items()}

    def by_path(self) -> dict[str, tuple[CommentInfo, ...]]:
        if self._index is None:
            self._index = self.build()
            self._stamp = self.dossier.change_count
        return self._index

    def changed_paths(self) -> list[str]:
        """The paths whose comments changed since the index was built (a merge), the index rebuilt;
        [] when it was never built or the dossier did not change."""
        if self._index is None:
            return []
        try:
            if self.dossier.change_count == self._stamp:
                return []
            new = self.build()
        except Exception:  # noqa: BLE001 - the dossier is closing: nothing to show any more
            return []
        old, self._index = self._index, new
        self._stamp = self.dossier.change_count
        return sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p))

    def refresh(self) -> None:
        """A comment was added or resolved from this window: rebuild (if built)."""
        if self._index is not None:
            self._index = self.build()
            self._stamp = self.dossier.change_count

    def comments(self, path: str | None = None) -> list[CommentInfo]:
        index = self.by_path()
        if path is not None:
            return list(index.get(path, ()))
        return sorted((c for cs in index.values() for c in cs), key=lambda c: c.created_at)

    def comments_under(self, prefix: str) -> list[CommentInfo]:
        found = [c for p, cs in self.by_path().items() if p.startswith(prefix) for c in cs]
        return sorted(found, key=lambda c: c.created_at)

    def counts(self, path: str) -> tuple[int, int]:
        cs = self.by_path().get(path)
        if not cs:
            return 0, 0
        resolved = sum(1 for c in cs if c.resolved)
        return len(cs) - resolved, resolved

    def path_of(self, comment_id: str) -> str | None:
        return next((c.path for cs in self.by_path().values() for c in cs if c.id == comment_id), None)
