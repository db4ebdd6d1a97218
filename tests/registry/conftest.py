"""Registry fixtures: small registry and seller files in every encoding the bureaus receive."""

from __future__ import annotations

import csv
import io

import pytest

from wangjian.registry.uscc import complete

# Valid codes of entities in 旌德县 (341825).
HONGDA = complete("91341825MA2N00001")
LIHUA = complete("92341825MA2N00002")
CHAYE = complete("93341825MA2N00003")
NONGJIA = complete("92341825MA2N00004")

REGISTRY_HEADER_ZH = [
    "统一社会信用代码",
    "名称",
    "法定代表人",
    "住所",
    "联系电话",
    "区划代码",
    "登记状态",
    "成立日期",
]
REGISTRY_HEADER_EN = ["uscc", "name", "legal_rep", "address", "phone", "region_code", "status", "reg_date"]
REGISTRY_ROWS = [
    [
        HONGDA,
        "旌德县宏达商贸有限责任公司",
        "张伟",
        "安徽省宣城市旌德县旌阳镇文化路12号",
        "13855501234",
        "341825",
        "存续",
        "2019-03-01",
    ],
    [
        LIHUA,
        "旌德县丽华百货经营部",
        "李华",
        "旌德县旌阳镇和平路3号",
        "0563-8021234",
        "341825",
        "在业",
        "2020/07/15",
    ],
    [
        CHAYE,
        "旌德县绿源茶叶专业合作社",
        "王芳",
        "旌德县白地镇洋川村",
        "13955507777",
        "341825",
        "存续",
        "20180101",
    ],
    [
        NONGJIA,
        "旌德县三溪镇刘家农家乐",
        "刘强",
        "旌德县三溪镇溪头村8号",
        "",
        "341825",
        "存续",
        "2021年5月6日",
    ],
]


def csv_bytes(header, rows, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def write(tmp_path):
    """``write(name, bytes)`` → path of a file in a temporary folder."""

    def _write(name: str, content: bytes):
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def registry(demo, write):
    """The four entities above imported into 旌德县 by the office administrator."""
    from wangjian.registry import services

    path = write("registry.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    return services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The demo users' passwords need no key stretching in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
