"""Complete the industry classification: GB/T 4754-2017 groups (中类) and classes (小类) join
the sections and divisions loaded by 0002 (enterprises/data/gbt4754_2017.json)."""

from django.db import migrations

from enterprises.catalogs import ensure_catalogs


def load(apps, schema_editor):
    ensure_catalogs(apps.get_model("enterprises", "Industry"),
                    apps.get_model("enterprises", "CatalogTag"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0007_contact_phone_encrypted")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
