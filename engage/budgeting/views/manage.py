"""The officers' page for a round, and one route for each thing they do on it. A refused
action shows the page again with the GOV.UK error summary beside the form that was sent."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.budgeting import counting, logic, pots, review, voting
from engage.budgeting.actions import manage_actions
from engage.budgeting.forms import (
    AddPotForm,
    AdvanceForm,
    AppointForm,
    CountForm,
    RemovePotForm,
    RescoreForm,
    ShortlistForm,
)
from engage.budgeting.models import BidStatus, CountingRule, Phase, Round, Score
from engage.budgeting.views.common import OFFICERS, bp, find_pot, find_round
from engage.extensions import db
from engage.forms import BaseForm


def _area_choices() -> list[tuple[int, str]]:
    return [(a.id, f"{a.name} ({a.council})" if a.council else a.name) for a in pots.area_choices()]


def _forms(funding_round: Round) -> dict[str, BaseForm]:
    """Each action's form as the page first shows it."""
    shortlist = {
        "bids": [
            {"bid_id": b.id, "chosen": b.status == BidStatus.SHORTLISTED, "reason": b.reason}
            for b in manage_actions(funding_round).shortlist_bids
        ]
    }
    add_pot = AddPotForm(formdata=None)
    add_pot.areas.choices = _area_choices()
    return {
        "advance": AdvanceForm(formdata=None, from_phase=funding_round.phase.value),
        "shortlist": ShortlistForm(formdata=None, data=shortlist),
        "appoint": AppointForm(formdata=None),
        "rescore": RescoreForm(formdata=None),
        "count": CountForm(formdata=None, prefix="count", from_phase=funding_round.phase.value),
        "add_pot": add_pot,
        "remove_pot": RemovePotForm(formdata=None),
    }


def _what_if(funding_round: Round):
    rule = request.args.get("what_if", "")
    if rule not in set(CountingRule):
        return None
    try:
        return counting.what_if(funding_round, CountingRule(rule))
    except logic.RoundError as error:
        flash(error.message, "error")
        return None


def _page(funding_round: Round, name: str | None = None, failed: BaseForm | None = None):
    forms = _forms(funding_round)
    if name is not None and failed is not None:
        forms[name] = failed
    return render_template(
        "budgeting/manage.html",
        round=funding_round,
        actions=manage_actions(funding_round),
        forms=forms,
        form=failed,
        turnouts=[(pot, voting.turnout(pot)) for pot in funding_round.pots],
        what_if=_what_if(funding_round) if failed is None else None,
        titles={str(b.id): b.title for b in funding_round.bids},
        panel=review.reviewers(funding_round),
        scores=review.moderation(current_user, funding_round),
    ), (400 if failed is not None else 200)


@bp.route("/<int:round_id>/manage")
@role_required(*OFFICERS)
def manage_round(round_id: int):
    return _page(find_round(round_id))


def _act(round_id: int, name: str, form: BaseForm, action: Callable[[Round, BaseForm], str]):
    """Parse the action's form, run it, flash what happened and go back to the page; on a
    refusal, the page again with the error beside the form."""
    funding_round = find_round(round_id)
    if form.validate_on_submit():
        try:
            flash(action(funding_round, form))
        except logic.RoundError as error:
            form.show(error)
        else:
            return redirect(url_for("budgeting.manage_round", round_id=round_id))
    return _page(funding_round, name, form)


@bp.route("/<int:round_id>/advance", methods=["POST"])
@role_required(*OFFICERS)
def advance_round(round_id: int):
    def advance(funding_round: Round, form: AdvanceForm) -> str:
        expected = Phase(form.from_phase.data or "")
        phase = logic.advance_phase(current_user, funding_round, expected)
        return _("The round is now in the %(phase)s phase", phase=phase.label)

    return _act(round_id, "advance", AdvanceForm(), advance)


@bp.route("/<int:round_id>/shortlist", methods=["POST"])
@role_required(*OFFICERS)
def save_shortlist(round_id: int):
    def save(funding_round: Round, form: ShortlistForm) -> str:
        rows = [row.form for row in form.bids]
        chosen = {row.bid_id.data for row in rows if row.chosen.data}
        reasons = {row.bid_id.data: row.reason.data or "" for row in rows}
        logic.set_shortlist(current_user, funding_round, chosen, reasons)
        return _("Shortlist saved")

    return _act(round_id, "shortlist", ShortlistForm(), save)


@bp.route("/<int:round_id>/panel", methods=["POST"])
@role_required(*OFFICERS)
def appoint_reviewer(round_id: int):
    def appoint(funding_round: Round, form: AppointForm) -> str:
        reviewer = review.appoint(current_user, funding_round, form.email.data)
        return _("%(name)s is on the review panel", name=reviewer.user.display_name)

    return _act(round_id, "appoint", AppointForm(), appoint)


@bp.route("/<int:round_id>/rescore", methods=["POST"])
@role_required(*OFFICERS)
def ask_rescore(round_id: int):
    def rescore(funding_round: Round, form: RescoreForm) -> str:
        score = db.session.get(Score, form.score_id.data)
        if score is None or score.bid.round_id != funding_round.id:
            raise logic.RoundError(_("That score is no longer there"))
        review.ask_rescore(current_user, score, funding_round)
        return _("Re-score asked for")

    return _act(round_id, "rescore", RescoreForm(), rescore)


@bp.route("/<int:round_id>/count", methods=["POST"])
@role_required(*OFFICERS)
def count_votes(round_id: int):
    def count(funding_round: Round, form: CountForm) -> str:
        counting.count_and_record(current_user, funding_round)
        return _("Votes counted. Check the result, then publish it.")

    return _act(round_id, "count", CountForm(prefix="count"), count)


@bp.route("/<int:round_id>/pots", methods=["POST"])
@role_required(*OFFICERS)
def add_pot(round_id: int):
    form = AddPotForm()
    form.areas.choices = _area_choices()

    def add(funding_round: Round, form: AddPotForm) -> str:
        pot = pots.add_pot(
            current_user, funding_round, form.name.data, form.amount.data, form.areas.data
        )
        return _("%(name)s pot added", name=pot.name)

    return _act(round_id, "add_pot", form, add)


@bp.route("/<int:round_id>/pots/remove", methods=["POST"])
@role_required(*OFFICERS)
def remove_pot(round_id: int):
    def remove(funding_round: Round, form: RemovePotForm) -> str:
        pots.remove_pot(current_user, find_pot(round_id, form.pot_id.data))
        return _("Pot removed")

    return _act(round_id, "remove_pot", RemovePotForm(), remove)
