"""Officers' pages for what comes from elsewhere: importing files (as background jobs),
mapping other directories' terms to our categories, the feeds we harvest and the likely
duplicates they bring."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.asset_map import background, duplicates, exchange, feeds, taxonomy
from engage.asset_map.manage_forms import ConfirmForm, FeedForm, ImportForm, MapTermForm
from engage.asset_map.manage_views import OFFICERS, bp
from engage.asset_map.models import DuplicateCandidate, FeedSource, TaxonomyTerm
from engage.extensions import db
from engage.i18n import current_locale
from engage.jobs import logic as jobs


def _allow_large_upload() -> None:
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.route("/asset-map/manage/import")
@role_required(*OFFICERS)
def import_services():
    return _import_page(ImportForm())


def _import_page(form: ImportForm, status: int = 200):
    recent = jobs.recent(current_user, background.IMPORT)
    return render_template("asset_map/manage/import.html", form=form, recent=recent), status


@bp.route("/asset-map/manage/import", methods=["POST"])
@role_required(*OFFICERS)
def upload_import():
    _allow_large_upload()
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, 400)
    upload = form.file.data
    job = background.start_import(current_user, upload.filename or "upload", upload.read())
    return redirect(url_for("jobs.show_job", job_id=job.id))


@bp.route("/asset-map/manage/export.json")
@role_required(*OFFICERS)
def export_oruk():
    return Response(
        exchange.export_oruk(),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="engage-services-oruk.json"'},
    )


@bp.route("/asset-map/manage/terms")
@role_required(*OFFICERS)
def terms():
    return render_template(
        "asset_map/manage/terms.html",
        terms=taxonomy.terms_to_map(),
        categories=taxonomy.categories(),
    )


def _term_form(term: TaxonomyTerm) -> MapTermForm:
    form = MapTermForm()
    form.categories.choices = [(c.id, c.label(current_locale())) for c in taxonomy.categories()]
    if not form.is_submitted():
        form.categories.data = [c.id for c in term.categories]
    return form


@bp.route("/asset-map/manage/terms/<term_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def map_term(term_id: str):
    term = db.session.get(TaxonomyTerm, term_id) or abort(404)
    form = _term_form(term)
    if form.validate_on_submit():
        try:
            added = taxonomy.map_term(term, form.categories.data or [])
        except taxonomy.MappingError as error:
            form.show(error)
        else:
            flash(
                ngettext(
                    "Mapping saved: %(num)d service gained a category",
                    "Mapping saved: %(num)d services gained a category",
                    added,
                )
            )
            return redirect(url_for("manage_assets.terms"))
    status = 400 if form.errors else 200
    return render_template("asset_map/manage/map-term.html", term=term, form=form), status


@bp.route("/asset-map/manage/feeds")
@role_required(*OFFICERS)
def list_feeds():
    return _feeds_page(FeedForm())


def _feeds_page(form: FeedForm, status: int = 200):
    return render_template(
        "asset_map/manage/feeds.html",
        sources=feeds.all_feeds(),
        form=form,
        action=ConfirmForm(),
        duplicates=len(duplicates.open_duplicates()),
    ), status


@bp.route("/asset-map/manage/feeds", methods=["POST"])
@role_required(*OFFICERS)
def add_feed():
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feeds.add_feed(current_user, form.name.data or "", form.url.data or "")
        except feeds.FeedError as error:
            form.show(error)
        else:
            flash(_("Feed added. It is harvested every night, or now if you ask."))
            return redirect(url_for("manage_assets.list_feeds"))
    return _feeds_page(form, 400)


@bp.route("/asset-map/manage/feeds/<int:feed_id>/harvest", methods=["POST"])
@role_required(*OFFICERS)
def harvest_feed(feed_id: int):
    source = db.session.get(FeedSource, feed_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = background.start_harvest(current_user, source)
    return redirect(url_for("jobs.show_job", job_id=job.id))


@bp.route("/asset-map/manage/feeds/<int:feed_id>/stop", methods=["POST"])
@role_required(*OFFICERS)
def stop_feed(feed_id: int):
    source = db.session.get(FeedSource, feed_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        feeds.set_active(source, not source.active)
        flash(_("Feed resumed") if source.active else _("Feed paused"))
    return redirect(url_for("manage_assets.list_feeds"))


@bp.route("/asset-map/manage/duplicates")
@role_required(*OFFICERS)
def list_duplicates():
    return render_template(
        "asset_map/manage/duplicates.html",
        candidates=duplicates.open_duplicates(),
        form=ConfirmForm(),
    )


def _decide_duplicate(candidate_id: int, decide) -> ResponseReturnValue:
    candidate = db.session.get(DuplicateCandidate, candidate_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            decide(current_user, candidate)
        except duplicates.MergeError as error:
            flash(error.message, "error")
        else:
            flash(_("Done"))
    return redirect(url_for("manage_assets.list_duplicates"))


@bp.route("/asset-map/manage/duplicates/<int:candidate_id>/merge", methods=["POST"])
@role_required(*OFFICERS)
def merge_duplicate(candidate_id: int):
    return _decide_duplicate(candidate_id, duplicates.merge)


@bp.route("/asset-map/manage/duplicates/<int:candidate_id>/dismiss", methods=["POST"])
@role_required(*OFFICERS)
def dismiss_duplicate(candidate_id: int):
    return _decide_duplicate(candidate_id, duplicates.dismiss)
