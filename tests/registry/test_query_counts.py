"""Lists and API pages cost the same number of queries for 2 imported sellers as for 30 (no N+1)."""

import pytest
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
def test_query_count_does_not_grow_with_rows(registry, demo, login, write, queries, url):
    client = login(demo.users["office"])
    _sellers(demo, write, 2)
    queries.flat(lambda: client.get(url), lambda: _sellers(demo, write, 30))
