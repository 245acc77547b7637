"""Fixtures for the 模型券 tests: a vendor with a voucher-eligible offering, SMEs in a configured and an
unconfigured city, and the centers of those cities."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import make_offering, make_user


@pytest.fixture
def market(in_app, frozen_clock):
    """A vendor's ¥100,000 voucher-eligible offering; a Zhuhai SME (Zhuhai has rules), a Foshan SME (no rules),
    the Zhuhai and Foshan centers and an admin; the clock stands in March 2026."""
    vendor = make_user("vendor")
    return SimpleNamespace(
        vendor=vendor, offering=make_offering(vendor.organisation, price_fen=100_000_00, voucher_eligible=True),
        plain=make_offering(vendor.organisation, title="不可用券的方案", price_fen=100_000_00, voucher_eligible=False),
        sme=make_user("enterprise", city="zhuhai"), foshan_sme=make_user("enterprise", city="foshan"),
        center=make_user("center", city="zhuhai"), foshan_center=make_user("center", city="foshan"),
        admin=make_user("admin"))
