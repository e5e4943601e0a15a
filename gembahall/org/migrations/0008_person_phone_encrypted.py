"""Staff phone numbers encrypted at rest: the column holds SM4-GCM (or
AES-GCM) values from now on, existing numbers are rewritten encrypted, and
the freed space is scrubbed so no clear number stays in the database files.
Not atomic: VACUUM runs outside a transaction."""

from django.db import migrations

import gembahall.core.crypto
from gembahall.core.crypto import encrypt_column, scrub_freed_space


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("org", "0007_separate_duties")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=gembahall.core.crypto.EncryptedCharField(
                blank=True, max_length=120, verbose_name="phone"
            ),
        ),
        migrations.RunPython(
            encrypt_column("org", "Person"), migrations.RunPython.noop, atomic=True
        ),
        migrations.RunPython(scrub_freed_space("org", "Person"), migrations.RunPython.noop),
    ]
