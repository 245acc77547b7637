"""Do the policy rules load as data and compute subsidies with rates and caps as the Zhuhai plan says?

These are pure tests over the default rules file (`RULES`); the rules in force come from the database
table it seeds (tests/policy/test_regions.py)."""
import json

import pytest

from marketplace.policy.calculators import estimate, voucher_deduction
from marketplace.policy.rules import RULES_FILE, instrument, instruments_for, load_rules, region_for

RULES = load_rules()


def test_zhuhai_2026_defaults_match_the_plan():
    """模型券 30% up to 1,000,000 CNY a year; SME support 30% up to 500,000 for level ≥ 2; demos 30% up to 1,000,000;
    resonance awards up to 500,000, at most 5 a year."""
    voucher = instrument("model_voucher", "zhuhai", 2026, rules=RULES)
    assert (voucher.rate_bp, voucher.annual_cap_fen) == (3000, 100_000_000)
    sme = instrument("sme_ai_project", "zhuhai", 2026, rules=RULES)
    assert (sme.rate_bp, sme.item_cap_fen, sme.min_digital_level) == (3000, 50_000_000, 2)
    demo = instrument("demonstration_project", "zhuhai", 2026, rules=RULES)
    assert (demo.rate_bp, demo.item_cap_fen) == (3000, 100_000_000)
    award = instrument("resonance_award", "zhuhai", 2026, rules=RULES)
    assert (award.item_cap_fen, award.yearly_count_cap) == (50_000_000, 5)


def test_cities_without_rules_get_none_not_the_default_regions():
    """An enterprise in Foshan has no region and no instruments (Zhuhai's rules are never applied to it); Zhuhai has
    none for a year outside the plan."""
    assert region_for("foshan", 2026, rules=RULES) is None
    assert instruments_for("foshan", 2026, rules=RULES) == []
    assert instrument("model_voucher", "foshan", 2026, rules=RULES) is None
    assert region_for("zhuhai", 2026, rules=RULES) == "zhuhai"
    assert instruments_for("zhuhai", 2031, rules=RULES) == []


def test_another_citys_rules_are_a_data_change(tmp_path):
    """Adding a row for Dongguan makes Dongguan enterprises use it — no code change."""
    data = json.loads(open(RULES_FILE, encoding="utf-8").read())
    data["instruments"].append({**data["instruments"][0], "region": "dongguan", "rate_bp": 2000,
                                "annual_cap_fen": 50_000_000})
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rules = load_rules(str(path))
    assert instrument("model_voucher", "dongguan", 2026, rules=rules).rate_bp == 2000
    assert instrument("model_voucher", "zhuhai", 2026, rules=rules).rate_bp == 3000


def test_voucher_deduction_is_30_percent_floor_and_never_beyond_remaining_cap():
    """30% of spend, rounded down to the fen, limited by what is left of the annual cap."""
    rule = instrument("model_voucher", "zhuhai", 2026, rules=RULES)
    assert voucher_deduction(1_000_01, 0, rule) == 30_000
    assert voucher_deduction(10_000_000_00, 0, rule) == 100_000_000
    assert voucher_deduction(1_000_000_00, 99_990_000, rule) == 10_000
    assert voucher_deduction(1_000_000_00, 100_000_000, rule) == 0
    assert voucher_deduction(1_000_000_00, 0, None) == 0


def test_deduction_never_goes_beyond_the_approved_quota():
    """With a quota of 50,000 CNY, 20,000 of it used, a 1,000,000 CNY purchase gets the 30,000 left, and says why."""
    rule = instrument("model_voucher", "zhuhai", 2026, rules=RULES)
    result = estimate(rule, 1_000_000_00, None, 20_000_00, quota_fen=50_000_00)
    assert result.amount_fen == 30_000_00
    assert ("quota", {"quota": 50_000_00, "used": 20_000_00, "remaining": 30_000_00}) in result.reasons
    assert voucher_deduction(1_000_000_00, 20_000_00, rule, quota_fen=50_000_00) == 30_000_00
    assert voucher_deduction(1_000_000_00, 50_000_00, rule, quota_fen=50_000_00) == 0


@pytest.mark.parametrize("level,expected", [(1, 0), (2, 30_000_000), (4, 30_000_000)])
def test_sme_support_needs_level_two(level, expected):
    """SME AI project support is refused below 数字化水平二级 and 30% otherwise."""
    result = estimate(instrument("sme_ai_project", "zhuhai", 2026, rules=RULES), 100_000_000, level, 0)
    assert result.amount_fen == expected
    if level < 2:
        assert result.reasons[0][0] == "level_too_low" and not result.eligible


def test_item_cap_applies_after_the_rate():
    """A 3,000,000 CNY project gets 500,000 (cap), not 900,000."""
    result = estimate(instrument("sme_ai_project", "zhuhai", 2026, rules=RULES), 300_000_000, 3, 0)
    assert result.amount_fen == 50_000_000 and ("item_cap", {"cap": 50_000_000}) in result.reasons


def test_resonance_award_count_cap():
    """After five awards in a year, the sixth is not possible."""
    rule = instrument("resonance_award", "zhuhai", 2026, rules=RULES)
    assert estimate(rule, 40_000_000, 2, 0, awarded_count=4).eligible
    assert not estimate(rule, 40_000_000, 2, 0, awarded_count=5).eligible


@pytest.mark.parametrize("changes, amount, level, used", [
    ({}, 1_000_000_00, 1, 0),
    ({"rate_bp": None}, 40_000_00, None, 0),
    ({"rate_bp": None}, 2_000_000_00, 3, 50_000_000),
    ({"min_digital_level": 2}, 1_000_000_00, 1, 0),
    ({"min_digital_level": 2}, 1_000_000_00, 2, 0),
    ({"item_cap_fen": 10_000_00}, 1_000_000_00, None, 0),
])
def test_checkout_deduction_is_what_the_estimator_promises(changes, amount, level, used):
    """The deduction at checkout and the estimator agree on a missing rate and on the minimum digital level."""
    from dataclasses import replace

    rule = replace(instrument("model_voucher", "zhuhai", 2026, rules=RULES), **changes)
    assert voucher_deduction(amount, used, rule, level) == estimate(rule, amount, level, used).amount_fen
