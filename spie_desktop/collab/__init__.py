"""Working together offline: partner copies, three-way merge of change logs, history.

No Qt here: the window (ui/collab_dialogs.py) and the command line call these functions.
"""

from .copies import PartnerCopy, make_partner_copy
from .history import HistoryEntry, history, restore, snapshot_at
from .merge import (
    Conflict,
    ConflictKind,
    Contribution,
    ForeignDossier,
    MergeCounts,
    MergeOutcome,
    MergeResult,
    UnrelatedCopies,
    merge,
    preview,
)

__all__ = [
    "Conflict",
    "ConflictKind",
    "Contribution",
    "ForeignDossier",
    "HistoryEntry",
    "MergeCounts",
    "MergeOutcome",
    "MergeResult",
    "PartnerCopy",
    "UnrelatedCopies",
    "history",
    "make_partner_copy",
    "merge",
    "preview",
    "restore",
    "snapshot_at",
]
