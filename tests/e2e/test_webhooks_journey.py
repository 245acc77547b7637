"""Webhooks in Chromium: a vendor finds the page from its dashboard, registers a local receiver, copies the
signing secret shown once, sends a test event and sees the receiver's answer among the deliveries; the
receiver checks the signature with the secret the page showed."""
from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.webhooks.conftest import Receiver, make_handler


def test_vendor_registers_an_endpoint_and_sends_a_test_event(live_server, page, make_account):
    base = live_server.url
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(receiver))
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sign_in(page, base, make_account("vendor"))
        page.click('a[href="/webhooks/"]')
        page.fill("#url", receiver.url("/erp"))
        page.fill("#description", "ERP 订单同步")
        page.check('input[name="events"][value="order.placed"]')
        page.click("#main form button[type=submit]")
        secret = page.input_value("#new-secret")
        assert secret.startswith("whsec_")
        receiver.secrets["/erp"] = secret

        page.click(f'a[href*="/webhooks/"]:has-text("{receiver.url("/erp")}")')
        expect(page.locator("#new-secret")).to_have_count(0)  # shown once only
        page.click('form[action$="/test"] button')
        expect(page.locator("tbody tr").first).to_contain_text("webhook.test")
        expect(page.locator("tbody tr").first).to_contain_text("200")
        [got] = receiver.received
        assert got.event["type"] == "webhook.test" and got.signature_valid
    finally:
        server.shutdown()
        server.server_close()
