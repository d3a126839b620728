"""The rights on a PostgreSQL server, enforced by the server itself (not by the window).

Three NOLOGIN group roles, granted to each person's own LOGIN role by the département's IT:

* ``spie_coordinator`` — reads and writes everything, creates dossiers, entrusts sections;
* ``spie_partner`` — reads everything, writes answers, table rows and attachments only in the
  sections entrusted to them (``entrusted_section.partner`` names a role they belong to), comments;
* ``spie_reviewer`` — reads everything, writes comments only.

Row-level security makes a partner's write to another section fail even through ``psql``. The
change log's author is set by a trigger to ``current_user`` for every change made on the server, and
so is a new comment's: whatever author a client or ``psql`` sends is replaced by the connected role.
Only a coordinator's merge keeps the authors of the comments it brings from a copy (it asks for it in
its transaction, ``spie.keep_author``, as it records the copy's own change rows); a partner's or a
reviewer's merge writes them as that role's, like the rest of what it brings.
"""

from __future__ import annotations

from ..forms import Template

#: The generation of the server-only objects of a dossier schema (sequence, policies, triggers, columns),
#: written as the schema's comment; ``server init`` brings every dossier to it.
SERVER_FORMAT = 3
SERVER_MARK = f"spie-server {SERVER_FORMAT}"
COORDINATOR, PARTNER, REVIEWER = "spie_coordinator", "spie_partner", "spie_reviewer"
GROUPS = (COORDINATOR, PARTNER, REVIEWER)
#: The transaction setting with which a coordinator's merge keeps the authors of a copy's comments.
KEEP_AUTHOR = "spie.keep_author"
#: Tables whose rows belong to a field (column giving ``field`` or ``field[row].child``).
FIELD_TABLES = {
    "answer": "split_part(path, '[', 1)",
    "row": "field_id",
    "attachment": "split_part(path, '[', 1)",
}


def q(name: str) -> str:
    """A quoted SQL identifier (names here are ours: letters, digits and _)."""
    return '"' + name.replace('"', '""') + '"'


def roles_sql() -> list[str]:
    """Create the three group roles when missing (needs CREATEROLE)."""
    out = []
    for role in GROUPS:
        out.append(
            f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} NOLOGIN; END IF; END$$"
        )
    return out


def database_sql(base: str) -> list[str]:
    return [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {q(base)} TO {', '.join(GROUPS)}",
        f"GRANT CREATE ON DATABASE {q(base)} TO {COORDINATOR}",  # a coordinator creates dossiers (schemas)
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    ]


def field_sections(template: Template) -> list[tuple[str, str]]:
    """(field id, section id) of every top-level field: what a partner's rights are checked against."""
    out: list[tuple[str, str]] = []
    for section in template.sections:
        for f in section.fields:
            out.append((f.id, section.id))
    return out


def dossier_sql(schema: str) -> list[str]:
    """Grants, row-level security and triggers of one dossier's schema (idempotent)."""
    s = q(schema)
    all_groups = ", ".join(GROUPS)
    seq = f"{s}.change_counter"
    stmts = [
        # the server's change counter: a sequence, so concurrent edits never wait on the dossier's row
        f"CREATE SEQUENCE IF NOT EXISTS {seq}",
        f"""SELECT setval('{seq}', greatest(m, 1), m > 0) FROM (SELECT greatest(
              coalesce((SELECT max(counter) FROM {s}.change WHERE replica_id = (SELECT replica_id FROM {s}.dossier)), 0),
              (SELECT counter FROM {s}.dossier),
              (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {seq})) AS m) AS top""",
        # server only: the last change when the dates were set (an import keeps its document's dates);
        # « modifié le » is the latest of those dates and of the changes made since (ServerBackend)
        f"ALTER TABLE {s}.dossier ADD COLUMN IF NOT EXISTS dates_after bigint NOT NULL DEFAULT 0",
        f"CREATE TABLE IF NOT EXISTS {s}.field_section (field_id varchar(64) PRIMARY KEY, "
        "section_id varchar(64) NOT NULL)",
        f"GRANT USAGE ON SCHEMA {s} TO {all_groups}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {all_groups}",
        f"GRANT ALL ON ALL TABLES IN SCHEMA {s} TO {COORDINATOR}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {all_groups}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {COORDINATOR}",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.answer, {s}.row, {s}.attachment TO {PARTNER}",
        f"GRANT INSERT ON {s}.change, {s}.comment TO {PARTNER}, {REVIEWER}",
        f"GRANT UPDATE (resolved, resolved_at) ON {s}.comment TO {PARTNER}, {REVIEWER}",
        f"GRANT UPDATE (updated_at, counter) ON {s}.dossier TO {PARTNER}, {REVIEWER}",
        # may the current role write in the section of this field? (entrusted to a role it belongs to)
        f"""CREATE OR REPLACE FUNCTION {s}.may_write(field text) RETURNS boolean LANGUAGE sql STABLE
            SET search_path = pg_catalog AS $f$
            SELECT pg_has_role(current_user, '{COORDINATOR}', 'MEMBER') OR EXISTS (
              SELECT 1 FROM {s}.field_section f JOIN {s}.entrusted_section e ON e.section_id = f.section_id
              JOIN pg_roles r ON r.rolname = e.partner
              WHERE f.field_id = field AND pg_has_role(current_user, r.oid, 'MEMBER'))
            $f$""",
        # every change made on the server: its author is the connected role, its counter the server's next
        f"""CREATE OR REPLACE FUNCTION {s}.stamp_change() RETURNS trigger LANGUAGE plpgsql
            SET search_path = pg_catalog AS $f$
            DECLARE own text;
            BEGIN
              SELECT replica_id INTO own FROM {s}.dossier;
              IF NEW.replica_id = own THEN
                NEW.author := current_user;
                NEW.counter := nextval('{seq}');
              END IF;
              -- heard by the others' watchers at commit (server/notify.py): the change, who made it
              PERFORM pg_notify('{schema}', NEW.id::text || ' ' || pg_backend_pid()::text);
              RETURN NEW;
            END $f$""",
        f"DROP TRIGGER IF EXISTS stamp_change ON {s}.change",
        f"CREATE TRIGGER stamp_change BEFORE INSERT ON {s}.change FOR EACH ROW EXECUTE FUNCTION {s}.stamp_change()",
        # a new comment is signed by the connected role; a coordinator merging a copy keeps its authors
        f"""CREATE OR REPLACE FUNCTION {s}.stamp_comment() RETURNS trigger LANGUAGE plpgsql
            SET search_path = pg_catalog AS $f$
            BEGIN
              IF NOT (coalesce(current_setting('{KEEP_AUTHOR}', true), '') = 'on'
                      AND pg_has_role(current_user, '{COORDINATOR}', 'MEMBER')) THEN
                NEW.author := current_user;
              END IF;
              RETURN NEW;
            END $f$""",
        f"DROP TRIGGER IF EXISTS stamp_comment ON {s}.comment",
        f"CREATE TRIGGER stamp_comment BEFORE INSERT ON {s}.comment FOR EACH ROW EXECUTE FUNCTION {s}.stamp_comment()",
        # a client's cached counter is behind others' edits: the server's counter never goes back
        f"""CREATE OR REPLACE FUNCTION {s}.keep_counter() RETURNS trigger LANGUAGE plpgsql
            SET search_path = pg_catalog AS $f$
            BEGIN
              NEW.counter := greatest(OLD.counter, NEW.counter);
              IF NEW.updated_at IS DISTINCT FROM OLD.updated_at OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
                NEW.dates_after := coalesce((SELECT max(id) FROM {s}.change), 0);
              END IF;
              RETURN NEW;
            END $f$""",
        f"DROP TRIGGER IF EXISTS keep_counter ON {s}.dossier",
        f"CREATE TRIGGER keep_counter BEFORE UPDATE ON {s}.dossier FOR EACH ROW EXECUTE FUNCTION {s}.keep_counter()",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {s} TO {all_groups}",
        f"COMMENT ON SCHEMA {s} IS '{SERVER_MARK}'",
    ]
    for table in ("answer", "row", "attachment", "change", "comment", "entrusted_section", "field_section"):
        t = f"{s}.{q(table)}"
        stmts += [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY"]
        for name in ("spie_read", "spie_coordinator", "spie_partner_write", "spie_comment"):
            stmts.append(f"DROP POLICY IF EXISTS {name} ON {t}")
        stmts.append(f"CREATE POLICY spie_read ON {t} FOR SELECT USING (true)")
        stmts.append(f"CREATE POLICY spie_coordinator ON {t} TO {COORDINATOR} USING (true) WITH CHECK (true)")
        if table in FIELD_TABLES:
            check = f"{s}.may_write({FIELD_TABLES[table]})"
            stmts.append(
                f"CREATE POLICY spie_partner_write ON {t} TO {PARTNER} USING ({check}) WITH CHECK ({check})"
            )
        elif table in ("change", "comment"):
            # partners and reviewers add their own changes and comments (a change made here: this replica)
            own = f"replica_id = (SELECT replica_id FROM {s}.dossier)" if table == "change" else "true"
            stmts.append(f"CREATE POLICY spie_comment ON {t} TO {PARTNER}, {REVIEWER} WITH CHECK ({own})")
            if table == "comment":
                stmts.append(
                    f"CREATE POLICY spie_partner_write ON {t} FOR UPDATE TO {PARTNER}, {REVIEWER} "
                    "USING (true) WITH CHECK (true)"
                )
    return stmts
