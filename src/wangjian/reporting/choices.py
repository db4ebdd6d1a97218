"""Controlled vocabularies of upward reporting (向上报送)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月报")
    QUARTER = "quarter", _("季报")
    HALF = "half", _("半年报")
    YEAR = "year", _("年报")


class ReportState(models.TextChoices):
    OPEN = "open", _("待报送")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("退回更正")
    ACCEPTED = "accepted", _("审核通过")


class Outcome(models.TextChoices):
    PENDING = "", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    RETURNED = "returned", _("退回更正")
