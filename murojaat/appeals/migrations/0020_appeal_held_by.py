"""The organisations that hold or held each appeal, as one indexed array (PostgreSQL only).

A regional executor's search for a common word must satisfy two predicates at once: the text
(GIN indexes of 0004/0006) and the scope (an assignment of the subtree). As a semi-join the
scope reads the region's whole history of assignments (issue 9: ~1 s at a million appeals,
growing with the years). With `held_by bigint[]` on the appeal and a GIN index on it, the scope
is `held_by && ARRAY[subtree ids]`, which PostgreSQL ANDs with the text bitmap.

The column is kept by the database, not by Django: a trigger on `appeals_assignment` rewrites
the appeal's array from its assignments whenever one is inserted, deleted or changes
organisation, so no code path (services, bulk loads, the admin) can leave it stale, and it is
exactly the set `selectors._held_by_subtree` reads. Django's model does not declare it (SQLite
has no arrays; there the search keeps the assignments' subquery): `selectors.search` reads it
through a raw expression. On SQLite this migration does nothing.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION appeals_refresh_held_by() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE appeals_appeal SET held_by = ARRAY(
            SELECT DISTINCT org_id FROM appeals_assignment
            WHERE appeal_id = OLD.appeal_id ORDER BY org_id
        ) WHERE id = OLD.appeal_id;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        UPDATE appeals_appeal SET held_by = ARRAY(
            SELECT DISTINCT org_id FROM appeals_assignment
            WHERE appeal_id = NEW.appeal_id ORDER BY org_id
        ) WHERE id = NEW.appeal_id;
    ELSIF TG_OP = 'INSERT' THEN
        UPDATE appeals_appeal SET held_by = array_append(held_by, NEW.org_id::bigint)
        WHERE id = NEW.appeal_id AND NOT held_by @> ARRAY[NEW.org_id::bigint];
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

FORWARD = [
    "ALTER TABLE appeals_appeal ADD COLUMN IF NOT EXISTS held_by bigint[] NOT NULL DEFAULT '{}'",
    FUNCTION,
    "DROP TRIGGER IF EXISTS appeals_assignment_held_by ON appeals_assignment",
    "CREATE TRIGGER appeals_assignment_held_by "
    "AFTER INSERT OR DELETE OR UPDATE OF org_id, appeal_id ON appeals_assignment "
    "FOR EACH ROW EXECUTE FUNCTION appeals_refresh_held_by()",
    "UPDATE appeals_appeal a SET held_by = h.orgs FROM ("
    "  SELECT appeal_id, array_agg(DISTINCT org_id ORDER BY org_id) AS orgs"
    "  FROM appeals_assignment GROUP BY appeal_id) h WHERE h.appeal_id = a.id",
    "CREATE INDEX IF NOT EXISTS appeal_held_by_gin ON appeals_appeal USING gin (held_by)",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS appeals_assignment_held_by ON appeals_assignment",
    "DROP FUNCTION IF EXISTS appeals_refresh_held_by()",
    "DROP INDEX IF EXISTS appeal_held_by_gin",
    "ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS held_by",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0019_assignment_org_sent_index")]
    operations = [migrations.RunPython(forward, backward)]
