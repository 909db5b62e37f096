# The chain's columns become required and unique per chain (ADR 0018); the role databeskyttelsesrådgiver
# is held across the municipality. A migration of its own: on PostgreSQL the rows chained by 0005 are
# committed before the tables are altered.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_audit_chain"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="roleassignment",
            name="role_scope_matches_unit",
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(verbose_name="nr. i kæden"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(verbose_name="nr. i kæden"),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.CharField(
                choices=[
                    ("caseworker", "Sagsbehandler"),
                    ("coordinator", "Faglig koordinator"),
                    ("department_leader", "Afdelingsleder"),
                    ("area_chief", "Områdechef"),
                    ("area_lawyer", "Områdejurist"),
                    ("centre_lawyer", "Centerjurist"),
                    ("central_lawyer", "Central jurist"),
                    ("administrator", "Administrator"),
                    ("committee_member", "Udvalgsmedlem"),
                    ("data_protection_officer", "Databeskyttelsesrådgiver"),
                ],
                max_length=30,
                verbose_name="rolle",
            ),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=("municipality", "seq"), name="accesslog_unique_seq"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)), fields=("seq",), name="accesslog_unique_seq_system"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("municipality", "seq"), name="auditevent_unique_seq"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)), fields=("seq",), name="auditevent_unique_seq_system"
            ),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("role__in", ("caseworker", "coordinator", "department_leader", "area_chief", "area_lawyer")),
                        ("unit__isnull", False),
                    ),
                    models.Q(
                        (
                            "role__in",
                            (
                                "centre_lawyer",
                                "central_lawyer",
                                "administrator",
                                "committee_member",
                                "data_protection_officer",
                            ),
                        ),
                        ("unit__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="role_scope_matches_unit",
            ),
        ),
    ]
