from django.db import migrations

from workshop_portal.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("worksessions", "0001_initial"),
        ("workshop_portal", "0003_institutions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
