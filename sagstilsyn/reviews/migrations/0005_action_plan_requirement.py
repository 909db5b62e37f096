"""A handleplan rests on a requirement of the compliance figures (ADR 0038): a rule id of the data pillar
or `questionnaire.question` of the review pillar, with or without a learning point. Existing plans, all
made from learning points, get their question's requirement in the review pillar."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def fill_requirements(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ActionPlan = apps.get_model("reviews", "ActionPlan")
    for plan in ActionPlan.objects.filter(requirement=""):
        plan.requirement = f"{plan.questionnaire}.{plan.question}"
        plan.pillar = "review"
        plan.save(update_fields=["requirement", "pillar"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_questionnaire_seal")]

    operations = [
        migrations.AddField(
            model_name="actionplan",
            name="requirement",
            field=models.CharField(default="", max_length=201, verbose_name="krav"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="actionplan",
            name="pillar",
            field=models.CharField(
                choices=[("data", "Data"), ("review", "Gennemgang")],
                default="",
                max_length=10,
                verbose_name="søjle",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="actionplan",
            name="questionnaire",
            field=models.CharField(blank=True, max_length=100, verbose_name="spørgeskema"),
        ),
        migrations.AlterField(
            model_name="actionplan",
            name="question",
            field=models.CharField(blank=True, max_length=100, verbose_name="spørgsmål"),
        ),
        migrations.RunPython(fill_requirements, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="actionplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("requirement", ""), _negated=True)
                & models.Q(("pillar__in", ["data", "review"])),
                name="plan_requirement",
            ),
        ),
    ]
