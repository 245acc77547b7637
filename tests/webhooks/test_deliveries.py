"""Deliveries: signed POSTs to a real local receiver, retries with backoff, only to the organisations concerned,
nothing from a rolled-back change."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.jobs.models import OutboxEvent
from marketplace.jobs.outbox import dispatch
from marketplace.notifications.models import Notification
from marketplace.orders.process import ORDER
from marketplace.orders.services import place_order
from marketplace.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_user
from tests.webhooks.conftest import register


def deliveries(endpoint_id: int) -> list[WebhookDelivery]:
    """An endpoint's deliveries, oldest first, fresh from the database."""
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
                                   .order_by(WebhookDelivery.id)))


def make_retries_due() -> None:
    """Bring every waiting webhook attempt forward to now (instead of waiting for its backoff)."""
    db.session.execute(update(OutboxEvent).where(OutboxEvent.topic == "webhook", OutboxEvent.done_at.is_(None))
                       .values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()


def seconds_ahead(when: datetime) -> float:
    """How far in the future a stored time is."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def test_order_placed_and_paid_reach_the_receiver_signed(deal, receiver):
    """Does the SME's receiver get order.placed then order.paid, each with a valid HMAC and the order's data?"""
    hook = register(deal.sme, receiver, "/sme", ["order.placed", "order.paid"])
    order, _created = place_order(deal.sme, deal.offering, 1, "webhook-order-1")
    db.session.commit()
    assert [r.event["type"] for r in receiver.received] == ["order.placed"]
    ORDER.fire(order.id, "pay", deal.vendor)
    db.session.commit()

    placed, paid = receiver.received
    assert [placed.event["type"], paid.event["type"]] == ["order.placed", "order.paid"]
    assert placed.signature_valid and paid.signature_valid
    assert placed.headers["Webhook-Id"] == placed.event["id"] != paid.event["id"]
    assert placed.event["data"]["id"] == paid.event["data"]["id"] == order.id
    assert placed.event["data"]["state"] == "placed" and paid.event["data"]["state"] == "paid"
    assert paid.event["data"]["payable_fen"] == order.payable_fen and isinstance(order.payable_fen, int)
    assert set(placed.event) == {"id", "type", "created", "data"}
    assert [(d.state, d.attempts[0].status_code) for d in deliveries(hook.id)] == [("delivered", 200)] * 2


def test_a_wrong_secret_does_not_verify(deal, receiver):
    """Would the receiver's check fail if the delivery were signed with another secret (the check can fail)?"""
    register(deal.sme, receiver, "/sme", ["order.placed"])
    receiver.secrets["/sme"] = "whsec_not-the-right-one"
    place_order(deal.sme, deal.offering, 1, "webhook-order-2")
    db.session.commit()
    [got] = receiver.received
    assert got.signature_valid is False


def test_a_500_is_retried_with_backoff_and_recorded(deal, receiver):
    """Is a 500 recorded (status, start of the body) and retried after 1 minute, then 5 minutes, until a 200?"""
    hook = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    receiver.statuses = [500, 500]
    place_order(deal.sme, deal.offering, 1, "webhook-order-3")
    db.session.commit()

    [delivery] = deliveries(hook.id)
    [first] = delivery.attempts
    assert (delivery.state, first.status_code, first.error) == ("pending", 500, None)
    assert first.response_body.startswith("boom") and len(first.response_body) == 2048
    assert 50 <= seconds_ahead(delivery.next_attempt_at) <= 61
    assert dispatch() == {}  # nothing is due before the backoff ends

    make_retries_due()
    dispatch()
    [delivery] = deliveries(hook.id)
    assert [a.status_code for a in delivery.attempts] == [500, 500]
    assert 290 <= seconds_ahead(delivery.next_attempt_at) <= 301

    make_retries_due()
    dispatch()
    [delivery] = deliveries(hook.id)
    assert [a.status_code for a in delivery.attempts] == [500, 500, 200]
    assert delivery.state == "delivered" and delivery.next_attempt_at is None
    assert len({r.headers["Webhook-Id"] for r in receiver.received}) == 1  # the same event, three times


def test_after_the_last_attempt_the_delivery_fails_and_the_endpoint_is_disabled(app, deal, receiver):
    """With one retry and a limit of one failed delivery: failed, endpoint disabled, its organisation told?"""
    app.config.update(WEBHOOK_RETRY_SECONDS="60", WEBHOOK_DISABLE_AFTER=1)
    hook = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    receiver.statuses = [503, 503]
    place_order(deal.sme, deal.offering, 1, "webhook-order-4")
    db.session.commit()
    make_retries_due()
    dispatch()

    [delivery] = deliveries(hook.id)
    assert delivery.state == "failed" and [a.status_code for a in delivery.attempts] == [503, 503]
    endpoint = db.session.get(WebhookEndpoint, hook.id)
    assert endpoint.enabled is False and endpoint.disabled_reason
    assert db.session.scalar(select(Notification).where(Notification.user_id == deal.vendor.id,
                                                        Notification.kind == "webhook_disabled")) is not None
    place_order(deal.sme, deal.offering, 1, "webhook-order-5")
    db.session.commit()
    assert len(deliveries(hook.id)) == 1 and len(receiver.received) == 2  # a disabled endpoint gets nothing


def test_a_receiver_that_does_not_answer_is_recorded_as_an_error(deal, receiver):
    """Is a refused connection an attempt with no status code and the error, retried later?"""
    hook = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    endpoint = db.session.get(WebhookEndpoint, hook.id)
    endpoint.url = "http://127.0.0.1:9/closed"  # the discard port: nothing listens
    db.session.commit()
    place_order(deal.sme, deal.offering, 1, "webhook-order-6")
    db.session.commit()
    [delivery] = deliveries(hook.id)
    [attempt] = delivery.attempts
    assert attempt.status_code is None and attempt.error and delivery.state == "pending"


def test_events_go_only_to_the_organisations_concerned(deal, receiver):
    """Does another vendor's (and another SME's) endpoint subscribed to order events get nothing of this order?"""
    other_vendor, other_sme = make_user("vendor"), make_user("enterprise")
    mine = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    theirs = register(other_vendor, receiver, "/other-vendor", ["order.placed"])
    their_sme = register(other_sme, receiver, "/other-sme", ["order.placed"])
    place_order(deal.sme, deal.offering, 1, "webhook-order-7")
    db.session.commit()
    assert [r.path for r in receiver.received] == ["/vendor"]
    assert len(deliveries(mine.id)) == 1
    assert deliveries(theirs.id) == [] and deliveries(their_sme.id) == []


def test_an_endpoint_gets_only_the_events_it_picked(deal, receiver):
    """Does an endpoint for order.paid only get nothing when an order is placed?"""
    hook = register(deal.sme, receiver, "/sme", ["order.paid"])
    place_order(deal.sme, deal.offering, 1, "webhook-order-8")
    db.session.commit()
    assert receiver.received == [] and deliveries(hook.id) == []


def test_a_rolled_back_transaction_sends_nothing(deal, receiver):
    """Does an order placed and then rolled back leave no delivery, no outbox event and no request?"""
    hook = register(deal.sme, receiver, "/sme", ["order.placed"])
    place_order(deal.sme, deal.offering, 1, "webhook-order-9")
    db.session.flush()
    db.session.rollback()
    dispatch()
    assert receiver.received == [] and deliveries(hook.id) == []
    assert db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "webhook")).all() == []


def test_a_rolled_secret_signs_the_next_delivery(deal, receiver):
    """After rolling the secret, is the next delivery signed with the new one (and not the old)?"""
    from marketplace.webhooks.services import roll_secret

    hook = register(deal.sme, receiver, "/sme", ["order.placed"])
    endpoint = db.session.get(WebhookEndpoint, hook.id)
    new = roll_secret(deal.sme, endpoint)
    db.session.commit()
    place_order(deal.sme, deal.offering, 1, "webhook-order-10")
    db.session.commit()
    assert new != hook.secret and receiver.received[0].signature_valid is False
    receiver.secrets["/sme"] = new
    receiver.received.clear()
    from marketplace.webhooks.services import redeliver

    redeliver(deal.sme, deliveries(hook.id)[0])
    db.session.commit()
    assert receiver.received[0].signature_valid


def test_test_event_and_redelivery_are_sent_once(deal, receiver):
    """Does "send test event" POST a webhook.test event, and is a failed test not retried?"""
    from marketplace.webhooks.services import send_test_event

    hook = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    receiver.statuses = [500]
    send_test_event(deal.vendor, db.session.get(WebhookEndpoint, hook.id))
    db.session.commit()
    [delivery] = deliveries(hook.id)
    assert receiver.received[0].event["type"] == "webhook.test" and receiver.received[0].signature_valid
    assert delivery.state == "failed" and delivery.next_attempt_at is None


def test_deleting_an_endpoint_removes_its_history_and_stops_its_retries(deal, receiver):
    """After deleting an endpoint with a delivery waiting for a retry, are its rows gone and nothing sent?"""
    from marketplace.webhooks.models import WebhookAttempt
    from marketplace.webhooks.services import delete_endpoint

    hook = register(deal.vendor, receiver, "/vendor", ["order.placed"])
    receiver.statuses = [500]
    place_order(deal.sme, deal.offering, 1, "webhook-order-11")
    db.session.commit()
    endpoint = db.session.get(WebhookEndpoint, hook.id)
    assert [len(d.attempts) for d in endpoint.deliveries] == [1]
    delete_endpoint(deal.vendor, endpoint)
    db.session.commit()
    make_retries_due()
    dispatch()
    assert len(receiver.received) == 1
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert db.session.scalars(select(WebhookAttempt)).all() == []
