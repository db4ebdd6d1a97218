"""The clue list and the API list cost the same number of queries for 2 clues as for 12 (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_page_and_api_do_not_grow_with_the_rows(demo, intake, login, api):
    for i in range(2):
        intake(entity_uscc=f"Q{i}", region_code="341825100", domain=["online_food", "online_price"][i % 2])
    web, rest = login(demo.users["office"]), api(demo.users["office"])
    few = (queries(web, "/clues/clues/"), queries(rest, "/api/clues/clues/"))
    for i in range(2, 12):
        intake(entity_uscc=f"Q{i}", region_code="341825100", domain=["online_food", "online_price"][i % 2])
    many = (queries(web, "/clues/clues/"), queries(rest, "/api/clues/clues/"))
    assert many == few
