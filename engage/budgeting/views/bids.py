"""Bids for VCSE providers: make, change and withdraw one while bidding is open."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.asset_map.editing import organisations_of
from engage.budgeting import logic
from engage.budgeting.forms import BidForm, WithdrawForm, reading_age_hint
from engage.budgeting.models import Bid, Round
from engage.budgeting.views.common import bp, find_bid, find_round


def _bid_form(funding_round: Round, bid: Bid | None = None) -> BidForm:
    """The bid form for this round: a pot to choose only when the round is split by area, a
    theme only when the round has priorities."""
    form = BidForm(obj=bid)
    if len(funding_round.pots) > 1:
        form.pot_id.choices = [
            (p.id, f"{p.name} ({', '.join(a.name for a in p.areas)})") for p in funding_round.pots
        ]
    else:
        del form.pot_id
        form.single_pot = funding_round.pots[0].id
    if funding_round.priority_list:
        form.theme.choices = [("", _("None of these"))] + [
            (t, t) for t in funding_round.priority_list
        ]
    else:
        del form.theme
    return form


def _bid_page(form: BidForm, funding_round: Round, organisations, editing: bool = False):
    hint = reading_age_hint(form.summary.data or "") if request.method == "POST" else None
    return render_template(
        "budgeting/bid-form.html",
        form=form,
        round=funding_round,
        hint=hint,
        organisations=organisations,
        editing=editing,
    ), (400 if form.errors else 200)


@bp.route("/<int:round_id>/bids/new", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def new_bid(round_id: int):
    funding_round = find_round(round_id)
    form = _bid_form(funding_round)
    organisations = organisations_of(current_user)
    form.organisation.choices = [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        try:
            logic.submit_bid(current_user, funding_round, organisation, form.values())
        except logic.RoundError as error:
            form.show(error, "title")
        else:
            flash(_("Bid sent. You can change it until bidding closes."))
            return redirect(url_for("budgeting.show_round", round_id=funding_round.id))
    return _bid_page(form, funding_round, organisations)


def _own_bid(round_id: int, bid_id: int) -> Bid:
    bid = find_bid(round_id, bid_id)
    if bid.submitted_by_id != current_user.id:
        abort(404)
    return bid


@bp.route("/<int:round_id>/bids/<int:bid_id>/edit", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def edit_bid(round_id: int, bid_id: int):
    bid = _own_bid(round_id, bid_id)
    form = _bid_form(bid.round, bid if request.method == "GET" else None)
    form.organisation.choices = [(bid.organisation.id, bid.organisation.name)]
    form.organisation.data = bid.organisation.id
    if form.validate_on_submit():
        try:
            logic.update_bid(current_user, bid, form.values())
        except logic.RoundError as error:
            form.show(error, "title")
        else:
            flash(_("Bid updated"))
            return redirect(url_for("budgeting.show_round", round_id=round_id))
    return _bid_page(form, bid.round, [bid.organisation], editing=True)


@bp.route("/<int:round_id>/bids/<int:bid_id>/withdraw", methods=["POST"])
@role_required(Role.VCSE_PROVIDER)
def withdraw_bid(round_id: int, bid_id: int):
    bid = _own_bid(round_id, bid_id)
    if WithdrawForm().validate_on_submit():
        try:
            logic.withdraw_bid(current_user, bid)
        except logic.RoundError as error:
            flash(error.message, "error")
        else:
            flash(_("Bid withdrawn"))
    return redirect(url_for("budgeting.show_round", round_id=round_id))
