import django.db.models.deletion
import people.models
from django.db import migrations, models


def charges_to_their_delivering_partnership(apps, schema_editor):
    """Each existing charge belongs to its session's course's partnership (on a hub of one: the first)."""
    Charge = apps.get_model("charging", "Charge")
    Course = apps.get_model("courses", "Course")
    for course_id, partnership_id in Course.objects.values_list("pk", "partnership_id"):
        Charge.objects.filter(booking__session__course_id=course_id).exclude(
            partnership_id=partnership_id).update(partnership_id=partnership_id)


class Migration(migrations.Migration):

    dependencies = [
        ('charging', '0002_partnerships'),
        ('people', '0007_partnerships'),
        ('courses', '0005_partnerships'),
        ('bookings', '0006_partnerships'),
    ]

    operations = [
        migrations.AddField(
            model_name='charge',
            name='partnership',
            field=models.ForeignKey(default=people.models.default_partnership_pk, on_delete=django.db.models.deletion.PROTECT, related_name='charges', to='people.partnership'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='policychange',
            name='partnership',
            field=models.ForeignKey(default=people.models.default_partnership_pk, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.partnership'),
            preserve_default=False,
        ),
        migrations.RunPython(charges_to_their_delivering_partnership, migrations.RunPython.noop),
    ]
