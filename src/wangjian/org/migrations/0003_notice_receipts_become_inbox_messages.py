"""Notices get their 文号 and attachments; their read receipts become messages of the one inbox.

Each ``NoticeReceipt`` (who, read when) becomes a ``platform.Message`` about the notice with the same
read time, so the notice's read list and each user's unread count carry over unchanged.
"""

import django.db.models.deletion
import django.utils.timezone
import wangjian.org.models
from django.conf import settings
from django.db import migrations, models


def receipts_to_messages(apps, schema_editor):
    Receipt = apps.get_model("org", "NoticeReceipt")
    Message = apps.get_model("platform", "Message")
    batch = []
    for receipt in Receipt.objects.select_related("notice").order_by("id").iterator(chunk_size=2000):
        notice = receipt.notice
        batch.append(
            Message(
                key=f"notice{notice.pk}:u{receipt.user_id}",
                user_id=receipt.user_id,
                kind="notice",
                title=f"{'通报' if notice.kind == 'bulletin' else '通知'}：{notice.title}"[:200],
                body=notice.body[:500],
                subject_type="org.notice",
                subject_id=str(notice.pk),
                url=f"/org/notices/{notice.pk}/",
                created_at=notice.published_at or notice.created or django.utils.timezone.now(),
                read_at=receipt.read_at,
            )
        )
        if len(batch) >= 2000:
            Message.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Message.objects.bulk_create(batch, ignore_conflicts=True)


def messages_to_receipts(apps, schema_editor):
    Receipt = apps.get_model("org", "NoticeReceipt")
    Message = apps.get_model("platform", "Message")
    for message in Message.objects.filter(subject_type="org.notice").iterator():
        Receipt.objects.get_or_create(
            notice_id=int(message.subject_id), user_id=message.user_id, defaults={"read_at": message.read_at}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_unit_with_staff_protected'),
        ('platform', '0003_inbox_and_work_items'),
    ]

    operations = [
        migrations.AddField(
            model_name='notice',
            name='number',
            field=models.CharField(blank=True, max_length=80, verbose_name='文号'),
        ),
        migrations.CreateModel(
            name='NoticeAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=wangjian.org.models.notice_attachment_storage, upload_to='%Y/%m/', verbose_name='附件')),
                ('name', models.CharField(max_length=200, verbose_name='文件名')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='org.notice', verbose_name='通知通报')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '通知附件',
                'verbose_name_plural': '通知附件',
            },
        ),
        migrations.RunPython(receipts_to_messages, messages_to_receipts),
        migrations.DeleteModel(
            name='NoticeReceipt',
        ),
    ]
