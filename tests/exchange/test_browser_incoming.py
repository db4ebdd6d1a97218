"""An incoming clue with its evidence, through the pages only.

安吉县 (a partner bureau on another instance) sends 旌德县 a clue with a signed evidence package; someone else sends
one claiming to be 安吉县's with another key. 李主任 (the office of 旌德县) opens the messages: the first is
received, its package verified against 安吉县's published key and linked to the clue it became; the second is
refused with the reason. On the clue's page the package is listed as verified and downloads as the very bytes
that arrived.
"""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in
from wangjian.evidence import keys
from wangjian.exchange.models import ReceivedPackage
from wangjian.exchange.selectors import package_bytes
from wangjian.exchange.services import message_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_opens_an_incoming_clue_and_its_verified_package(
    browser, live_server, demo, remote, remote_capture
):
    accepted = message_receive(remote.message(attachments=[remote.package(remote_capture)]))
    stranger = keys.Ed25519PrivateKey.generate()
    message_receive(remote.message(sign=lambda d: keys.sign(stranger, d)))
    package = ReceivedPackage.objects.get()
    arrived = hashlib.sha256(package_bytes(package)).hexdigest()

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/exchange/messages/?direction=in")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("cell", name="被拒收")).to_be_visible()

    page.goto(f"{live_server.url}/exchange/messages/{accepted.message.pk}/")
    expect(page.locator("#message-state")).to_have_text("已接收")
    expect(page.locator("#message-packages")).to_contain_text("验签通过")
    page.locator("#message-result a").click()

    card = page.locator("#received-packages")
    expect(card).to_contain_text("验签通过")
    expect(card).to_contain_text("安吉县市场监督管理局")
    expect(page.locator("body")).to_contain_text("移送理由")
    with page.expect_download() as info:
        card.locator("a").first.click()
    path = info.value.path()
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == arrived == package.sha256

    refused = page.goto(f"{live_server.url}/exchange/messages/?state=refused")
    assert refused.ok
    page.locator("table tbody tr a").first.click()
    expect(page.locator("#refusal")).to_contain_text("签名无效")
    context.close()
