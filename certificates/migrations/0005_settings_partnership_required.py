"""Every evaluationsettings row now names its partnership (0004 gave the hub-wide row to the first one): the column is
required, in a migration of its own so that PostgreSQL changes the column after 0004's rows are written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0004_settings_per_partnership"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluationsettings",
            name="partnership",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="evaluation_settings",
                                       to="people.partnership"),
        ),
    ]
