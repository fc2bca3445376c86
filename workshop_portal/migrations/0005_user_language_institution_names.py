# The portal speaks English, French, Arabic and Russian: each person's language, and the
# institutions' names and acronyms in the other three languages.

from django.db import migrations, models

import workshop_portal.models


class Migration(migrations.Migration):
    dependencies = [
        ("workshop_portal", "0004_workshop_share_presentations"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=workshop_portal.models.language_choices,
                help_text="The language of the portal's pages and emails for this person; empty: the browser's.",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="institution",
            name="name",
            field=models.CharField(help_text="The name in English.", max_length=255, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="institution",
            name="acronym",
            field=models.CharField(
                blank=True, help_text="The acronym in English.", max_length=32, verbose_name="acronym"
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_fr",
            field=models.CharField(blank=True, max_length=255, verbose_name="name in French"),
        ),
        migrations.AddField(
            model_name="institution",
            name="acronym_fr",
            field=models.CharField(blank=True, max_length=32, verbose_name="acronym in French"),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_ar",
            field=models.CharField(blank=True, max_length=255, verbose_name="name in Arabic"),
        ),
        migrations.AddField(
            model_name="institution",
            name="acronym_ar",
            field=models.CharField(blank=True, max_length=32, verbose_name="acronym in Arabic"),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_ru",
            field=models.CharField(blank=True, max_length=255, verbose_name="name in Russian"),
        ),
        migrations.AddField(
            model_name="institution",
            name="acronym_ru",
            field=models.CharField(blank=True, max_length=32, verbose_name="acronym in Russian"),
        ),
    ]
