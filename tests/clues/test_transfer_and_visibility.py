"""Transfer between bureaus (法定管辖) and who sees which clue."""

from wangjian.clues import selectors, services
from wangjian.clues.choices import ClueState

from .conftest import at


def test_transfer_to_the_bureau_of_the_entitys_territory(demo, intake):
    office = demo.users["office"]
    clue = intake(entity_uscc="91341824MA2JIXI01X", entity_name="绩溪某电商").clue
    result = services.clue_transfer(
        clue=clue, user=office, to_bureau=demo.other_county, reason="主体登记在绩溪县", now=at("2025-09-29")
    )
    target = result.clue
    clue.refresh_from_db()
    assert clue.state == ClueState.TRANSFERRED
    assert target.bureau == demo.other_county and target.transferred_from == clue
    assert target.number.startswith("绩市监线〔2025〕")
    assert target.source_kind == "transfer" and target.source_ref == clue.number
    assert target.state == ClueState.ASSIGNED  # routed by 绩溪's own duty list
    assert target.department.bureau == demo.other_county

    # the sender keeps read-only sight of it
    assert target in selectors.clues_visible(office)
    assert selectors.clue_read_only(user=office, clue=target)
    assert services.allowed_actions(user=office, clue=target) == []
    # and hears of the feedback
    jixi_ad = demo.other_county.departments.get(kind="advertising")
    from wangjian.org.services import user_create

    jixi_officer, _ = user_create(
        username="jx_ad", bureau=demo.other_county, department=jixi_ad, password="Demo2025pass"
    )
    services.clue_accept(clue=target, user=jixi_officer)
    services.clue_feedback(clue=target, user=jixi_officer, result="true", actions="已责令整改")
    assert office.inbox.about(target).filter(kind="state").exists()


def test_cannot_transfer_to_oneself(demo, intake):
    clue = intake().clue
    try:
        services.clue_transfer(clue=clue, user=demo.users["office"], to_bureau=demo.county, reason="x")
    except services.ValidationFailed as exc:
        assert "本局" in exc.zh
    else:
        raise AssertionError("transfer to the same bureau was accepted")


def test_an_officer_sees_only_the_clues_of_their_unit(demo, intake):
    ad = intake(domain="internet_advertising", entity_uscc="A1").clue
    price = intake(domain="online_price", entity_uscc="A2").clue
    food = intake(domain="online_food", entity_uscc="A3", region_code="341825100").clue  # 旌阳所
    u = demo.users
    assert set(selectors.clues_visible(u["ad_officer"])) == {ad}
    assert set(selectors.clues_visible(u["price_officer"])) == {price}
    assert set(selectors.clues_visible(u["station_officer"])) == {food}
    assert set(selectors.clues_visible(u["food_officer"])) == set()  # the station handles it
    assert set(selectors.clues_visible(u["office"])) == {ad, price, food}
    assert set(selectors.clues_visible(u["jixi_officer"])) == set()
    assert set(selectors.clues_visible(u["city_office"])) == {ad, price, food}  # the city oversees


def test_a_shared_or_self_found_clue_is_visible(demo, intake):
    u = demo.users
    ad = intake(entity_uscc="A1").clue
    found = intake(domain="online_price", entity_uscc="A2", finder=u["food_officer"]).clue
    assert ad not in selectors.clues_visible(u["price_officer"])
    services.clue_share(clue=ad, user=u["office"], with_user=u["price_officer"])
    assert ad in selectors.clues_visible(u["price_officer"])
    assert found in selectors.clues_visible(u["food_officer"])
    assert services.allowed_actions(user=u["food_officer"], clue=found) == []  # seeing is not acting


def test_a_clue_transferred_away_is_watched_not_worked_on(demo, intake):
    clue = intake(entity_uscc="91341824MA2JIXI02X").clue
    target = services.clue_transfer(
        clue=clue, user=demo.users["office"], to_bureau=demo.other_county, reason="属地管辖"
    ).clue
    officer = demo.users["ad_officer"]
    assert target in selectors.clues_visible(officer)
    assert target.number not in [i.label.split()[0] for i in selectors.workbench_items(user=officer)]


def test_the_office_is_told_when_the_entity_lies_in_another_bureaus_territory(demo, intake, login):
    by_code = intake(entity_uscc="91341824MA2JIXI03X").clue  # registered in 绩溪县 (341824)
    by_region = intake(domain="online_price", region_code="341824100").clue
    own = intake(domain="online_food", entity_uscc="91341825MA2OWN001X").clue
    assert selectors.transfer_suggestion(by_code)[0] == demo.other_county
    assert "登记机关" in selectors.transfer_suggestion(by_code)[1]
    assert selectors.transfer_suggestion(by_region)[0] == demo.other_county
    assert selectors.transfer_suggestion(own) is None
    page = login(demo.users["office"]).get(f"/clues/clues/{by_code.pk}/").content.decode()
    assert 'id="transfer-hint"' in page and "绩溪县" in page
