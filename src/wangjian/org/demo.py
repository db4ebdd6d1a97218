"""The demo county: 旌德县市场监督管理局 under 宣城市 and 安徽省, as the seeds describe it.

Used by ``wangjian demo`` and by the tests, so that both see the same organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from wangjian.org import services
from wangjian.org.choices import BureauLevel, GroupPosition, Role
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Bureau, Department, LeadingGroup, LeadingGroupMember, Liaison, Station, User

COUNTY_DEPARTMENTS = [
    ("办公室", K.GENERAL_OFFICE),
    ("市场规范管理股（网络交易监管）", K.ONLINE_TRADE),
    ("登记注册股", K.REGISTRATION),
    ("信用监管股", K.CREDIT),
    ("广告监管股", K.ADVERTISING),
    ("价格监督检查股", K.PRICE),
    ("反不正当竞争股", K.COMPETITION),
    ("食品经营监管股", K.FOOD),
    ("药品监管股", K.DRUG),
    ("医疗器械监管股", K.MEDICAL_DEVICE),
    ("化妆品监管股", K.COSMETICS),
    ("产品质量监管股", K.PRODUCT_QUALITY),
    ("特种设备安全监察股", K.SPECIAL_EQUIPMENT),
    ("计量监督股", K.METROLOGY),
    ("认证认可股", K.CERTIFICATION),
    ("知识产权股", K.TRADEMARK_IP),
    ("消费者权益保护股", K.CONSUMER),
    ("12315投诉举报中心", K.HOTLINE_12315),
    ("法规股", K.LEGAL),
    ("综合执法大队", K.ENFORCEMENT),
]

# Stations and their townships (GB/T 2260 county code + 3-digit township code).
COUNTY_STATIONS = [
    ("旌阳市场监管所", ["341825100", "341825106"], "旌阳镇、版书镇"),
    ("蔡家桥市场监管所", ["341825101", "341825107"], "蔡家桥镇、俞村镇"),
    ("三溪市场监管所", ["341825102", "341825108"], "三溪镇、云乐镇"),
    (
        "庙首市场监管所",
        ["341825103", "341825104", "341825105", "341825200"],
        "庙首镇、白地镇、孙村镇、兴隆镇",
    ),
]


@dataclass
class DemoOrg:
    province: Bureau
    city: Bureau
    county: Bureau
    other_county: Bureau
    users: dict[str, User] = field(default_factory=dict)
    password: str = ""


def _bureau(name: str, code: str, level: str, parent: Bureau | None) -> Bureau:
    """The demo bureau in its place in the tree, whether or not it already exists.

    ``wangjian demo`` runs ``wangjian init`` first, which makes 旌德县 as a bureau of its own (the
    first bureau, no parent). Keeping it as found left it outside 宣城市, so the city office did
    not see its records, although the README says it does: the demo puts it under its city.
    """
    bureau, created = Bureau.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    if not created and (bureau.name, bureau.level, bureau.parent_id) != (
        name,
        level,
        getattr(parent, "pk", None),
    ):
        bureau.name, bureau.level, bureau.parent = name, level, parent
        services.bureau_save(bureau=bureau, user=None)
    return bureau


def build(password: str | None = None) -> DemoOrg:
    """Create (idempotently) the demo bureaus, departments, stations, duty lists and one user per role."""
    password = password or services.generate_password()
    with transaction.atomic():
        province = _bureau("安徽省市场监督管理局", "340000", BureauLevel.PROVINCE, None)
        city = _bureau("宣城市市场监督管理局", "341800", BureauLevel.CITY, province)
        county = _bureau("旌德县市场监督管理局", "341825", BureauLevel.COUNTY, city)
        other = _bureau("绩溪县市场监督管理局", "341824", BureauLevel.COUNTY, city)
        departments = {}
        for bureau in (county, other):
            for name, kind in COUNTY_DEPARTMENTS:
                dept, _ = Department.objects.get_or_create(bureau=bureau, name=name, defaults={"kind": kind})
                if bureau == county:
                    departments[kind] = dept
        for name, kind in [
            ("网络交易监督管理科", K.ONLINE_TRADE),
            ("广告监督管理科", K.ADVERTISING),
            ("价格监督检查和反不正当竞争科", K.PRICE),
        ]:
            Department.objects.get_or_create(bureau=city, name=name, defaults={"kind": kind})
        province_office, _ = Department.objects.get_or_create(
            bureau=province, name="网络交易监督管理处", defaults={"kind": K.ONLINE_TRADE}
        )
        for name, codes, names in COUNTY_STATIONS:
            Station.objects.get_or_create(
                bureau=county, name=name, defaults={"territory": codes, "territory_names": names}
            )
        Station.objects.get_or_create(
            bureau=other,
            name="华阳市场监管所",
            defaults={"territory": ["341824100"], "territory_names": "华阳镇"},
        )
        for bureau in (county, other, city):
            if not bureau.duty_rules.exists():
                services.duty_list_load_default(bureau=bureau)
        group, _ = LeadingGroup.objects.get_or_create(
            bureau=county,
            defaults={
                "office_department": departments[K.ONLINE_TRADE],
                "document": "旌市场办〔2022〕116号",
            },
        )
        LeadingGroup.objects.get_or_create(
            bureau=other, defaults={"office_department": other.departments.get(kind=K.ONLINE_TRADE)}
        )
        stations = list(county.stations.order_by("id"))
        people = [
            ("leader", "王局长", Role.LEADING_GROUP, departments[K.GENERAL_OFFICE], None),
            ("office", "李主任", Role.OFFICE_ADMIN, departments[K.ONLINE_TRADE], None),
            ("ad_head", "赵股长", Role.DEPARTMENT_HEAD, departments[K.ADVERTISING], None),
            ("ad_officer", "钱科员", Role.OFFICER, departments[K.ADVERTISING], None),
            ("price_officer", "孙科员", Role.OFFICER, departments[K.PRICE], None),
            ("food_officer", "周科员", Role.OFFICER, departments[K.FOOD], None),
            ("station_officer", "吴所员", Role.STATION_OFFICER, None, stations[0]),
            ("legal", "郑审核", Role.LEGAL_REVIEWER, departments[K.LEGAL], None),
            ("auditor", "冯审计", Role.AUDITOR, departments[K.GENERAL_OFFICE], None),
        ]
        users = {}
        for username, name, role, dept, station in people:
            user = User.objects.filter(username=username).first()
            if user is None:
                user, _ = services.user_create(
                    username=username,
                    name=name,
                    role=role,
                    bureau=county,
                    department=dept,
                    station=station,
                    password=password,
                    phone="13800000000"[: 11 - len(str(len(users)))] + str(len(users)),
                )
                user.must_change_password = False
                user.save()
            users[username] = user
        for username, bureau, role in [
            ("jixi_officer", other, Role.OFFICER),
            ("city_office", city, Role.OFFICE_ADMIN),
            # the province's office keeps the national calendar (a province's own instance)
            ("province_office", province, Role.PROVINCE_OFFICE),
        ]:
            user = User.objects.filter(username=username).first()
            if user is None:
                dept = bureau.departments.filter(kind=K.ADVERTISING).first() or (
                    province_office if bureau == province else None
                )
                user, _ = services.user_create(
                    username=username,
                    name=username,
                    role=role,
                    bureau=bureau,
                    department=dept,
                    password=password,
                )
                user.must_change_password = False
                user.save()
            users[username] = user
        # 负责人: the head of the bureau approves 立案, 不予立案 and extensions (程序规定 arts. 18, 20, 64);
        # the staff who handle cases hold 行政执法证 (two at least per case)
        User.objects.filter(pk=users["leader"].pk).update(is_bureau_head=True)
        users["leader"].is_bureau_head = True
        for n, username in enumerate(
            [
                "ad_head",
                "ad_officer",
                "price_officer",
                "food_officer",
                "station_officer",
                "legal",
                "jixi_officer",
            ],
            1,
        ):
            certificate = f"皖{users[username].bureau.code}{n:05d}"
            User.objects.filter(pk=users[username].pk, enforcement_certificate="").update(
                enforcement_certificate=certificate
            )
            users[username].refresh_from_db()
        LeadingGroupMember.objects.get_or_create(
            group=group, user=users["leader"], defaults={"position": GroupPosition.LEADER}
        )
        LeadingGroupMember.objects.get_or_create(
            group=group,
            user=users["office"],
            defaults={"position": GroupPosition.DEPUTY, "department": departments[K.ONLINE_TRADE]},
        )
        for key, kind in [
            ("ad_officer", K.ADVERTISING),
            ("price_officer", K.PRICE),
            ("food_officer", K.FOOD),
        ]:
            Liaison.objects.get_or_create(
                group=group, department=departments[kind], defaults={"user": users[key]}
            )
    return DemoOrg(
        province=province, city=city, county=county, other_county=other, users=users, password=password
    )
