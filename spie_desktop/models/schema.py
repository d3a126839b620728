"""The tables of a .spie file (SQLAlchemy 2 typed models).

Values are stored as JSON text so that a decimal stays "1234.50" and a date "2022-01-01": the
file never holds a float. Each schema change comes with an Alembic revision in migrations/.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

from .constants import APPLICATION_ID, HEAD_REVISION, REVISION_FOR_VERSION, SCHEMA_VERSION  # noqa: F401


class Base(DeclarativeBase):
    pass


class DossierRow(Base):
    """The single row describing the dossier."""

    __tablename__ = "dossier"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))
    template_json: Mapped[str] = mapped_column(Text, default="")  # the form, so any PC can open the file
    replica_id: Mapped[str] = mapped_column(String(36), default="")  # this copy of the file
    counter: Mapped[int] = mapped_column(Integer, default=0)  # changes made in this copy


class AnswerRow(Base):
    __tablename__ = "answer"
    path: Mapped[str] = mapped_column(String(200), primary_key=True)  # "field" or "rep[row_id].child"
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[str] = mapped_column(String(40))


class RepetitionRow(Base):
    __tablename__ = "row"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    field_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(40))


class ChangeRow(Base):
    """Append-only: who changed what, when, in which copy of the file."""

    __tablename__ = "change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    author: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    op: Mapped[str] = mapped_column(String(20))  # set, row_add, row_remove, row_move, attach, detach, title…
    path: Mapped[str] = mapped_column(String(200))
    old: Mapped[str | None] = mapped_column(Text)  # JSON
    new: Mapped[str | None] = mapped_column(Text)  # JSON
    replica_id: Mapped[str] = mapped_column(String(36), default="")
    counter: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_change_path", "path"), Index("ix_change_replica", "replica_id", "counter"))


class AttachmentRow(Base):
    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))  # read only when asked for


class CommentRow(Base):
    __tablename__ = "comment"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    path: Mapped[str] = mapped_column(String(200), index=True)
    author: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[str | None] = mapped_column(String(40))


class EntrustedSection(Base):
    """A section entrusted to a partner ("Section confiée à : Mission locale du …")."""

    __tablename__ = "entrusted_section"
    section_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner: Mapped[str] = mapped_column(Text)


__all__ = [
    "APPLICATION_ID",
    "HEAD_REVISION",
    "SCHEMA_VERSION",
    "AnswerRow",
    "AttachmentRow",
    "Base",
    "ChangeRow",
    "CommentRow",
    "DossierRow",
    "EntrustedSection",
    "RepetitionRow",
]
