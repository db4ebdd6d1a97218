"""Where leads come from (线索来源): the vocabulary every source and the clue loop share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    """Where a clue came from (线索来源)."""

    MONITORING = "monitoring", _("监测发现")
    COMPLAINT = "complaint", _("12315投诉举报")
    INSPECTION = "inspection", _("监督检查")
    SUPERIOR = "superior", _("上级交办")
    TRANSFER = "transfer", _("外局移送")
    MEDIA = "media", _("媒体曝光")
    MANUAL = "manual", _("手工录入")
