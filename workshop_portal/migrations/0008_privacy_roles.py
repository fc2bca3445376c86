# Organisers decide erasure requests and purge past workshops' personal data: grant them the new
# permissions. Depends on every app's latest migration so that roles_sync sees all permissions.

from django.db import migrations

from workshop_portal.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("workshop_portal", "0007_erasure_requests_and_personal_data_purge"),
        ("registrations", "0002_roles"),
        ("worksessions", "0001_initial"),
        ("presentations", "0003_conversion_tracking"),
        ("reports", "0002_roles"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
