"""Edits not yet on the server, kept on this computer until it answers again (issue 17).

When the server goes away mid-edit, each unsent edit is written to a small SQLite file in the
user's data folder, ``serveur-en-attente/<hôte>-<port>-<base>-<dossier>.sqlite``, committed with
fsync (``synchronous=FULL``) before the window says it is kept. Each edit has its identity (a UUID)
and the value it replaced. The queue is sent again at the window's next try and at the next opening
of the dossier (after a crash too), before the dossier is shown.

Resending is idempotent: an edit whose value the server already has is skipped (nothing doubled);
one whose field someone else changed meanwhile is not written and is reported with both values,
as the same-field rule of backend.py does, and my refused value is kept in the queue file's
``conflict`` table (added to older queue files when first needed) until the user chooses:
:func:`keep_mine` (« Garder la mienne ») writes it over theirs, :func:`keep_theirs` forgets it.
A queue file that cannot be read is set aside under a
new name (never deleted) and said in French.

Row, file, comment and title operations made while the server is away (server/offline.py) are kept in the
same file, table ``op`` (``seq`` gives their order; a file attached offline keeps its bytes in
``data``). Older queue files (``user_version`` 17017: ``edit``, maybe ``conflict``) are upgraded in
place (the ``op`` table added, 17018). At a replay the operations go first, in their order, then
the values: a value typed in a row added offline needs that row, and a value's own check (the
value it replaced) does not depend on where rows are; a value typed in a row removed offline was
forgotten when the row was (server/offline.py).
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models.errors import DossierError, SaveFailed
from ..models.records import utcnow
from ..models.values import dump, load
from .address import ServerAddress

if TYPE_CHECKING:
    from ..models.dossier_file import DossierFile

FOLDER = "serveur-en-attente"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS edit ("
    " uid TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, old TEXT, new TEXT, at TEXT NOT NULL)"
)
_CONFLICTS = (
    "CREATE TABLE IF NOT EXISTS conflict ("
    " uid TEXT PRIMARY KEY, path TEXT NOT NULL, mine TEXT, theirs TEXT, at TEXT NOT NULL)"
)
_OPS = (
    "CREATE TABLE IF NOT EXISTS op ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " payload TEXT NOT NULL, data BLOB, at TEXT NOT NULL)"
)
_MARK = 17_018  # PRAGMA user_version of a queue file (with its ``op`` table)
_OLD_MARKS = (17_017,)  # value edits only: upgraded when opened
#: the operations a queue file may hold (server/offline.py says what each payload holds)
OP_KINDS = ("row_add", "row_remove", "row_move", "attach", "detach", "comment", "comment_state", "title")


def is_unreachable(exc: BaseException) -> bool:
    """True for a save refused because the server cannot be reached (not for a refusal of the server)."""
    text = getattr(exc, "reason", None) or str(exc)
    return isinstance(exc, SaveFailed) and "Serveur injoignable" in text


def queue_path(address: ServerAddress, folder: Path | None = None) -> Path:
    """``<données>/serveur-en-attente/<hôte>-<port>-<base>-<dossier>.sqlite`` (safe characters only)."""
    if folder is None:
        from ..settings import data_dir

        folder = data_dir() / FOLDER
    parts = [address.host or "local", str(address.port or 5432), address.base, address.dossier or ""]
    name = "-".join(re.sub(r"[^A-Za-z0-9._]+", "_", p).strip("._") or "_" for p in parts)
    return folder / f"{name[:180]}.sqlite"


@dataclass
class Pending:
    uid: str
    path: str
    old: Any
    new: Any


@dataclass
class Refused:
    """My value, refused because someone else saved ``theirs`` on the same field meanwhile."""

    uid: str
    path: str
    mine: Any
    theirs: Any


@dataclass
class ReplayReport:
    """What a replay did: edits written, skipped (the server had them), refused (French messages)."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def handled(self) -> list[str]:
        """The paths the queue no longer holds: written, already there, or refused with a message."""
        return self.sent + self.skipped + self.refused

    #: operations (server/offline.py) written, and those the server already had
    ops_sent: list[str] = field(default_factory=list)
    ops_skipped: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sent or self.skipped or self.messages or self.ops_sent or self.ops_skipped)


class QueueUnreadable(DossierError):
    """The queue file could not be read: it was set aside (``aside``), nothing deleted."""

    def __init__(self, path: Path, aside: Path, reason: str) -> None:
        super().__init__(
            f"Le fichier des saisies en attente « {path.name} » est illisible ({reason}) : "
            f"il est mis de côté sous « {aside.name} », rien n'est effacé. Les saisies qu'il "
            "contenait n'ont pas été envoyées au serveur."
        )
        self.aside = aside


class EditQueue:
    """The durable queue of one server dossier (opened at each use: nothing stays open)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")  # fsync at each commit: kept means on the disk
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if version == 0 and not tables:
                conn.execute(_SCHEMA)
                conn.execute(_OPS)
                conn.execute(f"PRAGMA user_version={_MARK}")
            elif version not in (_MARK, *_OLD_MARKS) or "edit" not in tables:
                raise sqlite3.DatabaseError("ce n'est pas un fichier de saisies en attente")
            elif create and (version != _MARK or "op" not in tables):
                # an older queue file, at its first write: the op table is added (a read changes nothing,
                # so a file found unreadable is set aside as it was)
                conn.execute(_OPS)
                conn.execute(f"PRAGMA user_version={_MARK}")
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _immediate(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction on the queue file (BEGIN IMMEDIATE … COMMIT, fsynced), then closed;
        an error leaves it uncommitted."""
        conn = self._connect(create=create)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        finally:
            conn.close()

    def keep(self, edits: dict[str, tuple[Any, Any]]) -> int:
        """Write ``{path: (old, new)}`` durably (an edit already kept for a path keeps its old value
        and its identity, only its new value changes). Returns the number of edits kept."""
        if not edits and not self.path.exists():
            return 0
        try:
            conn = self._connect(create=True)
        except sqlite3.DatabaseError as exc:
            raise self._set_aside(str(exc)) from None
        try:
            conn.execute("BEGIN IMMEDIATE")
            for path, (old, new) in edits.items():
                conn.execute(
                    "INSERT INTO edit (uid, path, old, new, at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(path) DO UPDATE SET new = excluded.new, at = excluded.at",
                    (str(uuid.uuid4()), path, _dump(old), _dump(new), utcnow()),
                )
            conn.execute("COMMIT")
            return _waiting(conn)
        except sqlite3.Error as exc:
            raise SaveFailed(
                f"les saisies en attente n'ont pas pu être gardées sur ce poste ({str(exc)[:80]})"
            ) from None
        finally:
            conn.close()

    def _rows(self, query: str, parse: Callable[[Any], Any], *, ops: bool = False) -> list[Any]:
        """The rows ``query`` reads, each through ``parse`` (a ValueError for a row it cannot trust);
        [] without a file (or, with ``ops``, without its ``op`` table: an older queue file); a file
        that cannot be read is set aside (QueueUnreadable)."""
        if not self.path.exists():
            return []
        try:
            conn = self._connect(create=False)
            try:
                if ops and not _has_ops_table(conn):
                    return []
                rows = conn.execute(query).fetchall()
            finally:
                conn.close()
            return [parse(r) for r in rows]
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise self._set_aside(str(exc)[:80]) from None

    def pending(self) -> list[Pending]:
        """Every kept edit, oldest first; QueueUnreadable (the file set aside) when it cannot be read."""

        def parse(row: Any) -> Pending:
            uid, path, old, new = row
            if not (isinstance(uid, str) and isinstance(path, str) and len(path) < 400):
                raise ValueError("une saisie n'a pas d'identité ou de champ lisible")
            return Pending(uid, path, _load(old), _load(new))

        return self._rows("SELECT uid, path, old, new FROM edit ORDER BY rowid", parse)

    def count(self) -> int:
        """Value edits and operations waiting (not the refused values kept for the user's choice)."""
        try:
            edits = len(self.pending())
        except QueueUnreadable:
            return 0
        if not self.path.exists():
            return edits
        conn = self._connect(create=False)
        try:  # counted, not read: a file attached offline may weigh up to 200 Mo
            return edits + (
                conn.execute("SELECT count(*) FROM op").fetchone()[0] if _has_ops_table(conn) else 0
            )
        except sqlite3.Error:
            return edits
        finally:
            conn.close()

    def attached(self) -> list[tuple[str, int, dict[str, Any]]]:
        """(uid, seq, payload) of each file attached offline, without its content."""
        rows = self._rows(
            "SELECT uid, seq, payload FROM op WHERE kind = 'attach' ORDER BY seq",
            lambda r: (str(r[0]), int(r[1]), load(str(r[2]))),
            ops=True,
        )
        return [(u, n, v) for u, n, v in rows if isinstance(v, dict)]

    def op_data(self, seq: int) -> bytes | None:
        """The content kept with one operation (a file attached offline)."""
        try:
            conn = self._connect(create=False)
            try:
                row = conn.execute("SELECT data FROM op WHERE seq = ?", (seq,)).fetchone()
            finally:
                conn.close()
        except (OSError, sqlite3.Error):
            return None
        return row[0] if row is not None and isinstance(row[0], bytes) else None

    # -- operations (rows, files, comments) made while the server was away ------------------------

    def keep_op(self, kind: str, payload: dict[str, Any], data: bytes | None = None) -> int:
        """Append one operation durably (fsync); the number of edits and operations now waiting."""
        if kind not in OP_KINDS:
            raise ValueError(kind)
        try:
            conn = self._connect(create=True)
        except sqlite3.DatabaseError as exc:
            raise self._set_aside(str(exc)) from None
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO op (uid, kind, payload, data, at) VALUES (?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), kind, dump(payload), data, utcnow()),
            )
            conn.execute("COMMIT")
            return _waiting(conn)
        except sqlite3.Error as exc:
            raise SaveFailed(f"l'opération n'a pas pu être gardée sur ce poste ({str(exc)[:80]})") from None
        finally:
            conn.close()

    def ops(self) -> list[Op]:
        """Every kept operation in its order; QueueUnreadable (the file set aside) when unreadable."""

        def parse(row: Any) -> Op:
            seq, uid, kind, payload, data = row
            if not (isinstance(uid, str) and kind in OP_KINDS and isinstance(payload, str)):
                raise ValueError("une opération n'a pas d'identité ou de nature lisible")
            if data is not None and not isinstance(data, bytes):
                raise ValueError("le contenu d'un fichier n'est pas lisible")
            value = load(payload)
            if not isinstance(value, dict):
                raise ValueError("une opération n'est pas lisible")
            return Op(int(seq), uid, kind, value, data)

        return self._rows("SELECT seq, uid, kind, payload, data FROM op ORDER BY seq", parse, ops=True)

    def has_ops(self) -> bool:
        """True when operations wait (cheap: their content is not read)."""
        return bool(self._rows("SELECT 1 FROM op LIMIT 1", lambda r: r, ops=True))

    def drop_ops(self, uids: list[str]) -> None:
        """Forget operations the server has now, or cancelled here (the file goes when empty)."""
        if not self.path.exists() or not uids:
            return
        with self._immediate(create=True) as conn:
            conn.executemany("DELETE FROM op WHERE uid = ?", [(u,) for u in uids])
        self.drop([])

    def drop_under(self, prefix: str) -> None:
        """Forget the kept value edits of paths starting with ``prefix`` (a row removed offline)."""
        if not self.path.exists():
            return
        with self._immediate() as conn:
            conn.execute("DELETE FROM edit WHERE substr(path, 1, ?) = ?", (len(prefix), prefix))

    def drop(self, uids: list[str]) -> None:
        """Forget edits the server has now (the file itself goes when it is empty)."""
        if not self.path.exists():
            return
        with self._immediate() as conn:
            conn.executemany("DELETE FROM edit WHERE uid = ?", [(u,) for u in uids])
            left = _waiting(conn)
            if _has_conflicts(conn):
                left += conn.execute("SELECT count(*) FROM conflict").fetchone()[0]
        if not left:
            self.path.unlink(missing_ok=True)

    def keep_conflict(self, uid: str, path: str, mine: Any, theirs: Any) -> None:
        """Keep my value refused because someone else changed the field (same uid: kept once)."""
        with self._immediate(create=True) as conn:
            conn.execute(_CONFLICTS)  # added to an older queue file at its first refused value
            conn.execute(
                "INSERT OR IGNORE INTO conflict (uid, path, mine, theirs, at) VALUES (?, ?, ?, ?, ?)",
                (uid, path, _dump(mine), _dump(theirs), utcnow()),
            )

    def conflicts(self) -> list[Refused]:
        """My values refused because someone else had changed the field, oldest first."""
        if not self.path.exists():
            return []
        conn = self._connect(create=False)
        try:
            if not _has_conflicts(conn):
                return []
            rows = conn.execute("SELECT uid, path, mine, theirs FROM conflict ORDER BY rowid").fetchall()
        finally:
            conn.close()
        return [Refused(uid, path, _load(mine), _load(theirs)) for uid, path, mine, theirs in rows]

    def set_theirs(self, uid: str, theirs: Any) -> None:
        """A newer value of theirs on a refused value's field (a third person changed it again): the
        one shown beside mine, and the one « Garder la mienne » may replace."""
        with self._immediate() as conn:
            conn.execute("UPDATE conflict SET theirs = ? WHERE uid = ?", (_dump(theirs), uid))

    def drop_conflict(self, uid: str) -> None:
        if not self.path.exists():
            return
        with self._immediate() as conn:
            conn.execute(_CONFLICTS)
            conn.execute("DELETE FROM conflict WHERE uid = ?", (uid,))
        self.drop([])

    def drop_paths(self, paths: list[str]) -> None:
        """Forget the kept edits of ``paths`` (written from the window's memory meanwhile)."""
        try:
            self.drop([p.uid for p in self.pending() if p.path in set(paths)])
        except (DossierError, sqlite3.Error):
            pass  # an unreadable file was set aside and said at the next replay

    def _set_aside(self, reason: str) -> QueueUnreadable:
        stamp = utcnow().replace(":", "").replace("-", "")[:15]
        aside = self.path.with_name(f"{self.path.stem}.illisible-{stamp}.sqlite")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.stem}.illisible-{stamp}-{n}.sqlite")
        try:
            self.path.rename(aside)
        except OSError:
            aside = self.path
        return QueueUnreadable(self.path, aside, reason)


@dataclass
class Op:
    """One row, file or comment operation kept while the server was away (server/offline.py)."""

    seq: int
    uid: str
    kind: str
    payload: dict[str, Any]
    data: bytes | None = None


def _waiting(conn: sqlite3.Connection) -> int:
    n = int(conn.execute("SELECT count(*) FROM edit").fetchone()[0])
    if _has_ops_table(conn):
        n += int(conn.execute("SELECT count(*) FROM op").fetchone()[0])
    return n


def _has_ops_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'op'").fetchone() is not None


def _has_conflicts(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'conflict'").fetchone() is not None


def _dump(value: Any) -> str | None:
    return None if value is None else dump(value)


def _load(text: Any) -> Any:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("une valeur n'est pas du texte")
    return load(text)


def waiting_message(count: int) -> str:
    """What the window's status says while the server is away."""
    if count <= 1:
        return "Serveur injoignable — 1 saisie en attente, gardée sur ce poste"
    return f"Serveur injoignable — {count} saisies en attente, gardées sur ce poste"


def queue_of(df: DossierFile) -> EditQueue | None:
    """The queue of a dossier on a server; None for a .spie file."""
    backend = df.store.backend
    address = getattr(backend, "address", None)
    return EditQueue(queue_path(address)) if isinstance(address, ServerAddress) else None


def keep_unsent(df: DossierFile, values: dict[str, Any]) -> int:
    """Keep the window's unsent ``{path: value}`` on this computer; the number of edits now waiting.
    The value each replaces is the one last read from the server (the same-field rule's reference)."""
    q = queue_of(df)
    if q is None:
        return 0
    kept = {p.path: p for p in _readable(q, ReplayReport())}
    edits = {path: (kept[path].old if path in kept else df.get(path), v) for path, v in values.items()}
    return q.keep(edits)


def _readable(q: EditQueue, report: ReplayReport) -> list[Pending]:
    try:
        return q.pending()
    except QueueUnreadable as exc:
        report.messages.append(str(exc))
        return []


def replay(df: DossierFile) -> ReplayReport:
    """Send the kept edits of ``df`` (at opening, or when the server is back). Twice is harmless.

    Raises SaveFailed when the server is still away (the edits stay kept)."""
    from .connect import EditConflict

    report = ReplayReport()
    q = queue_of(df)
    if q is None:
        return report
    edits = _readable(q, report)
    try:
        ops = q.ops()
    except QueueUnreadable as exc:
        report.messages.append(str(exc))
        return report  # the values were read from the file now set aside: sent at no time
    if not edits and not ops:
        return report
    _fresh(df)
    if ops:
        from .offline import replay_ops

        df.store.reload()  # what was shown offline (server/offline.py) gives way to the server's state
        df.store.backend.fix_header()  # type: ignore[union-attr]
        replay_ops(df, q, ops, report)
        edits = _readable(q, report)  # a row removed offline forgot the values typed in it
    done: list[str] = []
    try:
        for edit in edits:
            try:
                df.store.check_path(edit.path)
            except DossierError as exc:  # its row was removed meanwhile: my value is said, not lost
                from ..collab.history import show_value

                report.messages.append(
                    f"Votre saisie ({show_value(edit.new, 80)}) gardée sur ce poste n'a pas été envoyée "
                    f"au serveur : {exc}"
                )
                report.refused.append(edit.path)
                done.append(edit.uid)
                continue
            theirs = df.get(edit.path)
            if same_value(theirs, edit.new):
                report.skipped.append(edit.path)  # the server has it already: nothing doubled
            elif not same_value(theirs, edit.old):
                label = df.store.check_path(edit.path)[1].label
                report.messages.append(str(EditConflict(edit.path, edit.new, theirs, label)))
                report.refused.append(edit.path)
                q.keep_conflict(edit.uid, edit.path, edit.new, theirs)
            else:
                try:
                    df.set_value(edit.path, edit.new)
                    report.sent.append(edit.path)
                except EditConflict as exc:
                    report.messages.append(str(exc))
                    report.refused.append(edit.path)
                    q.keep_conflict(edit.uid, edit.path, edit.new, exc.theirs)
            done.append(edit.uid)
    finally:
        q.drop(done)
    return report


def keep_mine(df: DossierFile, uid: str) -> bool:
    """« Garder la mienne » for a refused value: it is written over theirs (if the field still
    holds theirs; else refused again, with the newer value kept) and forgotten. False when unknown."""
    from .connect import EditConflict

    q = queue_of(df)
    if q is None:
        return False
    found = [r for r in q.conflicts() if r.uid == uid]
    if not found:
        return False
    [refused] = found
    _fresh(df)
    theirs = df.get(refused.path)
    if not same_value(theirs, refused.mine):
        if not same_value(theirs, refused.theirs):
            label = df.store.check_path(refused.path)[1].label
            q.set_theirs(uid, theirs)  # the question stays, now about their newest value
            raise EditConflict(refused.path, refused.mine, theirs, label)
        df.set_value(refused.path, refused.mine)
    q.drop_conflict(uid)
    return True


def refused_now(df: DossierFile) -> list[Refused]:
    """My refused values, oldest first, each beside the newest value of theirs this computer knows
    (read from the server by the live view, or at the last save): a third person's change since the
    refusal replaces the one kept, durably, so « Garder la mienne » replaces what was shown."""
    q = queue_of(df)
    if q is None:
        return []
    found = q.conflicts()
    for i, refused in enumerate(found):
        try:
            df.store.check_path(refused.path)
        except DossierError:  # its row is gone: what was kept is shown as it was
            continue
        now = df.get(refused.path)
        if not same_value(now, refused.theirs) and not same_value(now, refused.mine):
            q.set_theirs(refused.uid, now)
            found[i] = Refused(refused.uid, refused.path, refused.mine, now)
    return found


def keep_refused(df: DossierFile, exc: BaseException) -> bool:
    """A save refused because someone else changed the field: my value is kept (see keep_mine)."""
    from .connect import EditConflict

    q = queue_of(df)
    if q is None or not isinstance(exc, EditConflict):
        return False
    try:
        q.keep_conflict(str(uuid.uuid4()), exc.path, exc.mine, exc.theirs)
    except sqlite3.Error:
        return False
    return True


def keep_theirs(df: DossierFile, uid: str) -> None:
    """« Garder la leur »: my refused value is forgotten."""
    q = queue_of(df)
    if q is not None:
        q.drop_conflict(uid)


def _fresh(df: DossierFile) -> None:
    """Reconnect when needed and read what others saved, so each edit is compared with the server's
    value of now; SaveFailed (« Serveur injoignable ») when it is still away."""
    from .connect import ServerLost

    backend = df.store.backend
    try:
        backend.before_transaction()  # type: ignore[union-attr]
        backend.refresh()  # type: ignore[union-attr]
    except SaveFailed:
        raise
    except DossierError as exc:
        raise ServerLost(getattr(exc, "detail", str(exc))) from None


def same_value(a: Any, b: Any) -> bool:
    """Two answers alike for the same-field rule (None and "" both mean empty)."""
    empty = (None, "")
    return (a in empty and b in empty) or (a == b and type(a) is type(b))
