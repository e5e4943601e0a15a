# The link between a deduction and the problem it raised moves to the
# inspection's side: the engine names no source.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    ItemResult = apps.get_model("inspections", "ItemResult")
    Problem = apps.get_model("rectification", "Problem")
    linked = Problem.objects.filter(item_result__isnull=False)
    ItemResult.objects.filter(pk__in=linked.values("item_result_id")).update(
        problem_id=Subquery(
            linked.filter(item_result_id=OuterRef("pk")).values("pk")[:1]
        )
    )


def backwards(apps, schema_editor):
    ItemResult = apps.get_model("inspections", "ItemResult")
    Problem = apps.get_model("rectification", "Problem")
    linked = ItemResult.objects.filter(problem__isnull=False)
    Problem.objects.filter(pk__in=linked.values("problem_id")).update(
        item_result_id=Subquery(
            linked.filter(problem_id=OuterRef("pk")).values("pk")[:1]
        )
    )


class Migration(migrations.Migration):
    # On PostgreSQL the new foreign key is added at the end of the migration,
    # which cannot happen in the transaction that has just filled it (pending
    # trigger events): the data step commits on its own.
    atomic = False

    dependencies = [
        ("inspections", "0002_initial"),
        ("rectification", "0003_workflow"),
    ]

    operations = [
        # Named "+" until the old link is gone, so the two never clash.
        migrations.AddField(
            model_name="itemresult",
            name="problem",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rectification.problem",
                verbose_name="problem",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False, atomic=True),
    ]
