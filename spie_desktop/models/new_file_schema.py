"""``sqlite_master`` in a dossier file as ``DossierFile.create`` writes it, per schema version: what
:mod:`.schema_check` accepts at once and :mod:`.schema_compare` builds its reference from."""

from __future__ import annotations

# What this version creates: ``sqlite_master`` of a new file, as DossierFile.create writes it
# (schema.py through SQLAlchemy, plus alembic_version), row for row. Column types, names, order and
# primary keys matter; NOT NULL and constant defaults vary between a file made new and one migrated,
# so the full comparison (schema_compare.py) does not compare them. A file holding exactly these
# rows is a new file's schema: accepted at once, without loading that comparison or building its
# reference (7 ms of each opening; start-up, issue 14); any other, a migrated one included, goes
# through the full comparison.
# tests/models/test_schema_check.py proves these are a new file's rows (and prints the new ones
# when the tables change) and that the migration writes the same tables.
NEW_FILE_ROWS: dict[int, frozenset[tuple[str, str, str, str | None]]] = {
    2: frozenset(
        {
            (
                "index",
                "ix_attachment_path",
                "attachment",
                "CREATE INDEX ix_attachment_path ON attachment (path)",
            ),
            ("index", "ix_change_path", "change", "CREATE INDEX ix_change_path ON change (path)"),
            (
                "index",
                "ix_change_replica",
                "change",
                "CREATE INDEX ix_change_replica ON change (replica_id, counter)",
            ),
            ("index", "ix_comment_path", "comment", "CREATE INDEX ix_comment_path ON comment (path)"),
            ("index", "ix_row_field_id", "row", 'CREATE INDEX ix_row_field_id ON "row" (field_id)'),
            ("index", "sqlite_autoindex_alembic_version_1", "alembic_version", None),
            ("index", "sqlite_autoindex_answer_1", "answer", None),
            ("index", "sqlite_autoindex_comment_1", "comment", None),
            ("index", "sqlite_autoindex_dossier_1", "dossier", None),
            ("index", "sqlite_autoindex_entrusted_section_1", "entrusted_section", None),
            ("index", "sqlite_autoindex_row_1", "row", None),
            (
                "table",
                "alembic_version",
                "alembic_version",
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            ),
            (
                "table",
                "answer",
                "answer",
                "CREATE TABLE answer (\n\tpath VARCHAR(200) NOT NULL, \n\tvalue TEXT NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tPRIMARY KEY (path)\n)",
            ),
            (
                "table",
                "attachment",
                "attachment",
                "CREATE TABLE attachment (\n\tid INTEGER NOT NULL, \n\tpath VARCHAR(200) NOT NULL, \n\tname TEXT NOT NULL, \n\tmedia_type VARCHAR(100) NOT NULL, \n\tsize INTEGER NOT NULL, \n\tsha256 VARCHAR(64) NOT NULL, \n\tadded_at VARCHAR(40) NOT NULL, \n\tdata BLOB, \n\tPRIMARY KEY (id)\n)",
            ),
            (
                "table",
                "change",
                "change",
                "CREATE TABLE change (\n\tid INTEGER NOT NULL, \n\tat VARCHAR(40) NOT NULL, \n\tauthor TEXT NOT NULL, \n\torganisation TEXT NOT NULL, \n\top VARCHAR(20) NOT NULL, \n\tpath VARCHAR(200) NOT NULL, \n\told TEXT, \n\tnew TEXT, \n\treplica_id VARCHAR(36) NOT NULL, \n\tcounter INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
            ),
            (
                "table",
                "comment",
                "comment",
                "CREATE TABLE comment (\n\tid VARCHAR(36) NOT NULL, \n\tpath VARCHAR(200) NOT NULL, \n\tauthor TEXT NOT NULL, \n\torganisation TEXT NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\ttext TEXT NOT NULL, \n\tresolved BOOLEAN NOT NULL, \n\tresolved_at VARCHAR(40), \n\tPRIMARY KEY (id)\n)",
            ),
            (
                "table",
                "dossier",
                "dossier",
                "CREATE TABLE dossier (\n\tid VARCHAR(36) NOT NULL, \n\ttemplate_id VARCHAR(100) NOT NULL, \n\ttemplate_version VARCHAR(50) NOT NULL, \n\ttitle TEXT NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\ttemplate_json TEXT NOT NULL, \n\treplica_id VARCHAR(36) NOT NULL, \n\tcounter INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
            ),
            (
                "table",
                "entrusted_section",
                "entrusted_section",
                "CREATE TABLE entrusted_section (\n\tsection_id VARCHAR(64) NOT NULL, \n\tpartner TEXT NOT NULL, \n\tPRIMARY KEY (section_id)\n)",
            ),
            (
                "table",
                "row",
                "row",
                'CREATE TABLE "row" (\n\tid VARCHAR(40) NOT NULL, \n\tfield_id VARCHAR(64) NOT NULL, \n\tposition INTEGER NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tPRIMARY KEY (id)\n)',
            ),
        }
    ),
}
