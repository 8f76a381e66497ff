"""“Have your say”: anyone can tell the partnership what they think, anonymously unless they
leave an email to hear back; ambassadors have their own form; open questions have theirs.
Nothing sent here is shown anywhere until an officer has approved it."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.database import utcnow
from engage.errors import UserError
from engage.extensions import db, limiter
from engage.feedback import logic, session_links
from engage.feedback.forms import HaveYourSayForm
from engage.feedback.models import ForumSession, OpenQuestion, Source
from engage.geo.models import Area
from engage.i18n import current_locale, london_now
from engage.once import AlreadySent

bp = Blueprint("have_your_say", __name__, url_prefix="/have-your-say")


def _limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _form(ambassador: bool = False) -> HaveYourSayForm:
    form = HaveYourSayForm()
    form.area.choices = [("", _("Choose an area"))] + [(str(a.id), a.name) for a in logic.areas()]
    if ambassador:  # ambassadors are reached through their account, not a typed address
        del form.email
        del form.consent
    return form


def _handle(
    form: HaveYourSayForm,
    question: OpenQuestion | None,
    ambassador: bool,
    session: ForumSession | None = None,
):
    """Save the item (or quietly drop a robot's, or a double click's second copy), then thank
    them; or show the errors."""
    if not form.validate_on_submit():
        return None
    if form.website.data:  # the hidden field: a robot filled it in
        return redirect(url_for("have_your_say.thanks"))
    area = db.session.get(Area, int(form.area.data)) if form.area.data else None
    if area is None and (form.place.data or "").strip():
        area = logic.area_for_place(form.place.data)
        if area is None:
            form.place.errors.append(
                _("We could not find that place. Choose an area from the list instead.")
            )
            return None
    new = logic.NewItem(
        text=form.text.data,
        source=Source.SESSION if session else Source.ONLINE,
        session=session,
        received_on=utcnow().date(),
        area=area,
        language=logic.guess_language(form.text.data, current_locale()),
        question=question,
        prompt=question.title if question else "",
        by_ambassador=ambassador,
        young_person=True if ambassador else None,
        email="" if ambassador else (form.email.data or ""),
        locale=current_locale(),
    )
    try:
        logic.submit_online(
            new,
            consent=bool(not ambassador and form.consent.data),
            ambassador=current_user if ambassador else None,
            once_key=form.once.data,
        )
    except AlreadySent:
        pass  # the first copy was kept
    except UserError as error:
        form.show(error, "text")
        return None
    return redirect(url_for("have_your_say.thanks"))


def _failed(response) -> bool:
    """Only what was received counts towards a limit: a form sent back with a problem to put
    right does not use up anyone's allowance."""
    return response.status_code < 400


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=_failed)
def index():
    form = _form()
    done = _handle(form, None, ambassador=False)
    if done:
        return done
    return render_template(
        "feedback/have-your-say.html",
        form=form,
        questions=logic.open_questions(),
        sessions=logic.upcoming_sessions(london_now().date()),
    ), (400 if form.errors else 200)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=_failed)
def answer_question(question_id: int):
    question = db.session.get(OpenQuestion, question_id)
    if question is None or not question.open:
        abort(404)
    form = _form()
    done = _handle(form, question, ambassador=False)
    if done:
        return done
    return render_template("feedback/question.html", form=form, question=question), (
        400 if form.errors else 200
    )


@bp.route("/ambassadors", methods=["GET", "POST"])
@role_required(Role.YOUTH_AMBASSADOR)
@limiter.limit(_limit, methods=["POST"], deduct_when=_failed)
def ambassadors():
    form = _form(ambassador=True)
    done = _handle(form, None, ambassador=True)
    if done:
        return done
    return render_template("feedback/ambassador-form.html", form=form), (
        400 if form.errors else 200
    )


def _link_allowance() -> str:
    return session_links.allowance_limit((request.view_args or {}).get("code", ""))


def _link_key() -> str:
    return "session-link:" + (request.view_args or {}).get("code", "")[:32]


@bp.route("/s/<code>", methods=["GET", "POST"])
@limiter.limit(_link_allowance, key_func=_link_key, methods=["POST"], deduct_when=_failed)
def session_link(code: str):
    """A forum session's own link (or QR code): everyone in the room shares its allowance,
    not the one for their shared Wi-Fi address."""
    session = session_links.session_for(code)
    if session is None:
        return render_template("feedback/link-closed.html"), 404
    form = _form()
    done = _handle(form, None, ambassador=False, session=session)
    if done:
        return done
    return render_template(
        "feedback/have-your-say.html",
        form=form,
        forum_session=session,
        questions=[],
        sessions=[],
    ), (400 if form.errors else 200)


@bp.route("/thank-you")
def thanks():
    return render_template("feedback/thanks.html")
