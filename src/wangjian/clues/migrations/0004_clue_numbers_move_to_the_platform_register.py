"""Clue numbers come from the platform's numbering: the counters become sequences, every clue's
number is entered in the register (文号登记簿) with what it numbers, and the old counter table goes."""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Counter = apps.get_model("clues", "ClueCounter")
    Clue = apps.get_model("clues", "Clue")
    Sequence = apps.get_model("platform", "Sequence")
    Issued = apps.get_model("platform", "IssuedNumber")
    for counter in Counter.objects.all():
        Sequence.objects.update_or_create(
            bureau_id=counter.bureau_id, kind="clue", year=counter.year, defaults={"last": counter.last}
        )
    batch = []
    for clue in Clue.objects.all().order_by("id").iterator(chunk_size=2000):
        batch.append(
            Issued(
                bureau_id=clue.bureau_id,
                kind="clue",
                year=clue.year,
                seq=clue.seq,
                number=clue.number,
                subject_type="clues.clue",
                subject_id=str(clue.pk),
                subject_label=f"{clue.number} {clue.title}"[:300],
                issued_at=clue.created or clue.assigned_at or timezone.now(),
                issued_by_id=clue.finder_id,
            )
        )
        if len(batch) >= 2000:
            Issued.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Issued.objects.bulk_create(batch, ignore_conflicts=True)


def backward(apps, schema_editor):
    Counter = apps.get_model("clues", "ClueCounter")
    Sequence = apps.get_model("platform", "Sequence")
    for sequence in Sequence.objects.filter(kind="clue"):
        Counter.objects.update_or_create(
            bureau_id=sequence.bureau_id, year=sequence.year, defaults={"last": sequence.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0003_deadline_policies_move_to_the_platform"),
        ("platform", "0002_numbering"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ClueCounter"),
    ]
