"""“You said, we did”: the public pages (`public`) and the officers' pages (`manage`), on one
blueprint."""

from flask import Blueprint

bp = Blueprint("you_said_we_did", __name__)

from engage.you_said_we_did.views import manage, public  # noqa: E402,F401  (routes on bp)


def register(app) -> None:
    from engage.you_said_we_did.models import PARTNER_LABELS, STATUS_LABELS, Partner, Status

    def status_name(value: str) -> str:
        return str(STATUS_LABELS[Status(value)]) if value in set(Status) else value

    def partner_name(value: str) -> str:
        return str(PARTNER_LABELS[Partner(value)]) if value in set(Partner) else value

    app.jinja_env.globals.update(
        response_status_name=status_name,
        partner_name=partner_name,
        partner_keys=[p.value for p in Partner],
        status_keys=[s.value for s in Status],
    )
    app.jinja_env.filters["partner_label"] = partner_name
