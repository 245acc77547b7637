"""Webhook pages: an organisation's endpoints (register, enable or disable, roll the secret, test, delete) and
each endpoint's deliveries with their attempts (redeliver)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.extensions import db
from marketplace.permissions import permission_required
from marketplace.web import perform, submit
from marketplace.webhooks import bp
from marketplace.webhooks.catalogue import DELIVERY_STATES, EVENTS, TEST_EVENT
from marketplace.webhooks.forms import ActionForm, EndpointForm
from marketplace.webhooks.models import WebhookEndpoint
from marketplace.webhooks.services import (
    create_endpoint,
    delete_endpoint,
    delivery_of,
    endpoint_for,
    organisation_endpoints,
    recent_deliveries,
    redeliver,
    roll_secret,
    send_test_event,
    set_enabled,
)


def own_endpoint(endpoint_id: int) -> WebhookEndpoint:
    """Return one of the user's organisation's endpoints, or 404 (another organisation's looks missing)."""
    endpoint = endpoint_for(current_user, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.route("/", methods=["GET", "POST"])
@permission_required("webhook.manage")
def index():
    """List the organisation's endpoints and register one; a new endpoint's secret is shown on this answer only."""
    form = EndpointForm(current_user.organisation.kind)
    created = secret = None
    if form.validate_on_submit():
        done, result = submit(form, lambda: create_endpoint(current_user, form.url.data, form.description.data,
                                                            form.events.data))
        if done and result is not None:
            created, secret = result
            flash(_("Endpoint registered. Copy its signing secret now: it is not shown again."), "success")
            form = EndpointForm(current_user.organisation.kind, formdata=None)
    status = 422 if form.errors or form.form_errors else (201 if secret else 200)
    return render_template("webhooks/index.html", form=form, endpoints=organisation_endpoints(
        current_user.organisation_id), created=created, secret=secret, events=EVENTS), status


@bp.route("/<int:endpoint_id>")
@permission_required("webhook.manage")
def endpoint(endpoint_id: int):
    """Show an endpoint, its actions and its latest deliveries with every attempt."""
    found = own_endpoint(endpoint_id)
    return render_endpoint(found)


def render_endpoint(found: WebhookEndpoint, secret: str | None = None):
    """Render an endpoint's page (with its new secret right after it was rolled)."""
    return render_template("webhooks/endpoint.html", endpoint=found, deliveries=recent_deliveries(found),
                           action_form=ActionForm(), secret=secret, events=EVENTS, test_event=TEST_EVENT,
                           delivery_states=DELIVERY_STATES)


@bp.route("/<int:endpoint_id>/enabled", methods=["POST"])
@permission_required("webhook.manage")
def toggle(endpoint_id: int):
    """Enable or disable an endpoint (form field `enabled`: 1 or 0)."""
    found = own_endpoint(endpoint_id)
    if ActionForm().validate_on_submit():
        on = request.form.get("enabled") == "1"
        perform(lambda: set_enabled(current_user, found, on),
                _("Endpoint enabled.") if on else _("Endpoint disabled: no events are sent to it."))
    return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint_id))


@bp.route("/<int:endpoint_id>/roll-secret", methods=["POST"])
@permission_required("webhook.manage")
def roll(endpoint_id: int):
    """Give the endpoint a new signing secret and show it this once."""
    found = own_endpoint(endpoint_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint_id))
    secret = roll_secret(current_user, found)
    db.session.commit()
    flash(_("New signing secret made: the old one no longer signs deliveries. Copy it now."), "success")
    return render_endpoint(found, secret)


@bp.route("/<int:endpoint_id>/test", methods=["POST"])
@permission_required("webhook.manage")
def test(endpoint_id: int):
    """Send the endpoint a test event."""
    found = own_endpoint(endpoint_id)
    if ActionForm().validate_on_submit():
        perform(lambda: send_test_event(current_user, found),
                _("A test event was queued; its attempt appears below once it is made."))
    return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint_id))


@bp.route("/<int:endpoint_id>/delete", methods=["POST"])
@permission_required("webhook.manage")
def delete(endpoint_id: int):
    """Delete an endpoint and its deliveries."""
    found = own_endpoint(endpoint_id)
    if ActionForm().validate_on_submit() and perform(lambda: delete_endpoint(current_user, found),
                                                     _("Endpoint deleted.")):
        return redirect(url_for("webhooks.index"))
    return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint_id))


@bp.route("/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@permission_required("webhook.manage")
def redeliver_view(endpoint_id: int, delivery_id: int):
    """Send one delivery again now."""
    found = own_endpoint(endpoint_id)
    delivery = delivery_of(found, delivery_id)
    if delivery is None:
        abort(404)
    if ActionForm().validate_on_submit():
        perform(lambda: redeliver(current_user, delivery), _("The delivery was queued again."))
    return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint_id))
