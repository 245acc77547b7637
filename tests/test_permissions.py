"""Every mutating route against visitors, each role, an admin and a member of another organisation.

The routes are read from the app's URL map: a new POST route fails `test_every_mutating_route_has_a_row`
until it gets a row in ROUTES saying who may use it. Each row is checked as

- a visitor: sent to sign in;
- an SME, a vendor, a promotion center and an admin acting on their own organisation's records: allowed
  (a 2xx/3xx answer without an error message, or a 422 re-render of an incomplete form) or refused (403);
- a member of another organisation of the kind that owns the record: refused (403, or 404 where the
  record is hidden from them).

Admin rights are decided once: admins moderate (delist or unpublish any listing, close any need, hide
reviews, manage accounts, read everything); they do not post needs, create or publish listings, place
orders, send or answer proposals, sign agreements, curate cases or run events.
"""
from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from werkzeug.routing import Rule

from marketplace import create_app
from marketplace.extensions import db
from marketplace.matching.forms import QUERY_MAX_LENGTH
from tests.conftest import empty_tables
from tests.factories import (
    make_case,
    make_dataset,
    make_event,
    make_model,
    make_need,
    make_offering,
    make_profile,
    make_proposal,
    make_registration,
    make_user,
)

ANONYMOUS, SME, VENDOR, CENTER, ADMIN, STRANGER = "anonymous", "enterprise", "vendor", "center", "admin", "stranger"
ROLES = (SME, VENDOR, CENTER, ADMIN)
EVERYONE = frozenset(ROLES)

PUBLIC_BY_DESIGN = {"accounts.login", "accounts.logout", "accounts.register", "accounts.reset_request",
                    "accounts.reset_password_page", "main.set_language", "compare.tray"}
"""POST routes open to visitors on purpose: signing in and out, registering, password reset, language, and the
compare tray (it changes only the visitor's own session; tests/compare/test_tray.py covers it)."""


@dataclass(frozen=True)
class Route:
    """Who may post to one route, and how to reach it with a record in the right state."""

    url: str
    allowed: frozenset[str]
    owner: str | None = None
    """Kind of organisation owning the record acted on; a member of another one of that kind is refused."""
    stranger: int = 403
    data: Callable[[dict], dict] = field(default=lambda w: {})
    prepare: Callable[[dict], None] | None = None
    """Put the world's records in the state the action starts from (runs in an app context)."""


def roles(*names: str) -> frozenset[str]:
    """The roles allowed to use a route."""
    return frozenset(names)


# ---- preparing records --------------------------------------------------------------------------------------------

def set_state(model_path: str, key: str, attribute: str, value):
    """A prepare step setting one attribute of a world record."""

    def prepare(w: dict) -> None:
        module, name = model_path.rsplit(".", 1)
        model = getattr(__import__(module, fromlist=[name]), name)
        setattr(db.session.get(model, w[key]), attribute, value)
        db.session.commit()

    return prepare


def listing_state(kind: str, state: str):
    """A prepare step moving the world's listing of a kind to a state."""
    path = {"offering": "marketplace.catalog.models.Offering", "model": "marketplace.catalog.models.IndustrialModel",
            "provider": "marketplace.catalog.models.ProviderProfile"}[kind]
    return set_state(path, {"offering": "offering", "model": "model", "provider": "profile"}[kind], "state", state)


def order_moved(*actions: str):
    """A prepare step firing order transitions as the vendor (pay, fulfil)."""

    def prepare(w: dict) -> None:
        from marketplace.accounts.models import User
        from marketplace.orders.process import ORDER

        vendor = db.session.get(User, w["vendor_user"])
        for action in actions:
            ORDER.fire(w["order"], action, vendor)
        db.session.commit()

    return prepare


def payable_in_yuan(w: dict) -> None:
    """A prepare step reading the world order's amount payable as the payment form takes it (yuan text)."""
    from marketplace.orders.models import Order

    fen = db.session.get(Order, w["order"]).payable_fen
    w["payable"] = f"{fen // 100}.{fen % 100:02d}"


def with_review(w: dict) -> None:
    """The SME reviews the vendor after a contracted proposal."""
    from marketplace.accounts.models import User
    from marketplace.proposals.models import Proposal
    from marketplace.reviews.services import write_review

    db.session.get(Proposal, w["proposal"]).state = "contracted"
    db.session.flush()
    sme = db.session.get(User, w["sme_user"])
    w["review"] = write_review("proposal", w["proposal"], sme, 4, "交付及时，效果不错。").id
    db.session.commit()


def with_directory_entry(w: dict) -> None:
    """The vendor's profile is listed in the quality provider directory."""
    from marketplace.accounts.models import User
    from marketplace.cases.directory import decide
    from marketplace.catalog.models import ProviderProfile

    decide(db.session.get(ProviderProfile, w["profile"]), "add", "三个交付案例", db.session.get(User, w["center_user"]),
           review_on=date.today() + timedelta(days=180))
    db.session.commit()


def without_meeting(w: dict) -> None:
    """The event's meeting is cancelled, so its registrations may be withdrawn."""
    from marketplace.events.models import Meeting

    db.session.delete(db.session.get(Meeting, w["meeting"]))
    db.session.commit()


def event_today(w: dict) -> None:
    """The event takes place today, so meeting outcomes may be recorded."""
    from marketplace.events.models import Event

    db.session.get(Event, w["event"]).held_on = date.today()
    db.session.commit()


def own_notification(w: dict) -> None:
    """A notification for the user acting (for a stranger: one of the SME's)."""
    from marketplace.notifications.models import Notification

    note = Notification(user_id=w["me"], kind="proposal_status", params={"need": "x", "state": "submitted"},
                        link="/proposals/", dedupe_key="matrix")
    db.session.add(note)
    db.session.commit()
    w["notification"] = note.id


def own_saved_search(w: dict) -> None:
    """A saved search of the user acting (for a stranger: one of the SME's)."""
    from marketplace.notifications.models import SavedSearch

    saved = SavedSearch(user_id=w["me"], query="视觉检测", filters={}, seen=[])
    db.session.add(saved)
    db.session.commit()
    w["search"] = saved.id


def center_acts_for_zhuhai(w: dict) -> None:
    """The world's promotion center acts for zhuhai, the region of the world's 模型券 catalogue and order."""
    from marketplace.accounts.models import User

    db.session.get(User, w["center_user"]).organisation.city = "zhuhai"
    db.session.commit()


def catalogue_entry(state: str | None = None):
    """A prepare step: the zhuhai center acts for the world offering's catalogue entry, in a given state."""

    def prepare(w: dict) -> None:
        from marketplace.redemptions.models import CatalogueEntry

        center_acts_for_zhuhai(w)
        if state:
            db.session.get(CatalogueEntry, w["entry"]).state = state
            db.session.commit()

    return prepare


def quota_application(state: str = "applied"):
    """A prepare step: the SME's city (Foshan) gets a 模型券 rule and the SME an application in a state."""

    def prepare(w: dict) -> None:
        from marketplace.accounts.models import User
        from marketplace.policy.models import PolicyInstrument
        from marketplace.policy.rules import default_row, templates
        from marketplace.vouchers.models import QuotaApplication

        db.session.add(PolicyInstrument(**{**default_row(templates()["model_voucher"]), "region": "foshan"}))
        sme = db.session.get(User, w["sme_user"])
        application = QuotaApplication(enterprise_id=sme.organisation_id, year=date.today().year, region="foshan",
                                       projects="视觉质检", requested_fen=50_000_00, state=state,
                                       granted_fen=50_000_00 if state == "granted" else None, revoked_fen=0,
                                       submitted_by_id=sme.id)
        db.session.add(application)
        db.session.commit()
        w["quota"] = application.id

    return prepare


DATASET_MODEL = "marketplace.datasets.models.Dataset"


def without_expert_request(w: dict) -> None:
    """The world's SME has no open request to the expert, so a new one may be made."""
    from marketplace.experts.models import ExpertRequest

    db.session.get(ExpertRequest, w["expert_request"]).state = "withdrawn"
    db.session.commit()


def visit_held(w: dict) -> None:
    """The request to the expert was scheduled for a time that has passed."""
    from datetime import UTC, datetime

    from marketplace.experts.models import ExpertRequest

    found = db.session.get(ExpertRequest, w["expert_request"])
    found.state, found.scheduled_for, found.place = "scheduled", datetime.now(UTC) - timedelta(hours=2), "线上"
    db.session.commit()


def own_api_token(w: dict) -> None:
    """The acting user (the world's SME for a visitor or a stranger) has an API token."""
    from marketplace.accounts.models import User
    from marketplace.api.tokens import create_token

    token, _secret = create_token(db.session.get(User, w["me"]), "ERP", ["read"])
    db.session.commit()
    w["api_token"] = token.id


def own_webhook(w: dict) -> None:
    """The acting user's organisation (the world's SME for a visitor or a stranger) has a webhook endpoint with
    one delivery."""
    from marketplace.accounts.models import User
    from marketplace.webhooks.models import WebhookDelivery, WebhookEndpoint

    endpoint = WebhookEndpoint(organisation_id=db.session.get(User, w["me"]).organisation_id,
                               url="http://127.0.0.1:9/hook", description="", events="agreement.signed",
                               secret="whsec_matrix", enabled=True, consecutive_failures=0)
    delivery = WebhookDelivery(endpoint=endpoint, event_id="evt_matrix", event_type="agreement.signed",
                               payload={"id": "evt_matrix"}, state="failed", attempt_count=1)
    db.session.add_all([endpoint, delivery])
    db.session.commit()
    w["webhook"], w["webhook_delivery"] = endpoint.id, delivery.id


def zhuhai_voucher_order(w: dict) -> None:
    """The world order becomes a zhuhai SME's order of the world offering (in zhuhai's 模型券 catalogue) paid
    partly from the quota zhuhai's center approved it."""
    from marketplace.catalog.models import Offering
    from marketplace.orders.services import place_order
    from tests.factories import make_quota

    sme = make_user(SME, city="zhuhai")
    make_quota(sme.organisation, year=date.today().year)
    order, _ = place_order(sme, db.session.get(Offering, w["offering"]), 1, "matrix-zhuhai")
    db.session.commit()
    assert order.voucher_fen > 0
    w["order"] = order.id


def delivered_zhuhai_voucher_order(w: dict) -> None:
    """A zhuhai voucher order, paid and delivered."""
    zhuhai_voucher_order(w)
    order_moved("pay", "fulfil")(w)


def with_redemption(w: dict) -> None:
    """The world order is paid and delivered and its vendor submitted the redemption; zhuhai's center reviews."""
    import io

    from werkzeug.datastructures import FileStorage

    from marketplace.accounts.models import User
    from marketplace.orders.models import Order
    from marketplace.redemptions.services import Claim, submit_redemption

    delivered_zhuhai_voucher_order(w)
    center_acts_for_zhuhai(w)
    order = db.session.get(Order, w["order"])
    files = {kind: FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename=f"{kind}.pdf")
             for kind in ("contract", "invoice", "acceptance")}
    w["redemption"] = submit_redemption(db.session.get(User, w["vendor_user"]), order,
                                        Claim("44001234", order.list_fen, order.voucher_fen), files).id
    db.session.commit()


def with_verification_request(w: dict) -> None:
    """The SME is unverified and its business licence awaits review (an admin's revocation starts from verified)."""
    from marketplace.accounts.models import User
    from marketplace.trust.models import VerificationRequest
    from marketplace.uploads.models import StoredFile

    sme = db.session.get(User, w["sme_user"])
    sme.organisation.verified_at = None
    licence = StoredFile(organisation_id=sme.organisation_id, uploaded_by_id=sme.id, purpose="licence",
                         filename="licence.pdf", content_type="application/pdf", size=10, sha256="0" * 64)
    request = VerificationRequest(organisation_id=sme.organisation_id, licence=licence, submitted_by_id=sme.id)
    db.session.add(request)
    db.session.commit()
    w["verification"], w["sme_org"] = request.id, sme.organisation_id


def sme_org(w: dict) -> None:
    """The SME's organisation id (verified, as the world makes it)."""
    from marketplace.accounts.models import User

    w["sme_org"] = db.session.get(User, w["sme_user"]).organisation_id


def with_evaluation_naming_center(w: dict) -> None:
    """The vendor's model has a result naming the promotion center as its evaluator, awaiting its attestation."""
    from marketplace.accounts.models import User
    from marketplace.catalog.models import ModelEvaluation

    center = db.session.get(User, w["center_user"])
    row = ModelEvaluation(model_id=w["model"], metric="漏检率", value="0.2%", dataset="5 万张", evaluator="中心",
                          evaluator_org_id=center.organisation_id, attestation="pending")
    db.session.add(row)
    db.session.commit()
    w["evaluation"] = row.id


def registration_data(w: dict) -> dict:
    """Register the actor's own need (SME) or offering (vendor)."""
    return {"listing": str(w["need2"] if w["actor"] == SME else w["offering"])}


# ---- the table ----------------------------------------------------------------------------------------------------

LISTING_URL = {"offering": "/listings/offering/{offering}", "model": "/listings/model/{model}",
               "provider": "/listings/provider/{profile}"}

ROUTES: dict[tuple[str, str], Route] = {
    # accounts
    ("accounts.organisation", ""): Route("/accounts/organisation", EVERYONE),
    ("accounts.password", ""): Route("/accounts/password", EVERYONE),
    ("accounts.api_tokens", ""): Route("/accounts/tokens", EVERYONE, data=lambda w: {"name": "ERP", "scopes": "read"}),
    ("accounts.revoke_api_token", ""): Route("/accounts/tokens/{api_token}/revoke", EVERYONE, stranger=404,
                                             prepare=own_api_token),
    # The API: a token or a session; a visitor gets 401, not the sign-in page
    ("api.move", ""): Route("/api/v1/needs/{need}/transitions/close", roles(SME), owner=SME),
    # deals: proposals, revisions and orders through the API (a body-less call is a 422 naming the missing fields)
    ("api.send_proposal_api", ""): Route("/api/v1/needs/{need2}/proposals", roles(VENDOR)),
    ("api.revise_proposal_api", ""): Route("/api/v1/proposals/{proposal}/revisions", roles(VENDOR), owner=VENDOR,
                                           stranger=404),
    ("api.place_order_api", ""): Route("/api/v1/orders", roles(SME)),
    ("api.pay_order", ""): Route("/api/v1/orders/{order}/pay", roles(VENDOR), owner=VENDOR, stranger=404),
    # webhooks (issue #14): an SME, a vendor or a center manages its own organisation's endpoints; another
    # organisation's endpoint looks missing
    ("api.webhook_create", ""): Route("/api/v1/webhooks", roles(SME, VENDOR, CENTER)),
    ("webhooks.index", ""): Route("/webhooks/", roles(SME, VENDOR, CENTER),
                                  data=lambda w: {"url": "http://127.0.0.1:9/hook", "events": "agreement.signed"}),
    ("webhooks.toggle", ""): Route("/webhooks/{webhook}/enabled", roles(SME, VENDOR, CENTER), owner=SME,
                                   stranger=404, prepare=own_webhook, data=lambda w: {"enabled": "0"}),
    ("webhooks.roll", ""): Route("/webhooks/{webhook}/roll-secret", roles(SME, VENDOR, CENTER), owner=SME,
                                 stranger=404, prepare=own_webhook),
    ("webhooks.test", ""): Route("/webhooks/{webhook}/test", roles(SME, VENDOR, CENTER), owner=SME, stranger=404,
                                 prepare=own_webhook),
    ("webhooks.delete", ""): Route("/webhooks/{webhook}/delete", roles(SME, VENDOR, CENTER), owner=SME,
                                   stranger=404, prepare=own_webhook),
    ("webhooks.redeliver_view", ""): Route("/webhooks/{webhook}/deliveries/{webhook_delivery}/redeliver",
                                           roles(SME, VENDOR, CENTER), owner=SME, stranger=404, prepare=own_webhook),
    # listings part: creating listings and needs through the API (an empty body is a 422 naming the missing
    # fields for those allowed; edits are PATCH, guarded by the same rules, see tests/api/test_listings.py)
    ("api.create_provider", ""): Route("/api/v1/providers", roles(VENDOR)),
    ("api.create_model", ""): Route("/api/v1/models", roles(VENDOR)),
    ("api.create_offering", ""): Route("/api/v1/offerings", roles(VENDOR)),
    ("api.create_need", ""): Route("/api/v1/needs", roles(SME)),
    # imports (bulk import of models and offerings): vendors upload on the page and through the API
    ("imports.index", ""): Route("/imports", roles(VENDOR)),
    ("api.import_submit", ""): Route("/api/v1/imports", roles(VENDOR)),
    ("accounts.admin_accounts", ""): Route("/accounts/admin/accounts", roles(ADMIN)),
    ("accounts.admin_set_active", ""): Route("/accounts/admin/accounts/{target_user}/active", roles(ADMIN),
                                             data=lambda w: {"active": "0"}),
    # needs
    ("needs.new", ""): Route("/needs/new", roles(SME)),
    ("needs.suggest_scenarios", ""): Route("/needs/scenario-suggestions", roles(SME, CENTER),
                                           data=lambda w: {"title": "注塑件表面划痕检测"}),
    ("needs.edit", ""): Route("/needs/{need}/edit", roles(SME), owner=SME),
    ("needs.transition", "close"): Route("/needs/{need}/close", roles(SME), owner=SME),
    ("needs.transition", "moderate"): Route("/needs/{need}/moderate", roles(CENTER, ADMIN), owner=SME,
                                            data=lambda w: {"reason": "重复发布"}),
    ("needs.transition", "reopen"): Route("/needs/{need}/reopen", roles(SME), owner=SME,
                                          prepare=set_state("marketplace.needs.models.Need", "need", "status",
                                                            "closed")),
    # proposals
    ("proposals.new", ""): Route("/proposals/needs/{need2}/new", roles(VENDOR)),
    ("proposals.invite", ""): Route("/proposals/needs/{need}/invite", roles(SME), owner=SME,
                                    data=lambda w: {"vendor_id": str(w["invitee"])}),
    ("proposals.transition", "shortlist"): Route("/proposals/{proposal}/shortlist", roles(SME), owner=SME,
                                                 stranger=404),
    ("proposals.transition", "accept"): Route("/proposals/{proposal}/accept", roles(SME), owner=SME, stranger=404),
    ("proposals.transition", "decline"): Route("/proposals/{proposal}/decline", roles(SME), owner=SME, stranger=404),
    ("proposals.transition", "decline_invitation"): Route(
        "/proposals/{proposal}/decline_invitation", roles(VENDOR), owner=VENDOR, stranger=404,
        prepare=set_state("marketplace.proposals.models.Proposal", "proposal", "state", "invited")),
    ("proposals.transition", "withdraw"): Route("/proposals/{proposal}/withdraw", roles(VENDOR), owner=VENDOR,
                                                stranger=404),
    ("proposals.transition", "confirm"): Route("/proposals/{proposal}/confirm", roles(SME, VENDOR), owner=VENDOR,
                                               stranger=404,
                                               prepare=set_state("marketplace.proposals.models.Proposal", "proposal",
                                                                 "state", "accepted")),
    ("proposals.messages", ""): Route("/proposals/{proposal}/messages", roles(SME, VENDOR), owner=VENDOR,
                                      stranger=404, data=lambda w: {"body": "请问部署周期多长？"}),
    # reviews
    ("reviews.new", "proposal"): Route("/reviews/new/proposal/{proposal}", roles(SME), owner=SME,
                                       prepare=set_state("marketplace.proposals.models.Proposal", "proposal",
                                                         "state", "contracted")),
    ("reviews.new", "order"): Route("/reviews/new/order/{order}", roles(SME), owner=SME,
                                    prepare=order_moved("pay", "fulfil")),
    ("reviews.reply", ""): Route("/reviews/{review}/reply", roles(VENDOR), owner=VENDOR, prepare=with_review,
                                 data=lambda w: {"text": "感谢反馈。"}),
    ("reviews.moderate", ""): Route("/reviews/{review}/moderate", roles(CENTER, ADMIN), prepare=with_review,
                                    data=lambda w: {"action": "hide", "reason": "含有联系方式"}),
    # catalog
    ("catalog.provider_edit", ""): Route("/providers/mine", roles(VENDOR)),
    ("catalog.model_new", ""): Route("/models/new", roles(VENDOR)),
    ("catalog.model_edit", ""): Route("/models/{model}/edit", roles(VENDOR), owner=VENDOR),
    ("catalog.offering_new", ""): Route("/offerings/new", roles(VENDOR)),
    ("catalog.offering_edit", ""): Route("/offerings/{offering}/edit", roles(VENDOR), owner=VENDOR),
    # model cards (issue #16): a release is appended by the owning vendor; covers are the owner's too, and an
    # organisation's logo is its members' (each acts on their own organisation, so there is no stranger)
    ("catalog.model_version_add", ""): Route("/models/{model}/versions", roles(VENDOR), owner=VENDOR,
                                             data=lambda w: {"number": "9.9.9", "released_on": "2026-01-02",
                                                             "notes": "修正边缘端推理的内存占用。"}),
    **{("catalog.listing_cover", kind): Route(LISTING_URL[kind] + "/cover", roles(VENDOR), owner=VENDOR,
                                              data=lambda w: {"remove": "1"})
       for kind in ("model", "offering")},
    ("accounts.organisation_logo", ""): Route("/accounts/organisation/logo", EVERYONE, data=lambda w: {"remove": "1"}),
    **{("catalog.listing_transition", f"{kind}/publish"): Route(LISTING_URL[kind] + "/publish", roles(VENDOR),
                                                                 owner=VENDOR, prepare=listing_state(kind, "delisted"))
       for kind in LISTING_URL},
    **{("catalog.listing_transition", f"{kind}/delist"): Route(LISTING_URL[kind] + "/delist", roles(VENDOR),
                                                                owner=VENDOR)
       for kind in LISTING_URL},
    **{("catalog.listing_transition", f"{kind}/moderate"): Route(LISTING_URL[kind] + "/moderate", roles(CENTER, ADMIN),
                                                                  owner=VENDOR, data=lambda w: {"reason": "虚假宣传"})
       for kind in LISTING_URL},
    # orders
    ("orders.new", ""): Route("/offerings/{offering}/order", roles(SME)),
    ("orders.pay", ""): Route("/orders/{order}/pay", roles(VENDOR), owner=VENDOR, prepare=payable_in_yuan,
                              data=lambda w: {"amount": w["payable"], "reference": "CMB20260310000123",
                                              "idempotency_key": f"pay-{w['actor']}"}),
    ("orders.transition", "fulfil"): Route("/orders/{order}/fulfil", roles(VENDOR), owner=VENDOR,
                                           prepare=order_moved("pay")),
    ("orders.transition", "refund"): Route("/orders/{order}/refund", roles(VENDOR), owner=VENDOR,
                                           prepare=order_moved("pay"), data=lambda w: {"reason": "客户取消项目"}),
    ("orders.transition", "cancel"): Route("/orders/{order}/cancel", roles(SME), owner=SME),
    # 模型券 catalogue and redemption
    ("redemptions.offering_catalogues", ""): Route("/offerings/{offering}/catalogues", roles(VENDOR), owner=VENDOR,
                                                   data=lambda w: {"region": "zhuhai"}),
    ("redemptions.catalogue_transition", "admit"): Route("/catalogues/entries/{entry}/admit", roles(CENTER, ADMIN),
                                                         owner=CENTER, prepare=catalogue_entry("applied")),
    ("redemptions.catalogue_transition", "refuse"): Route("/catalogues/entries/{entry}/refuse", roles(CENTER, ADMIN),
                                                          owner=CENTER, prepare=catalogue_entry("applied"),
                                                          data=lambda w: {"reason": "缺少交付案例"}),
    ("redemptions.catalogue_transition", "strike"): Route("/catalogues/entries/{entry}/strike", roles(CENTER, ADMIN),
                                                          owner=CENTER, prepare=catalogue_entry(),
                                                          data=lambda w: {"reason": "暂停服务"}),
    ("redemptions.catalogue_transition", "reapply"): Route("/catalogues/entries/{entry}/reapply", roles(VENDOR),
                                                           owner=VENDOR, prepare=catalogue_entry("refused")),
    ("redemptions.submit_view", ""): Route("/orders/{order}/redemption", roles(VENDOR), owner=VENDOR,
                                           prepare=delivered_zhuhai_voucher_order),
    ("redemptions.transition", "redeem"): Route("/redemptions/{redemption}/redeem", roles(CENTER, ADMIN),
                                                owner=CENTER, prepare=with_redemption),
    ("redemptions.transition", "send_back"): Route("/redemptions/{redemption}/send_back", roles(CENTER, ADMIN),
                                                   owner=CENTER, prepare=with_redemption,
                                                   data=lambda w: {"reason": "发票号码不符"}),
    # 模型券 quotas, policy instruments, proposal → order (centers act for their own city: no stranger row)
    ("vouchers.apply", ""): Route("/vouchers/apply", roles(SME)),
    ("vouchers.grant", ""): Route("/vouchers/applications/{quota}/grant", roles(CENTER, ADMIN),
                                  prepare=quota_application(), data=lambda w: {"amount": "10000", "reason": "材料齐全"}),
    ("vouchers.decide", "refuse"): Route("/vouchers/applications/{quota}/refuse", roles(CENTER, ADMIN),
                                         prepare=quota_application(), data=lambda w: {"reason": "项目不属于模型服务"}),
    ("vouchers.decide", "revoke"): Route("/vouchers/applications/{quota}/revoke", roles(CENTER, ADMIN),
                                         prepare=quota_application("granted"), data=lambda w: {"reason": "企业迁出"}),
    ("vouchers.proposal_to_order", ""): Route("/proposals/{proposal}/order", roles(SME), owner=SME,
                                              prepare=set_state("marketplace.proposals.models.Proposal", "proposal",
                                                                "state", "contracted")),
    ("policy.edit_instrument", ""): Route("/policy/instruments/foshan/model_voucher", roles(CENTER, ADMIN),
                                          data=lambda w: {"year_from": "2026"}),
    # 模数共振 agreements
    ("resonance.new", ""): Route("/resonance/new", roles(SME, VENDOR)),
    ("resonance.sign_view", ""): Route("/resonance/{agreement}/sign", roles(SME, VENDOR), owner=VENDOR),
    ("resonance.amend_view", ""): Route("/resonance/{agreement}/amend", roles(SME, VENDOR), owner=VENDOR),
    ("resonance.transition", "terminate"): Route("/resonance/{agreement}/terminate", roles(SME, VENDOR), owner=VENDOR,
                                                 data=lambda w: {"reason": "项目终止"}),
    ("resonance.demonstrations", ""): Route("/resonance/demonstrations", roles(CENTER)),
    # cases and the provider directory
    ("cases.new", ""): Route("/cases/new", roles(CENTER)),
    ("cases.edit", ""): Route("/cases/{case}/edit", roles(CENTER), owner=CENTER),
    ("cases.transition", "publish"): Route("/cases/{case}/publish", roles(CENTER), owner=CENTER,
                                           prepare=set_state("marketplace.cases.models.Case", "case", "state",
                                                             "draft")),
    ("cases.transition", "feature"): Route("/cases/{case}/feature", roles(CENTER), owner=CENTER),
    ("cases.transition", "unfeature"): Route("/cases/{case}/unfeature", roles(CENTER), owner=CENTER,
                                             prepare=set_state("marketplace.cases.models.Case", "case", "state",
                                                               "featured")),
    ("cases.transition", "unpublish"): Route("/cases/{case}/unpublish", roles(CENTER), owner=CENTER),
    ("cases.transition", "moderate"): Route("/cases/{case}/moderate", roles(ADMIN), owner=CENTER,
                                            data=lambda w: {"reason": "企业要求撤下"}),
    ("cases.directory_add", ""): Route("/cases/directory/add", roles(CENTER)),
    ("cases.directory_decide", "renew"): Route("/cases/directory/{profile}/renew", roles(CENTER),
                                               prepare=with_directory_entry,
                                               data=lambda w: {"reason": "年度复核通过",
                                                               "review_on": str(date.today() + timedelta(days=365))}),
    ("cases.directory_decide", "remove"): Route("/cases/directory/{profile}/remove", roles(CENTER),
                                                prepare=with_directory_entry, data=lambda w: {"reason": "资质过期"}),
    # events
    # the expert pool: a center keeps its experts and answers requests to them; an SME asks and withdraws
    ("experts.new", ""): Route("/experts/new", roles(CENTER)),
    ("experts.edit", ""): Route("/experts/{expert}/edit", roles(CENTER), owner=CENTER),
    ("experts.request_help", ""): Route("/experts/{expert}/request", roles(SME), prepare=without_expert_request),
    ("experts.schedule", ""): Route("/experts/requests/{expert_request}/schedule", roles(CENTER), owner=CENTER),
    ("experts.request_move", "decline"): Route("/experts/requests/{expert_request}/decline", roles(CENTER),
                                               owner=CENTER, data=lambda w: {"reason": "专家本月出差"}),
    ("experts.request_move", "complete"): Route("/experts/requests/{expert_request}/complete", roles(CENTER),
                                                owner=CENTER, prepare=visit_held),
    ("experts.request_move", "withdraw"): Route("/experts/requests/{expert_request}/withdraw", roles(SME), owner=SME),
    # the enterprise file: an SME assesses itself; a center of its city (admins: any) records visits, confirms
    # levels and keeps follow-ups (the city scope is tested in tests/diagnosis/)
    ("diagnosis.assessment", ""): Route("/diagnosis/assessment", roles(SME)),
    ("diagnosis.new_visit", ""): Route("/diagnosis/files/{sme_org}/visits", roles(CENTER, ADMIN)),
    ("diagnosis.new_follow_up", ""): Route("/diagnosis/files/{sme_org}/follow-ups", roles(CENTER, ADMIN)),
    ("diagnosis.visit_move", "confirm_level"): Route("/diagnosis/visits/{diagnosis_visit}/confirm_level",
                                                     roles(CENTER, ADMIN)),
    ("diagnosis.follow_up_move", "mark_done"): Route("/diagnosis/follow-ups/{follow_up}/mark_done",
                                                     roles(CENTER, ADMIN)),
    # industrial datasets: the owner (here an SME) edits, publishes and answers access requests; a verified vendor
    # asks and withdraws; moderators take a dataset down
    ("datasets.new", ""): Route("/datasets/new", roles(SME, VENDOR)),
    ("datasets.edit", ""): Route("/datasets/{dataset}/edit", roles(SME), owner=SME),
    ("datasets.transition", "publish"): Route("/datasets/{dataset}/publish", roles(SME), owner=SME,
                                              prepare=set_state(DATASET_MODEL, "dataset", "state", "delisted")),
    ("datasets.transition", "delist"): Route("/datasets/{dataset}/delist", roles(SME), owner=SME),
    ("datasets.transition", "moderate"): Route("/datasets/{dataset}/moderate", roles(CENTER, ADMIN), owner=SME,
                                               data=lambda w: {"reason": "数据来源不明"}),
    ("datasets.ask_access", ""): Route("/datasets/{dataset}/access", roles(VENDOR),
                                       data=lambda w: {"purpose": "训练缺陷检测模型", "model_id": ""}),
    ("datasets.request_move", "grant"): Route("/datasets/requests/{access_request}/grant", roles(SME), owner=SME,
                                              data=lambda w: {"conditions": "仅在数据方环境内训练"}),
    ("datasets.request_move", "refuse"): Route("/datasets/requests/{access_request}/refuse", roles(SME), owner=SME,
                                               data=lambda w: {"reason": "暂不开放"}),
    ("datasets.request_move", "withdraw"): Route("/datasets/requests/{access_request}/withdraw", roles(VENDOR),
                                                 owner=VENDOR),
    ("events.new", ""): Route("/events/new", roles(CENTER)),
    ("events.edit", ""): Route("/events/{event}/edit", roles(CENTER), owner=CENTER),
    ("events.register", ""): Route("/events/{open_event}/register", roles(SME, VENDOR), data=registration_data),
    ("events.withdraw", ""): Route("/events/{event}/registrations/{registration}/withdraw", roles(SME, CENTER),
                                   owner=SME, prepare=without_meeting),
    ("events.schedule_post", ""): Route("/events/{event}/meetings", roles(CENTER), owner=CENTER),
    ("events.cancel", ""): Route("/events/{event}/meetings/{meeting}/cancel", roles(CENTER), owner=CENTER),
    ("events.outcome", ""): Route("/events/{event}/meetings/{meeting}/outcome", roles(CENTER), owner=CENTER,
                                  prepare=event_today, data=lambda w: {"held": "yes"}),
    # leads: a vendor's own inbox; seen marks are the vendor organisation's own
    ("leads.seen", ""): Route("/leads/seen", roles(VENDOR), data=lambda w: {"need": str(w["need"])}),
    # notifications: each user's own
    ("notifications.open_notification", ""): Route("/notifications/{notification}/open", EVERYONE, owner=SME,
                                                    stranger=404, prepare=own_notification),
    ("notifications.read_all", ""): Route("/notifications/read", EVERYONE),
    ("notifications.settings", ""): Route("/notifications/settings", roles(VENDOR)),
    ("notifications.save_search_view", ""): Route("/notifications/searches?q=" + "检" * (QUERY_MAX_LENGTH + 1),
                                                  EVERYONE),
    ("notifications.delete_search", ""): Route("/notifications/searches/{search}/delete", EVERYONE, owner=SME,
                                               prepare=own_saved_search),
    # trust: verification and attested evaluations
    ("trust.verification", ""): Route("/trust/verification", roles(SME, VENDOR)),
    ("trust.decide", "approve"): Route("/trust/requests/{verification}/approve", roles(CENTER, ADMIN), owner=SME,
                                       prepare=with_verification_request),
    ("trust.decide", "reject"): Route("/trust/requests/{verification}/reject", roles(CENTER, ADMIN), owner=SME,
                                      prepare=with_verification_request, data=lambda w: {"reason": "执照模糊"}),
    ("trust.revoke", "revoke"): Route("/trust/organisations/{sme_org}/revoke", roles(ADMIN), prepare=sme_org,
                                      data=lambda w: {"reason": "执照已吊销"}),
    ("trust.attest", "attest"): Route("/trust/evaluations/{evaluation}/attest", roles(CENTER), owner=CENTER,
                                      prepare=with_evaluation_naming_center),
    ("trust.attest", "decline"): Route("/trust/evaluations/{evaluation}/decline", roles(CENTER), owner=CENTER,
                                       prepare=with_evaluation_naming_center, data=lambda w: {"reason": "非本机构评测"}),
}

NEED_MODEL = "marketplace.needs.models.Need"
REASON = {"reason": "描述与实际不符"}


def with_report(w: dict) -> None:
    """Someone reported the SME's need, so the moderators may dismiss the report."""
    from marketplace.accounts.models import User
    from marketplace.moderation.services import report_item

    report_item(db.session.get(User, w["vendor_user"]), "need", w["need"], "spam", "重复发布")
    db.session.commit()


ROUTES.update({
    # moderation: anyone signed in reports (not their own organisation's item); the promotion center of the owner's
    # city and admins decide and set the region's mode
    ("moderation.report", ""): Route("/moderation/report/need/{need}", roles(VENDOR, CENTER, ADMIN),
                                     data=lambda w: {"reason": "spam", "text": "重复发布"}),
    ("moderation.regions", ""): Route("/moderation/regions", roles(CENTER, ADMIN),
                                      data=lambda w: {"city": "foshan", "mode": "post"}),
    ("moderation.decision", "hide"): Route("/moderation/need/{need}/hide", roles(CENTER, ADMIN), data=lambda w: REASON),
    ("moderation.decision", "close"): Route("/moderation/need/{need}/close", roles(CENTER, ADMIN),
                                            data=lambda w: REASON),
    ("moderation.decision", "restore"): Route("/moderation/need/{need}/restore", roles(CENTER, ADMIN),
                                              data=lambda w: REASON,
                                              prepare=set_state(NEED_MODEL, "need", "moderation", "hidden")),
    ("moderation.decision", "approve"): Route("/moderation/need/{need}/approve", roles(CENTER, ADMIN),
                                              prepare=set_state(NEED_MODEL, "need", "moderation", "held")),
    ("moderation.decision", "reject"): Route("/moderation/need/{need}/reject", roles(CENTER, ADMIN),
                                             data=lambda w: REASON,
                                             prepare=set_state(NEED_MODEL, "need", "moderation", "held")),
    ("moderation.decision", "dismiss"): Route("/moderation/need/{need}/dismiss", roles(CENTER, ADMIN),
                                              data=lambda w: REASON, prepare=with_report),
})

PENDING: dict[tuple[str, str, str], str] = {
    # Where the code still disagrees with the table; each mark goes once the code follows it.
}


def expected(route: Route, actor: str):
    """What an actor gets: "login", "allowed", or an HTTP refusal status."""
    if actor == ANONYMOUS:
        return 401 if route.url.startswith("/api/") else "login"
    if actor == STRANGER:
        return route.stranger
    return "allowed" if actor in route.allowed else 403


def cases():
    """Every (route, actor) pair of the table, the pending ones marked as expected failures."""
    for key, route in ROUTES.items():
        for actor in (ANONYMOUS, *ROLES, STRANGER):
            if actor == STRANGER and route.owner is None:
                continue
            marks = ()
            reason = PENDING.get((*key, actor))
            if reason:
                marks = (pytest.mark.xfail(strict=True, reason=reason),)
            yield pytest.param(key, actor, id=f"{key[0]}[{key[1]}]-{actor}" if key[1] else f"{key[0]}-{actor}",
                               marks=marks)


# ---- the world ----------------------------------------------------------------------------------------------------

def build_world() -> dict:
    """One of everything: an SME, a vendor, a center and an admin, each with the records they act on (ids)."""
    from marketplace.diagnosis.models import DiagnosisVisit, FollowUp
    from marketplace.datasets.models import AccessRequest
    from marketplace.events.services import schedule_meeting
    from marketplace.experts.models import ExpertRequest
    from tests.factories import make_expert
    from marketplace.orders.services import place_order
    from marketplace.policy.rules import install_default_instruments
    from marketplace.resonance.services import PartyTerm, draft_agreement

    install_default_instruments()  # the migration installed them once; on PostgreSQL each test empties the tables
    sme, vendor, center, admin = (make_user(role) for role in ROLES)
    need, need2 = make_need(sme.organisation), make_need(sme.organisation, title="注塑件飞边检测")
    offering = make_offering(vendor.organisation)
    model, profile = make_model(vendor.organisation), make_profile(vendor.organisation)
    proposal = make_proposal(need, vendor, [offering])
    order, _ = place_order(sme, offering, 1, "matrix-1")
    agreement = draft_agreement(vendor, "注塑质检智能体分成协议", "缺陷检测智能体", "缺陷图片",
                                [PartyTerm(vendor.organisation_id, "model", 6000),
                                 PartyTerm(sme.organisation_id, "data", 4000)], [offering.id])
    case = make_case(center.organisation, vendor_id=vendor.organisation_id)
    event, open_event = make_event(center.organisation), make_event(center.organisation, title="东莞注塑对接会")
    need_registration, offering_registration = make_registration(event, need), make_registration(event, offering)
    meeting = schedule_meeting(event, need_registration, offering_registration, 0, 1, center)
    expert = make_expert(center.organisation, commit=False)
    expert_request = ExpertRequest(expert=expert, organisation_id=sme.organisation_id, requested_by_id=sme.id,
                                   kind="diagnosis", topic="数字化水平诊断")
    db.session.add(expert_request)
    visit = DiagnosisVisit(organisation_id=sme.organisation_id, center_id=center.organisation_id,
                           recorded_by_id=center.id, visited_on=date(2026, 3, 1), findings="车间设备联网率低", level=2)
    db.session.add(visit)
    db.session.flush()
    follow_up = FollowUp(organisation_id=sme.organisation_id, center_id=center.organisation_id, visit_id=visit.id,
                         created_by_id=center.id, title="补充设备联网清单", due_on=date(2026, 4, 1))
    db.session.add(follow_up)
    dataset = make_dataset(sme.organisation, commit=False)
    access_request = AccessRequest(dataset=dataset, organisation_id=vendor.organisation_id, requested_by_id=vendor.id,
                                   purpose="训练缺陷检测模型")
    db.session.add(access_request)
    db.session.commit()
    return {"sme_org": sme.organisation_id, "diagnosis_visit": visit.id, "follow_up": follow_up.id,
            "sme_user": sme.id, "vendor_user": vendor.id, "center_user": center.id, "admin_user": admin.id,
            "target_user": make_user("enterprise").id, "invitee": make_user("vendor").organisation_id,
            "need": need.id, "need2": need2.id, "offering": offering.id, "model": model.id, "profile": profile.id,
            "proposal": proposal.id, "order": order.id, "agreement": agreement.id, "case": case.id,
            "event": event.id, "open_event": open_event.id, "registration": need_registration.id,
            "meeting": meeting.id, "entry": offering.catalogue_entries[0].id, "expert": expert.id,
            "expert_request": expert_request.id, "dataset": dataset.id, "access_request": access_request.id}


@pytest.fixture(scope="module")
def world_template(tmp_path_factory):
    """On SQLite, the world built once into a migrated database file that every test copies (None on PostgreSQL)."""
    if os.environ.get("TEST_DB_BACKEND") == "postgres":
        return None
    folder = tmp_path_factory.mktemp("matrix")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/world.sqlite", "INSTANCE_PATH": str(folder)})
    with app.app_context():
        upgrade(revision="heads")
        ids = build_world()
        db.session.remove()
        db.engine.dispose()
    return SimpleNamespace(path=folder / "world.sqlite", ids=ids)


@pytest.fixture
def app(world_template, database_uri, tmp_path):
    """An app on a fresh copy of the world's database (on PostgreSQL: the session database, emptied after)."""
    if world_template is None:
        uri = database_uri
    else:
        shutil.copyfile(world_template.path, tmp_path / "world.sqlite")
        uri = f"sqlite:///{tmp_path}/world.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "INSTANCE_PATH": str(tmp_path / "instance")})
    yield app
    with app.app_context():
        if world_template is None:
            empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(app, world_template) -> dict:
    """The ids of the world's records."""
    if world_template is not None:
        return dict(world_template.ids)
    with app.app_context():
        return build_world()


def sign_in(app, auth, world: dict, actor: str, route: Route) -> int | None:
    """Sign in as the actor and return their user id (None for a visitor)."""
    if actor == ANONYMOUS:
        return None
    if actor == STRANGER:
        return auth.as_role(route.owner).user_id
    from marketplace.accounts.models import User

    with app.app_context():
        email = db.session.get(User, world[f"{actor}_user" if actor != SME else "sme_user"]).email
    assert auth.login(email).status_code == 302
    return world[f"{actor}_user" if actor != SME else "sme_user"]


def error_flashes(client) -> list[str]:
    """The error messages flashed to the client's session and not yet shown."""
    with client.session_transaction() as session:
        return [text for category, text in session.get("_flashes", []) if category == "error"]


# ---- the tests ----------------------------------------------------------------------------------------------------

def mutating_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, action) a POST reaches, from the URL map, without the routes public by design.

    A rule with `any(...)` parts gives one entry per combination of their values ("offering/publish").
    """
    found = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in PUBLIC_BY_DESIGN:
            continue
        options = [sorted(conv.items) for conv in rule._converters.values() if hasattr(conv, "items")]
        if options:
            found |= {(rule.endpoint, "/".join(values)) for values in itertools.product(*options)}
        else:
            found |= {key for key in ROUTES if key[0] == rule.endpoint} or {(rule.endpoint, "")}
    return found


def test_every_mutating_route_has_a_row(app):
    """Does every POST route (and every action it accepts) have a row in the table, and no row a missing route?"""
    found = mutating_routes(app)
    assert sorted(found - set(ROUTES)) == [], "give each new POST route a row in ROUTES"
    assert sorted(set(ROUTES) - found) == [], "rows for routes that no longer exist"


def test_a_new_post_route_is_noticed(app):
    """Would a POST route added tomorrow, or a new action of an existing one, be missing from the table?"""
    app.add_url_rule("/widgets/<int:widget_id>/polish", "widgets.polish", lambda widget_id: "", methods=["POST"])
    app.url_map.add(Rule("/cases/<int:case_id>/<any(archive):action>", endpoint="cases.transition", methods=["POST"]))
    assert {("widgets.polish", ""), ("cases.transition", "archive")} <= mutating_routes(app) - set(ROUTES)


@pytest.mark.parametrize("key,actor", list(cases()))
def test_who_may_post(app, client, auth, world, key, actor):
    """Is each actor let through, sent to sign in, or refused, as the table says?"""
    route = ROUTES[key]
    user_id = sign_in(app, auth, world, actor, route)
    w = dict(world, actor=actor, me=user_id if actor not in (ANONYMOUS, STRANGER) else world["sme_user"])
    if route.prepare:
        with app.app_context():
            route.prepare(w)
    response = client.post(route.url.format(**w), data=route.data(w))
    want = expected(route, actor)
    if want == "login":
        assert response.status_code == 302 and "/accounts/login" in response.headers["Location"], response.status_code
    elif want == "allowed":
        assert response.status_code < 400 or response.status_code == 422, response.status_code
        assert "/accounts/login" not in response.headers.get("Location", "")
        assert error_flashes(client) == []
    else:
        assert response.status_code == want, (response.status_code, error_flashes(client))


def test_refusals_change_nothing(app, client, auth, world):
    """Does a stranger vendor, refused on another vendor's offering and an SME's need, leave both as they were?"""
    from marketplace.catalog.models import Offering
    from marketplace.needs.models import Need

    auth.as_role("vendor")
    for url in ("/offerings/{offering}/edit", "/listings/offering/{offering}/delist", "/needs/{need}/edit",
                "/needs/{need}/close"):
        assert client.post(url.format(**world), data={"title": "篡改"}).status_code == 403
    with app.app_context():
        assert db.session.get(Offering, world["offering"]).state == "published"
        need = db.session.get(Need, world["need"])
        assert need.status == "open" and need.title != "篡改"


def test_403_page_is_in_the_users_language(client, auth):
    """Does the refusal read in Chinese by default and in English after switching?"""
    auth.as_role("enterprise")
    assert "权限" in client.post("/offerings/new").get_data(as_text=True)
    client.get("/lang/en")
    assert "permission" in client.post("/offerings/new").get_data(as_text=True)


def test_api_errors_are_machine_readable(client):
    """Does the JSON API answer unknown ids and bad filters with 4xx JSON errors?"""
    missing = client.get("/api/v1/offerings/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/offerings?price_max=abc")
    assert bad.status_code == 400 and "price_max" in bad.get_json()["error"]["fields"]
