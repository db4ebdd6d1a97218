"""The navigation is shaped by role: apps register their entries with the roles that use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wangjian.platform import navigation


def urls_for(user) -> set[str]:
    return {url for _menu, entries in navigation.menus_for(user) for _label, url in entries}


def test_a_station_officer_sees_clues_the_registry_and_evidence_not_the_organisations_settings(demo):
    seen = urls_for(demo.users["station_officer"])
    for name in (
        "clues:clue_list",
        "registry:entity_list",
        "registry:presence_list",
        "evidence:capture_list",
    ):
        assert reverse(name) in seen, name
    for name in (
        "org:bureau_list",
        "org:user_list",
        "org:duty_import",
        "monitoring:task_list",
        "clues:overview",
    ):
        assert reverse(name) not in seen, name


def test_the_office_and_a_superuser_see_every_registered_entry(demo, django_user_model):
    every = {reverse(item.url_name) for item in navigation.items()}
    assert urls_for(demo.users["office"]) == every
    root = django_user_model.objects.create_superuser("root", password="Root2025pass!")
    assert urls_for(root) == every


def test_an_auditor_sees_the_oversight_pages_but_not_the_data_entry_pages(demo):
    seen = urls_for(demo.users["auditor"])
    assert reverse("clues:overview") in seen and reverse("evidence:ledger") in seen
    assert reverse("registry:import_upload") not in seen and reverse("clues:clue_add") not in seen


@pytest.mark.parametrize("who", ["station_officer", "ad_officer", "auditor", "leader"])
def test_the_bar_on_the_page_shows_only_the_entries_of_the_role(demo, login, who):
    user = demo.users[who]
    html = login(user).get(reverse("platform:workbench")).content.decode()
    for item in navigation.items():
        url = reverse(item.url_name)
        shown = f'href="{url}"' in html
        assert shown == item.visible_to(user), (who, item.url_name)
