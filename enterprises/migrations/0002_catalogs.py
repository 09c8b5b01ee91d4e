"""Load the industry classification (GB/T 4754-2017, sections and divisions) and the default
park catalog tags, shipped with the project as data (enterprises/data/)."""

from django.db import migrations

from enterprises.catalogs import ensure_catalogs


def load(apps, schema_editor):
    ensure_catalogs(apps.get_model("enterprises", "Industry"),
                    apps.get_model("enterprises", "CatalogTag"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
