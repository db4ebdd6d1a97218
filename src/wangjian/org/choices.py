"""Controlled vocabularies of the organisation and the duty list (职责清单)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BureauLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县(区)级")


class DepartmentKind(models.TextChoices):
    """What a department does; the duty list names kinds, routing finds the bureau's department of that kind."""

    ONLINE_TRADE = "online_trade", _("网络交易监管")
    ADVERTISING = "advertising", _("广告监管")
    TRADEMARK_IP = "trademark_ip", _("商标/知识产权")
    CONSUMER = "consumer", _("消费者权益保护")
    HOTLINE_12315 = "hotline_12315", _("12315投诉举报")
    COMPETITION = "competition", _("反不正当竞争/反垄断")
    PRICE = "price", _("价格监督检查")
    FOOD = "food", _("食品经营监管")
    DRUG = "drug", _("药品监管")
    MEDICAL_DEVICE = "medical_device", _("医疗器械监管")
    COSMETICS = "cosmetics", _("化妆品监管")
    PRODUCT_QUALITY = "product_quality", _("产品质量监管")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备安全监察")
    METROLOGY = "metrology", _("计量")
    CERTIFICATION = "certification", _("认证认可与检验检测")
    REGISTRATION = "registration", _("登记注册")
    CREDIT = "credit", _("信用监管")
    LEGAL = "legal", _("法规")
    ENFORCEMENT = "enforcement", _("执法稽查")
    GENERAL_OFFICE = "general_office", _("办公室")
    INFORMATION = "information", _("信息中心")
    CONSUMER_ASSOCIATION = "consumer_association", _("消费者协会")


class Domain(models.TextChoices):
    """Online-market matters (监管领域) from the seeds' thirteen domains and the Yunnan duty table."""

    ONLINE_FOOD = "online_food", _("网络食品经营")
    ONLINE_DRUG = "online_drug", _("药品网络销售")
    ONLINE_MEDICAL_DEVICE = "online_medical_device", _("医疗器械网络销售")
    ONLINE_COSMETICS = "online_cosmetics", _("化妆品网络经营")
    INTERNET_ADVERTISING = "internet_advertising", _("互联网广告")
    ONLINE_PRICE = "online_price", _("网络交易价格")
    UNFAIR_COMPETITION = "unfair_competition", _("网络不正当竞争")
    MLM = "mlm", _("传销与违法直销")
    PRODUCT_QUALITY = "product_quality", _("网络商品质量")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    METROLOGY = "metrology", _("计量")
    CERTIFICATION = "certification", _("认证检测")
    TRADEMARK_IP = "trademark_ip", _("商标与知识产权")
    CONSUMER_RIGHTS = "consumer_rights", _("消费者权益与七日无理由退货")
    STANDARD_TERMS = "standard_terms", _("合同格式条款")
    UNLICENSED = "unlicensed", _("无照经营与登记事项")
    LICENCE_DISPLAY = "licence_display", _("亮照亮证亮标")
    CREDIT = "credit", _("信用公示与经营异常")
    PLATFORM_DUTY = "platform_duty", _("平台责任")


class Role(models.TextChoices):
    """Roles of the staff; what each may do is the permission table (``org.permissions``)."""

    LEADING_GROUP = "leading_group", _("领导小组成员")
    OFFICE_ADMIN = "office_admin", _("办公室管理员")
    # The office of a province's own instance: an office administrator who also keeps the national calendar.
    PROVINCE_OFFICE = "province_office", _("省局办公室管理员")
    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    OFFICER = "officer", _("业务人员")
    STATION_OFFICER = "station_officer", _("基层所人员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    AUDITOR = "auditor", _("只读审计")


class TerritoryRule(models.TextChoices):
    NONE = "none", _("由科室办理")
    STATION = "station", _("按属地分派基层所")


class DutyRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    ASSIST = "assist", _("协同")


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
