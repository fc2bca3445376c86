# Organisers read the audit trail: grant them the new permission.

from django.db import migrations

from workshop_portal.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    # Reversing leaves the groups as they are: the permission goes with the table anyway.
    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
