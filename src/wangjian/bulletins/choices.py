from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class TableLayout(models.TextChoices):
    """The Excel layouts: the campaign's monthly table (天津's 专项行动情况统计表, the default columns written
    in issue 20) and the 通报's own 附件 (each figure this month, last month, the same month a year before)."""

    CAMPAIGN = "campaign", _("网络市场监管专项行动情况统计表")
    ANNEX = "annex", _("通报附件：网络市场监管工作统计表")
