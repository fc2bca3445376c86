"""The 57 member states of the Organisation of Islamic Cooperation, with the five Central Asian ones flagged.

Only ISO 3166 codes are stored; names come from django-countries in the reader's language.
The list is frozen here as a migration should be: a change in membership is a new migration.
"""

from django.db import migrations

OIC_MEMBER_STATES = (
    "AF", "AL", "DZ", "AZ", "BH", "BD", "BJ", "BN", "BF", "CM", "TD", "KM", "CI", "DJ", "EG", "GA", "GM",
    "GN", "GW", "GY", "ID", "IR", "IQ", "JO", "KZ", "KW", "KG", "LB", "LY", "MY", "MV", "ML", "MR", "MA",
    "MZ", "NE", "NG", "OM", "PK", "PS", "QA", "SA", "SN", "SL", "SO", "SD", "SR", "SY", "TJ", "TG", "TN",
    "TR", "TM", "UG", "AE", "UZ", "YE",
)  # fmt: skip
CENTRAL_ASIAN_STATES = ("KZ", "KG", "TJ", "TM", "UZ")


def load(apps, schema_editor):
    MemberState = apps.get_model("workshop_portal", "MemberState")
    for code in OIC_MEMBER_STATES:
        MemberState.objects.update_or_create(code=code, defaults={"is_central_asian": code in CENTRAL_ASIAN_STATES})


def unload(apps, schema_editor):
    apps.get_model("workshop_portal", "MemberState").objects.filter(code__in=OIC_MEMBER_STATES).delete()


class Migration(migrations.Migration):
    dependencies = [("workshop_portal", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
