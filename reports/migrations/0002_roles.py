from django.db import migrations

from workshop_portal.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("presentations", "0002_roles"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
