# The hash chains of the revisionsspor and the adgangslog (ADR 0018), and the role
# databeskyttelsesrådgiver. Existing rows are chained in id order, one chain per table and municipality.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from sagstilsyn.core.audit_chain import ACCESS, AUDIT, CHAINS, GENESIS, chain_key, row_hash

BATCH = 2000


def _chain_table(apps, schema_editor, model_name, table):
    model = apps.get_model("core", model_name)
    head_model = apps.get_model("core", "AuditChainHead")
    fields = CHAINS[table].fields
    heads: dict[int | None, tuple[int, str]] = {}
    pending = []
    for row in model.objects.order_by("id").iterator(chunk_size=BATCH):
        seq, last = heads.get(row.municipality_id, (0, GENESIS))
        row.seq, row.prev_hash = seq + 1, last
        row.hash = row_hash(table, last, {name: getattr(row, name) for name in fields})
        heads[row.municipality_id] = (row.seq, row.hash)
        pending.append(row)
        if len(pending) >= BATCH:
            model.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
            pending = []
    model.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
    head_model.objects.bulk_create(
        head_model(key=chain_key(table, municipality_id), seq=seq, hash=last)
        for municipality_id, (seq, last) in heads.items()
    )


def chain_existing_rows(apps, schema_editor):
    _chain_table(apps, schema_editor, "AuditEvent", AUDIT)
    _chain_table(apps, schema_editor, "AccessLogEntry", ACCESS)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_cprkeycheck"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=40, unique=True, verbose_name="kæde")),
                ("seq", models.BigIntegerField(verbose_name="sidste nr.")),
                ("hash", models.CharField(max_length=64, verbose_name="sidste hash")),
            ],
            options={
                "verbose_name": "kædehoved",
                "verbose_name_plural": "kædehoveder",
            },
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="forrige hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="nr. i kæden"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="forrige hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(null=True, verbose_name="nr. i kæden"),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop, elidable=False),
    ]
