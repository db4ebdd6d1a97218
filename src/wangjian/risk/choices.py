"""Controlled vocabularies of the risk grades (风险分级)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.registry.choices import RiskGrade

__all__ = ["CreditClass", "GRADE_ORDER", "RiskGrade"]


class CreditClass(models.TextChoices):
    """通用型企业信用风险分类 (the province's credit system, refreshed monthly): A low risk … D high risk."""

    A = "A", _("A类（信用风险低）")
    B = "B", _("B类（信用风险一般）")
    C = "C", _("C类（信用风险较高）")
    D = "D", _("D类（信用风险高）")


# Highest first: a list, a count and a badge put 重点监控 first.
GRADE_ORDER = (RiskGrade.KEY, RiskGrade.WARNING, RiskGrade.GENERAL)
