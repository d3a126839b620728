"""Keeping Python's full garbage collections out of the user's way (issue 14).

A dossier open in the window holds tens of thousands of long-lived Python objects (its snapshot,
the section forms, their Qt wrappers). Python's cyclic collector walks all of them at each full
collection, which it starts on its own while new objects are made — in the middle of the first
visit of a section, where it cost 60 ms at 10× the example's rows (and more at 100×).

Once a dossier is shown, and again once a section has been built, :func:`settle` moves the objects
alive at that moment out of the collector's sight (``gc.freeze``): later collections walk only
what was made since, so they stay short. The young generations are collected first, so the
short-lived garbage of the visit is not kept. When the dossier is closed, :func:`release` gives
every object back to the collector, so whatever the closed dossier left in reference cycles is
freed as usual: nothing is leaked across dossiers.
"""

from __future__ import annotations

import gc

from . import after_paint


def settle() -> None:
    """The objects alive now are long-lived: collections no longer walk them. During start-up the
    collector is off and the first paint freezes what start-up made (after_paint.py): nothing here,
    where a collection of the young generations would walk every start-up object (12 ms)."""
    if after_paint.starting_up():
        return
    gc.collect(1)  # the young generations only: cheap, and the visit's own garbage goes
    gc.freeze()


def release() -> None:
    """A dossier was closed: every object is the collector's again (its cycles are freed)."""
    gc.unfreeze()
