"""The one root of the errors a user can meet, so that the CLI and the window catch them in one place.

Every exception that can reach a person derives from ``SpieError`` and carries a French message fit to
show as is (``str(exc)``); some also derive from the builtin they used to be (``ValueError``,
``LookupError``) so that existing ``except`` clauses keep working. Anything else that escapes is a bug:
it goes to the log file, never to the screen as a traceback.
"""

from __future__ import annotations


class SpieError(Exception):
    """Base of the errors a user can meet; ``str()`` is the French message."""
