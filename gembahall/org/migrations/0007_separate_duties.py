"""三员分立 in the database: at most one active administrator role per person
(a partial unique index, the same on SQLite and PostgreSQL), and a trigger
that refuses any other active role beside an administrator role. A trigger's
language differs between the two databases, so each gets its own; on
PostgreSQL it locks the person's row first, so that two grants to one person
at the same moment are checked one after the other."""

from django.db import migrations, models

ADMIN = "('sysadmin', 'security_admin', 'auditor')"
MESSAGE = "separated duties: an administrator role excludes every other role"
CONFLICT = f"""
    SELECT 1 FROM org_roleassignment AS other
    WHERE other.person_id = NEW.person_id AND other.valid_to IS NULL
      AND other.id <> NEW.id
      AND (NEW.role IN {ADMIN} OR other.role IN {ADMIN})
"""
SQLITE = [
    f"""CREATE TRIGGER org_roleassignment_duties_insert
    BEFORE INSERT ON org_roleassignment
    FOR EACH ROW WHEN NEW.valid_to IS NULL AND EXISTS ({
        CONFLICT.replace("AND other.id <> NEW.id", "")
    })
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER org_roleassignment_duties_update
    BEFORE UPDATE OF role, person_id, valid_to ON org_roleassignment
    FOR EACH ROW WHEN NEW.valid_to IS NULL AND EXISTS ({CONFLICT})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS org_roleassignment_duties_insert",
    "DROP TRIGGER IF EXISTS org_roleassignment_duties_update",
]
POSTGRES = [
    f"""CREATE FUNCTION org_roleassignment_duties() RETURNS trigger AS $$
    BEGIN
        IF NEW.valid_to IS NULL THEN
            PERFORM 1 FROM org_person WHERE id = NEW.person_id FOR UPDATE;
            IF EXISTS ({CONFLICT}) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
            END IF;
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER org_roleassignment_duties
    BEFORE INSERT OR UPDATE OF role, person_id, valid_to ON org_roleassignment
    FOR EACH ROW EXECUTE FUNCTION org_roleassignment_duties()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS org_roleassignment_duties ON org_roleassignment",
    "DROP FUNCTION IF EXISTS org_roleassignment_duties()",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_separate_duties_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("role__in", ["sysadmin", "security_admin", "auditor"]),
                    ("valid_to__isnull", True),
                ),
                fields=("person",),
                name="one_active_admin_role_per_person",
                violation_error_message=(
                    "This person already holds an administrator role."
                ),
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
