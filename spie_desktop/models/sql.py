"""The SQLAlchemy names the dossier file writes with, imported at the first write.

Opening and reading a dossier use the sqlite3 connection directly so that the window paints
before SQLAlchemy (about 0.3 s of imports) is loaded; edits go through SQLAlchemy Core
statements built from the typed models in schema.py.
"""

from sqlalchemy import bindparam, create_engine, delete, insert, update  # noqa: F401
from sqlalchemy import text as sql_text  # noqa: F401
from sqlalchemy.exc import DBAPIError  # noqa: F401
from sqlalchemy.pool import StaticPool  # noqa: F401

from .schema import (  # noqa: F401
    AnswerRow, AttachmentRow, Base, ChangeRow, CommentRow, DossierRow, EntrustedSection, RepetitionRow,
)
