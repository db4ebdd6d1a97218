"""Deadlines may be provisional; the clue loop's deadline policies move to the platform's clocks.

Each row of ``clues.DeadlinePolicy`` (bureau, source kind, feedback/disposal days and basis)
becomes two rows of ``platform.DeadlinePolicy`` (clocks ``clue.feedback`` and ``clue.disposal``,
the source kind as the variant); the bureau-wide row's reminder and answer days become the
bureau's follow-up settings and its ``followup.answer`` clock. Nothing a bureau set is lost.
"""

from django.db import migrations, models


def forward(apps, schema_editor):
    Old = apps.get_model("clues", "DeadlinePolicy")
    Policy = apps.get_model("platform", "DeadlinePolicy")
    Settings = apps.get_model("platform", "FollowUpSettings")
    for old in Old.objects.all().order_by("source_kind", "id"):
        for clock, length, basis in (
            ("clue.feedback", old.feedback_days, old.feedback_basis),
            ("clue.disposal", old.disposal_days, old.disposal_basis),
        ):
            Policy.objects.update_or_create(
                bureau_id=old.bureau_id,
                clock=clock,
                variant=old.source_kind,
                defaults={"length": length, "basis": basis},
            )
        if old.source_kind == "" or not Settings.objects.filter(bureau_id=old.bureau_id).exists():
            Settings.objects.update_or_create(bureau_id=old.bureau_id, defaults={"remind_days": old.remind_days})
            if old.answer_days != 2:
                Policy.objects.update_or_create(
                    bureau_id=old.bureau_id,
                    clock="followup.answer",
                    variant="",
                    defaults={"length": old.answer_days, "basis": ""},
                )


def backward(apps, schema_editor):
    Old = apps.get_model("clues", "DeadlinePolicy")
    Policy = apps.get_model("platform", "DeadlinePolicy")
    Settings = apps.get_model("platform", "FollowUpSettings")
    rows = {}
    for policy in Policy.objects.filter(clock__in=["clue.feedback", "clue.disposal"]):
        row = rows.setdefault((policy.bureau_id, policy.variant), {})
        prefix = "feedback" if policy.clock == "clue.feedback" else "disposal"
        row[f"{prefix}_days"], row[f"{prefix}_basis"] = policy.length, policy.basis
    for (bureau_id, variant), values in rows.items():
        settings = Settings.objects.filter(bureau_id=bureau_id).first()
        answer = Policy.objects.filter(bureau_id=bureau_id, clock="followup.answer", variant="").first()
        Old.objects.create(
            bureau_id=bureau_id,
            source_kind=variant,
            remind_days=settings.remind_days if settings else 2,
            answer_days=answer.length if answer else 2,
            **values,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0002_source_reporter"),
        ("platform", "0001_clocks_and_followup"),
    ]

    operations = [
        migrations.AddField(
            model_name="clue",
            name="disposal_provisional",
            field=models.BooleanField(default=False, verbose_name="处置期限暂定"),
        ),
        migrations.AddField(
            model_name="clue",
            name="feedback_provisional",
            field=models.BooleanField(default=False, verbose_name="反馈期限暂定"),
        ),
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="DeadlinePolicy"),
    ]
