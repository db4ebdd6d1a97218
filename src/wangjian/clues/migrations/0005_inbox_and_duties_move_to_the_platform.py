"""The clue loop's inbox, pushes and 督办 move to the platform; its running duties become work items.

- clue notifications become inbox messages about their clue (same ids, keys, read times);
- push addresses and deliveries keep their ids, so a delivery still points at its address and
  message and nothing is pushed twice; the change log of the addresses follows the model;
- each open clue's running duty (feedback or disposal) becomes a work item with its deadline, basis
  and overdue flag; each 督办 is attached to the clue's item (a closed clue's to a closed item).

Nothing a bureau recorded is lost; the reverse migration restores the old tables.
"""

from django.core.management.color import no_style
from django.db import migrations
from django.utils import timezone

AWAITING_FEEDBACK = ("assigned", "checking")
AWAITING_DISPOSAL = ("fed_back", "disposing")
LABELS = {"clue.feedback": "反馈核查情况", "clue.disposal": "报送处置结果"}


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _item_for(clue, WorkItem, state):
    feedback = clue.state in AWAITING_FEEDBACK or (state != "open" and not clue.fed_back_at)
    kind = "clue.feedback" if feedback else "clue.disposal"
    return WorkItem.objects.create(
        bureau_id=clue.bureau_id,
        kind=kind,
        reference=clue.number,
        title=LABELS[kind],
        domain=clue.domain,
        subject_type="clues.clue",
        subject_id=str(clue.pk),
        url=f"/clues/clues/{clue.pk}/",
        department_id=clue.department_id,
        station_id=clue.station_id,
        clock=kind,
        variant=clue.source_kind,
        start=_local_date(clue.assigned_at if feedback else clue.fed_back_at),
        due=clue.feedback_due if feedback else clue.disposal_due,
        due_basis=clue.feedback_basis if feedback else clue.disposal_basis,
        due_provisional=clue.feedback_provisional if feedback else clue.disposal_provisional,
        state=state,
        result="" if state == "open" else f"线索已{clue.state}",
        done_at=None if state == "open" else (clue.closed_at or clue.last_updated),
        overdue=clue.feedback_overdue if feedback else clue.disposal_overdue,
    )


def forward(apps, schema_editor):
    Clue = apps.get_model("clues", "Clue")
    OldAddress = apps.get_model("clues", "NotificationAddress")
    OldNotification = apps.get_model("clues", "Notification")
    OldDelivery = apps.get_model("clues", "Delivery")
    OldEscalation = apps.get_model("clues", "Escalation")
    PushAddress = apps.get_model("platform", "PushAddress")
    Message = apps.get_model("platform", "Message")
    Delivery = apps.get_model("platform", "Delivery")
    WorkItem = apps.get_model("platform", "WorkItem")
    Escalation = apps.get_model("platform", "Escalation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRecord = apps.get_model("core", "ChangeRecord")

    PushAddress.objects.bulk_create(
        [
            PushAddress(
                id=a.id,
                user_id=a.user_id,
                department_id=a.department_id,
                station_id=a.station_id,
                bureau_id=a.bureau_id,
                label=a.label,
                url=a.url,
                is_active=a.is_active,
                created=a.created,
                last_updated=a.last_updated,
            )
            for a in OldAddress.objects.all()
        ]
    )
    batch = []
    for n in OldNotification.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            Message(
                id=n.id,
                key=n.key,
                user_id=n.user_id,
                kind=n.kind,
                title=n.title,
                body=n.body,
                urgent=n.urgent,
                subject_type="clues.clue" if n.clue_id else "",
                subject_id=str(n.clue_id or ""),
                url=f"/clues/clues/{n.clue_id}/" if n.clue_id else "",
                created_at=n.created_at,
                read_at=n.read_at,
            )
        )
        if len(batch) >= 2000:
            Message.objects.bulk_create(batch)
            batch = []
    Message.objects.bulk_create(batch)
    batch = []
    for d in OldDelivery.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            Delivery(
                id=d.id,
                key=d.key,
                message_id=d.notification_id,
                address_id=d.address_id,
                title=d.title,
                body=d.body,
                urgent=d.urgent,
                status=d.status,
                attempts=d.attempts,
                created_at=d.created_at,
                sent_at=d.sent_at,
                error=d.error,
            )
        )
        if len(batch) >= 2000:
            Delivery.objects.bulk_create(batch)
            batch = []
    Delivery.objects.bulk_create(batch)

    items = {}
    for clue in Clue.objects.filter(state__in=AWAITING_FEEDBACK + AWAITING_DISPOSAL).iterator():
        items[clue.pk] = _item_for(clue, WorkItem, "open")
    for old in OldEscalation.objects.select_related("clue").order_by("id"):
        item = items.get(old.clue_id)
        if item is None:
            closed = "done" if old.clue.state == "closed" else "cancelled"
            item = items[old.clue_id] = _item_for(old.clue, WorkItem, closed)
        Escalation.objects.create(
            item=item,
            level=old.level,
            note=old.note,
            raised_by_id=old.raised_by_id,
            raised_at=old.raised_at,
            answer_due=old.answer_due,
            automatic=old.automatic,
            answer=old.answer,
            answered_by_id=old.answered_by_id,
            answered_at=old.answered_at,
        )

    old_type = ContentType.objects.filter(app_label="clues", model="notificationaddress").first()
    if old_type is not None:
        new_type, _ = ContentType.objects.get_or_create(app_label="platform", model="pushaddress")
        ChangeRecord.objects.filter(content_type=old_type).update(content_type=new_type)

    # rows written with their old ids: PostgreSQL's sequences must start after them
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [PushAddress, Message, Delivery]):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    OldAddress = apps.get_model("clues", "NotificationAddress")
    OldNotification = apps.get_model("clues", "Notification")
    OldDelivery = apps.get_model("clues", "Delivery")
    OldEscalation = apps.get_model("clues", "Escalation")
    PushAddress = apps.get_model("platform", "PushAddress")
    Message = apps.get_model("platform", "Message")
    Delivery = apps.get_model("platform", "Delivery")
    Escalation = apps.get_model("platform", "Escalation")
    for a in PushAddress.objects.all():
        OldAddress.objects.create(
            id=a.id,
            user_id=a.user_id,
            department_id=a.department_id,
            station_id=a.station_id,
            bureau_id=a.bureau_id,
            label=a.label,
            url=a.url,
            is_active=a.is_active,
        )
    for m in Message.objects.exclude(subject_type="org.notice"):
        OldNotification.objects.create(
            id=m.id,
            key=m.key,
            user_id=m.user_id,
            clue_id=int(m.subject_id) if m.subject_type == "clues.clue" else None,
            kind=m.kind if m.kind != "task" else "state",
            title=m.title,
            body=m.body,
            urgent=m.urgent,
            created_at=m.created_at,
            read_at=m.read_at,
        )
    for d in Delivery.objects.all():
        OldDelivery.objects.create(
            id=d.id,
            key=d.key,
            notification_id=d.message_id if d.message_id and OldNotification.objects.filter(pk=d.message_id).exists() else None,
            address_id=d.address_id,
            title=d.title,
            body=d.body,
            urgent=d.urgent,
            status=d.status,
            attempts=d.attempts,
            created_at=d.created_at,
            sent_at=d.sent_at,
            error=d.error,
        )
    for e in Escalation.objects.filter(item__subject_type="clues.clue").select_related("item"):
        OldEscalation.objects.create(
            clue_id=int(e.item.subject_id),
            level=e.level,
            note=e.note,
            raised_by_id=e.raised_by_id,
            raised_at=e.raised_at,
            answer_due=e.answer_due,
            automatic=e.automatic,
            answer=e.answer,
            answered_by_id=e.answered_by_id,
            answered_at=e.answered_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0004_clue_numbers_move_to_the_platform_register"),
        ("platform", "0003_inbox_and_work_items"),
        ("core", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # The clue notifications keep their ids (their deliveries point at them); the notice receipts
    # become messages with new ids, so they must come after, whatever order the graph would pick.
    run_before = [("org", "0003_notice_receipts_become_inbox_messages")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="escalation", name="answered_by"),
        migrations.RemoveField(model_name="escalation", name="clue"),
        migrations.RemoveField(model_name="escalation", name="raised_by"),
        migrations.RemoveField(model_name="notification", name="clue"),
        migrations.RemoveField(model_name="notification", name="user"),
        migrations.RemoveField(model_name="notificationaddress", name="bureau"),
        migrations.RemoveField(model_name="notificationaddress", name="department"),
        migrations.RemoveField(model_name="notificationaddress", name="station"),
        migrations.RemoveField(model_name="notificationaddress", name="user"),
        migrations.DeleteModel(name="Delivery"),
        migrations.DeleteModel(name="Escalation"),
        migrations.DeleteModel(name="Notification"),
        migrations.DeleteModel(name="NotificationAddress"),
    ]
