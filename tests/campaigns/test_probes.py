"""The permission-matrix probes of the campaign rows (tests/campaigns/probes.py) agree with the table for
every role, on the page and through the API (the matrix test runs them too once they are in its PROBES)."""

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.campaigns import probes
from wangjian.org import permissions
from wangjian.org.choices import Role

ROLES = {
    Role.LEADING_GROUP: "leader",
    Role.OFFICE_ADMIN: "office",
    Role.PROVINCE_OFFICE: "province_office",
    Role.DEPARTMENT_HEAD: "ad_head",
    Role.OFFICER: "ad_officer",
    Role.STATION_OFFICER: "station_officer",
    Role.LEGAL_REVIEWER: "legal",
    Role.AUDITOR: "auditor",
}


class Cell:
    def __init__(self, user):
        self.user, self.bureau, self._n = user, user.bureau, 0
        self.web = Client()
        self.web.force_login(user)
        self.api = APIClient()
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}{self.user.username}{self._n}"


@pytest.mark.parametrize(
    ("key", "probe"),
    [
        ("campaigns.campaign.read", probes.read_api),
        ("campaigns.campaign.manage", probes.manage_page),
        ("campaigns.campaign.manage", probes.manage_api),
        ("campaigns.report.submit", probes.report_page),
        ("campaigns.report.submit", probes.report_api),
    ],
)
def test_each_probe_agrees_with_the_table_for_every_role(demo, clock, key, probe):
    from tests.clues.conftest import at

    clock(at("2025-09-10"))
    answers = {role: probe(Cell(demo.users[username])) for role, username in ROLES.items()}
    assert answers == {role: permissions.role_may(role, key) for role in ROLES}
