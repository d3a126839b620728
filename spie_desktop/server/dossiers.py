"""Opening, creating and preparing dossiers on a PostgreSQL server.

One database holds many dossiers, each in its own schema ``spie_<id>`` with the tables of a .spie
file (models/schema.py, the same Alembic revisions) plus ``field_section``, the map from fields to
sections that the row-level security policies of rights.py read.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..forms import Template
from ..models.constants import HEAD_REVISION
from ..models.dossier_file import DossierFile
from ..models.errors import DossierError
from ..models.records import utcnow
from ..models.values import dump
from . import rights
from .address import SCHEMA_PREFIX, ServerAddress, parse_address, server_target
from .backend import ServerBackend, engine_over, set_search_path
from .connect import PgRaw, connect, read_error, write_error

if TYPE_CHECKING:
    import psycopg


def _schema_state(conn: psycopg.Connection[Any], schema: str) -> tuple[bool, bool, str | None]:
    """(exists, may use, its Alembic revision — None too when the server's own objects are of another generation)."""
    row = conn.execute(
        "SELECT has_schema_privilege(oid, 'USAGE'), obj_description(oid, 'pg_namespace') = %s "
        "FROM pg_namespace WHERE nspname = %s",
        (rights.SERVER_MARK, schema),
    ).fetchone()
    if row is None:
        conn.commit()
        return False, False, None
    if not row[0]:
        conn.commit()
        return True, False, None
    rev = conn.execute(
        "SELECT CASE WHEN to_regclass(quote_ident(%s) || '.alembic_version') IS NULL THEN NULL ELSE 'x' END",
        (schema,),
    ).fetchone()
    version = None
    if rev and rev[0] and row[1]:
        from psycopg import sql as pgsql

        found = conn.execute(
            pgsql.SQL("SELECT version_num FROM {}.alembic_version").format(pgsql.Identifier(schema))
        ).fetchone()
        version = found[0] if found else None
    conn.commit()
    return True, True, version


def _address(target: object) -> ServerAddress:
    found = server_target(target)
    if found is None:
        raise DossierError(f"« {target} » n'est pas une adresse de serveur.")
    return found


def open_server_dossier(
    target: str | ServerAddress, *, read_only: bool = False, author: str = "", organisation: str = ""
) -> DossierFile:
    """The dossier at ``target`` (an address), or a French DossierError (unreachable, password, missing, rights)."""
    import psycopg

    address = _address(target)
    if address.dossier is None:
        parse_address(address.shown_address())  # says the dossier is missing, in French
    conn = connect(address)
    try:
        exists, usable, version = _schema_state(conn, address.schema)
        if not exists:
            raise DossierError(
                f"Le dossier « {address.dossier} » n'existe pas sur le serveur "
                f"({address.shown_address()}) : vérifiez son identifiant, ou créez-le "
                "(spie-desktop new … ou import … avec cette adresse)."
            )
        if not usable:
            raise read_error(psycopg.errors.InsufficientPrivilege("permission denied"))
        if version != HEAD_REVISION:
            raise DossierError(
                f"Le dossier « {address.dossier} » sur le serveur n'est pas à jour pour cette "
                "version de l'application : le service informatique le met à jour avec "
                "« spie-desktop server init ADRESSE »."
            )
        set_search_path(conn, address.schema)
        raw = PgRaw(conn)
        df = DossierFile(address.location(), raw, None, read_only)  # type: ignore[arg-type]
    except BaseException:
        conn.close()
        raise
    return _attach(df, address, raw, author, organisation)


def _attach(
    df: DossierFile, address: ServerAddress, raw: PgRaw, author: str, organisation: str
) -> DossierFile:
    df.store.backend = backend = ServerBackend(df.store, address, raw)
    backend.read_role()
    backend.fix_header()
    df.store.use_engine(engine_over(raw.conn))
    df.author, df.organisation = author, organisation
    try:
        df.template  # noqa: B018 - fail now, not at the first edit
    except LookupError as exc:
        df.close()
        from ..forms.registry import UnknownTemplateError

        if isinstance(exc, UnknownTemplateError):
            raise
        raise UnknownTemplateError(str(exc)) from None
    if not df.read_only:
        _send_kept(df, backend)
    return df


def _send_kept(df: DossierFile, backend: ServerBackend) -> None:
    """Before the dossier is shown: the edits kept on this computer while the server was away
    (server/queue.py) are sent; what could not be is said in ``backend.replayed.messages``."""
    from ..models.errors import SaveFailed
    from .queue import replay

    try:
        backend.replayed = replay(df)
    except SaveFailed as exc:  # gone again at once: the edits stay kept for the next try
        backend.replayed.messages.append(str(exc))


def create_server_dossier(
    target: str | ServerAddress,
    template: Template,
    title: str,
    *,
    author: str = "",
    organisation: str = "",
    dossier_id: str | None = None,
    created_at: str | None = None,
) -> DossierFile:
    """A new, empty dossier on the server (its schema, tables, rights); refuses one that exists."""
    from sqlalchemy import insert
    from sqlalchemy.exc import DBAPIError

    from ..models.schema import Base, DossierRow

    address = _address(target)
    schema = address.schema
    conn = connect(address)
    engine = engine_over(conn)
    try:
        if _schema_state(conn, schema)[0]:
            raise DossierError(
                f"Le dossier « {address.dossier} » existe déjà sur le serveur : choisissez un "
                "autre identifiant."
            )
        missing = conn.execute(
            "SELECT %s::text[] <@ array(SELECT rolname::text FROM pg_roles)", (list(rights.GROUPS),)
        ).fetchone()
        conn.commit()
        if not missing or not missing[0]:
            raise DossierError(
                "Le serveur n'est pas préparé : le service informatique lance d'abord "
                "« spie-desktop server init ADRESSE »."
            )
        now = created_at or utcnow()
        try:
            with engine.begin() as c:
                c.exec_driver_sql(f"CREATE SCHEMA {rights.q(schema)}")
                c.exec_driver_sql(f"SET search_path TO {rights.q(schema)}")
                Base.metadata.create_all(c, checkfirst=False)
                c.exec_driver_sql(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
                )
                c.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')")
                c.execute(
                    insert(DossierRow).values(
                        id=dossier_id or str(uuid.uuid4()),
                        template_id=template.id,
                        template_version=template.version,
                        title=title,
                        created_at=now,
                        updated_at=now,
                        template_json=dump(dict(template.raw)) if template.raw else "",
                        replica_id=str(uuid.uuid4()),
                        counter=0,
                    )
                )
                _prepare_schema(c, schema, template)
        except DBAPIError as exc:
            raise write_error(exc) from None
    except BaseException:
        engine.dispose()
        conn.close()
        raise
    engine.dispose()
    conn.close()
    df = open_server_dossier(address, author=author, organisation=organisation)
    df.store.template = template
    return df


def _prepare_schema(c: Any, schema: str, template: Template) -> None:
    """The field → section map, grants, policies and triggers of one dossier schema (idempotent)."""

    for stmt in rights.dossier_sql(schema):
        c.exec_driver_sql(stmt)
    write_field_sections(c, schema, template)


def write_field_sections(c: Any, schema: str, template: Template) -> None:
    """The field → section map a partner's rights are checked against (``may_write``), from ``template``."""
    from sqlalchemy import text

    c.exec_driver_sql(f"DELETE FROM {rights.q(schema)}.field_section")
    pairs = rights.field_sections(template)
    if pairs:
        c.execute(
            text(f"INSERT INTO {rights.q(schema)}.field_section (field_id, section_id) VALUES (:f, :s)"),
            [{"f": f, "s": s} for f, s in pairs],
        )


def init_server(target: str) -> list[str]:
    """Create the group roles and the database's grants, upgrade every dossier schema; what was done, in French."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    from ..models.migrate import alembic_config
    from ..models.records import HEADER_COLUMNS, Header
    from ..models.template_source import resolve_template

    address = parse_address(target, need_dossier=False)
    conn = connect(address)
    engine = engine_over(conn)
    done: list[str] = []
    try:
        with engine.begin() as c:
            for stmt in rights.roles_sql():
                c.exec_driver_sql(stmt)
            base = c.exec_driver_sql("SELECT current_database()").scalar_one()
            for stmt in rights.database_sql(base):
                c.exec_driver_sql(stmt)
        done.append(f"Rôles de groupe prêts : {', '.join(rights.GROUPS)}.")
        schemas = [
            r[0]
            for r in conn.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s AND "
                "to_regclass(quote_ident(nspname) || '.dossier') IS NOT NULL ORDER BY 1",
                (SCHEMA_PREFIX.replace("_", r"\_") + "%",),
            ).fetchall()
        ]
        conn.commit()
        if address.dossier is not None and address.schema not in schemas:
            done.append(
                f"Le dossier « {address.dossier} » n'existe pas encore : créez-le avec "
                "« spie-desktop new » ou « spie-desktop import » et cette adresse."
            )
        for schema in schemas:
            with engine.begin() as c:
                c.exec_driver_sql(f"SET search_path TO {rights.q(schema)}")
                cfg = alembic_config()
                cfg.attributes["connection"] = c
                command.upgrade(cfg, "head")
                row = c.exec_driver_sql(f"SELECT {', '.join(HEADER_COLUMNS)} FROM dossier").fetchone()
                template = resolve_template(Header(*tuple(row or ())), Path(schema))
                _prepare_schema(c, schema, template)
            done.append(f"Dossier à jour : {schema}.")
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":
            raise DossierError(
                "« server init » se lance avec un rôle administrateur de PostgreSQL (qui peut créer "
                "des rôles, propriétaire de la base et des dossiers) : "
                f"{str(exc.orig).strip().splitlines()[0][:120]}"
            ) from None
        raise write_error(exc) from None
    finally:
        engine.dispose()
        conn.close()
    return done


def list_server_dossiers(target: str) -> list[tuple[str, str]]:
    """(schema, title) of the dossiers this role may open in the base."""
    address = parse_address(target, need_dossier=False)
    conn = connect(address)
    try:
        out = []
        for (schema,) in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'spie\\_%%' "
            "AND has_schema_privilege(oid, 'USAGE') ORDER BY 1"
        ).fetchall():
            from psycopg import sql as pgsql

            try:
                row = conn.execute(
                    pgsql.SQL("SELECT title FROM {}.dossier").format(pgsql.Identifier(schema))
                ).fetchone()
            except Exception:  # noqa: BLE001 - not a dossier schema
                conn.rollback()
                continue
            out.append((schema, row[0] if row else ""))
        conn.commit()
        return out
    finally:
        conn.close()
