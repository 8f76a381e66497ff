"""Rounds for everyone, starting one for officers, and the published results and open data."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.budgeting import background, counting, exchange, logic
from engage.budgeting.actions import is_officer, may_see_results, round_actions
from engage.budgeting.forms import PabulibImportForm, RoundForm
from engage.budgeting.models import Phase
from engage.budgeting.views.common import OFFICERS, bp, find_pot, find_round, viewer
from engage.page_cache import Content, cached_page


@bp.route("")
@cached_page(Content.BUDGETING)
def list_rounds():
    officer = is_officer(viewer())
    rounds = logic.all_rounds() if officer else logic.public_rounds()
    return render_template("budgeting/rounds.html", rounds=rounds, officer=officer)


@bp.route("/<int:round_id>")
@cached_page(Content.BUDGETING)
def show_round(round_id: int):
    funding_round = find_round(round_id)
    return render_template(
        "budgeting/round.html",
        round=funding_round,
        actions=round_actions(viewer(), funding_round),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*OFFICERS)
def new_round():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            funding_round = logic.create_round(current_user, form.values())
        except logic.RoundError as error:
            form.show(error, "title")
        else:
            flash(_("Round created. It is a draft until you open bidding."))
            return redirect(url_for("budgeting.manage_round", round_id=funding_round.id))
    status = 400 if form.errors else 200
    return render_template("budgeting/round-form.html", form=form), status


@bp.route("/import", methods=["GET", "POST"])
@role_required(*OFFICERS)
def import_pb():
    """A real election from pabulib as a round, to count, compare rules and teach with: read
    and saved by a background job, whose page shows its progress."""
    form = PabulibImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        job = background.start_pb_import(
            current_user, upload.filename or "election.pb", upload.read(), form.title.data
        )
        return redirect(url_for("jobs.show_job", job_id=job.id))
    return render_template("budgeting/import.html", form=form), (400 if form.errors else 200)


@bp.route("/<int:round_id>/results")
@cached_page(Content.BUDGETING)
def results(round_id: int):
    funding_round = find_round(round_id)
    if not may_see_results(viewer(), funding_round):
        abort(404)
    return render_template(
        "budgeting/results.html",
        round=funding_round,
        result=funding_round.counted,
        bids={str(b.id): b for b in funding_round.bids},
        funded=logic.funded_projects(funding_round),
    )


def _published(round_id: int):
    funding_round = find_round(round_id)
    if funding_round.phase not in (Phase.PUBLISHED, Phase.CLOSED) or not funding_round.result:
        abort(404)
    return funding_round


def _download(text: str, mimetype: str, filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(text, mimetype=mimetype, headers={"Content-Disposition": disposition})


@bp.route("/<int:round_id>/results.csv")
@cached_page(Content.BUDGETING)
def results_csv(round_id: int):
    funding_round = _published(round_id)
    return _download(
        counting.results_csv(funding_round), "text/csv", f"round-{round_id}-results.csv"
    )


@bp.route("/<int:round_id>/pots/<int:pot_id>/results.pb")
@cached_page(Content.BUDGETING)
def results_pb(round_id: int, pot_id: int):
    _published(round_id)
    pot = find_pot(round_id, pot_id)
    return _download(exchange.export_pb(pot), "text/plain", f"round-{round_id}-pot-{pot_id}.pb")
