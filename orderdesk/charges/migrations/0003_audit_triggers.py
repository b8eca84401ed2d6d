from django.db import migrations

# On PostgreSQL the database itself rejects what the model guards reject, so raw SQL from a
# shell or a script cannot delete a submission or rewrite its history either. TRUNCATE, which
# test runs use to empty tables, fires no row triggers and is not blocked.
CREATE_SQL = """
CREATE OR REPLACE FUNCTION orderdesk_reject_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Rows of % are permanent: % is not allowed.', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER submission_no_delete
    BEFORE DELETE ON charges_submission
    FOR EACH ROW EXECUTE FUNCTION orderdesk_reject_audit_change();

CREATE TRIGGER submissionevent_append_only
    BEFORE UPDATE OR DELETE ON charges_submissionevent
    FOR EACH ROW EXECUTE FUNCTION orderdesk_reject_audit_change();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS submissionevent_append_only ON charges_submissionevent;
DROP TRIGGER IF EXISTS submission_no_delete ON charges_submission;
DROP FUNCTION IF EXISTS orderdesk_reject_audit_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters, so the % placeholders of RAISE reach PostgreSQL as written.
        schema_editor.execute(CREATE_SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("charges", "0002_audit_indexes")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
