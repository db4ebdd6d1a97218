"""The demo as ``wangjian demo`` builds it: ``wangjian init`` first, then the demo organisation.

``init`` makes 旌德县 as the first bureau, on its own; the demo then puts it under 宣城市 (安徽省),
so that the city office sees 旌德县's records, as the README says.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from wangjian.clues import services as clue_services
from wangjian.org import demo as org_demo
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.management.commands import init as init_command

PASSWORD = "Demo2025pass"


@pytest.fixture
def initialised(db, monkeypatch, tmp_path):
    """What ``wangjian demo`` runs first: ``wangjian init`` for 旌德县 (the test database is migrated already)."""
    monkeypatch.setenv("WANGJIAN_HOME", str(tmp_path))
    monkeypatch.setattr(init_command, "call_command", lambda *args, **kwargs: None)
    call_command(
        "init",
        bureau_name="旌德县市场监督管理局",
        bureau_code="341825",
        admin_password=PASSWORD,
        stdout=io.StringIO(),
    )
    jingde = Bureau.objects.get(code="341825")
    assert jingde.parent is None and User.objects.get(username="admin", bureau=jingde).is_superuser
    return jingde


def test_the_demo_puts_jingde_under_xuancheng_and_the_city_office_sees_its_records(initialised, client):
    org = org_demo.build(password=PASSWORD)
    jingde = Bureau.objects.get(code="341825")
    assert jingde.pk == initialised.pk and jingde == org.county
    assert jingde.parent == org.city and org.city.parent == org.province
    assert org.city.descendant_ids() == {org.city.pk, jingde.pk, org.other_county.pk}
    org_demo.build(password=PASSWORD)  # built again: nothing moves
    assert Bureau.objects.get(code="341825").parent == org.city

    clue = clue_services.clue_intake(
        bureau=jingde, source_kind="manual", domain="online_price", facts="旌德县某网店虚构原价"
    ).clue
    city_office = org.users["city_office"]
    client.force_login(city_office)
    assert "旌德县市场监督管理局" in client.get(reverse("org:bureau_list")).content.decode()
    department = Department.objects.filter(bureau=jingde).order_by("name").first()
    listed = client.get(reverse("org:department_list"), {"bureau": jingde.pk}).content.decode()
    assert department.name in listed
    assert client.get(reverse("org:department", args=[department.pk])).status_code == 200
    assert client.get(clue.get_absolute_url()).status_code == 200

    from knox.models import AuthToken
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=city_office)[1]}")
    clues = api.get("/api/clues/clues/").json()
    rows = clues["results"] if isinstance(clues, dict) else clues
    assert clue.number in {row["number"] for row in rows}
    bureaus = api.get("/api/org/bureaus/", {"limit": 100}).json()
    assert jingde.pk in {row["id"] for row in (bureaus["results"] if isinstance(bureaus, dict) else bureaus)}
