import hashlib

from django.core.files.storage import default_storage
from django.db import migrations, models


def thumbnails_hash(apps, schema_editor):
    """The SHA-256 of every thumbnail already stored, so the integrity check
    covers them too; a missing file is left blank for the check to report."""
    Photo = apps.get_model("core", "Photo")
    for photo in Photo.objects.exclude(thumbnail="").only("pk", "thumbnail"):
        try:
            with default_storage.open(photo.thumbnail.name, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            continue
        Photo.objects.filter(pk=photo.pk).update(thumbnail_sha256=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_hash_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="thumbnail_sha256",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="thumbnail SHA-256"
            ),
        ),
        migrations.RunPython(thumbnails_hash, migrations.RunPython.noop),
    ]
