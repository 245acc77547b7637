"""Money is shown one way (exact yuan with thousands separators), prices say what they are for, and amounts may be
typed in 元 or 万."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from marketplace.forms_common import YuanField
from marketplace.money import format_fen
from marketplace.templating import price


def test_large_and_small_amounts_look_alike():
    """Do ¥380,000 and ¥88,000 (once "¥38万" beside "¥88,000.00") come out in one shape?"""
    assert format_fen(38_000_000) == "¥380,000.00" and format_fen(8_800_000) == "¥88,000.00"
    assert format_fen(5) == "¥0.05" and format_fen(-123_456) == "-¥1,234.56"


@pytest.mark.parametrize("plan,zh,en", [("per_call", "¥0.05/次", "¥0.05 per call"),
                                        ("annual", "¥0.05/年", "¥0.05 per year"),
                                        ("one_off", "¥0.05/套", "¥0.05 per set")])
def test_a_price_says_what_it_is_for(app, plan, zh, en):
    """Does a per-call price read as per call (not as a total) in both languages?"""
    from types import SimpleNamespace

    offering = SimpleNamespace(price_fen=5, pricing_plan=plan)
    with app.test_request_context("/?lang=zh_CN"):
        assert price(offering) == zh
    with app.test_request_context("/?lang=en"):
        assert price(offering) == en


@pytest.mark.parametrize("typed,fen", [("50万", 50_000_000), ("1.28万元", 1_280_000), ("¥12,800.50", 1_280_050),
                                       ("0.000001万", 1), ("30 万", 30_000_000)])
def test_amounts_may_be_typed_in_wan(app, typed, fen):
    """Is "50万" read as 500,000 yuan, exactly, wherever an amount in yuan is asked for?"""
    from flask_wtf import FlaskForm

    class Form(FlaskForm):
        amount = YuanField("amount")

    with app.test_request_context(method="POST"):
        form = Form(formdata=MultiDict({"amount": typed}), meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.amount.fen == fen


@pytest.mark.parametrize("typed", ["0.0000001万", "万", "1e3万", "abc万"])
def test_wan_amounts_below_a_fen_or_malformed_are_refused(app, typed):
    """Is a 万 amount that is not a whole number of fen, or not a number, refused with the amount message?"""
    from flask_wtf import FlaskForm

    class Form(FlaskForm):
        amount = YuanField("amount")

    with app.test_request_context(method="POST"):
        form = Form(formdata=MultiDict({"amount": typed}), meta={"csrf": False})
        assert not form.validate() and form.amount.fen is None
