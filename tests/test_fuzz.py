"""Does any route answer hostile input with a 5xx? (It must not: bad input gets a 4xx, JSON under /api.)

The test walks `app.url_map`: every route with its path variables replaced by hostile values, GET with
hostile query strings, and POST of every form field the app knows (as a visitor and as each signed-in role)
with over-range integers, huge and non-finite numbers, NUL bytes, 100,000-character text, invalid UTF-8
and unknown parameters. It is deterministic (fixed lists plus hypothesis with `derandomize=True`) and
bounded; it prints how many requests it sent over how many routes and asserts minimums.
"""
from __future__ import annotations

import itertools
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from marketplace.extensions import db
from tests.conftest import AuthActions
from tests.factories import (make_case, make_event, make_model, make_need, make_offering, make_profile,
                             make_proposal, make_registration, make_user)

ROLES = ("enterprise", "vendor", "center", "admin")
SKIP_ENDPOINTS = {"static", "accounts.logout"}
HOSTILE_INTS = ["0", "2147483648", "99999999999999999999", "9" * 400]
HOSTILE_NUMBERS = ["1e999999", "Infinity", "-Infinity", "NaN", "sNaN", "-0", "1e-999999", "2147483648",
                   "99999999999999999999", "-99999999999999999999", "0x10", "1_000", "１２", "9" * 5000]
HOSTILE_TEXT = ["a\x00b", "x" * 100_000, '=HYPERLINK("http://evil.example","x")', "<script>alert(1)</script>",
                "", " ", "null", "../../etc/passwd", "2026-13-45", "99999-01-01", "25:99", "on", "None", "[]"]
HOSTILE_QUERIES = ["page=99999999999999999999", "page=-1", "page=NaN", "q=" + "注" * 10_000, "q=a%00b", "q=%ff%fe",
                   "budget=1e999999&price_min=Infinity&price_max=NaN&year=99999999999999999999",
                   "year=sNaN&agreement=2147483648&party=-0&limit=99999999999999999999&quantity=1e9",
                   "endpoint=1&_external=1&_anchor=x&_method=DELETE&values=1&q=x",
                   "kind=%00&industry=%ff&scenario=" + "x" * 5000 + "&city=..&deployment=-0&status=NaN",
                   "lang=%00&next=https:evil.example&format=csv&start=9999-99-99&end=0000-00-00"]
RAW_QUERIES = [b"q=\xff\xfe", b"page=\xc0\x80", b"q=a\x00b"]
POST_VALUES = ["1e999999", "Infinity", "NaN", "sNaN", "-0", "2147483648", "99999999999999999999", "9" * 5000,
               "a\x00b", "=cmd|' /C calc'!A0"]
TEXT_FIELDS = ["title", "summary", "description", "name", "plan", "message", "body", "reason", "text", "problem",
               "solution", "q", "email", "password", "org_name", "note", "capabilities"]
NUMERIC = ["price", "price_min", "price_max", "budget", "budget_min", "budget_max", "amount", "award", "investment",
           "delivery_days", "quantity", "year", "capacity", "table_count", "slot_count", "slot_minutes",
           "results-0-before", "results-0-after", "results-1-after", "parties-0-share", "parties-1-share",
           "vendor_id", "agreement", "party", "agreement_id", "slot", "table_no", "offerings", "model_ids",
           "offering_ids", "need_registration", "offering_registration", "listing", "provider_id",
           "digital_level", "rating", "quoted_unit_fen", "quoted_payable_fen", "limit", "page"]


def baseline(ids: dict) -> dict:
    """Plausible values for the app's form fields, so hostile ones reach validation past the required fields."""
    return {"title": "视觉检测测试", "summary": "一行简介", "description": "抛釉砖生产线需要自动检测针孔和色差，目前靠人工目检。",
            "name": "检测模型", "version": "1.0", "kind": "scene_small", "enterprise_name": "佛山某企业",
            "industry": "electronics", "scenario": "online_inspection", "city": "foshan", "industries": "electronics",
            "scenarios": "online_inspection", "cities_served": "foshan", "deployments": "edge", "modalities": "image",
            "deployment": "edge", "pricing_plan": "one_off", "provider_type": "specialist", "capabilities": "视觉检测",
            "visibility": "public", "plan": "四周内部署视觉检测工作站并完成验收。", "message": "你好", "body": "你好",
            "reason": "理由", "text": "很好", "rating": "5", "held": "yes", "problem": "漏检", "solution": "视觉检测",
            "agent_description": "智能体", "data_description": "数据", "note": "说明", "held_on": "2031-05-01",
            "starts_at": "14:00", "deadline": "2031-05-01", "review_on": "2031-05-01", "idempotency_key": "fuzz-key",
            "results-0-indicator": "漏检率", "results-0-unit": "%", "results-0-better": "lower",
            "results-0-before": "3.2", "results-0-after": "0.4", "parties-0-role": "model", "parties-1-role": "data",
            "parties-0-organisation_id": str(ids["vendor_org"]), "parties-1-organisation_id": str(ids["sme_org"]),
            "parties-0-share": "60", "parties-1-share": "40", "vendor_id": str(ids["vendor_org"]),
            "offering_ids": str(ids["offering_id"]), "offerings": str(ids["offering_id"]), "price": "12800",
            "delivery_days": "30", "quantity": "1", "year": "2026", "capacity": "40", "table_count": "2",
            "slot_count": "3", "slot_minutes": "20", "amount": "100000", "award": "100000",
            "listing": str(ids["need_id"]), "need_registration": "1", "offering_registration": "2", "slot": "0",
            "table_no": "1", "kind_": "model_service"}


# Failures owned by another part of the code, reported (printed) instead of failing this test until fixed there:
# accounts.passwords.password_problem hands passwords over 72 characters to zxcvbn, which raises ValueError.
KNOWN_ELSEWHERE: list[tuple[str, str]] = []


def unexpected(failures: list[str]) -> list[str]:
    """Return the failures not listed in KNOWN_ELSEWHERE, printing the known ones."""
    known = [f for f in failures if any(path in f and text in f for path, text in KNOWN_ELSEWHERE)]
    for failure in sorted(set(known)):
        print("known elsewhere:", failure)
    return [f for f in failures if f not in known]


class Tally:
    """Count requests and the routes they reached."""

    def __init__(self):
        """Start at zero."""
        self.requests = 0
        self.rules: set[str] = set()


def check(response, path: str, what: str, failures: list | None = None) -> None:
    """Assert (or, given a list, record) no 5xx, and a JSON error body for a 4xx under /api."""
    problem = None
    if response.status_code >= 500:
        problem = f"{what} {path[:120]} -> {response.status_code}"
    elif path.startswith("/api/") and 400 <= response.status_code < 500:
        body = response.get_json(silent=True)
        if not (body and set(body.get("error", {})) >= {"code", "message"}):
            problem = f"{what} {path[:120]}: {response.data[:200]!r}"
    if problem and failures is None:
        raise AssertionError(problem)
    if problem:
        failures.append(problem)


def send(failures: list, what: str, path: str, call) -> None:
    """Send one request; an exception escaping the app (a 500 in production) is recorded like a 5xx."""
    try:
        response = call()
    except Exception as exc:  # the test app propagates exceptions instead of answering 500
        failures.append(f"{what} {path[:120]} -> {type(exc).__name__}: {str(exc)[:120]}")
        return
    check(response, path, what, failures)


@pytest.fixture
def world(app):
    """One record of every kind, so path ids exist, and a signed-in client per role."""
    with app.app_context():
        users = {role: make_user(role) for role in ROLES}
        sme, vendor, center = users["enterprise"], users["vendor"], users["center"]
        offering = make_offering(vendor.organisation)
        model = make_model(vendor.organisation)
        profile = make_profile(vendor.organisation)
        need = make_need(sme.organisation)
        hidden = make_need(sme.organisation, visibility="registered")
        case = make_case(center.organisation)
        event = make_event(center.organisation)
        make_registration(event, need)
        make_registration(event, offering)
        proposal = make_proposal(need, vendor)
        ids = {"vendor_org": vendor.organisation_id, "sme_org": sme.organisation_id, "offering_id": offering.id, "listing_id": offering.id, "need_id": hidden.id, "case_id": case.id,
               "event_id": event.id, "profile_id": profile.id, "proposal_id": proposal.id, "source_id": proposal.id,
               "year": case.year, "model": model.id}
        emails = {role: user.email for role, user in users.items()}
        db.session.commit()
    clients = {"visitor": app.test_client()}
    for role, email in emails.items():
        client = app.test_client()
        assert AuthActions(app, client).login(email).status_code == 302
        clients[role] = client
    return {"ids": ids, "clients": clients}


def field_names(app) -> list[str]:
    """Every field name of every form in the app, with list rows expanded (results-0-after, parties-1-share)."""
    from flask_wtf import FlaskForm
    from wtforms import Form
    from wtforms.fields import FieldList, FormField

    def subclasses(cls):
        """Every subclass of a class, recursively."""
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names: set[str] = set()
    with app.test_request_context():
        for cls in set(subclasses(FlaskForm)) | set(subclasses(Form)):
            if not cls.__module__.startswith("marketplace"):
                continue
            try:
                form = cls(meta={"csrf": False}) if issubclass(cls, FlaskForm) else cls()
            except Exception:  # a form that needs constructor arguments: its fields still come from the class
                continue
            for field in form:
                names.add(field.name)
                if isinstance(field, FieldList):
                    for i in range(2):
                        names.add(f"{field.name}-{i}")
                        inner = field.unbound_field
                        if inner.field_class is FormField:
                            for sub in inner.args[0]():
                                names.add(f"{field.name}-{i}-{sub.name}")
    return sorted(names | {"next", "action", "reason", "body", "q", "page", "unknown_field", "csrf_token"})


def path_values(rule, ids: dict) -> list[dict]:
    """Path-variable assignments for a rule: real ids first, then hostile ones."""
    options: dict[str, list[str]] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            options[name] = sorted(converter.items)[:3] + ["x"]
        elif isinstance(converter, IntegerConverter):
            options[name] = [str(ids.get(name, 1))] + HOSTILE_INTS
        else:
            options[name] = ["en", "a\x00b", "\xff", "x" * 3000, "..", "zh_CN"]
    if not options:
        return [{}]
    depth = max(len(v) for v in options.values())
    return [{n: v[min(i, len(v) - 1)] for n, v in options.items()} for i in range(depth)]


PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def build(rule, values: dict) -> str:
    """Build a path for a rule by hand (url_for would refuse hostile values)."""
    return PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), rule.rule)


def routes(app):
    """The app's rules worth fuzzing."""
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS]


def test_no_route_answers_hostile_paths_or_query_strings_with_a_5xx(app, world, capsys):
    """GET every route with hostile path variables and query strings, as a visitor and as each role."""
    tally, failures = Tally(), []
    rules = routes(app)
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        for index, values in enumerate(path_values(rule, world["ids"])):
            path = build(rule, values)
            queries = HOSTILE_QUERIES if index == 0 else HOSTILE_QUERIES[:2]
            for who, query in zip(itertools.cycle(world["clients"]), [""] + queries):
                client = world["clients"][who]
                url = f"{path}?{query}" if query else path
                send(failures, f"GET as {who} ?{query[:60]}", path, lambda: client.get(url))
                tally.requests += 1
            if index == 0:
                for raw in RAW_QUERIES:
                    environ = {"QUERY_STRING": raw.decode("latin-1")}
                    send(failures, f"GET raw bytes {raw!r}", path,
                         lambda: world["clients"]["visitor"].get(path, environ_overrides=environ))
                    tally.requests += 1
        tally.rules.add(rule.rule)
    with capsys.disabled():
        print(f"\nfuzz GET: {tally.requests} requests over {len(tally.rules)} routes")
    failures = unexpected(failures)
    assert not failures, "\n".join(failures[:30])
    assert tally.requests >= 1000 and len(tally.rules) >= 60


POSTED = Tally()


@pytest.fixture
def post_targets(app, world):
    """Every (rule, path) that takes a POST, with real ids in the path, and the form field names."""
    targets = []
    for rule in routes(app):
        if "POST" in rule.methods:
            for values in path_values(rule, world["ids"])[:2]:
                targets.append((rule.rule, build(rule, values)))
    return targets, field_names(app)


def test_no_form_answers_hostile_values_with_a_5xx(app, world, post_targets, capsys):
    """POST every form route as a visitor and each role: all fields hostile, then valid fields with hostile numbers."""
    targets, names = post_targets
    base = baseline(world["ids"])
    tally, failures = Tally(), []
    for (rule_text, path), value in itertools.product(targets, POST_VALUES):
        everything = {name: value for name in names}
        numbers = {**base, **{name: value for name in NUMERIC}}
        variants = [everything, numbers]
        if value == POST_VALUES[0]:
            variants.append({**base, **{name: "x" * 100_000 for name in TEXT_FIELDS}})
        for who, data in zip(sorted(world["clients"]), itertools.cycle(variants)):
            send(failures, f"POST as {who} ({value[:20]!r})", path,
                 lambda: world["clients"][who].post(path, data=data))
            tally.requests += 1
        tally.rules.add(rule_text)
    with capsys.disabled():
        print(f"\nfuzz POST (fixed lists): {tally.requests} requests over {len(tally.rules)} routes")
    failures = unexpected(failures)
    assert not failures, "\n".join(failures[:30])
    assert tally.requests >= 1500 and len(tally.rules) >= 30


@pytest.fixture(scope="module")
def post_tally():
    """The tally of the generated POSTs, printed when the module's tests are done."""
    yield POSTED
    print(f"\nfuzz POST (generated): {POSTED.requests} requests over {len(POSTED.rules)} routes")


VALUES = st.sampled_from(HOSTILE_NUMBERS + HOSTILE_TEXT + HOSTILE_INTS)


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_no_form_answers_mixed_hostile_posts_with_a_5xx(app, world, post_targets, post_tally, data):
    """POST valid-looking forms with a few fields replaced by hostile values, some as raw invalid UTF-8 bodies."""
    targets, names = post_targets
    rule_text, path = data.draw(st.sampled_from(targets), label="route")
    who = data.draw(st.sampled_from(sorted(world["clients"])), label="as")
    hostile = data.draw(st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=4), label="fields")
    fields = {**baseline(world["ids"]), **hostile}
    client = world["clients"][who]
    raw = data.draw(st.booleans(), label="raw body")
    body = b"&".join(quote(k).encode() + b"=" + quote(v).encode() for k, v in fields.items()) + b"&title=\xff\xfe"
    failures: list[str] = []
    send(failures, f"POST as {who} {hostile!r:.300}", path,
         lambda: client.post(path, data=body, content_type="application/x-www-form-urlencoded") if raw
         else client.post(path, data=fields))
    assert not unexpected(failures), failures
    post_tally.requests += 1
    post_tally.rules.add(rule_text)
