"""TrackerSettings becomes one row per partnership: the hub-wide row (the first, the only one the hub read) goes to the first
partnership; any later row, which the hub never read, is dropped. A partnership with none gets the defaults on
first use."""

import django.db.models.deletion
from django.db import migrations, models


def give_the_row_to_the_first_partnership(apps, schema_editor):
    Settings = apps.get_model("reviews", "TrackerSettings")
    Partnership = apps.get_model("people", "Partnership")
    rows = list(Settings.objects.order_by("pk"))
    if not rows:
        return
    first = Partnership.objects.order_by("pk").first()
    if first is None:
        from django.conf import settings

        first = Partnership.objects.create(slug=settings.PARTNERSHIP_SLUG, name=settings.PARTNERSHIP_NAME[:200])
    Settings.objects.exclude(pk=rows[0].pk).delete()
    Settings.objects.filter(pk=rows[0].pk).update(partnership=first)


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0003_free_text_limits"),
        ("people", "0007_partnerships"),
    ]

    operations = [
        migrations.AddField(
            model_name="trackersettings",
            name="partnership",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="tracker_settings", to="people.partnership"),
        ),
        migrations.RunPython(give_the_row_to_the_first_partnership, migrations.RunPython.noop),
    ]
