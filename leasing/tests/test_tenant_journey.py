"""The tenant's own job in the system Chromium: from its home page to its bills, a bill's
PDF, its payment's receipt and its lease statement — each a real PDF — and nothing of
another company on the way."""

from __future__ import annotations

import pytest

from core.testing.browser import MARKS, chromium, sign_in
from core.testing.world import PASSWORD, build_world
from leasing.models import Invoice, Lease

pytestmark = MARKS


@pytest.fixture
def world(transactional_db):
    return build_world()


def _pdf(page, selector: str) -> bytes:
    """The document a link on the page opens, fetched with the tenant's session."""
    href = page.locator(selector).first.get_attribute("href")
    origin = "/".join(page.url.split("/")[:3])
    response = page.context.request.get(origin + href)
    assert response.status == 200, href
    assert response.headers["content-type"] == "application/pdf", href
    return response.body()


def test_a_tenant_reads_its_bills_and_their_pdfs(world, live_server):
    mine, other = world.sample(Lease, "A"), world.sample(Lease, "B")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        sign_in(page, live_server.url, "tenant", PASSWORD)

        page.goto(f"{live_server.url}/leasing/invoices/")
        listed = page.locator("#table tbody").inner_text()
        assert all(i.number in listed for i in Invoice.objects.filter(lease=mine))
        assert not any(i.number in listed for i in Invoice.objects.filter(lease=other))

        page.locator("#table tbody a").first.click()
        page.wait_for_url("**/leasing/invoices/*/")
        assert _pdf(page, "a[href*='document'][href*='format=pdf']").startswith(b"%PDF")

        page.goto(f"{live_server.url}/leasing/payments/")
        page.locator("#table tbody a").first.click()
        page.wait_for_url("**/leasing/payments/*/")
        assert _pdf(page, "a[href*='/receipt/']").startswith(b"%PDF")

        page.goto(f"{live_server.url}/leasing/leases/{mine.pk}/")
        assert _pdf(page, "a[href*='statement'][href*='format=pdf']").startswith(b"%PDF")
        assert page.goto(f"{live_server.url}/leasing/leases/{other.pk}/").status == 404
