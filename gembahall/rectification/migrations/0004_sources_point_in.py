# The engine stops naming inspections: a deduction's problem is linked from
# the inspection's side (carried over there first), and a cycle's follow-up
# inspection is kept as a source name and public id.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Improvement = apps.get_model("rectification", "Improvement")
    Inspection = apps.get_model("inspections", "Inspection")
    Improvement.objects.filter(audit_inspection__isnull=False).update(
        audit_source="inspection",
        audit_ref=Subquery(
            Inspection.objects.filter(pk=OuterRef("audit_inspection_id")).values(
                "public_id"
            )[:1]
        ),
    )


def backwards(apps, schema_editor):
    Improvement = apps.get_model("rectification", "Improvement")
    Inspection = apps.get_model("inspections", "Inspection")
    Improvement.objects.filter(audit_source="inspection").update(
        audit_inspection_id=Subquery(
            Inspection.objects.filter(public_id=OuterRef("audit_ref")).values("pk")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    # On PostgreSQL a column cannot be dropped in the transaction that has just
    # updated its rows (pending trigger events): each step commits on its own.
    atomic = False

    dependencies = [
        ("inspections", "0003_itemresult_problem"),
        ("rectification", "0003_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="improvement",
            name="audit_source",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="follow-up source"
            ),
        ),
        migrations.AddField(
            model_name="improvement",
            name="audit_ref",
            field=models.UUIDField(
                blank=True, null=True, verbose_name="follow-up record"
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False, atomic=True),
        migrations.RemoveField(model_name="improvement", name="audit_inspection"),
        migrations.RemoveField(model_name="problem", name="item_result"),
    ]
