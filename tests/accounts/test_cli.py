"""`flask users create-admin`: the first admin of a real deployment."""

from sqlalchemy import select

from engage.accounts.models import Invitation, User
from engage.notifications.models import OutboxMessage


def test_create_admin_prompts_for_a_password_without_mail(runner, db_session):
    result = runner.invoke(
        args=["users", "create-admin", "chief@example.org"],
        input="purple otter lantern\npurple otter lantern\n",
    )
    assert result.exit_code == 0, result.output
    admin = db_session.scalar(select(User).where(User.email == "chief@example.org"))
    assert admin.role == "admin"


def test_create_admin_refuses_a_weak_password(runner, db_session):
    result = runner.invoke(
        args=["users", "create-admin", "chief@example.org"], input="short\nshort\n"
    )
    assert result.exit_code != 0
    assert db_session.scalar(select(User)) is None


def test_create_admin_sends_an_invitation_when_mail_is_set_up(app, runner, db_session):
    app.config["MAIL_SERVER"] = "127.0.0.1"
    try:
        result = runner.invoke(args=["users", "create-admin", "chief@example.org"])
    finally:
        app.config["MAIL_SERVER"] = ""
    assert result.exit_code == 0, result.output
    assert db_session.scalar(select(Invitation)).role == "admin"
    assert db_session.scalar(select(OutboxMessage)).to_address == "chief@example.org"
