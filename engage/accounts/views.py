"""Sign in and out, invitations, password reset and change, and the people list."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engage.accounts import logic
from engage.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    InvitationForm,
    RequestPasswordResetForm,
    ResetPasswordForm,
    RoleForm,
    SetPasswordForm,
    SignInForm,
)
from engage.accounts.models import User
from engage.accounts.permissions import role_required
from engage.accounts.roles import ALL_ROLES, AgeBand, Role
from engage.extensions import db, limiter
from engage.forms import PageForm
from engage.i18n import current_locale
from engage.pagination import pagination
from engage.safe_redirect import safe_next

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Failed sign-ins are also counted per account, so guessing one person's password from
    many addresses is limited too."""
    email = SignInForm(meta={"csrf": False}).email.data or ""
    return "sign-in:" + logic.normalise_email(email)[:254]


def _failed(response) -> bool:
    return response.status_code != 302  # a successful sign-in redirects


def _start_session(user: User) -> None:
    """A fresh session for the person: whatever the cookie held before (a CSRF token another
    page may have seen, anything planted) does not carry over into the signed-in session."""
    session.clear()
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        user = logic.authenticate(form.email.data or "", form.password.data or "")
        if user:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
        form.email.errors = [*form.email.errors, _("Enter a correct email address and password")]
    return render_template("accounts/sign-in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@role_required(*ALL_ROLES)
def sign_out():
    if ConfirmForm().validate_on_submit():
        logic.end_sessions(current_user)
        logout_user()
        flash(_("You have signed out"))
    return redirect(url_for("main.home"))


@bp.route("/invitations")
@role_required(Role.ADMIN, Role.ENGAGEMENT_OFFICER)
def list_invitations():
    return render_template("accounts/invitations.html", invitations=logic.pending_invitations())


@bp.route("/invitations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.ENGAGEMENT_OFFICER)
def new_invitation():
    form = InvitationForm()
    form.limit_roles(current_user.role_enum)
    if form.validate_on_submit():
        try:
            invitation = logic.invite(
                current_user,
                form.email.data or "",
                form.display_name.data,
                Role(form.role.data),
                AgeBand(form.age_band.data) if form.age_band.data else None,
                form.locale.data,
            )
        except logic.AccountError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            flash(_("Invitation sent to %(email)s", email=invitation.email))
            return redirect(url_for("accounts.list_invitations"))
    return render_template("accounts/new-invitation.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = logic.invitation_from_token(token)
    except logic.AccountError as error:
        return render_template("accounts/link-problem.html", message=str(error)), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = logic.accept_invitation(token, form.password.data or "")
        except logic.AccountError as error:
            form.password.errors = [*form.password.errors, str(error)]
        else:
            _start_session(user)
            flash(_("Your account is ready"))
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/accept-invitation.html", form=form, invitation=invitation)


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def request_password_reset():
    form = RequestPasswordResetForm()
    if form.validate_on_submit():
        logic.request_password_reset(form.email.data or "", current_locale())
        return render_template("accounts/password-reset-sent.html", email=form.email.data)
    return render_template("accounts/password-reset.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        logic.user_from_reset_token(token)
    except logic.AccountError as error:
        return render_template("accounts/link-problem.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            logic.reset_password(token, form.password.data or "")
        except logic.AccountError as error:
            form.password.errors = [*form.password.errors, str(error)]
        else:
            flash(_("Your password has been changed. Sign in with your new password."))
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset-password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            logic.change_password(
                current_user, form.current_password.data or "", form.password.data or ""
            )
        except logic.AccountError as error:
            form.current_password.errors = [*form.current_password.errors, str(error)]
        else:
            login_user(
                current_user._get_current_object()
            )  # this session carries on; all others have ended
            flash(_("Your password has been changed. You have been signed out everywhere else."))
            return redirect(url_for("main.dashboard"))
    return render_template("accounts/change-password.html", form=form)


@bp.route("/people")
@role_required(Role.ADMIN)
def list_people():
    people = logic.list_users(PageForm(request.args).number())
    pages = pagination(people.page, people.pages, lambda n: url_for("accounts.list_people", page=n))
    return render_template("accounts/people.html", people=people, pages=pages, form=ConfirmForm())


def _person(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/people/<int:user_id>/suspend", methods=["POST"], defaults={"active": False})
@bp.route("/people/<int:user_id>/restore", methods=["POST"], defaults={"active": True})
@role_required(Role.ADMIN)
def set_person_active(user_id: int, active: bool):
    person = _person(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            logic.set_active(current_user, person, active=active)
        except logic.AccountError as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s's account has been updated", name=person.display_name))
    return redirect(url_for("accounts.list_people"))


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    """Change someone's role, for example to appoint a safeguarding lead."""
    person = _person(user_id)
    form = RoleForm(role=person.role)
    if form.validate_on_submit():
        try:
            logic.set_role(current_user, person, Role(form.role.data))
        except logic.AccountError as error:
            form.show(error)
        else:
            flash(_("%(name)s is now: %(role)s", name=person.display_name,
                    role=Role(form.role.data).label))  # fmt: skip
            return redirect(url_for("accounts.list_people"))
    return render_template("accounts/change-role.html", form=form, person=person), (
        400 if form.errors else 200
    )
