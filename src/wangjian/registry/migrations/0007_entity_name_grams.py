"""The character 2-grams of every entity's normalised name (``registry.name_grams``), filled for the entities there are."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000  # entities read per round trip


def _grams(key):
    # As ``registry.name_grams.grams`` cuts them when this migration was written.
    return dict.fromkeys(key[i : i + 2] for i in range(len(key) - 1))


def backfill(apps, schema_editor):
    entity = apps.get_model("registry", "MarketEntity")
    gram = apps.get_model("registry", "EntityNameGram")
    connection = schema_editor.connection
    table = connection.ops.quote_name(gram._meta.db_table)
    last = 0
    while True:
        rows = list(
            entity.objects.using(connection.alias)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "name_key")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        values = [(g, pk) for pk, key in rows for g in _grams(key or "")]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} (gram, entity_id) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                cursor.executemany(f"INSERT INTO {table} (gram, entity_id) VALUES (%s, %s)", values)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_permits"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntityNameGram",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "gram", "entity", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("gram", models.CharField(max_length=2, verbose_name="二字片段")),
                (
                    "entity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.marketentity",
                        verbose_name="市场主体",
                    ),
                ),
            ],
            options={
                "verbose_name": "名称二字索引",
                "verbose_name_plural": "名称二字索引",
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
