# The old link is gone: a problem reads its item result by the same name.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_itemresult_problem"),
        ("rectification", "0004_sources_point_in"),
    ]

    operations = [
        migrations.AlterField(
            model_name="itemresult",
            name="problem",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="item_result",
                to="rectification.problem",
                verbose_name="problem",
            ),
        ),
    ]
