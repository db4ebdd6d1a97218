"""The clue list and the API list cost the same number of queries for 2 clues as for 12 (no N+1)."""

import pytest


def _clues(intake, numbers):
    """Food clues go to the township's station, price clues to the price department: both kinds of unit."""
    for i in numbers:
        intake(entity_uscc=f"Q{i}", region_code="341825100", domain=["online_food", "online_price"][i % 2])


@pytest.mark.parametrize("url", ["/clues/clues/", "/api/clues/clues/"])
def test_list_page_and_api_do_not_grow_with_the_rows(demo, intake, login, api, queries, url):
    client = api(demo.users["office"]) if url.startswith("/api/") else login(demo.users["office"])
    _clues(intake, range(2))
    queries.flat(lambda: client.get(url), lambda: _clues(intake, range(2, 12)))
