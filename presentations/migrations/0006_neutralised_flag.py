from django.db import migrations, models


class Migration(migrations.Migration):
    """Files stored before neutralising existed are marked as not neutralised (withheld until
    `manage.py neutralise_stored_files` rewrites them); every file stored from now on is born neutralised."""

    dependencies = [
        ("presentations", "0005_conversion_status_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="presentationfile",
            name="neutralised",
            field=models.BooleanField(default=False, verbose_name="neutralised"),
        ),
        migrations.AlterField(
            model_name="presentationfile",
            name="neutralised",
            field=models.BooleanField(default=True, verbose_name="neutralised"),
        ),
        migrations.AddField(
            model_name="presentationfile",
            name="withheld_reason",
            field=models.TextField(
                blank=True,
                help_text="Why a file stored before the current safety checks fails them: it is never served or merged.",
                verbose_name="withheld because",
            ),
        ),
    ]
