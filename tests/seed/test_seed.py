"""Does the demo data load completely, cover the taxonomy and give working demo accounts?"""
from collections import Counter

from sqlalchemy import func, select

from marketplace import vocab
from marketplace.accounts.credit_code import is_valid_credit_code
from marketplace.accounts.models import Organisation
from marketplace.cases.models import Case
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.extensions import db
from marketplace.needs.models import Need
from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD, read_data


def count(model) -> int:
    """Count rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_command_loads_the_promised_volumes(app, runner):
    """`flask seed` loads at least 25 vendors, 60 models, 60 offerings, 80 needs, 20 cases, 3 centers."""
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(ProviderProfile) >= 25
        assert count(IndustrialModel) >= 60
        assert count(Offering) >= 60
        assert count(Need) >= 80
        assert count(Case) >= 20
        kinds = Counter(db.session.scalars(select(Organisation.kind)))
        assert kinds["center"] >= 3 and kinds["vendor"] >= 25 and kinds["platform"] == 1
        assert all(is_valid_credit_code(c) for c in db.session.scalars(select(Organisation.credit_code)))


def test_seed_covers_most_scenarios_every_stage_and_every_industry(app, runner):
    """Needs alone span at least 24 of the 40 MIIT scenarios, all 8 stages and 10 industries; with the listings
    and cases the seed covers at least 34 scenarios and all 16 industries."""
    runner.invoke(args=["seed"])
    with app.app_context():
        need_scenarios = set(db.session.scalars(select(Need.scenario)))
        industries = set(db.session.scalars(select(Need.industry)))
        listed = {code for model in (Offering, IndustrialModel, ProviderProfile)
                  for codes in db.session.scalars(select(model.scenarios)) for code in codes}
        case_scenarios = set(db.session.scalars(select(Case.scenario)))
        covered_industries = industries | set(db.session.scalars(select(Case.industry))) | {
            code for model in (Offering, IndustrialModel, ProviderProfile)
            for codes in db.session.scalars(select(model.industries)) for code in codes}
    assert len(need_scenarios) >= 24 and len(industries) >= 10
    assert {vocab.stage_of(s).code for s in need_scenarios} == set(vocab.codes(vocab.STAGES))
    assert len(need_scenarios | listed | case_scenarios) >= 34
    assert covered_industries == set(vocab.codes(vocab.INDUSTRIES))


def test_seed_rows_use_only_vocabulary_codes_and_resolve_references():
    """Every code in the seed files is a vocabulary code and every reference resolves."""
    data = read_data()
    industries, scenarios = set(vocab.codes(vocab.INDUSTRIES)), set(vocab.codes(vocab.SCENARIOS))
    cities = set(vocab.codes(vocab.CITIES))
    for row in data["offerings"] + data["models"]:
        assert set(row["industries"]) <= industries and set(row["scenarios"]) <= scenarios, row["key"]
    for row in data["needs"] + data["cases"]:
        assert row["industry"] in industries and row["scenario"] in scenarios, row["key"]
    for row in data["providers"] + data["enterprises"] + data["centers"]:
        assert row["city"] in cities, row["key"]
    offering_keys = {o["key"] for o in data["offerings"]}
    vendor_keys = {p["key"] for p in data["providers"]}
    for case in data["cases"]:
        assert case["offering"] in offering_keys and case["vendor"] in vendor_keys, case["key"]


def test_seed_texts_are_varied():
    """No two need descriptions share their opening; texts are not one template with words swapped."""
    data = read_data()
    openings = Counter(n["description"][:12] for n in data["needs"])
    assert openings.most_common(1)[0][1] <= 2
    assert len({n["title"] for n in data["needs"]}) == len(data["needs"])


def test_seed_refuses_a_non_empty_database_unless_asked_to_skip(app, runner):
    """Seeding twice refuses (or skips with --if-empty) and never duplicates rows."""
    runner.invoke(args=["seed"])
    again = runner.invoke(args=["seed"])
    assert again.exit_code != 0
    skipped = runner.invoke(args=["seed", "--if-empty"])
    assert skipped.exit_code == 0 and "skipped" in skipped.output
    with app.app_context():
        assert count(Offering) == len(read_data()["offerings"])


def test_demo_accounts_sign_in_for_every_role(app, runner, client, auth):
    """Each README demo account signs in with the demo password and reaches its workspace."""
    runner.invoke(args=["seed"])
    for role, email in DEMO_ACCOUNTS.items():
        assert auth.login(email, DEMO_PASSWORD).status_code == 302, role
        assert client.get("/dashboard").status_code == 200
        auth.logout()


def test_seeded_orders_happen_in_order(app, runner):
    """Every seeded order is paid after it was placed and delivered or refunded after it was paid."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.orders.models import Order

    runner.invoke(args=["seed"])
    with app.app_context():
        for order in db.session.scalars(select(Order)):
            if order.paid_at:
                assert order.created_at <= order.paid_at, order.id
            for later in (order.fulfilled_at, order.refunded_at):
                if later:
                    assert order.paid_at is not None and order.paid_at <= later, order.id


def test_every_seeded_model_card_has_its_sections_and_a_history_ending_at_its_version():
    """Each seeded model has intended use, limitations and training data within their limits, and releases in date
    order whose last is the model's version."""
    from marketplace.catalog.fields import MODEL_CARD_SECTIONS, MODEL_FIELDS

    data = read_data()
    cards = {card["model"]: card for card in data["model_cards"]}
    assert set(cards) == {m["key"] for m in data["models"]}
    for model in data["models"]:
        card = cards[model["key"]]
        for section in MODEL_CARD_SECTIONS:
            assert 20 <= len(card[section]) <= MODEL_FIELDS[section].max, (model["key"], section)
        dates = [v["released_on"] for v in card["versions"]]
        assert dates == sorted(dates) and card["versions"][-1]["number"] == model["version"], model["key"]
