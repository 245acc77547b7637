"""Automatic flags: mostly repeated text and text far longer than its field is for are flagged; the demo data
is not."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.moderation.flags import LIMITS, flags_for, is_repetitive, repeated_share
from seed.loader import read_data

SEED = read_data()
KINDS = {"needs": "need", "offerings": "offering", "models": "model", "providers": "provider", "cases": "case"}
NEED = SEED["needs"][0]


def as_record(row: dict) -> SimpleNamespace:
    """A seed row as a record with the attributes the flags read."""
    return SimpleNamespace(**row)


@pytest.mark.parametrize("collection", sorted(KINDS))
def test_no_seed_record_is_flagged(collection):
    """Does every need, offering, model card, provider profile and case of the demo data pass without a flag?"""
    flagged = {row["key"]: flags_for(KINDS[collection], as_record(row)) for row in SEED[collection]}
    assert SEED[collection] and {key: f for key, f in flagged.items() if f} == {}


def test_a_need_repeating_one_phrase_is_flagged_as_repetitive():
    """A need whose description is a seed need's title said again and again (as in the issue) is flagged."""
    spam = "，".join([NEED["title"]] * 40)
    flags = flags_for("need", as_record({**NEED, "description": spam}))
    assert [f.reason for f in flags] == ["repetitive"] and flags[0].field == "description"
    assert repeated_share(spam) > 0.9


def test_natural_text_of_any_length_is_not_repetitive():
    """Every seed need's description, and all of them run together, read as natural text."""
    joined = "\n".join(n["description"] for n in SEED["needs"])
    assert not any(is_repetitive(n["description"]) for n in SEED["needs"])
    assert not is_repetitive(joined) and repeated_share(joined) < 0.2


def test_short_repetition_is_not_judged():
    """A few repeated words (below the minimum length) are not flagged: there is too little to judge."""
    assert not is_repetitive("好好好好好好好好好好")


def test_a_description_far_longer_than_its_purpose_is_flagged_as_overlong():
    """Twenty different seed descriptions pasted into one need exceed what a need's description is for."""
    long_text = "\n".join(n["description"] for n in SEED["needs"][:20])
    assert len(long_text) > LIMITS["need"]["description"]
    flags = flags_for("need", as_record({**NEED, "description": long_text}))
    assert [(f.reason, f.field) for f in flags] == [("overlong", "description")]


def test_the_5000_character_phrase_of_the_issue_raises_both_flags():
    """The issue's 5,000-character need repeating one phrase is both repetitive and overlong."""
    text = ("急需视觉检测方案价格好说请尽快联系我们" * 300)[:5000]
    assert {f.reason for f in flags_for("need", as_record({**NEED, "description": text}))} == {"repetitive",
                                                                                               "overlong"}
