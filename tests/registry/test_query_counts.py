"""Lists and API pages cost the same number of queries for 2 rows as for 30 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.registry.conftest import csv_bytes
from wangjian.registry import services

pytestmark = pytest.mark.django_db

HEADER = ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话", "店铺网址"]


def _sellers(demo, write, n):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [
        [f"X{i}", f"店{i}", "宏达商贸有限公司" if i % 2 else f"无名{i}", "", "", "", f"https://s.example/{i}"]
        for i in range(n)
    ]
    services.sellers_import(
        bureau=demo.county, platform=platform, path=write(f"s{n}.csv", csv_bytes(HEADER, rows))
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        reverse("registry:presence_list"),
        reverse("registry:match_list"),
        reverse("registry:review"),
        "/api/registry/presences/",
        "/api/registry/match-results/",
    ],
)
def test_query_count_does_not_grow_with_rows(registry, demo, login, write, url):
    client = login(demo.users["office"])
    _sellers(demo, write, 2)
    few = _count(client, url)
    _sellers(demo, write, 30)
    assert _count(client, url) == few
