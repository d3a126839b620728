"""Numbers that identify a .spie file, importable without SQLAlchemy (opening stays fast)."""

#: PRAGMA application_id of a .spie file ("SPIE" in ASCII).
APPLICATION_ID = 0x53504945
#: PRAGMA user_version: the schema generation, checked without Alembic at every open.
SCHEMA_VERSION = 2
#: The Alembic revision matching SCHEMA_VERSION.
HEAD_REVISION = "0002_collaboration"
REVISION_FOR_VERSION = {1: "0001_initial", 2: "0002_collaboration"}
