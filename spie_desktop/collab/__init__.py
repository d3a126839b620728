"""Working together offline: partner copies, three-way merge of change logs, history.

No Qt here: the window (ui/collab_dialogs.py) and the command line call these functions.
"""

from .copies import PartnerCopy, make_partner_copy
from .merge import (
    Conflict, ConflictKind, Contribution, ForeignDossier, MergeCounts, MergeOutcome, MergeResult, UnrelatedCopies,
    merge, preview,
)

__all__ = [
    "Conflict", "ConflictKind", "Contribution", "ForeignDossier", "MergeCounts", "MergeOutcome", "MergeResult",
    "PartnerCopy", "UnrelatedCopies", "make_partner_copy", "merge", "preview",
]
