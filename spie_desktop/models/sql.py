"""The SQLAlchemy names the dossier file writes with, imported at the first write.

Opening and reading a dossier use the sqlite3 connection directly so that the window paints
before SQLAlchemy (about 0.3 s of imports) is loaded; edits go through SQLAlchemy Core
statements built from the typed models in schema.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy import (  # noqa: F401
    bindparam,
    create_engine,
    delete,
    event,
    insert,
    text as sql_text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError  # noqa: F401
from sqlalchemy.pool import NullPool, Pool, StaticPool  # noqa: F401

from .connection import drop_application_functions
from .schema import (  # noqa: F401
    AnswerRow,
    AttachmentRow,
    Base,
    ChangeRow,
    CommentRow,
    DossierRow,
    EntrustedSection,
    RepetitionRow,
)


def engine_for(creator: Callable[[], sqlite3.Connection], poolclass: type[Pool] = StaticPool) -> Engine:
    """An engine over our own (hardened) sqlite3 connections, without the Python ``regexp()``/``floor()``
    SQLAlchemy's pysqlite dialect registers on each connection: a trigger in a file could call them."""
    engine = create_engine("sqlite+pysqlite://", creator=creator, poolclass=poolclass)

    @event.listens_for(engine, "connect")
    def _no_application_functions(dbapi_connection, _record) -> None:  # runs after the dialect's own
        drop_application_functions(dbapi_connection)

    return engine
