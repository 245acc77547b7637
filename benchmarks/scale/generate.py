"""Fill a freshly migrated database with the province-scale catalogue, fast.

    python -m benchmarks.scale.generate --database-url postgresql+psycopg://… [--size 100000]

At size N (the number of published offerings; 100,000 by default): N open needs, N/20 vendors each with a
published provider profile and two published model cards, N/5 SMEs, N/2 orders (with their lines and
voucher entries) and N/5 proposals (half of them with a message). The demo seed is loaded first through
the app, so the demo accounts sign in as usual; the demo vendor gets the largest catalogue (1.34 % of
the offerings, as the study's 1,336-listing vendor) and the demo SME a share of the needs and orders.

Rows go in through SQLAlchemy Core multi-row inserts (the column types do the encoding, so the codes are
stored however the models store them) with ids assigned here, and the id sequences are moved past them
at the end. Texts come from `benchmarks.scale.texts`; codes are always vocabulary codes, money integer fen.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from benchmarks.scale.texts import BRANDS, Composer
from marketplace import vocab
from marketplace.accounts.credit_code import ALPHABET, check_character
from marketplace.accounts.models import Organisation, User
from marketplace.catalog.models import IndustrialModel, ModelEvaluation, Offering, ProviderProfile, offering_model
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.orders.models import Order, OrderLine, VoucherEntry
from marketplace.proposals.models import Message, Proposal, proposal_offering
from seed.loader import DEMO_ACCOUNTS, DIVISIONS, load

BATCH = 2000
DEMO_VENDOR_SHARE = 0.0134
DEMO_SME_NEED_SHARE = 0.002
DEMO_SME_ORDER_SHARE = 0.004
ORDER_STATES = (("placed", 15), ("paid", 25), ("fulfilled", 45), ("refunded", 5), ("cancelled", 10))
PROPOSAL_STATES = (("invited", 20), ("submitted", 40), ("shortlisted", 10), ("declined", 20), ("withdrawn", 10))
VOUCHER_RATE, VOUCHER_CAP_FEN, VOUCHER_REGION, VOUCHER_YEAR = 0.30, 100_000_000, "zhuhai", 2026
INDUSTRY_CODES = vocab.codes(vocab.INDUSTRIES)
SCENARIO_CODES = vocab.codes(vocab.SCENARIOS)
CITY_CODES = vocab.codes(vocab.CITIES)
DEPLOY_CODES = vocab.codes(vocab.DEPLOYMENTS)
PLAN_PRICES = {"one_off": (2_000_000, 80_000_000), "annual": (1_000_000, 60_000_000), "per_call": (50, 5_000)}


def counts_for(size: int) -> dict[str, int]:
    """How many records of each kind the catalogue of `size` offerings has."""
    return {"offerings": size, "needs": size, "vendors": max(2, size // 20), "smes": max(2, size // 5),
            "orders": size // 2, "proposals": size // 5}


def table(model) -> Table:
    """The table of a mapped class."""
    return cast(Table, model.__table__)


def credit_code(n: int, city: str) -> str:
    """A valid, unique 统一社会信用代码 for generated organisation number n."""
    body = "91" + DIVISIONS.get(city, "440000") + "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)]
                                                          for i in range(9))
    return body + check_character(body)


def chunks(rows: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    """Split rows into lists of at most `size`."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def insert(conn: Connection, table: Table, rows: Iterable[dict]) -> int:
    """Insert rows into a table in multi-row batches; returns how many."""
    total = 0
    for batch in chunks(rows):
        conn.execute(table.insert(), batch)
        total += len(batch)
    return total


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    """Pick a value from (value, weight) pairs."""
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def pick_codes(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    """low..high distinct codes of a vocabulary list."""
    return rng.sample(pool, rng.randint(low, high))


class Generator:
    """Writes one catalogue; the ids it assigns are kept so later tables can refer to them."""

    def __init__(self, conn: Connection, size: int, seed: int = 12, now: datetime | None = None,
                 say: Callable[[str], None] = print):
        """Prepare counters after the seed's rows."""
        self.conn, self.size, self.n = conn, size, counts_for(size)
        self.rng = random.Random(seed)
        self.compose = Composer(self.rng)
        self.now = now or datetime.now(UTC)
        self.say = say
        self.next_id = {t: (conn.scalar(select(func.max(t.c.id))) or 0) + 1 for t in (
            table(Organisation), table(User), table(ProviderProfile), table(IndustrialModel),
            table(ModelEvaluation), table(Offering), table(Need), table(Order), table(OrderLine),
            table(VoucherEntry), table(Proposal), table(Message))}
        demo = {role: conn.execute(select(User.id, User.organisation_id).where(User.email == email)).one()
                for role, email in DEMO_ACCOUNTS.items() if role in ("vendor", "enterprise")}
        self.demo_vendor = demo["vendor"]
        self.demo_sme = demo["enterprise"]
        self.password_hash = conn.scalar(select(User.password_hash).where(User.id == self.demo_vendor[0]))

    def ids(self, table: Table, n: int) -> range:
        """Reserve n consecutive ids of a table."""
        start = self.next_id[table]
        self.next_id[table] = start + n
        return range(start, start + n)

    def when(self, days_back: int = 365) -> datetime:
        """A moment within the last `days_back` days."""
        return self.now - timedelta(seconds=self.rng.randint(3600, days_back * 86400))

    # ---- organisations ----------------------------------------------------------------------

    def organisations(self, kind: str, count: int) -> list[tuple[int, int, str]]:
        """Insert organisations of one kind with a contact user each; returns [(org id, user id, city)]."""
        org_t, user_t = table(Organisation), table(User)
        org_ids, user_ids = self.ids(org_t, count), self.ids(user_t, count)
        vendor = kind == "vendor"
        cities = [self.rng.choice(CITY_CODES) for _ in range(count)]
        orgs = ({"id": o, "kind": kind, "name": self.compose.org_name(c, vendor, o), "credit_code": credit_code(o, c),
                 "city": c, "industry": self.rng.choice(INDUSTRY_CODES), "size": self.rng.choice(("large", "medium",
                 "small", "micro")), "digital_level": self.rng.randint(1, 4), "contact_name": self.compose.person(),
                 "phone": f"0{self.rng.randint(200, 799)}-{self.rng.randint(10_000_000, 99_999_999)}",
                 "summary": None, "created_at": self.when(900)} for o, c in zip(org_ids, cities, strict=True))
        insert(self.conn, org_t, orgs)
        users = ({"id": u, "email": f"{kind}{o}@scale.moshu.cn", "name": self.compose.person(),
                  "password_hash": self.password_hash, "organisation_id": o, "is_admin": False,
                  "is_active": True} for o, u in zip(org_ids, user_ids, strict=True))
        insert(self.conn, user_t, users)
        return list(zip(org_ids, user_ids, cities, strict=True))

    # ---- the vendor side --------------------------------------------------------------------

    def vendor_catalogue(self, vendors: list[tuple[int, int, str]]) -> tuple[dict[int, list[int]], list[dict]]:
        """Profiles, two model cards each and the offerings; returns ({vendor: offering ids}, offering rows)."""
        profile_t, model_t, eval_t = table(ProviderProfile), table(IndustrialModel), table(ModelEvaluation)
        brands = {v: self.rng.choice(BRANDS) for v, _, _ in vendors}
        focus: dict[int, tuple[list[str], list[str]]] = {}
        profiles = []
        for (org, _, city), pid in zip(vendors, self.ids(profile_t, len(vendors)), strict=True):
            industries = pick_codes(self.rng, INDUSTRY_CODES, 2, 5)
            scenarios = pick_codes(self.rng, SCENARIO_CODES, 2, 6)
            focus[org] = (industries, scenarios)
            created = self.when(700)
            profiles.append({"id": pid, "organisation_id": org, "provider_type": self.rng.choice(("integrator",
                             "specialist")), **self.compose.profile(industries, scenarios), "industries": industries,
                             "scenarios": scenarios,
                             "cities_served": list({city, *pick_codes(self.rng, CITY_CODES, 1, 5)}),
                             "quality_listed": self.rng.random() < 0.1, "state": "published", "created_at": created,
                             "updated_at": created})
        insert(self.conn, profile_t, profiles)
        models, evaluations = [], []
        model_of: dict[int, list[int]] = {}
        for org, _, _ in vendors:
            industries, scenarios = focus[org]
            for mid in self.ids(model_t, 2):
                kind = self.rng.choice(vocab.codes(vocab.MODEL_KINDS))
                created = self.when(600)
                own = self.rng.sample(scenarios, min(2, len(scenarios)))
                models.append({"id": mid, "organisation_id": org, "kind": kind, "version": f"{self.rng.randint(1, 4)}."
                               f"{self.rng.randint(0, 9)}.0", **self.compose.model(brands[org], own, kind),
                               "industries": industries, "scenarios": own,
                               "modalities": pick_codes(self.rng, vocab.codes(vocab.MODALITIES), 1, 3),
                               "deployments": pick_codes(self.rng, DEPLOY_CODES, 1, 2), "state": "published",
                               "created_at": created, "updated_at": created})
                evaluations.append({"id": self.ids(eval_t, 1)[0], "model_id": mid, **self.compose.evaluation()})
                model_of.setdefault(org, []).append(mid)
        insert(self.conn, model_t, models)
        insert(self.conn, eval_t, evaluations)
        self.say(f"  {len(vendors):,} provider profiles, {len(models):,} model cards")
        return self.offerings(vendors, brands, focus, model_of)

    def offerings(self, vendors, brands, focus, model_of) -> tuple[dict[int, list[int]], list[dict]]:
        """The published supermarket offerings, the demo vendor's share first, the rest Zipf-like."""
        demo_org = self.demo_vendor[1]
        demo_count = max(1, round(self.size * DEMO_VENDOR_SHARE))
        orgs = [v for v, _, _ in vendors]
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(orgs))]
        owners = [demo_org] * demo_count + self.rng.choices(orgs, weights=weights, k=self.size - demo_count)
        demo_focus = (pick_codes(self.rng, INDUSTRY_CODES, 3, 5), pick_codes(self.rng, SCENARIO_CODES, 4, 8))
        by_vendor: dict[int, list[int]] = {}
        rows, links = [], []
        for oid, org in zip(self.ids(table(Offering), self.size), owners, strict=True):
            industries, scenarios = focus.get(org, demo_focus)
            own_ind = self.rng.sample(industries, min(len(industries), self.rng.randint(1, 3)))
            own_sc = self.rng.sample(scenarios, min(len(scenarios), self.rng.randint(1, 2)))
            deployments = pick_codes(self.rng, DEPLOY_CODES, 1, 2)
            plan = self.rng.choice(tuple(PLAN_PRICES))
            low, high = PLAN_PRICES[plan]
            price = self.rng.randint(low, high)
            created = self.when()
            updated = min(self.now, created + timedelta(days=self.rng.randint(0, 60)))
            rows.append({"id": oid, "organisation_id": org, **self.compose.offering(brands.get(org, "粤智"), own_ind,
                         own_sc, deployments[0]), "pricing_plan": plan,
                         "price_fen": price if price < 10_000 else price // 100 * 100,
                         "delivery_days": self.rng.choice((7, 14, 30, 45, 60, 90)),
                         "voucher_eligible": self.rng.random() < 0.4, "deployments": deployments,
                         "industries": own_ind, "scenarios": own_sc, "state": "published", "created_at": created,
                         "updated_at": updated})
            if org in model_of:
                links.append({"offering_id": oid, "model_id": self.rng.choice(model_of[org])})
            by_vendor.setdefault(org, []).append(oid)
        insert(self.conn, table(Offering), rows)
        insert(self.conn, offering_model, links)
        self.say(f"  {len(rows):,} offerings ({demo_count:,} of them the demo vendor's)")
        return by_vendor, rows

    # ---- the SME side -----------------------------------------------------------------------

    def needs(self, smes: list[tuple[int, int, str]]) -> list[dict]:
        """The open needs, a share of them the demo SME's."""
        demo = self.demo_sme[1]
        demo_count = max(1, round(self.size * DEMO_SME_NEED_SHARE))
        rows = []
        for i, nid in enumerate(self.ids(table(Need), self.n["needs"])):
            org, _, city = (demo, 0, self.rng.choice(CITY_CODES)) if i < demo_count else self.rng.choice(smes)
            industry, scenario = self.rng.choice(INDUSTRY_CODES), self.rng.choice(SCENARIO_CODES)
            created = self.when()
            budget = self.rng.choice((5, 10, 20, 30, 50, 80, 120, 200)) * 1_000_000
            deadline = created + timedelta(days=self.rng.randint(30, 240))
            rows.append({"id": nid, "organisation_id": org, **self.compose.need(industry, scenario, city),
                         "industry": industry, "scenario": scenario, "budget_min_fen": budget // 2,
                         "budget_max_fen": budget,
                         "deadline": deadline.date() if self.rng.random() < 0.85 else None,
                         "deployment": self.rng.choice(DEPLOY_CODES + (None,)),
                         "city": city, "visibility": "public" if self.rng.random() < 0.85 else "registered",
                         "status": "open", "created_at": created, "updated_at": created})
        insert(self.conn, table(Need), rows)
        self.say(f"  {len(rows):,} open needs")
        return rows

    def orders(self, smes, offerings: list[dict], user_of: dict[int, int]) -> None:
        """Orders in every state with their lines and voucher entries."""
        demo_org, demo_user = self.demo_sme[1], self.demo_sme[0]
        demo_count = max(1, round(self.size * DEMO_SME_ORDER_SHARE))
        orders, lines, vouchers = [], [], []
        for i, order_id in enumerate(self.ids(table(Order), self.n["orders"])):
            buyer, user = (demo_org, demo_user) if i < demo_count else (lambda s: (s[0], s[1]))(self.rng.choice(smes))
            offering = self.rng.choice(offerings)
            quantity = self.rng.randint(1, 20) if offering["pricing_plan"] == "per_call" else 1
            list_fen = offering["price_fen"] * quantity
            voucher = min(int(list_fen * VOUCHER_RATE), VOUCHER_CAP_FEN) if offering["voucher_eligible"] else 0
            state, created = weighted(self.rng, ORDER_STATES), self.when(300)
            later = [created + timedelta(days=d) for d in (1, 10)]
            orders.append({"id": order_id, "buyer_id": buyer, "vendor_id": offering["organisation_id"],
                           "offering_id": offering["id"], "placed_by_id": user, "idempotency_key": f"scale-{order_id}",
                           "title": offering["title"], "pricing_plan": offering["pricing_plan"], "quantity": quantity,
                           "unit_price_fen": offering["price_fen"], "list_fen": list_fen, "voucher_fen": voucher,
                           "payable_fen": list_fen - voucher, "voucher_year": VOUCHER_YEAR,
                           "policy_region": VOUCHER_REGION, "state": state, "created_at": created,
                           "paid_at": later[0] if state in ("paid", "fulfilled", "refunded") else None,
                           "fulfilled_at": later[1] if state in ("fulfilled", "refunded") else None,
                           "refunded_at": later[1] + timedelta(days=3) if state == "refunded" else None,
                           "cancelled_at": later[0] if state == "cancelled" else None,
                           "refund_reason": "验收未通过，双方协商退款" if state == "refunded" else None})
            lines.append({"id": self.ids(table(OrderLine), 1)[0], "order_id": order_id, "code": "item",
                          "description": f"{offering['title']} × {quantity}"[:200], "amount_fen": list_fen})
            if voucher:
                lines.append({"id": self.ids(table(OrderLine), 1)[0], "order_id": order_id, "code": "model_voucher",
                              "description": "模型券抵扣", "amount_fen": -voucher})
                for kind in ("use",) + (("release",) if state in ("refunded", "cancelled") else ()):
                    vouchers.append({"id": self.ids(table(VoucherEntry), 1)[0], "enterprise_id": buyer,
                                     "year": VOUCHER_YEAR, "region": VOUCHER_REGION, "kind": kind,
                                     "amount_fen": voucher,
                                     "order_id": order_id, "created_at": created})
        insert(self.conn, table(Order), orders)
        insert(self.conn, table(OrderLine), lines)
        insert(self.conn, table(VoucherEntry), vouchers)
        self.say(f"  {len(orders):,} orders, {len(lines):,} order lines, {len(vouchers):,} voucher entries")

    def proposals(self, needs: list[dict], by_vendor: dict[int, list[int]], user_of: dict[int, int]) -> None:
        """Proposals on distinct needs from vendors with offerings, half with a first message."""
        vendors = list(by_vendor)
        chosen = self.rng.sample(needs, min(len(needs), self.n["proposals"]))
        rows, links, messages = [], [], []
        for need, pid in zip(chosen, self.ids(table(Proposal), len(chosen)), strict=True):
            vendor = self.rng.choice(vendors)
            state = weighted(self.rng, PROPOSAL_STATES)
            created = need["created_at"] + timedelta(days=self.rng.randint(1, 20))
            created = min(created, self.now)
            words = (self.compose.proposal(need["scenario"]) if state != "invited"
                     else {"plan": None, "message": None})
            rows.append({"id": pid, "need_id": need["id"], "vendor_id": vendor, "state": state, **words,
                         "price_fen": None if state == "invited" else need["budget_max_fen"] * 4 // 5,
                         "invited_by_id": user_of.get(need["organisation_id"]) if state == "invited" else None,
                         "created_at": created, "updated_at": created})
            links.append({"proposal_id": pid, "offering_id": self.rng.choice(by_vendor[vendor])})
            if state != "invited" and self.rng.random() < 0.5:
                messages.append({"id": self.ids(table(Message), 1)[0], "proposal_id": pid, "sender_org_id": vendor,
                                 "recipient_org_id": need["organisation_id"], "sender_user_id": user_of[vendor],
                                 "body": "您好，方案已提交，欢迎约时间线上交流。",
                                 "read_at": None if self.rng.random() < 0.3 else created, "created_at": created})
        insert(self.conn, table(Proposal), rows)
        insert(self.conn, proposal_offering, links)
        insert(self.conn, table(Message), messages)
        self.say(f"  {len(rows):,} proposals, {len(messages):,} messages")

    def run(self) -> dict[str, int]:
        """Write the whole catalogue in dependency order; returns the counts."""
        vendors = self.organisations("vendor", self.n["vendors"])
        smes = self.organisations("enterprise", self.n["smes"])
        self.say(f"  {len(vendors):,} vendors, {len(smes):,} SMEs (one user each)")
        user_of = {org: user for org, user, _ in vendors + smes}
        user_of[self.demo_vendor[1]], user_of[self.demo_sme[1]] = self.demo_vendor[0], self.demo_sme[0]
        by_vendor, offerings = self.vendor_catalogue(vendors)
        needs = self.needs(smes)
        self.orders(smes, offerings, user_of)
        self.proposals(needs, by_vendor, user_of)
        return dict(self.n)


def move_sequences(conn: Connection) -> None:
    """Move every PostgreSQL id sequence past the ids assigned here."""
    if conn.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False:
            seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table.name}"'})
            if seq:
                top = f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"'
                conn.execute(text(f"SELECT setval('{seq}', ({top}), false)"))


def generate(app, size: int, seed: int = 12, say: Callable[[str], None] = print) -> dict[str, float]:
    """Migrate the app's empty database, load the demo seed and add the scale catalogue; returns counts and seconds."""
    from flask_migrate import upgrade

    with app.app_context():
        started = time.perf_counter()
        upgrade(revision="heads")
        load()
        db.session.commit()
        say(f"migrated and seeded in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with db.engine.begin() as conn:
            counts: dict[str, float] = dict(Generator(conn, size, seed, say=say).run())
            move_sequences(conn)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        counts["generate_s"] = time.perf_counter() - started
        say(f"generated in {counts['generate_s']:.1f} s")
        db.session.remove()
    return counts


def main(argv: list[str] | None = None) -> int:
    """Generate the catalogue into the database at --database-url (which must be empty)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    from benchmarks.scale.app import make_app

    app = make_app(args.database_url, None)
    counts = generate(app, args.size, args.seed)
    print(", ".join(f"{k} {v:,.0f}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
