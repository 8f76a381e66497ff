"""Moderation: the queue, one item, and one route per action on it (approve, reject, take
out names, set themes, send to the safeguarding lead)."""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.errors import UserError
from engage.feedback import logic, moderation
from engage.feedback.display import theme_name
from engage.feedback.models import FeedbackItem, ItemStatus
from engage.feedback.moderation import QueueFilters
from engage.feedback.officer_forms import (
    ApproveForm,
    FlagForm,
    NamesForm,
    QueueFilterForm,
    RejectForm,
    ThemesForm,
)
from engage.feedback.safeguarding import flag_by_hand
from engage.feedback.views import OFFICERS, bp, get_or_404
from engage.forms import BaseForm
from engage.pagination import pagination


def _item(item_id: int) -> FeedbackItem:
    item = get_or_404(FeedbackItem, item_id)
    if item.status == ItemStatus.SAFEGUARDING:
        abort(404)  # only the safeguarding lead sees it now
    return item


@bp.route("/moderation")
@role_required(*OFFICERS)
def moderation_queue():
    themes = logic.themes()
    laps = [a for a in logic.areas() if a.level == "lap"]
    filters = QueueFilterForm(request.args).with_choices(themes, laps, theme_name)
    valid = filters.validate()
    found = moderation.queue(filters.filters() if valid else QueueFilters(), filters.page.data or 1)
    query: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "feedback/moderation.html",
        found=found,
        filters=filters,
        filtered=bool(query),
        waiting=moderation.waiting(),
        suggestions=moderation.suggestions(found.items),
        themes={t.id: t for t in themes},
        form=BaseForm(),
        pages=pagination(
            found.page,
            found.pages,
            lambda n: url_for("feedback.moderation_queue", **query, page=n),
        ),
    ), (200 if valid else 400)


@bp.route("/items/<int:item_id>")
@role_required(*OFFICERS)
def show_item(item_id: int):
    item = _item(item_id)
    return render_template(
        "feedback/item.html",
        item=item,
        form=BaseForm(),
        themes=logic.themes(),
        suggestions=moderation.suggestions([item]).get(item.id, []),
        theme_names={t.id: t for t in logic.themes()},
    )


def _act(item: FeedbackItem, form, action) -> object:
    """Run one moderation action from its form; back to the queue or the item."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    else:
        try:
            flash(action())
        except UserError as error:
            flash(str(error), "error")
    if getattr(form, "back", None) is not None and form.back.data == "queue":
        return redirect(url_for("feedback.moderation_queue"))
    return redirect(url_for("feedback.show_item", item_id=item.id))


@bp.route("/items/<int:item_id>/approve", methods=["POST"])
@role_required(*OFFICERS)
def approve_item(item_id: int):
    item = _item(item_id)

    def action() -> str:
        moderation.approve(current_user, item)
        return _("Approved: its redacted copy may now be quoted")

    return _act(item, ApproveForm(), action)


@bp.route("/items/<int:item_id>/reject", methods=["POST"])
@role_required(*OFFICERS)
def reject_item(item_id: int):
    item, form = _item(item_id), RejectForm()

    def action() -> str:
        moderation.reject(current_user, item, form.reason.data)
        return _("Rejected. It will be erased after 30 days.")

    return _act(item, form, action)


@bp.route("/items/<int:item_id>/names", methods=["POST"])
@role_required(*OFFICERS)
def mark_names(item_id: int):
    item, form = _item(item_id), NamesForm()

    def action() -> str:
        moderation.mark_names(current_user, item, form.names.data.split(","))
        return _("Names taken out of the public copy")

    return _act(item, form, action)


@bp.route("/items/<int:item_id>/themes", methods=["POST"])
@role_required(*OFFICERS)
def set_themes(item_id: int):
    item, form = _item(item_id), ThemesForm()
    form.themes.choices = [(t.id, theme_name(t)) for t in logic.themes()]

    def action() -> str:
        moderation.set_themes(current_user, item, form.themes.data or [])
        return _("Themes saved")

    return _act(item, form, action)


@bp.route("/items/<int:item_id>/flag", methods=["POST"])
@role_required(*OFFICERS)
def flag_item(item_id: int):
    item, form = _item(item_id), FlagForm()
    if not form.validate_on_submit():
        return _act(item, form, lambda: "")
    try:
        flag_by_hand(current_user, item, form.note.data)
    except UserError as error:
        flash(str(error), "error")
        return redirect(url_for("feedback.show_item", item_id=item.id))
    flash(_("Sent to the safeguarding lead. It is no longer in the queue."))
    return redirect(url_for("feedback.moderation_queue"))
